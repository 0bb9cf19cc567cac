// GET /healthz — "ok" once the database answers: for load balancers and process supervisors, and the cheapest
// real route of the app (no session, no page), which the HTTP benchmark measures the other routes against. A
// database that does not answer is a 503 with the reason, never a bare 500. /readyz also checks the schema.
import { db, pingDatabase } from "~/utils/db.server";
import { describeDatabaseError } from "~/utils/readiness.server";

export async function loader() {
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
  try {
    await pingDatabase(db);
  } catch (error) {
    return new Response(`database unavailable: ${describeDatabaseError(error)}`, { status: 503, headers });
  }
  return new Response("ok", { headers });
}
