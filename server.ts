// The one front door: an Express server of our own in front of the Remix build (decision 011). Every request meets,
// in this order: the security headers and Cache-Control (set on every response that lacks them, static files
// included), the write guard (cross-site, body size by route, body type; refused before a byte of the body is read
// and before Remix runs), compression, the static files, then Remix. Run by `npm start`, the browser, load and
// fault tests and the benchmarks (bench/server.ts) as build/server.js, compiled by `npm run build`.
//
// HOST (default 0.0.0.0) and PORT (default 3000) say where it listens. SIGTERM/SIGINT: stop accepting, finish the
// requests in flight, close the database pool, exit 0 (at most 10 s; then exit 1).
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { type ServerBuild, broadcastDevReady } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { Readiness } from "./app/utils/readiness.server";
import { type Refusal, closesConnection, writeRefusal } from "./app/utils/request-guard.server";
import { limitHeapGrowth } from "./app/utils/heap-growth.server";
import { requestArrived } from "./app/utils/requests-in-flight.server";
import { securityHeaders } from "./app/utils/security-headers.server";

process.env.NODE_ENV ??= "production";
// the heap grows by half between full collections, not fourfold (decision 023), set before the app is loaded
limitHeapGrowth();
// `npm run build` compiles this file to build/server.js (what `npm start` runs); `node --import tsx server.ts`
// runs it from source (`npm run dev`). Either way the paths below are the checkout's.
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = basename(HERE) === "build" ? dirname(HERE) : HERE;
const HOST = process.env.HOST || "0.0.0.0";
const PORT = Number(process.env.PORT || 3000);
const SHUTDOWN_GRACE_MS = 10_000;
const SESSION_COOKIE = "lmc_session";

/** What the app's entry module (app/entry.server.tsx) offers the server besides rendering. */
interface EntryExtras {
  startupProblem(): Promise<string | null>;
  instanceReadiness(): Promise<Readiness>;
  closeDatabase(): Promise<void>;
  refusalResponse(request: Request, refusal: Refusal): Promise<Response>;
}

/** A start that cannot succeed ends with one sentence that says why, not a stack trace. */
function cannotStart(why: string): never {
  console.error(`LMC Plan Tracker cannot start: ${why}`);
  process.exit(1);
}

let build: ServerBuild;
try {
  build = (await import(pathToFileURL(join(ROOT, "build/index.js")).href)) as ServerBuild;
} catch (error) {
  const e = error as { code?: string; message?: string };
  if (e?.code === "ERR_MODULE_NOT_FOUND" && /build[\\/]index\.js/.test(e.message ?? "")) {
    cannotStart("build/index.js is missing: run `npm run build` first");
  }
  // configuration (env.server) and opening the SQLite file happen when the build is loaded
  cannotStart((e?.message ?? String(error)).split("\n")[0]!);
}
const entry = build.entry.module as unknown as EntryExtras;

const problem = await entry.startupProblem();
if (problem) cannotStart(problem);
const state = await entry.instanceReadiness();
if (!state.ready) console.warn(`Not ready yet: ${state.detail}. /readyz answers 503 until then.`);

const app = express();
app.disable("x-powered-by");
// Behind our own reverse proxy (TRUST_PROXY=true) the client's address and protocol come from X-Forwarded-*.
app.set("trust proxy", process.env.TRUST_PROXY === "true");

let shuttingDown = false;

/** Runs `fill` just before the status line and headers go out, whoever sends them (Remix, express.static, us). */
function beforeHeaders(res: ServerResponse, fill: (has: (name: string) => boolean) => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    // writeHead(status[, message][, headers]): headers passed here are not yet in getHeader()
    const passed = args.find((a, i) => i > 0 && a && typeof a === "object") as OutgoingHttpHeaders | unknown[] | undefined;
    const passedNames = new Set<string>();
    if (Array.isArray(passed)) for (let i = 0; i < passed.length; i += 2) passedNames.add(String(passed[i]).toLowerCase());
    else if (passed) for (const name of Object.keys(passed)) passedNames.add(name.toLowerCase());
    fill((name) => res.hasHeader(name) || passedNames.has(name.toLowerCase()));
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}

