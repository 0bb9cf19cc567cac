// HTTP benchmark on PostgreSQL, two instances: the load of bench/http.bench.ts (the dashboard, a filtered activity
// list and the plan tree, each next to /healthz; 1 and 10 connections; interleaved rounds) against two instances of
// the built app (server.ts, NODE_ENV=production, the same DATABASE_URL and SESSION_SECRET, two ports) on a
// throwaway PostgreSQL cluster holding the same 100,000 generated activities, the connections split between them.
// In the same run and the same rounds, one server on the same data in a SQLite file, as bench/http.bench.ts serves
// it, so both are measured on the same machine state. Writes its section of bench/results/latest.md.
//
//   npm run bench -- http-pg
//   node --import tsx bench/http-pg.bench.ts [--rows 100000] [--seconds 5] [--rounds 2]
//
// It runs itself again inside tests/pg/with-postgres.sh (a throwaway cluster: initdb in a temp directory, deleted
// afterwards), never on a DATABASE_URL of the caller's (the generator drops the database's schema). Ctrl-C or
// SIGTERM stops the servers, then the cluster. Skipped (exit 0) when PostgreSQL is not installed.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { adminQuery, databaseUrl } from "../tests/pg/databases";
import { type CaseStats, ensureBuild, failures, httpBenchOptions, machineLine, measureHttp } from "./http-measure";
import { writeResultsSection } from "./results";
import { ROOT, type RunningServer, startServer } from "./server";

const { ROWS, SECONDS, ROUNDS, CONNECTIONS, USER } = httpBenchOptions();
/** DATABASE_POOL_SIZE of each instance: the app's default */
const POOL_SIZE = 10;
const INSTANCES = 2;
const PG = "PostgreSQL";
const SQLITE = "SQLite";

