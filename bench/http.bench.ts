// HTTP benchmark: the real server under load. The built app (server.ts, NODE_ENV=production) on 100,000 and on
// 1,000,000 generated activities (bench/generate.ts; each size's file is kept between runs and shared with the
// dashboard benchmark), signed in once through the login form, measured with autocannon over loopback:
// requests/s and p50/p95/p99 latency of the dashboard, a filtered activity list and the plan tree, each next to the
// cheapest real route of the same server (/healthz: "ok" once the database answers), measured in the same run. The
// cases are interleaved in rounds, so each sees the same machine; first one connection (a single user's latency),
// then 10 connections (throughput). The sizes are measured one after the other, and a last table gives each
// route's growth from the smallest size to the largest. Writes its section of bench/results/latest.md.
//
//   npm run bench -- http
//   node --import tsx bench/http.bench.ts [--rows 100000,1000000] [--seconds 5] [--rounds 2]
//
// Other targets: the load is described by a list of base URLs. By default one server is started here on the
// generated SQLite file; BENCH_TARGETS=http://127.0.0.1:3001,http://127.0.0.1:3002 points it at servers started
// elsewhere instead (one size: whatever they serve), the connections split between one autocannon instance per
// target. BENCH_USER (default official) is who signs in on each target. The measuring is bench/http-measure.ts,
// shared with bench/http-pg.bench.ts (two instances on PostgreSQL next to SQLite, in one run: `npm run bench -- http-pg`).
import { mkdirSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type CaseStats, ensureBuild, failures, httpBenchOptions, machineLine, measureHttp } from "./http-measure";
import { writeResultsSection } from "./results";
import { type RunningServer, startServer } from "./server";

const { SIZES, SECONDS, ROUNDS, CONNECTIONS, USER } = httpBenchOptions();

interface SizeRun {
  /** the ledger's size, or null for targets given in BENCH_TARGETS */
  size: number | null;
  where: string;
  results: { connections: number; stats: CaseStats[] }[];
  load: string;
}

