// The HTTP benchmarks' measuring, shared by bench/http.bench.ts (one server on SQLite) and bench/http-pg.bench.ts
// (two instances on PostgreSQL next to one on SQLite): sign in on every server, warm every route up, then the
// same cases (the dashboard, a filtered activity list and the plan tree, each next to /healthz of the same
// server) in interleaved rounds with autocannon over loopback, first one connection, then 10.
//
// A setup is a named list of base URLs serving the same data (one server, or several instances behind no load
// balancer): the connections of a case are split between one autocannon instance per URL. Several setups are
// measured in the same rounds, one after the other per case, so they see the same machine.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import { ROOT, signIn } from "./server";

export interface HttpSetup {
  name: string;
  baseURLs: string[];
}

export interface HttpCase {
  key: "trivial" | "dashboard" | "list" | "plan";
  label: string;
  path: string;
}

export interface CaseStats extends HttpCase {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** e.g. "200×1884" */
  statuses: string;
  errors: number;
}

export interface HttpMeasureOptions {
  /** each round of a case sends about as many requests as one connection answers in this many seconds */
  seconds: number;
  rounds: number;
  connections: number[];
  /** who signs in on every server (a demo user) */
  user: string;
}

/** Per setup (by name), per connection count (in the order given): the stats of every case, /healthz first. */
export type HttpResults = Map<string, { connections: number; stats: CaseStats[] }[]>;

interface Tally {
  latencies: number[];
  requests: number;
  seconds: number;
  statuses: Map<number, number>;
  errors: number;
}

interface Target {
  baseURL: string;
  cookie: string;
}

/**
 * Builds the app (`npm run build`) before measuring: the HTTP benchmarks serve build/index.js, and a build older
 * than the sources would measure code that no longer exists (it once made /plan look twice as slow as it was).
 */
export function ensureBuild(): void {
  console.log("building the app (`npm run build`) so the server runs the current code …");
  const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("`npm run build` failed; the HTTP benchmark needs the built app");
}

/**
 * The HTTP benchmarks' options: `--rows N[,M…] --seconds S --rounds R`, and BENCH_USER (who signs in). SIZES are
 * the ledger sizes measured one after the other (ROWS the first: what a benchmark of one size uses).
 */
export function httpBenchOptions() {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (arg("rows") ?? "100000,1000000").split(",").map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error("--rows takes positive whole numbers, comma-separated");
  return {
    SIZES: sizes,
    ROWS: sizes[0]!,
    SECONDS: Number(arg("seconds") ?? 5),
    ROUNDS: Number(arg("rounds") ?? 2),
    CONNECTIONS: [1, 10],
    USER: process.env.BENCH_USER ?? "official",
  };
}

export { machineLine } from "./results";

/**
 * Sends `amount` requests over `connections` connections to every target at once (connections and requests split
 * between them), then waits until the servers are idle again: autocannon stops at its last answer, and requests
 * a server is still working on must not slow down the next case. The time counted is from the start to the last
 * answer: autocannon notices it is done only at its next sample tick (every `sampleInt` ms), which would add up to
 * a tick of idle time to every round.
 */
async function load(targets: Target[], path: string, connections: number, amount: number, tally: Tally) {
  const share = (i: number) => Math.floor(connections / targets.length) + (i < connections % targets.length ? 1 : 0);
  const started = performance.now();
  let last = started;
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
                sampleInt: 100,
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
              last = performance.now();
              tally.latencies.push(responseTime);
              tally.requests++;
              tally.statuses.set(statusCode, (tally.statuses.get(statusCode) ?? 0) + 1);
            });
          }),
      ),
  );
  tally.seconds += (last - started) / 1000;
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

/** The measured routes on a server; the unit to filter by (西双版纳州) is looked up through the app's own list filter options. */
async function casesOf(target: Target): Promise<HttpCase[]> {
  const probe = await fetch(`${target.baseURL}/activities?_data=${encodeURIComponent("routes/activities._index")}`, { headers: { cookie: target.cookie } });
  const listData = JSON.stringify(await probe.json());
  const unitId = Number(/"id":(\d+),"code":"yn-xsbn"/.exec(listData)?.[1] ?? /"id":(\d+)[^{}]*"name_zh":"西双版纳傣族自治州"/.exec(listData)?.[1]);
  if (!unitId) throw new Error(`could not find 西双版纳州 in the activity list's options on ${target.baseURL}`);
  return [
    { key: "trivial", label: "/healthz — the trivial route (database ping, no page)", path: "/healthz" },
    { key: "dashboard", label: "/dashboard (plan-wide charts, every unit)", path: "/dashboard" },
    { key: "list", label: "/activities?unit=西双版纳州&country=LA&q=农业 (filtered list, first page)", path: `/activities?unit=${unitId}&country=LA&q=${encodeURIComponent("农业")}` },
    { key: "plan", label: "/plan (the plan tree with its counts)", path: "/plan" },
  ];
}

