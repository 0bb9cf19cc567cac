// HTTP benchmark: the real server under load. The built app (remix-serve, NODE_ENV=production) on 100,000
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
// elsewhere instead (e.g. two instances on PostgreSQL holding the same generated data), the connections split
// between one autocannon instance per target. BENCH_USER (default official) is who signs in on each target.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { writeResultsSection } from "./results";
import { ROOT, type RunningServer, signIn, startServer } from "./server";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROWS = Number(arg("rows") ?? 100_000);
const SECONDS = Number(arg("seconds") ?? 5);
const ROUNDS = Number(arg("rounds") ?? 2);
const CONNECTIONS = [1, 10];
const USER = process.env.BENCH_USER ?? "official";

interface Case {
  key: string;
  label: string;
  path: string;
}

interface Tally {
  latencies: number[];
  requests: number;
  seconds: number;
  statuses: Map<number, number>;
  errors: number;
}

/**
 * Sends `amount` requests over `connections` connections to every target at once (connections and requests split
 * between them), then waits until the servers are idle again: autocannon stops at its last answer, and requests
 * a server is still working on must not slow down the next case.
 */
async function load(targets: { baseURL: string; cookie: string }[], path: string, connections: number, amount: number, tally: Tally) {
  const share = (i: number) => Math.floor(connections / targets.length) + (i < connections % targets.length ? 1 : 0);
  const started = performance.now();
  await Promise.all(
    targets
      .map((t, i) => ({ ...t, connections: share(i) }))
      .filter((t) => t.connections > 0)
      .map(
        (t) =>
          new Promise<void>((resolve, reject) => {
            const instance = autocannon(
              {
                url: t.baseURL + path,
                connections: t.connections,
                amount: Math.max(t.connections, Math.round((amount * t.connections) / connections)),
                timeout: 120,
                headers: { cookie: t.cookie },
              },
              (error, result) => {
                if (error) reject(error);
                else {
                  tally.errors += result.errors + result.timeouts;
                  resolve();
                }
              },
            );
            instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
              tally.latencies.push(responseTime);
              tally.requests++;
              tally.statuses.set(statusCode, (tally.statuses.get(statusCode) ?? 0) + 1);
            });
          }),
      ),
  );
  tally.seconds += (performance.now() - started) / 1000;
  await Promise.all(targets.map((t) => idle(t.baseURL)));
}

/** Waits until /healthz answers quickly three times in a row (at most a minute). */
async function idle(baseURL: string) {
  const deadline = Date.now() + 60_000;
  for (let quick = 0; quick < 3 && Date.now() < deadline; ) {
    const started = performance.now();
    await (await fetch(`${baseURL}/healthz`)).arrayBuffer();
    quick = performance.now() - started < 20 ? quick + 1 : 0;
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

async function main() {
  if (!existsSync(join(ROOT, "build/index.js"))) {
    console.log("build/index.js is missing: running `npm run build` …");
    const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("`npm run build` failed; the HTTP benchmark needs the built app");
  }

  let servers: RunningServer[] = [];
  let baseURLs = (process.env.BENCH_TARGETS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let where = `targets given in BENCH_TARGETS (${baseURLs.join(", ")})`;
  let unitId: number;
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
    where = `one server (remix-serve, NODE_ENV=production) on the generated SQLite file (WAL)`;
  }
  try {
    const targets = await Promise.all(baseURLs.map(async (baseURL) => ({ baseURL, cookie: await signIn(baseURL, USER) })));
    // the unit to filter by: 西双版纳州, looked up through the app (the activity list's own filter options)
    const probe = await fetch(`${baseURLs[0]}/activities?_data=${encodeURIComponent("routes/activities._index")}`, { headers: { cookie: targets[0]!.cookie } });
    const listData = JSON.stringify(await probe.json());
    unitId = Number(/"id":(\d+),"code":"yn-xsbn"/.exec(listData)?.[1] ?? /"id":(\d+)[^{}]*"name_zh":"西双版纳傣族自治州"/.exec(listData)?.[1]);
    if (!unitId) throw new Error("could not find 西双版纳州 in the activity list's options");

    const cases: Case[] = [
      { key: "trivial", label: "/healthz — the trivial route (database ping, no page)", path: "/healthz" },
      { key: "dashboard", label: "/dashboard (plan-wide charts, every unit)", path: "/dashboard" },
      { key: "list", label: "/activities?unit=西双版纳州&country=LA&q=农业 (filtered list, first page)", path: `/activities?unit=${unitId}&country=LA&q=${encodeURIComponent("农业")}` },
      { key: "plan", label: "/plan (the plan tree with its counts)", path: "/plan" },
    ];
    // warm-up: every route four times; the median of the last three says how many requests fit in a round
    const single = new Map<string, number>();
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i < 4; i++) {
        const started = performance.now();
        const response = await fetch(baseURLs[0]! + c.path, { headers: { cookie: targets[0]!.cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${c.path}: status ${response.status}`);
        if (i > 0) times.push(performance.now() - started);
      }
      single.set(c.key, times.sort((a, b) => a - b)[1]!);
    }
    // Each round of a case sends as many requests as one connection answers in SECONDS on this machine, and at
    // least 3 (one per connection with 10): a page that takes seconds still gets a few samples, a fast one thousands, and no
    // request is left unanswered (cut off) at the end of a round.
    const amountOf = (key: string, connections: number) =>
      Math.max(connections === 1 ? 3 : connections, Math.round(((SECONDS * 1000) / single.get(key)!) * targets.length));

    const results: { connections: number; stats: (Case & { rps: number; p50: number; p95: number; p99: number; requests: number; statuses: string; errors: number })[] }[] = [];
    for (const connections of CONNECTIONS) {
      const tallies = new Map(cases.map((c) => [c.key, { latencies: [], requests: 0, seconds: 0, statuses: new Map(), errors: 0 } as Tally]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of round % 2 ? [...cases].reverse() : cases) {
          process.stdout.write(`  ${connections} connection(s), round ${round + 1}/${ROUNDS}: ${c.path} … `);
          const tally = tallies.get(c.key)!;
          const before = tally.requests;
          await load(targets, c.path, connections, amountOf(c.key, connections), tally);
          console.log(`${tally.requests - before} requests`);
        }
      }
      results.push({
        connections,
        stats: cases.map((c) => {
          const t = tallies.get(c.key)!;
          const sorted = [...t.latencies].sort((a, b) => a - b);
          return {
            ...c,
            requests: t.requests,
            rps: t.requests / t.seconds,
            p50: percentile(sorted, 50),
            p95: percentile(sorted, 95),
            p99: percentile(sorted, 99),
            statuses: [...t.statuses.entries()].map(([s, n]) => `${s}×${n}`).join(" "),
            errors: t.errors,
          };
        }),
      });
    }

    const bad = results.flatMap((r) => r.stats.filter((s) => s.errors > 0 || [...s.statuses.split(" ")].some((x) => !x.startsWith("200×"))));
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
    if (bad.length) throw new Error(`some answers were not 200: ${bad.map((s) => `${s.path}: ${s.statuses} (${s.errors} errors)`).join("; ")}`);

    const cpu = cpus();
    writeResultsSection(
      "http",
      [
        "<!-- http-bench:start -->",
        `## HTTP under load: ${ROWS.toLocaleString("en")} activities, the real server`,
        "",
        `Run ${new Date().toISOString()} by \`npm run bench\` (bench/http.bench.ts; data from bench/generate.ts, seed 20231; autocannon over loopback).`,
        `Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB memory, ${platform()} ${release()}, Node ${process.version}.`,
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
