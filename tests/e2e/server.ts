// Global setup of the browser journeys: a fresh database prepared by the real db:setup scripts, and the built
// app served by remix-serve on a free port, exactly as `npm start` runs it.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** the served database, for tests that plant rows the forms would refuse (as an older version or a script could) */
    databasePath: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

let server: ChildProcess | undefined;
let dir: string | undefined;

export default async function setup(project: TestProject) {
  if (!existsSync("build/index.js")) throw new Error("build/index.js is missing: run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "lmc-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_PATH: join(dir, "e2e.db") };
  execFileSync("node_modules/.bin/tsx", ["db/migrate.ts"], { env, stdio: "inherit" });
  execFileSync("node_modules/.bin/tsx", ["seeds/seed.ts"], { env, stdio: "inherit" });

  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  server = spawn("node", ["node_modules/@remix-run/serve/dist/cli.js", "build/index.js"], {
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${baseURL}/login`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not start on ${baseURL}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide("baseURL", baseURL);
  project.provide("databasePath", env.DATABASE_PATH!);

  return async () => {
    server?.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
