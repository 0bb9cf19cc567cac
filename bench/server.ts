// The built app as a real server, for the HTTP benchmark and the load and fault tests: our server (server.ts,
// compiled to build/server.js) on build/index.js with NODE_ENV=production on a free loopback port, exactly as
// `npm start` serves it. The
// environment is a parameter, so the same load can be pointed at another database (e.g. two instances on one
// SQLite file, or later on PostgreSQL); `targets` are plain base URLs.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** One secret for every instance started here, so a session signed by one is valid on the other. */
export const TEST_SESSION_SECRET = "load-secret-load-secret-load-secret-0123";
export const DEMO_PASSWORD = "lancang2026";

export function freePort(): Promise<number> {
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

export function requireBuild(): void {
  for (const file of ["build/index.js", "build/server.js"]) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

export interface RunningServer {
  baseURL: string;
  child: ChildProcess;
  /** stderr and stdout of the server, for assertions that no "database is locked" was logged */
  output: () => string;
  /** SIGTERM (or the given signal) and wait until the process is gone */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface ServerOptions {
  /** Merged over process.env (after NODE_ENV=production and a shared SESSION_SECRET); undefined unsets a variable. */
  env: Record<string, string | undefined>;
  port?: number;
  /** print the server's output as it comes (default: keep it only) */
  echo?: boolean;
  startTimeoutMs?: number;
}

/** Starts the built app (server.ts, NODE_ENV=production) and waits until /healthz answers. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  requireBuild();
  const port = options.port ?? (await freePort());
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, "build/server.js")], {
    cwd: ROOT,
    env: Object.fromEntries(
      Object.entries({ ...process.env, NODE_ENV: "production", SESSION_SECRET: TEST_SESSION_SECRET, ...options.env, PORT: String(port), HOST: "127.0.0.1" }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    ) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log += chunk.toString("utf8");
    if (log.length > 2_000_000) log = log.slice(-1_000_000);
    if (options.echo) process.stderr.write(chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} before listening:\n${log}`);
    try {
      const response = await fetch(`${baseURL}/healthz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`the app did not start on ${baseURL}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseURL, child, output: () => log, stop };
}

/** Signs in through the real form (POST /login with an Origin header); returns the Cookie header to send. */
export async function signIn(baseURL: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await fetch(`${baseURL}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseURL },
    body: new URLSearchParams({ username, password, redirectTo: "/" }),
  });
  if (response.status !== 302) throw new Error(`sign-in of ${username} answered ${response.status}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]!);
  if (!cookies.length) throw new Error(`sign-in of ${username} set no cookie`);
  return cookies.join("; ");
}
