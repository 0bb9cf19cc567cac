// Import benchmark: 10,000 spreadsheet rows through the real path — upload → preview (file checks, streaming read,
// normalising every value, the form's and the database's rules, the upload stored) → import (re-checked, staged in
// short transactions, made live in one last short step with a history entry per activity) — against a bare
// better-sqlite3 insert of the same rows (prepared statements, one transaction, the activities and their plan item,
// country and evidence links, no history), on twin databases in the same run. While the import runs, another
// writer opens a small write transaction every 20 ms: how long it waits is how long the import blocks everyone
// else. Writes its section of bench/results/latest.md.
//
//   npm run bench                     (all benchmarks)
//   node --import tsx bench/import.bench.ts [--rows 10000]
import {mkdirSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { machineLine, writeResultsSection } from "./results";

const args = process.argv.slice(2);
const rowsArg = args.indexOf("--rows");
const ROWS = Number(rowsArg >= 0 ? args[rowsArg + 1] : 10_000);

// The app's own `db` is never the benchmark's: both databases are opened explicitly below.
process.env.DATABASE_PATH = ":memory:";
process.env.NODE_ENV ??= "production";

const { generateDatabase } = await import("./generate");
const { createDatabase } = await import("../app/utils/db.server");
const { getUserById } = await import("../app/models/user.server");
const { importUpload, enqueueUpload } = await import("../app/services/activity-import/workflow.server");
const { importJobsIdle } = await import("../app/services/activity-import/jobs.server");
const { readSpreadsheet } = await import("../app/services/activity-import/sheet.server");
const { bareInsert, bareRowsOfUpload } = await import("./bare-insert");
const { TEMPLATE_HEADERS_ZH, buildHeaderlessNumbers, buildSimpleWorkbook, generatedRows } = await import("../tests/fixtures/build-fixtures");

const dir = join(tmpdir(), "lmc-bench");
mkdirSync(dir, { recursive: true });
const realPath = join(dir, `import-${ROWS}.db`);
const barePath = join(dir, `import-bare-${ROWS}.db`);
console.log(`preparing two fresh migrated and seeded databases in ${dir} …`);
await generateDatabase(realPath, 0);
await generateDatabase(barePath, 0);

// The spreadsheet: the template's columns, every row valid, spread over 西双版纳州 and its three counties.
const units = ["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"];
const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(ROWS, { units, seed: "基准" }));
console.log(`  ${ROWS.toLocaleString("en")} rows in a ${(file.length / 1e6).toFixed(2)} MB xlsx`);

// ── the real path ──────────────────────────────────────────────────────────────────────────────────────────
const db = createDatabase(realPath);
const userRow = await db.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow();
const user = (await getUserById(db, userRow.id))!;
const before = Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

