// Import benchmark: 10,000 spreadsheet rows through the real path — upload → preview (file checks, exceljs read,
// normalising every value, the form's and the database's rules, the upload stored) → import (re-checked and
// written in one transaction with a history entry per activity) — against a bare better-sqlite3 insert of the
// same rows (prepared statements, one transaction, the activities and their plan item, country and evidence
// links, no history), on twin databases in the same run. Writes its section of bench/results/latest.md.
//
//   npm run bench                     (all benchmarks)
//   node --import tsx bench/import.bench.ts [--rows 10000]
import {mkdirSync } from "node:fs";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { writeResultsSection } from "./results";

const args = process.argv.slice(2);
const rowsArg = args.indexOf("--rows");
const ROWS = Number(rowsArg >= 0 ? args[rowsArg + 1] : 10_000);

// The app's own `db` is never the benchmark's: both databases are opened explicitly below.
process.env.DATABASE_PATH = ":memory:";
process.env.NODE_ENV ??= "production";

const { generateDatabase } = await import("./generate");
const { createDatabase } = await import("../app/utils/db.server");
const { getUserById } = await import("../app/models/user.server");
const { importUpload, enqueueUpload, uploadRows } = await import("../app/services/activity-import/workflow.server");
const { importJobsIdle } = await import("../app/services/activity-import/jobs.server");
const { readSpreadsheet } = await import("../app/services/activity-import/sheet.server");
const { getUploadOf } = await import("../app/models/activity-import.server");
const { wanTextToFen } = await import("../app/utils/money");
const { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } = await import("../tests/fixtures/build-fixtures");
const SQLite = (await import("better-sqlite3")).default;

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
const imported = await importUpload(db, user, uploaded.id, "all");
const t2 = performance.now();
if (imported.status !== "ok") throw new Error(`import failed: ${imported.status}`);
const after = Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
if (after - before !== ROWS || imported.result.created !== ROWS) throw new Error(`expected ${ROWS} new activities, got ${after - before}`);

// Reading alone (checks + exceljs + header), measured afterwards on the warm process: part of the preview above.
const t3 = performance.now();
const read = await readSpreadsheet(file);
const t4 = performance.now();
if (!read.ok || read.sheet.rows.length !== ROWS) throw new Error("read-back failed");

// ── the bare insert of the same rows ──────────────────────────────────────────────────────────────────────
const upload = (await getUploadOf(db, user.id, uploaded.id))!;
const planIds = new Map((await db.selectFrom("plan_items").select(["id", "code"]).execute()).map((p) => [p.code, p.id]));
const prepared = (await uploadRows(db, upload.id)).map((r) => {
  const v = r.values as Record<string, string & string[]>;
  return {
    activity: [
      Number(v.organization_id), v.title.trim(), v.type, v.start_date, v.end_date, v.status, v.counterpart_body.trim(),
      v.location.trim(), v.delegations_count ? Number(v.delegations_count) : null,
      v.participants_count ? Number(v.participants_count) : null, v.funding_wan ? wanTextToFen(v.funding_wan) : null,
      v.funding_source.trim(), v.outcome.trim(),
    ],
    items: [planIds.get(v.primary_plan_item)!, ...(v.plan_items as string[]).map((c) => planIds.get(c)!)],
    countries: v.countries as string[],
    evidence: v.evidence_url as string[],
  };
});
await db.destroy();

const sqlite = new SQLite(barePath);
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = NORMAL");
sqlite.pragma("foreign_keys = ON");
const insertActivity = sqlite.prepare(
  `INSERT INTO activities (organization_id, title, type, start_date, end_date, status, counterpart_body, location,
     delegations_count, participants_count, funding_cny_fen, funding_source, outcome, version, created_by, updated_by,
     created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
);
const insertLink = sqlite.prepare("INSERT INTO activity_plan_items (activity_id, plan_item_id, is_primary) VALUES (?, ?, ?)");
const insertCountry = sqlite.prepare("INSERT INTO activity_countries (activity_id, country_code) VALUES (?, ?)");
const insertEvidence = sqlite.prepare("INSERT INTO activity_evidence (activity_id, url, label, sort_order) VALUES (?, ?, ?, ?)");
const b0 = performance.now();
sqlite.transaction(() => {
  const now = new Date().toISOString();
  for (const row of prepared) {
    const id = Number(insertActivity.run(...row.activity, user.id, user.id, now, now).lastInsertRowid);
    row.items.forEach((item, i) => insertLink.run(id, item, i === 0 ? 1 : 0));
    for (const code of row.countries) insertCountry.run(id, code);
    row.evidence.forEach((url, i) => insertEvidence.run(id, url, "", i));
  }
})();
const b1 = performance.now();
sqlite.close();

// ── report ─────────────────────────────────────────────────────────────────────────────────────────────────
const bare = b1 - b0;
const rate = (ms: number) => Math.round((ROWS / ms) * 1000).toLocaleString("en");
const line = (label: string, ms: number) =>
  `| ${label} | ${ROWS.toLocaleString("en")} | ${ms.toFixed(0)} | ${rate(ms)} | ${(ms / bare).toFixed(1)} |`;
const table = [
  "| path | rows | time ms | rows/s | × bare insert |",
  "|---|---:|---:|---:|---:|",
  line("bare better-sqlite3 insert (prepared statements, one transaction, links, no history)", bare),
  line("upload → preview (file checks, exceljs read, normalise, form and database rules, store)", t1 - t0),
  line("  of which reading the file (checks + exceljs + header), measured warm", t4 - t3),
  line("import (re-check in the transaction, write activities, links and history)", t2 - t1),
  line("**whole import: upload → preview → import**", t2 - t0),
].join("\n");
console.log(`\n${table}\n`);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`  peak RSS ${maxRssMb.toFixed(0)} MB`);

const cpu = cpus();
const section = [
  "<!-- import-bench:start -->",
  `## Import: ${ROWS.toLocaleString("en")} spreadsheet rows`,
  "",
  `Run ${new Date().toISOString()} by \`npm run bench\` (bench/import.bench.ts; rows from tests/fixtures/build-fixtures.ts).`,
  `Machine: ${cpu[0]?.model.split(" ").slice(0, 2).join(" ") ?? "?"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB memory, ${platform()} ${release()}, Node ${process.version}.`,
  "",
  table,
  "",
  `- The figure: the whole import of ${ROWS.toLocaleString("en")} rows takes ${((t2 - t0) / 1000).toFixed(1)} s (${rate(t2 - t0)} rows/s), ${((t2 - t0) / bare).toFixed(1)}× a bare insert of the same rows; the write alone is ${((t2 - t1) / bare).toFixed(1)}×.`,
  `- The xlsx is ${(file.length / 1e6).toFixed(2)} MB (the template's 17 columns, rows over 西双版纳州 and its three counties); peak RSS of the process ${maxRssMb.toFixed(0)} MB.`,
  "- Both databases are fresh files, migrated and seeded alike (WAL, synchronous=NORMAL). The bare insert starts from",
  "  values already resolved (unit ids, plan item ids, country codes, fen); the import resolves them from the text.",
  "- The import checks every row twice (at preview, and again inside the write transaction against the current",
  "  database: units, plan items, approved periods, rows already present) and writes a history entry per activity.",
  "<!-- import-bench:end -->",
].join("\n");
writeResultsSection("import", section);
