// HTTP benchmark: the real server under load. The built app (server.ts, NODE_ENV=production) on 100,000
// generated activities (bench/generate.ts), signed in once through the login form, measured with autocannon over
// loopback: requests/s and p50/p95/p99 latency of the dashboard, a filtered activity list and the plan tree, each
// next to the cheapest real route of the same server (/healthz: "ok" once the database answers), measured in the
// same run. The cases are interleaved in rounds, so each sees the same machine; first one connection (a single
// user's latency), then 10 connections (throughput). Writes its section of bench/results/latest.md.
//
//   npm run bench -- http
//   node --import tsx bench/http.bench.ts [--rows 100000] [--seconds 5] [--rounds 2]
//
// Other targets: the load is described by a list of base URLs. By default one server is started here on the
// generated SQLite file; BENCH_TARGETS=http://127.0.0.1:3001,http://127.0.0.1:3002 points it at servers started
// elsewhere instead, the connections split between one autocannon instance per target. BENCH_USER (default
// official) is who signs in on each target. The measuring is bench/http-measure.ts, shared with
// bench/http-pg.bench.ts (two instances on PostgreSQL next to SQLite, in one run: `npm run bench -- http-pg`).
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuild, failures, httpBenchOptions, machineLine, measureHttp } from "./http-measure";
import { writeResultsSection } from "./results";
import { type RunningServer, startServer } from "./server";

const { ROWS, SECONDS, ROUNDS, CONNECTIONS, USER } = httpBenchOptions();

async function main() {
  ensureBuild();

  let servers: RunningServer[] = [];
  let baseURLs = (process.env.BENCH_TARGETS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let where = `targets given in BENCH_TARGETS (${baseURLs.join(", ")})`;
  if (baseURLs.length === 0) {
    process.env.DATABASE_PATH = ":memory:"; // this process never opens the benchmark database through the app
    const { generateDatabase } = await import("./generate");
    const dir = join(tmpdir(), "lmc-bench");
    mkdirSync(dir, { recursive: true });
    const dbPath = join(dir, `http-${ROWS}.db`);
    console.log(`generating ${ROWS.toLocaleString("en")} activities in ${dbPath} …`);
    const generated = await generateDatabase(dbPath, ROWS);
    console.log(`  ${generated.activities.toLocaleString("en")} activities over ${generated.units} units in ${(generated.ms / 1000).toFixed(1)} s`);
    servers = [await startServer({ env: { DATABASE_PATH: dbPath } })];
    baseURLs = servers.map((s) => s.baseURL);
    where = `one server (server.ts, NODE_ENV=production) on the generated SQLite file (WAL)`;
  }
  try {
    const results = (await measureHttp([{ name: "http", baseURLs }], { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, user: USER })).get("http")!;

    const bad = failures(new Map([["http", results]]));
    const tables = results.map(({ connections, stats }) => {
      const trivial = stats.find((s) => s.key === "trivial")!;
      return [
        `**${connections} connection${connections > 1 ? "s" : ""}** (${ROUNDS} rounds per route, interleaved; each round ≈ ${SECONDS} s of requests, at least ${connections === 1 ? 3 : connections})`,
        "",
        "| route | requests | requests/s | p50 ms | p95 ms | p99 ms | requests/s ÷ trivial | p50 × trivial | p95 × trivial |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...stats.map(
          (s) =>
            `| ${s.label} | ${s.requests.toLocaleString("en")} | ${s.rps.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${(s.rps / trivial.rps).toFixed(4)} | ${(s.p50 / trivial.p50).toFixed(1)} | ${(s.p95 / trivial.p95).toFixed(1)} |`,
        ),
      ].join("\n");
    });
    for (const t of tables) console.log(`\n${t}`);
    if (bad.length) throw new Error(`some answers were not 200: ${bad.join("; ")}`);

    writeResultsSection(
      "http",
      [
        "<!-- http-bench:start -->",
        `## HTTP under load: ${ROWS.toLocaleString("en")} activities, the real server`,
        "",
        `Run ${new Date().toISOString()} by \`npm run bench\` (bench/http.bench.ts; data from bench/generate.ts, seed 20231; autocannon over loopback).`,
        machineLine(),
        `Target: ${where}; signed in once as \`${USER}\` through POST /login, every request carries that session.`,
        "",
        ...tables.flatMap((t) => [t, ""]),
        "- Latency is per request as autocannon saw it (connection to last byte), percentiles over all rounds; with 10",
        "  connections a request also waits for the ones ahead of it (one Node process answers them one at a time), so",
        "  p50 there is about 10 × the single-connection time for the heavy pages.",
        "- Pages are full documents: the root loader (user, inbox badge) and server rendering are included; /healthz",
        "  is a resource route (no session read, no rendering), the floor of what any request costs on this server.",
        "- One Node process answers everything and better-sqlite3 is synchronous: while a heavy page's queries run, every",
        "  other request to that process waits, /healthz included. A page that takes seconds here holds the whole server",
        "  for that long (the cases are measured one after the other, so the tables do not show that interference).",
        "- The load generator runs on the same 2 cores as the server; the machine is shared. Compare rows of one run.",
        "<!-- http-bench:end -->",
      ].join("\n"),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

await main();