/** Outside the cluster: run this file again inside tests/pg/with-postgres.sh, in its own process group. */
function inCluster(): Promise<number> {
  const child = spawn(join(ROOT, "tests/pg/with-postgres.sh"), [process.execPath, "--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
    env: { ...process.env, LMC_BENCH_PG_CLUSTER: "1" },
  });
  // The group gets SIGTERM: the benchmark stops its servers and exits, then the script stops the cluster.
  const forward = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function settings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const names = ["server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "work_mem", "max_connections"];
    const { rows } = await client.query<{ name: string; setting: string }>(
      "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1)",
      [names],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}

async function main() {
  const clusterUrl = process.env.DATABASE_URL;
  if (!clusterUrl) throw new Error("tests/pg/with-postgres.sh did not export DATABASE_URL");
  ensureBuild();
  const pgUrl = databaseUrl(clusterUrl, "lmc_bench");
  await adminQuery(clusterUrl, "CREATE DATABASE lmc_bench");
  // This process opens the benchmark databases only through the generator; the app's own `db` stays unused.
  delete process.env.DATABASE_URL;
  process.env.DATABASE_PATH = ":memory:";
  const { generateDatabase } = await import("./generate");
  const dir = join(tmpdir(), "lmc-bench");
  mkdirSync(dir, { recursive: true });
  const sqlitePath = join(dir, `http-pg-sqlite-${ROWS}.db`);

  console.log(`generating ${ROWS.toLocaleString("en")} activities in PostgreSQL (${pgUrl}) …`);
  const onPg = await generateDatabase(pgUrl, ROWS);
  console.log(`  in ${(onPg.ms / 1000).toFixed(1)} s`);
  console.log(`generating the same ${ROWS.toLocaleString("en")} activities in ${sqlitePath} …`);
  const onSqlite = await generateDatabase(sqlitePath, ROWS);
  console.log(`  in ${(onSqlite.ms / 1000).toFixed(1)} s`);
  const pgSettings = await settings(pgUrl);

  const servers: RunningServer[] = [];
  const stopAll = () => Promise.all(servers.map((s) => s.stop()));
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers`);
      void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  try {
    for (let i = 0; i < INSTANCES; i++) servers.push(await startServer({ env: { DATABASE_URL: pgUrl, DATABASE_POOL_SIZE: String(POOL_SIZE) } }));
    servers.push(await startServer({ env: { DATABASE_PATH: sqlitePath } }));
    const pgURLs = servers.slice(0, INSTANCES).map((s) => s.baseURL);
    const sqliteURL = servers[INSTANCES]!.baseURL;
    console.log(`PostgreSQL instances: ${pgURLs.join(", ")}; SQLite server: ${sqliteURL}`);

    const results = await measureHttp(
      [
        { name: PG, baseURLs: pgURLs },
        { name: SQLITE, baseURLs: [sqliteURL] },
      ],
      { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, user: USER },
    );

    const ms = (s: CaseStats) => `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.p99.toFixed(1)}`;
    const tables = results.get(PG)!.map(({ connections, stats }, i) => {
      const sqliteStats = results.get(SQLITE)![i]!.stats;
      const pgTrivial = stats.find((s) => s.key === "trivial")!;
      const sqliteTrivial = sqliteStats.find((s) => s.key === "trivial")!;
      return [
        `**${connections} connection${connections > 1 ? "s" : ""}**${connections === 1 ? " (so only the first PostgreSQL instance is loaded)" : `, split ${Math.ceil(connections / INSTANCES)} + ${Math.floor(connections / INSTANCES)} between the PostgreSQL instances`} (${ROUNDS} rounds per route and database, interleaved; each round ≈ ${SECONDS} s of requests, at least ${connections === 1 ? 3 : connections})`,
        "",
        "| route | PG requests | PG requests/s | PG p50 / p95 / p99 ms | PG req/s ÷ trivial | PG p50 × trivial | SQLite requests/s | SQLite p50 / p95 / p99 ms | SQLite req/s ÷ trivial | SQLite p50 × trivial | PG ÷ SQLite requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...stats.map((s, j) => {
          const q = sqliteStats[j]!;
          return `| ${s.label} | ${s.requests.toLocaleString("en")} | ${s.rps.toFixed(1)} | ${ms(s)} | ${(s.rps / pgTrivial.rps).toFixed(4)} | ${(s.p50 / pgTrivial.p50).toFixed(1)} | ${q.rps.toFixed(1)} | ${ms(q)} | ${(q.rps / sqliteTrivial.rps).toFixed(4)} | ${(q.p50 / sqliteTrivial.p50).toFixed(1)} | ${(s.rps / q.rps).toFixed(2)} |`;
        }),
      ].join("\n");
    });
    for (const t of tables) console.log(`\n${t}`);
    const bad = failures(results);
    if (bad.length) throw new Error(`some answers were not 200: ${bad.join("; ")}`);

    writeResultsSection(
      "http-pg",
      [
        "<!-- http-pg-bench:start -->",
        `## HTTP on PostgreSQL, two instances: ${ROWS.toLocaleString("en")} activities, next to SQLite`,
        "",
        `Run ${new Date().toISOString()} by \`npm run bench -- http-pg\` (bench/http-pg.bench.ts, measuring with bench/http-measure.ts as bench/http.bench.ts does; data from bench/generate.ts, seed 20231, the same rows in both databases; autocannon over loopback).`,
        machineLine(),
        `PostgreSQL: ${INSTANCES} instances of the built app (server.ts, NODE_ENV=production, the same DATABASE_URL and SESSION_SECRET, two ports, DATABASE_POOL_SIZE=${POOL_SIZE} each, the app's default) on a throwaway cluster started by tests/pg/with-postgres.sh on the same machine: PostgreSQL ${pgSettings.server_version}, fsync=${pgSettings.fsync}, synchronous_commit=${pgSettings.synchronous_commit}, full_page_writes=${pgSettings.full_page_writes}, shared_buffers=${pgSettings.shared_buffers}, work_mem=${pgSettings.work_mem} (otherwise initdb's defaults); ANALYZE after loading. Generating took ${(onPg.ms / 1000).toFixed(1)} s.`,
        `SQLite: one server on the same rows in a SQLite file (WAL), as bench/http.bench.ts measures it, in the same rounds (generated in ${(onSqlite.ms / 1000).toFixed(1)} s).`,
        `Every server signed in once as \`${USER}\` through POST /login; every request carries that session.`,
        "",
        ...tables.flatMap((t) => [t, ""]),
        "- × trivial compares a route with /healthz of the same database in the same run (on PostgreSQL /healthz is a",
        "  round trip to the server through the pool, on SQLite a call into the process).",
        "- The filtered list is where PostgreSQL loses (checked with EXPLAIN ANALYZE on this data when this benchmark was",
        "  written): the planner scans all 100,000 activities in parallel, applying lower(…) LIKE '%农业%' to five text",
        "  columns (≈ 140 ms), before joining the prefecture's units, and the list runs that twice (count and page). A",
        "  trigram index (pg_trgm) or starting from the units would change that; not done here.",
        "- Durability is off in this cluster (fsync, synchronous_commit, full_page_writes): it is deleted afterwards. The",
        "  measured routes only read, so that mainly flatters writes (sign-in, sessions), not these figures; a production",
        "  server would also have more shared_buffers than initdb's default and its own disk.",
        "- Everything shares 2 cores: both instances, the PostgreSQL server, the SQLite server (idle while the others are",
        "  measured) and autocannon. Two instances can at best use both cores for Node while PostgreSQL needs them too,",
        "  so this shows the cost per request and whether the load spreads, not what two machines would do.",
        "- The machine is shared with other work: figures are noisy; compare rows of one run.",
        "<!-- http-pg-bench:end -->",
      ].join("\n"),
    );
  } finally {
    await stopAll();
  }
}

if (process.env.LMC_BENCH_PG_CLUSTER === "1") await main();
else process.exit(await inCluster());