function carriesSession(headers: IncomingHttpHeaders): boolean {
  return (headers.cookie ?? "").split(";").some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

// 0. How many requests are being answered (a long import's steps give way while others wait).
app.use((_req, res, next) => {
  const done = requestArrived();
  res.once("finish", done);
  res.once("close", done);
  next();
});

// 1. Headers on every response: the security headers unless the response set its own (a page sets the CSP with its
// script nonce), and no caching of anything answered to a signed-in browser except the hashed build files.
app.use((req, res, next) => {
  const signedIn = carriesSession(req.headers);
  const hashedAsset = req.path.startsWith("/build/");
  beforeHeaders(res, (has) => {
    for (const [name, value] of securityHeaders()) if (!has(name)) res.setHeader(name, value);
    if (signedIn && !hashedAsset) res.setHeader("Cache-Control", "no-store");
    if (shuttingDown) res.setHeader("Connection", "close");
  });
  next();
});

// 2. The write guard, before anything reads the body and before Remix (whose own cross-site check would answer a
// bare 500): a refusal is a page (or JSON) in the user's language, and closes the connection when the body is
// left unread.
app.use((req, res, next) => {
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  const refusal = writeRefusal({
    method: req.method,
    pathname: req.path,
    urlHost: req.headers.host ?? "",
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    hasBody,
    requireSource: true,
  });
  if (!refusal) return next();
  // what the answer needs to know of the request: the language (cookies, the signed-in user) and what is accepted
  const headers = new Headers();
  for (const name of ["cookie", "accept", "accept-language"]) if (req.headers[name]) headers.set(name, String(req.headers[name]));
  const request = new Request(new URL(req.originalUrl, "http://localhost"), { headers });
  if (closesConnection(refusal)) res.setHeader("Connection", "close");
  entry
    .refusalResponse(request, refusal)
    .then(async (response) => {
      res.status(response.status);
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    })
    .catch(next);
});

app.use(compression());

// 3. Static files. The build's are named by their content hash: cached for a year. The rest (favicon) for an hour.
app.use("/build", express.static(join(ROOT, "public/build"), { immutable: true, maxAge: "1y", fallthrough: false }));
app.use(express.static(join(ROOT, "public"), { maxAge: "1h" }));

// A stopping instance is no longer ready: the load balancer sends new requests elsewhere.
app.get("/readyz", (_req, res, next) => (shuttingDown ? res.status(503).type("text/plain").send("not ready: stopping") : next()));

// 4. Remix. The client's address as this server sees it (the proxy's, unless TRUST_PROXY) for the app to use.
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV, getLoadContext: (req) => ({ clientAddress: req.ip }) }));

// An error outside Remix's own handling (a missing build file, a broken stream): logged, answered without details.
app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
  const status = (error as { status?: number; statusCode?: number })?.statusCode ?? (error as { status?: number })?.status;
  if (status && status >= 400 && status < 500 && !res.headersSent) {
    res.status(status).type("text/plain").send(status === 404 ? "Not Found" : "Request refused");
    return;
  }
  console.error(`${req.method} ${req.originalUrl}:`, error);
  if (res.headersSent) res.destroy();
  else res.status(500).type("text/plain").send("Internal Server Error");
});

const server = app.listen(PORT, HOST, () => {
  console.log(`LMC Plan Tracker listening on http://${HOST}:${PORT} (${process.env.NODE_ENV})`);
  if (process.env.NODE_ENV === "development") void broadcastDevReady(build);
});
// A reverse proxy or client keeps idle connections open for up to a minute (nginx's upstream keepalive_timeout is
// 60 s): if the server closed them first, a request sent on one as it closes would fail (a 502 at the proxy).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EADDRINUSE") cannotStart(`port ${PORT} on ${HOST} is already in use (PORT, HOST)`);
  if (error.code === "EACCES") cannotStart(`not allowed to listen on port ${PORT} (choose PORT ≥ 1024)`);
  cannotStart(error.message);
});

function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`${signal}: finishing the requests in flight, then stopping`);
  const force = setTimeout(() => {
    console.error(`requests still running after ${SHUTDOWN_GRACE_MS / 1000} s: stopping anyway`);
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  server.close(() => {
    entry
      .closeDatabase()
      .catch((error: Error) => console.error(`closing the database: ${error.message}`))
      .finally(() => {
        clearTimeout(force);
        process.exit(0);
      });
  });
  // Kept-alive connections with no request in flight are closed now; busy ones close after their response.
  server.closeIdleConnections();
  setInterval(() => server.closeIdleConnections(), 200).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