const t0 = performance.now();
// the preview: the job read and checked in a worker thread, its rows stored
const uploaded = { id: await enqueueUpload(db, user, { name: "bench.xlsx", bytes: file }) };
await importJobsIdle(db);
const t1 = performance.now();
const job = await db.selectFrom("activity_imports").select(["state", "refusal_json"]).where("id", "=", uploaded.id).executeTakeFirstOrThrow();
if (job.state !== "ready") throw new Error(`upload refused: ${job.refusal_json}`);
// Another writer beside the import: a small write transaction every 20 ms (on SQLite, the one connection and the
// write lock are what a save waits for), timed from asking to done.
const waits: number[] = [];
let probing = true;
// and how late the event loop answers anything (a request, a timer) while the import runs
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const probe = (async () => {
  while (probing) {
    const asked = performance.now();
    await db.transaction().execute((trx) => trx.selectFrom("import_locks").select("name").execute());
    waits.push(performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
})();
const imported = await importUpload(db, user, uploaded.id, "all");
const t2 = performance.now();
probing = false;
loopDelay.disable();
await probe;
if (imported.status !== "ok") throw new Error(`import failed: ${imported.status}`);
const after = Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
if (after - before !== ROWS || imported.result.created !== ROWS) throw new Error(`expected ${ROWS} new activities, got ${after - before}`);

// The same again with another file of the same size, the process and its worker thread now warm: what a running
// server does after its first upload. The first one above also paid for starting the worker (through tsx here; the
// built server loads build/import-worker.js) and for compiling the code on first use.
const fileAgain = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(ROWS, { units, seed: "基准二" }));
const w0 = performance.now();
const uploadedAgain = { id: await enqueueUpload(db, user, { name: "bench-2.xlsx", bytes: fileAgain }) };
await importJobsIdle(db);
const w1 = performance.now();
const importedAgain = await importUpload(db, user, uploadedAgain.id, "all");
const w2 = performance.now();
if (importedAgain.status !== "ok" || importedAgain.result.created !== ROWS) throw new Error(`the second import failed: ${JSON.stringify(importedAgain)}`);

// Reading alone (checks + streaming read + header), measured afterwards on the warm process: part of the preview above.
const t3 = performance.now();
const read = await readSpreadsheet(file);
const t4 = performance.now();
if (!read.ok || read.sheet.rows.length !== ROWS) throw new Error("read-back failed");

// Peak memory of the path above, before the header-less sheet below is built in this process.
const maxRssMb = process.resourceUsage().maxRSS / 1024;

// A sheet of 50,000 rows × 60 numbers and no header (issue #18: refused in ≤ 3 s): the reader stops after the
// header search window, whatever lies below it.
const headerless = buildHeaderlessNumbers(50_000, 60);
const h0 = performance.now();
const refused = await readSpreadsheet(headerless);
const h1 = performance.now();
if (refused.ok || refused.refusal.key !== "imports.refused.no_header") throw new Error("the header-less sheet was not refused");

// ── the bare insert of the same rows (bench/bare-insert.ts, the same yardstick as import-server.bench.ts's) ──────
const bareRows = await bareRowsOfUpload(db, uploaded.id);
await db.destroy();
const bare = bareInsert(barePath, bareRows, user.id);

// ── the price of keeping the totals ──────────────────────────────────────────────────────────────────────
// The same import, and single saves of the form (a create, then an edit moving its date, status and figures), on
// twin fresh databases: once keeping the running totals as the app does, once with the benchmark's switch off
// (totalsKeeping, app/models/activity-totals.server.ts). Rounds alternate which import goes first. The saves then
// alternate between the two open twins in short batches, so that a burst of another process's work on a shared
// machine weighs on both alike; medians of the batches are reported.
const { totalsKeeping } = await import("../app/models/activity-totals.server");
const { createActivity, updateActivity } = await import("../app/models/activity.server");
const ROUNDS = 3;
/** save batches per round and twin, alternating between the twins, and create + edit pairs per batch */
const BATCHES = 20;
const PAIRS = 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cost = { kept: { importMs: [] as number[], saveMs: [] as number[] }, off: { importMs: [] as number[], saveMs: [] as number[] } };
type Twin = { db: ReturnType<typeof createDatabase>; user: NonNullable<Awaited<ReturnType<typeof getUserById>>>; item: number; saved: number };
for (let round = 0; round < ROUNDS; round++) {
  const twins = {} as Record<"kept" | "off", Twin>;
  try {
    for (const variant of round % 2 === 0 ? (["kept", "off"] as const) : (["off", "kept"] as const)) {
      const path = join(dir, `import-totals-${variant}-${ROWS}.db`);
      await generateDatabase(path, 0);
      const twin = createDatabase(path);
      // the import pool is the instance's, made for the first database it is given (the app has one); each twin
      // gets its own for its import, the other's being idle by then
      (globalThis as { __lmcImportPool?: unknown }).__lmcImportPool = undefined;
      const twinUser = (await getUserById(twin, (await twin.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow()).id))!;
      const item = await twin.selectFrom("plan_items").select("id").where("code", "=", "4.1.1").executeTakeFirstOrThrow();
      twins[variant] = { db: twin, user: twinUser, item: item.id, saved: 0 };
      totalsKeeping.enabled = variant === "kept";
      try {
        const staged = { id: await enqueueUpload(twin, twinUser, { name: "bench.xlsx", bytes: file }) };
        await importJobsIdle(twin);
        const i0 = performance.now();
        const done = await importUpload(twin, twinUser, staged.id, "all");
        cost[variant].importMs.push(performance.now() - i0);
        if (done.status !== "ok") throw new Error(`import failed: ${done.status}`);
      } finally {
        totalsKeeping.enabled = true;
      }
    }
    const input = (twin: Twin, n: number) => ({
      organizationId: twin.user.organization_id,
      title: `单条保存 ${n}`,
      type: n % 2 ? "outbound_visit" : "training",
      startDate: `2025-0${1 + (n % 9)}-1${n % 10}`,
      endDate: `2025-0${1 + (n % 9)}-1${n % 10}`,
      status: n % 3 ? "completed" : "planned",
      primaryPlanItemId: twin.item,
      otherPlanItemIds: [],
      countries: n % 2 ? ["LA", "TH"] : ["VN"],
      counterpartBody: "",
      location: "",
      delegationsCount: 1 + (n % 4),
      participantsCount: 5 + n,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
    });
    for (let batch = 0; batch < BATCHES; batch++) {
      for (const variant of batch % 2 === 0 ? (["kept", "off"] as const) : (["off", "kept"] as const)) {
        const twin = twins[variant];
        totalsKeeping.enabled = variant === "kept";
        try {
          const s0 = performance.now();
          for (let p = 0; p < PAIRS; p++) {
            const n = twin.saved++;
            const id = await createActivity(twin.db, input(twin, n), twin.user.id);
            await updateActivity(twin.db, id, 1, input(twin, n + 1), twin.user.id);
          }
          cost[variant].saveMs.push((performance.now() - s0) / (2 * PAIRS));
        } finally {
          totalsKeeping.enabled = true;
        }
      }
    }
  } finally {
    for (const twin of Object.values(twins)) await twin.db.destroy();
  }
}
const importRatio = median(cost.kept.importMs) / median(cost.off.importMs);
const saveRatio = median(cost.kept.saveMs) / median(cost.off.saveMs);
const costTable = [
  "| write | with the totals kept, ms | without, ms | ratio |",
  "|---|---:|---:|---:|",
  `| import of ${ROWS.toLocaleString("en")} rows (the write transaction) | ${median(cost.kept.importMs).toFixed(0)} | ${median(cost.off.importMs).toFixed(0)} | ${importRatio.toFixed(2)}× |`,
  `| one form save (median of ${ROUNDS} × ${BATCHES} batches per twin, alternating, each the mean of ${PAIRS} creates and ${PAIRS} edits) | ${median(cost.kept.saveMs).toFixed(2)} | ${median(cost.off.saveMs).toFixed(2)} | ${saveRatio.toFixed(2)}× |`,
].join("\n");
console.log(`\n${costTable}\n`);

// ── report ─────────────────────────────────────────────────────────────────────────────────────────────────
waits.sort((a, b) => a - b);
const longestWait = waits.at(-1) ?? 0;
const p99Wait = waits[Math.min(waits.length - 1, Math.floor(waits.length * 0.99))] ?? 0;
const rate = (ms: number) => Math.round((ROWS / ms) * 1000).toLocaleString("en");
const line = (label: string, ms: number) =>
  `| ${label} | ${ROWS.toLocaleString("en")} | ${ms.toFixed(0)} | ${rate(ms)} | ${(ms / bare).toFixed(1)} |`;
const table = [
  "| path | rows | time ms | rows/s | × bare insert |",
  "|---|---:|---:|---:|---:|",
  line("bare better-sqlite3 insert (prepared statements, one transaction, links, no history)", bare),
  line("cold (first upload: the worker thread started through tsx from source, code compiled on first use): upload → preview (file checks, streaming read, normalise, form and database rules, store)", t1 - t0),
  line("  of which reading the file (checks + streaming read + header), measured warm", t4 - t3),
  line("cold: import (re-check, stage in short transactions, last step: live at once with totals and history)", t2 - t1),
  line("**cold: whole import: upload → preview → import** (not the server's case: see import-server.bench.ts (d))", t2 - t0),
  line("warm (another such file, the process and its worker warm, as a server after its first upload): upload → preview", w1 - w0),
  line("warm: import of it", w2 - w1),
  line("**warm: whole import: upload → preview → import** (in-process; the built server over HTTP is import-server.bench.ts (d))", w2 - w0),
].join("\n");
console.log(`\n${table}\n`);
const headerlessLine = `- A header-less sheet of 50,000 rows × 60 numbers (${(headerless.length / 1e6).toFixed(1)} MB) is refused (找不到表头) in ${(h1 - h0).toFixed(0)} ms, ${((h1 - h0) / 3000).toFixed(2)}× the 3 s target, after reading ${refused.read.rows} rows.`;
console.log(headerlessLine);
const loopMax = loopDelay.max / 1e6;
const waitLine = `another writer's transactions during the import: ${waits.length}, waited at most ${longestWait.toFixed(0)} ms (p99 ${p99Wait.toFixed(0)} ms); the event loop answered at most ${loopMax.toFixed(0)} ms late (p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms)`;
console.log(`  ${waitLine}`);
console.log(`  peak RSS ${maxRssMb.toFixed(0)} MB`);

const section = [
  "<!-- import-bench:start -->",
  `## Import: ${ROWS.toLocaleString("en")} spreadsheet rows`,
  "",
  `Run ${new Date().toISOString()} by \`npm run bench\` (bench/import.bench.ts; rows from tests/fixtures/build-fixtures.ts).`,
  machineLine(),
  "",
  table,
  "",
  `- Beside it, ${waitLine}: the longest any other save waits behind the import (its longest step, usually the last).`,
  `- The figure, in-process: cold (the first upload, its worker thread started through tsx from source — the built server loads build/import-worker.js instead) the whole import of ${ROWS.toLocaleString("en")} rows takes ${((t2 - t0) / 1000).toFixed(1)} s (${rate(t2 - t0)} rows/s), ${((t2 - t0) / bare).toFixed(1)}× a bare insert of the same rows; the write alone is ${((t2 - t1) / bare).toFixed(1)}×. Warm, another such file takes ${((w2 - w0) / 1000).toFixed(1)} s, ${((w2 - w0) / bare).toFixed(1)}× (the aim: at most 2 s and 10×). What a user sees — the built server over HTTP, upload → preview ready → import done — is import-server.bench.ts's case (d), with its own bare insert in the same run.`,
  `- The xlsx is ${(file.length / 1e6).toFixed(2)} MB (the template's 17 columns, rows over 西双版纳州 and its three counties); peak RSS of the process ${maxRssMb.toFixed(0)} MB.`,
  headerlessLine,
  "- Both databases are fresh files, migrated and seeded alike (WAL, synchronous=NORMAL). The bare insert starts from",
  "  values already resolved (unit ids, plan item ids, country codes, fen); the import resolves them from the text.",
  "- The import checks every row twice (at preview, and again at import against the current database: units, plan",
  "  items, approved periods, rows already present), stages its rows a chunk per short transaction, and makes them",
  "  live in one last short transaction that checks again what others changed meanwhile and writes the history.",
  `- The machine is shared: the load average when the run ended was ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min);`,
  "  compare the ratios (measured in the same run), not the times, with runs on an idle machine.",
  "",
  "### The price of keeping the running totals",
  "",
  costTable,
  "",
  `- Import ${importRatio.toFixed(2)}×, single save ${saveRatio.toFixed(2)}× (the aim: at most 1.3×). Twin fresh databases per round, ${ROUNDS} rounds alternating`,
  "  which import goes first, then the saves alternating between the two open twins in short batches (a burst of other",
  "  work on the machine weighs on both alike); \"without\" runs the same code with the benchmark's switch (totalsKeeping) off, so the",
  "  difference is keepTotals/addTotalsOf: a read of plan_shape_version (the cached plan index holds while it is",
  "  unchanged), what the totals count of the written activities (a create and an edit take it from what they wrote",
  "  and what the edit read for its history) and one upsert statement per totals table for every key touched (its",
  "  prepared statement kept on SQLite), nothing when an edit changes nothing the totals count.",
  "<!-- import-bench:end -->",
].join("\n");
writeResultsSection("import", section);
