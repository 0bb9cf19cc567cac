// Dashboard benchmark: with 100,000 and then 1,000,000 generated activities (bench/generate.ts), the latency of the dashboard's
// loaders — the plan-wide /dashboard unfiltered and filtered, and the home page of an official (the same
// presenter) and of a reporter (the unit view) — next to a trivial route measured in the same process, in the
// same run, interleaved with them: the /login loader of a signed-in user (it reads the session and the user and
// redirects), so the ratio says what the aggregates cost beyond a request's fixed price. Each loader is called
// the way Remix calls it: a real Request with the session cookie. Writes its section of bench/results/latest.md.
//
//   npm run bench                         (all benchmarks)
//   node --import tsx bench/dashboard.bench.ts [--rows 100000,1000000] [--runs 30] [--big-runs 10]
//
// With several sizes it prints each loader's p50 at each size and its growth from the smallest to the largest
// (the cost of the aggregates should follow what is shown, not how much is stored). The "↳ part" rows are
// measured at the smallest size only, unless --parts-everywhere.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineLine, writeResultsSection } from "./results";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES = (arg("rows") ?? "100000,1000000").split(",").map(Number);
const RUNS = Number(arg("runs") ?? 30);
/** runs at the larger sizes, where one run of every loader takes longer */
const BIG_RUNS = Number(arg("big-runs") ?? 10);
const PARTS = !args.includes("--no-parts");
/** the ↳ part rows at every size, not only the smallest (where the time goes at a million) */
const PARTS_EVERYWHERE = args.includes("--parts-everywhere");
const WARMUP = 3;

interface Case {
  key: string;
  label: string;
  samples: number[];
  status: number;
}

// ── child: the measurements, on the generated database ─────────────────────────────────────────

