// GET /healthz — "ok" once the database answers: for load balancers and process supervisors, and the cheapest
// real route of the app (no session, no page), which the HTTP benchmark measures the other routes against.
import { db, pingDatabase } from "~/utils/db.server";

export async function loader() {
  await pingDatabase(db);
  return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