/**
 * Measures every case on every setup. Rounds alternate the order of the cases (and of the setups), so no case or
 * setup always runs right after a heavy one. Throws when any answer was not a 200 (after printing the tables).
 */
export async function measureHttp(setups: HttpSetup[], options: HttpMeasureOptions): Promise<HttpResults> {
  const prepared: { setup: HttpSetup; targets: Target[]; cases: HttpCase[]; single: Map<string, number> }[] = [];
  for (const setup of setups) {
    const targets = await Promise.all(setup.baseURLs.map(async (baseURL) => ({ baseURL, cookie: await signIn(baseURL, options.user) })));
    const cases = await casesOf(targets[0]!);
    // warm-up: every route four times on every server; the median of the last three on the first says how long
    // one request takes, and so how many fit in a round
    const single = new Map<string, number>();
    for (const c of cases) {
      for (const [t, target] of targets.entries()) {
        const times: number[] = [];
        for (let i = 0; i < 4; i++) {
          const started = performance.now();
          const response = await fetch(target.baseURL + c.path, { headers: { cookie: target.cookie } });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${setup.name}: ${target.baseURL}${c.path}: status ${response.status}`);
          if (i > 0) times.push(performance.now() - started);
        }
        if (t === 0) single.set(c.key, times.sort((a, b) => a - b)[1]!);
      }
    }
    prepared.push({ setup, targets, cases, single });
  }

  // Each round of a case sends as many requests as the connections in use answer in `seconds` one at a time
  // (one connection: one server busy; more: every server), and at least 3 (one per connection with 10): a page
  // that takes seconds still gets a few samples, a fast one thousands, and no request is cut off at a round's end.
  const amountOf = (p: (typeof prepared)[number], key: string, connections: number) =>
    Math.max(connections === 1 ? 3 : connections, Math.round(((options.seconds * 1000) / p.single.get(key)!) * Math.min(connections, p.targets.length)));

  const results: HttpResults = new Map(setups.map((s) => [s.name, []]));
  for (const connections of options.connections) {
    const tallies = new Map(prepared.map((p) => [p.setup.name, new Map(p.cases.map((c) => [c.key, { latencies: [], requests: 0, seconds: 0, statuses: new Map(), errors: 0 } as Tally]))]));
    for (let round = 0; round < options.rounds; round++) {
      const caseOrder = round % 2 ? [3, 2, 1, 0] : [0, 1, 2, 3];
      const setupOrder = round % 2 ? [...prepared].reverse() : prepared;
      for (const index of caseOrder) {
        for (const p of setupOrder) {
          const c = p.cases[index]!;
          const tally = tallies.get(p.setup.name)!.get(c.key)!;
          process.stdout.write(`  ${setups.length > 1 ? `${p.setup.name}, ` : ""}${connections} connection(s), round ${round + 1}/${options.rounds}: ${c.path} … `);
          const before = tally.requests;
          await load(p.targets, c.path, connections, amountOf(p, c.key, connections), tally);
          console.log(`${tally.requests - before} requests`);
        }
      }
    }
    for (const p of prepared) {
      results.get(p.setup.name)!.push({
        connections,
        stats: p.cases.map((c) => {
          const t = tallies.get(p.setup.name)!.get(c.key)!;
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
  }
  return results;
}

/** The cases of any setup that saw an error or an answer other than 200, described; empty when all were fine. */
export function failures(results: HttpResults): string[] {
  return [...results.entries()].flatMap(([name, byConnections]) =>
    byConnections.flatMap((r) =>
      r.stats
        .filter((s) => s.errors > 0 || s.statuses.split(" ").some((x) => !x.startsWith("200×")))
        .map((s) => `${name}, ${r.connections} connection(s), ${s.path}: ${s.statuses} (${s.errors} errors)`),
    ),
  );
}