async function measure(): Promise<{ cases: Case[]; activities: number; todayInChina: string }> {
  const { db } = await import("../app/utils/db.server");
  const { startSession } = await import("../app/utils/session.server");
  const { todayInChina } = await import("../app/presenters/monitoring.server");
  const dashboard = await import("../app/routes/dashboard");
  const home = await import("../app/routes/_index");
  const login = await import("../app/routes/login");
  const planItem = await import("../app/routes/plan.$code");
  const list = await import("../app/routes/activities._index");

  const cookieOf = async (username: string) => {
    const user = await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
    return (await startSession(user.id)).split(";")[0]!;
  };
  const official = await cookieOf("official");
  const reporter = await cookieOf("xsbn");
  const xsbn = await db.selectFrom("organizations").select("id").where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
  const { n: activities } = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();

  type Loader = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
  const call = async (loader: Loader, path: string, cookie: string, params: Record<string, string> = {}): Promise<number> => {
    const request = new Request(new URL(path, "http://localhost:3000"), { headers: { Cookie: cookie } });
    let response: unknown;
    try {
      response = await loader({ request, params, context: {} });
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      response = thrown;
    }
    if (!(response instanceof Response)) throw new Error(`${path}: not a Response`);
    // the body is read as Remix would send it: serialising the loader's data is part of the cost
    await response.text();
    return response.status;
  };

  // perCall: the case makes that many calls; its samples are divided by it (the time of one)
  const cases: (Omit<Case, "samples" | "status"> & { loader: Loader; path: string; cookie: string; expect: number; params?: Record<string, string>; perCall?: number })[] = [
    { key: "trivial", label: "/login loader, signed in (session + user, redirect) — the trivial route", loader: login.loader as Loader, path: "/login", cookie: official, expect: 302 },
    { key: "dashboard", label: "/dashboard, no filter (the plan period, every unit)", loader: dashboard.loader as Loader, path: "/dashboard", cookie: official, expect: 200 },
    {
      key: "dashboard_filtered",
      label: "/dashboard?period=2025-H1&unit=西双版纳州&country=LA",
      loader: dashboard.loader as Loader,
      path: `/dashboard?period=2025-H1&unit=${xsbn.id}&country=LA`,
      cookie: official,
      expect: 200,
    },
    { key: "home_official", label: "/ as an official (the plan-wide dashboard)", loader: home.loader as Loader, path: "/", cookie: official, expect: 200 },
    { key: "home_reporter", label: "/ as the 西双版纳州 reporter (the unit's home)", loader: home.loader as Loader, path: "/", cookie: reporter, expect: 200 },
    {
      key: "plan_item",
      label: "/plan/5.4 (its activities, and its 5 indicators charted over the periods)",
      loader: planItem.loader as Loader,
      path: "/plan/5.4",
      cookie: official,
      expect: 200,
      params: { code: "5.4" },
    },
    {
      key: "list_filtered",
      label: "/activities?unit=西双版纳州&country=LA&status=completed (first page and its total)",
      loader: list.loader as Loader,
      path: `/activities?unit=${xsbn.id}&country=LA&status=completed`,
      cookie: official,
      expect: 200,
    },
    { key: "list_all", label: "/activities (first page of every activity, and the total)", loader: list.loader as Loader, path: "/activities", cookie: official, expect: 200 },
    // the text search (decision 024): a word of 7% of the rows, one of 75% (counted up to 1,000), one of a single row
    {
      key: "list_search",
      label: "/activities?unit=西双版纳州&country=LA&q=农业 (a search with the unit and country)",
      loader: list.loader as Loader,
      path: `/activities?unit=${xsbn.id}&country=LA&q=${encodeURIComponent("农业")}`,
      cookie: official,
      expect: 200,
    },
    {
      key: "list_search_common",
      label: "/activities?q=合作 (a word in three quarters of the rows, every unit)",
      loader: list.loader as Loader,
      path: `/activities?q=${encodeURIComponent("合作")}`,
      cookie: official,
      expect: 200,
    },
    {
      key: "list_search_rare",
      label: "/activities?q=（12345） (one activity's number, every unit)",
      loader: list.loader as Loader,
      path: `/activities?q=${encodeURIComponent("（12345）")}`,
      cookie: official,
      expect: 200,
    },
  ];
  // where the time goes: the dashboard's two heaviest parts called on their own, with the filtered case's scope
  const presenter = await import("../app/presenters/dashboard.server");
  const { listPeriods } = await import("../app/models/reporting-period.server");
  const xsbnPath = (await db.selectFrom("organizations").select("path").where("id", "=", xsbn.id).executeTakeFirstOrThrow()).path;
  const h1 = (await listPeriods(db)).find((p) => p.code === "2025-H1")!;
  const today = todayInChina();
  const { listIndicatorsWithProgress } = await import("../app/services/indicator-progress.server");
  const reportingUnits = await db.selectFrom("organizations").select("path").where("kind", "in", ["prefecture", "county"]).execute();
  const part = (fn: () => Promise<unknown>): Loader => async () => {
    await fn();
    return new Response("", { status: 200 });
  };
  const { planStanding } = await import("../app/presenters/plan-standing.server");
  const dashboardData = await presenter.loadDashboard(db, new URLSearchParams(), { today, locale: "zh-CN" });
  if (PARTS) cases.push(
    {
      key: "part_unit_charts",
      label: "↳ part: the unit's home charts only (西双版纳州 and the units below it, the plan period)",
      loader: part(() => presenter.activityCharts(db, { organizationPath: xsbnPath, from: "2023-01-01" }, { today, locale: "zh-CN" })),
      path: "/",
      cookie: official,
      expect: 200,
    },
    {
      key: "part_standing",
      label: "↳ part: where the plan stands (the official's home beyond the dashboard: ratings, proposals for unrated items)",
      loader: part(() => planStanding(db, dashboardData)),
      path: "/",
      cookie: official,
      expect: 200,
    },
    {
      key: "part_activity_filtered",
      label: "↳ part: activity charts only (filtered scope; 3 grouped queries)",
      loader: part(() => presenter.activityCharts(db, { from: h1.start_date, to: h1.end_date, organizationPath: xsbnPath, country: "LA" }, { today, locale: "zh-CN" })),
      path: "/",
      cookie: official,
      expect: 200,
    },
    {
      key: "part_indicators_filtered",
      label: "↳ part: indicator chart only (2025-H1, 西双版纳州; the indicators service, one grouped ledger query)",
      loader: part(() => presenter.indicatorChart(db, h1, { organizationPath: xsbnPath })),
      path: "/",
      cookie: official,
      expect: 200,
    },
    {
      key: "part_activity_all",
      label: "↳ part: activity charts only (no filter)",
      loader: part(() => presenter.activityCharts(db, { from: "2023-01-01", to: "2027-12-31" }, { today, locale: "zh-CN", clipToToday: true })),
      path: "/",
      cookie: official,
      expect: 200,
    },
    {
      key: "part_trend",
      label: "↳ part: 5.4's indicator trend only (5 indicators × 8 periods, the ledger read once for all)",
      loader: part(async () => presenter.planItemIndicatorTrend(db, await db.selectFrom("plan_items").select("path").where("code", "=", "5.4").executeTakeFirstOrThrow(), today)),
      path: "/",
      cookie: official,
      expect: 200,
    },
    {
      key: "part_indicators_units",
      label: "↳ part: every indicator's progress (2025-H1) for each reporting unit, one call per unit (per-unit time)",
      loader: part(async () => {
        for (const unit of reportingUnits) await listIndicatorsWithProgress(db, h1, { organizationPath: unit.path });
      }),
      path: "/",
      cookie: official,
      expect: 200,
      perCall: reportingUnits.length,
    },
    {
      key: "part_indicators_all",
      label: "↳ part: indicator chart only (2025-H1, every unit)",
      loader: part(() => presenter.indicatorChart(db, h1, {})),
      path: "/",
      cookie: official,
      expect: 200,
    },
  );
  const results: Case[] = cases.map((c) => ({ key: c.key, label: c.label, samples: [], status: 0 }));
  for (let run = -WARMUP; run < RUNS; run++) {
    // interleaved: every case sees the same state of caches, GC and the machine
    for (const [i, c] of cases.entries()) {
      const started = performance.now();
      const status = await call(c.loader, c.path, c.cookie, c.params);
      const ms = (performance.now() - started) / (c.perCall ?? 1);
      if (status !== c.expect) throw new Error(`${c.path}: status ${status}, expected ${c.expect}`);
      results[i]!.status = status;
      if (run >= 0) results[i]!.samples.push(ms);
    }
  }
  await db.destroy();
  return { cases: results, activities: Number(activities), todayInChina: todayInChina() };
}

