// GET /readyz — 200 "ready" when the database answers and every migration of this release is applied, else 503
// with the reason: for load balancers and deployment scripts (start sending requests / the release is in place).
// /healthz stays the liveness check (the process answers).
import { db } from "~/utils/db.server";
import { readiness } from "~/utils/readiness.server";

export async function loader() {
  const state = await readiness(db);
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
  if (state.ready) return new Response("ready", { headers });
  return new Response(`not ready: ${state.detail}`, { status: 503, headers });
}
