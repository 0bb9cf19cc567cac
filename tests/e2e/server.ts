// Global setup of the browser journeys: a fresh database prepared by the real db:setup scripts, and the built
// app served by our server (server.ts) on a free port, exactly as `npm start` runs it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type RunningServer, requireBuild, startServer } from "../../bench/server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** the served database, for tests that plant rows the forms would refuse (as an older version or a script could) */
    databasePath: string;
  }
}

let server: RunningServer | undefined;
let dir: string | undefined;

export default async function setup(project: TestProject) {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), "lmc-e2e-"));
  // the journeys run on SQLite, whatever DATABASE_URL the shell may hold
  const env = { NODE_ENV: "production" as const, DATABASE_PATH: join(dir, "e2e.db"), DATABASE_URL: "" };
  execFileSync("node_modules/.bin/tsx", ["db/migrate.ts"], { env: { ...process.env, ...env }, stdio: "inherit" });
  // a production server with the demo users and ledger: asked for explicitly, as a demo deployment would
  execFileSync("node_modules/.bin/tsx", ["seeds/seed.ts"], { env: { ...process.env, ...env, SEED_DEMO: "true" }, stdio: "inherit" });

  server = await startServer({ env, echo: true });
  project.provide("baseURL", server.baseURL);
  project.provide("databasePath", env.DATABASE_PATH);

  return async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