// ── parent: generate, measure in a child process, report ───────────────────────────────────────

function percentile(sorted: number[], p: number): number {
  // nearest rank
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

async function main() {
  if (args[0] === "--child") {
    process.stdout.write(`${JSON.stringify(await measure())}\n`);
    return;
  }
  const dir = join(tmpdir(), "lmc-bench");
  mkdirSync(dir, { recursive: true });
  process.env.DATABASE_PATH = ":memory:"; // the parent never opens the benchmark database through the app
  const { generatedLedger } = await import("./generate");
  const runs: { size: number; stats: (Case & { p50: number; p95: number; max: number })[]; activities: number; todayInChina: string; load: string }[] = [];
  for (const [n, size] of SIZES.entries()) {
    // kept between runs and shared with the HTTP benchmark: made again only when the code it comes from changed
    console.log(`the ledger of ${size.toLocaleString("en")} activities …`);
    const generated = await generatedLedger(dir, size);
    const dbPath = generated.path;
    console.log(
      generated.reused
        ? `  reusing ${dbPath} (made by this code)`
        : `  ${generated.activities.toLocaleString("en")} activities over ${generated.units} units and ${generated.planItems} plan items in ${(generated.ms / 1000).toFixed(1)} s (totals rebuilt in ${(generated.totalsMs / 1000).toFixed(1)} s): ${dbPath}`,
    );
    const runCount = n === 0 ? RUNS : BIG_RUNS;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--child", "--runs", String(runCount), ...(PARTS && (n === 0 || PARTS_EVERYWHERE) ? [] : ["--no-parts"])],
      { env: { ...process.env, DATABASE_PATH: dbPath, NODE_ENV: "production" }, encoding: "utf8", maxBuffer: 16 << 20 },
    );
    if (child.status !== 0) {
      console.error(child.stdout, child.stderr);
      throw new Error("the measuring process failed");
    }
    const { cases, activities, todayInChina } = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Awaited<ReturnType<typeof measure>>;
    const stats = cases.map((c) => {
      const sorted = [...c.samples].sort((a, b) => a - b);
      return { ...c, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
    });
    runs.push({ size, stats, activities, todayInChina, load: loadavg().map((l) => l.toFixed(2)).join(" ") });
    console.log(`  measured (${runCount} runs; load average ${runs.at(-1)!.load})`);
  }
  const first = runs[0]!;
  const last = runs.at(-1)!;
  const p50Of = (run: (typeof runs)[number], key: string) => run.stats.find((s) => s.key === key)?.p50;
  const trivial = first.stats.find((s) => s.key === "trivial")!;
  const table = [
    `| loader | ${runs.map((r) => `p50 ms at ${r.size.toLocaleString("en")}`).join(" | ")} | ${runs.length > 1 ? "growth |" : ""} p95 ms at ${first.size.toLocaleString("en")} | p50 × trivial |`,
    `|---|${runs.map(() => "---:").join("|")}|${runs.length > 1 ? "---:|" : ""}---:|---:|`,
    ...first.stats.map((s) => {
      const at = runs.map((r) => p50Of(r, s.key));
      const growth = at[0] !== undefined && at.at(-1) !== undefined ? `${(at.at(-1)! / at[0]).toFixed(1)}× |` : "— |";
      return `| ${s.label} | ${at.map((v) => (v === undefined ? "—" : v.toFixed(1))).join(" | ")} | ${runs.length > 1 ? growth : ""} ${s.p95.toFixed(1)} | ${(s.p50 / trivial.p50).toFixed(1)} |`;
    }),
  ].join("\n");
  console.log(`\n${table}\n`);
  const activities = last.activities;
  const todayInChina = first.todayInChina;

  const section = [
    "<!-- dashboard-bench:start -->",
    `## Dashboard loaders: ${runs.map((r) => r.activities.toLocaleString("en")).join(" and ")} activities`,
    "",
    `Run ${new Date().toISOString()} by \`npm run bench\` (bench/dashboard.bench.ts; data from bench/generate.ts, seed 20231; "today" ${todayInChina}).`,
    machineLine(),
    "",
    table,
    "",
    `- Load average (1, 5, 15 min) after each size: ${runs.map((r) => `${r.size.toLocaleString("en")}: ${r.load}`).join("; ")}.`,
    `- ${RUNS} runs of each loader (${BIG_RUNS} at the larger sizes) after ${WARMUP} warm-up runs, interleaved in one process on one SQLite file (WAL), each`,
    "  called with a real Request carrying a session cookie; the time includes reading the response body.",
    "- The activity charts (totals, by pillar, by priority area, per month, by country) read the running totals",
    "  (activity_totals, app/models/activity-totals.server.ts) for the whole months of their range and count only",
    "  part-months from the activities; a unit's rows hold its whole subtree, so a unit's page reads one unit's rows;",
    "  the list's total too. The indicators (chart, a plan item's trend, the rating proposals) read the totals per",
    "  activity type (activity_type_totals) when they count any item and any country, as every seeded indicator does;",
    "  the proposals' planned-past-their-date count reads planned activities kept by end month (the unit's home too, in",
    "  its own rows), and the proposals read every indicator's progress once. A province's or prefecture's rows hold a",
    "  country and a group together, and each country's other countries (the filtered dashboard). What the totals do",
    "  not hold (a county's groups within one country; an indicator filtered by item or country) is counted from the",
    "  activities. Ratings and the reporting ranking are small queries.",
    "  The rows marked ↳ time those parts alone, to show where a loader's time goes.",
    "- The root loader (user, inbox badge), which Remix runs beside every page, is not included.",
    "- The machine is shared (other processes were running): compare the rows of one run, not runs with each other.",
    "<!-- dashboard-bench:end -->",
  ].join("\n");
  writeResultsSection("dashboard", section);
}

await main();