async function measureSize(size: number | null, targets: string[]): Promise<SizeRun> {
  let servers: RunningServer[] = [];
  let baseURLs = targets;
  let where = `targets given in BENCH_TARGETS (${baseURLs.join(", ")})`;
  if (size !== null) {
    process.env.DATABASE_PATH = ":memory:"; // this process never opens the benchmark database through the app
    const { generatedLedger } = await import("./generate");
    const dir = join(tmpdir(), "lmc-bench");
    mkdirSync(dir, { recursive: true });
    console.log(`the ledger of ${size.toLocaleString("en")} activities …`);
    const ledger = await generatedLedger(dir, size);
    console.log(
      ledger.reused
        ? `  reusing ${ledger.path} (made by this code)`
        : `  generated ${ledger.activities.toLocaleString("en")} activities over ${ledger.units} units in ${(ledger.ms / 1000).toFixed(1)} s: ${ledger.path}`,
    );
    servers = [await startServer({ env: { DATABASE_PATH: ledger.path } })];
    baseURLs = servers.map((s) => s.baseURL);
    where = "one server (server.ts, NODE_ENV=production) on the generated SQLite file (WAL)";
  }
  try {
    const results = (await measureHttp([{ name: "http", baseURLs }], { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, user: USER })).get("http")!;
    const bad = failures(new Map([["http", results]]));
    if (bad.length) throw new Error(`some answers were not 200: ${bad.join("; ")}`);
    return { size, where, results, load: loadavg().map((l) => l.toFixed(2)).join(" ") };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

function sizeTables(run: SizeRun): string[] {
  return run.results.map(({ connections, stats }) => {
    const trivial = stats.find((s) => s.key === "trivial")!;
    return [
      `**${run.size === null ? "" : `${run.size.toLocaleString("en")} activities, `}${connections} connection${connections > 1 ? "s" : ""}** (${ROUNDS} rounds per route, interleaved; each round ≈ ${SECONDS} s of requests, at least ${connections === 1 ? 3 : connections})`,
      "",
      "| route | requests | requests/s | p50 ms | p95 ms | p99 ms | requests/s ÷ trivial | p50 × trivial | p95 × trivial |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...stats.map(
        (s) =>
          `| ${s.label} | ${s.requests.toLocaleString("en")} | ${s.rps.toFixed(1)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${(s.rps / trivial.rps).toFixed(4)} | ${(s.p50 / trivial.p50).toFixed(1)} | ${(s.p95 / trivial.p95).toFixed(1)} |`,
      ),
    ].join("\n");
  });
}

/** Each route's p50 (one connection) and requests/s (the most connections) at the smallest and largest size. */
function growthTable(first: SizeRun, last: SizeRun): string {
  const single = (run: SizeRun) => run.results[0]!.stats;
  const busiest = (run: SizeRun) => run.results.at(-1)!;
  const n = (run: SizeRun) => run.size!.toLocaleString("en");
  return [
    `**Growth from ${n(first)} to ${n(last)} activities** (p50 with 1 connection; requests/s with ${busiest(first).connections})`,
    "",
    `| route | p50 ms at ${n(first)} | p50 ms at ${n(last)} | p50 growth | requests/s at ${n(first)} | requests/s at ${n(last)} | requests/s fell by |`,
    "|---|---:|---:|---:|---:|---:|---:|",
    ...single(first).map((s, i) => {
      const big = single(last)[i]!;
      const rpsSmall = busiest(first).stats[i]!.rps;
      const rpsBig = busiest(last).stats[i]!.rps;
      return `| ${s.label} | ${s.p50.toFixed(1)} | ${big.p50.toFixed(1)} | ${(big.p50 / s.p50).toFixed(1)}× | ${rpsSmall.toFixed(1)} | ${rpsBig.toFixed(1)} | ${(rpsSmall / rpsBig).toFixed(1)}× |`;
    }),
  ].join("\n");
}

async function main() {
  ensureBuild();
  const targets = (process.env.BENCH_TARGETS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const runs: SizeRun[] = [];
  for (const size of targets.length ? [null] : SIZES) {
    runs.push(await measureSize(size, targets));
    for (const t of sizeTables(runs.at(-1)!)) console.log(`\n${t}`);
  }
  const first = runs[0]!;
  const last = runs.at(-1)!;
  const growth = runs.length > 1 ? growthTable(first, last) : null;
  if (growth) console.log(`\n${growth}`);
  const sizes = runs.map((r) => r.size?.toLocaleString("en")).filter(Boolean).join(" and ");

  writeResultsSection(
    "http",
    [
      "<!-- http-bench:start -->",
      `## HTTP under load: ${sizes ? `${sizes} activities` : "given servers"}, the real server`,
      "",
      `Run ${new Date().toISOString()} by \`npm run bench\` (bench/http.bench.ts; data from bench/generate.ts, seed 20231; autocannon over loopback).`,
      machineLine(),
      `Target: ${first.where}; signed in once as \`${USER}\` through POST /login, every request carries that session.`,
      "",
      ...(growth ? [growth, ""] : []),
      ...runs.flatMap((run) => sizeTables(run).flatMap((t) => [t, ""])),
      `- Load average (1, 5, 15 min) after each size: ${runs.map((r) => `${r.size?.toLocaleString("en") ?? "targets"}: ${r.load}`).join("; ")}.`,
      "- Latency is per request as autocannon saw it (connection to last byte), percentiles over all rounds; with 10",
      "  connections a request also waits for the ones ahead of it (one Node process answers them one at a time), so",
      "  p50 there is about 10 × the single-connection time for the heavy pages.",
      "- Pages are full documents: the root loader (user, inbox badge) and server rendering are included; /healthz",
      "  is a resource route (no session read, no rendering), the floor of what any request costs on this server.",
      "- One Node process answers everything and better-sqlite3 is synchronous: while a heavy page's queries run, every",
      "  other request to that process waits, /healthz included. A page that takes seconds here holds the whole server",
      "  for that long (the cases are measured one after the other, so the tables do not show that interference).",
      "- Each size's server is started on its own file after the previous one stopped; the first requests of each warm",
      "  its caches (bench/http-measure.ts warms every route up before measuring).",
      "- The load generator runs on the same 2 cores as the server; the machine is shared. Compare rows of one run.",
      "<!-- http-bench:end -->",
    ].join("\n"),
  );
}

await main();
