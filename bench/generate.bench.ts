// Generator benchmark: what bench/generate.ts makes (the plan, the units, the periods, N activities) and how fast
// it inserts them, next to a bare better-sqlite3 insert of exactly the same rows (read back from the generated
// file beforehand: prepared statements, one transaction, the same pragmas) into a twin database, in the same run.
// Writes its section of bench/results/latest.md.
//
//   npm run bench -- generate
//   node --import tsx bench/generate.bench.ts [--rows 100000]
import { mkdirSync } from "node:fs";
import { cpus, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { machineLine, writeResultsSection } from "./results";

const args = process.argv.slice(2);
const rowsArg = args.indexOf("--rows");
const ROWS = Number(rowsArg >= 0 ? args[rowsArg + 1] : 100_000);

process.env.DATABASE_PATH = ":memory:"; // the app's own `db` is never the benchmark's
const { generateDatabase } = await import("./generate");
const SQLite = (await import("better-sqlite3")).default;

const dir = join(tmpdir(), "lmc-bench");
mkdirSync(dir, { recursive: true });
const generatedPath = join(dir, `generate-${ROWS}.db`);
const barePath = join(dir, `generate-bare-${ROWS}.db`);

console.log(`generating ${ROWS.toLocaleString("en")} activities in ${generatedPath} …`);
const generated = await generateDatabase(generatedPath, ROWS);
await generateDatabase(barePath, 0);

// what the generated file holds
const source = new SQLite(generatedPath, { readonly: true });
const one = (sql: string) => Number((source.prepare(sql).get() as { n: number }).n);
const shape = {
  planItems: one("SELECT count(*) n FROM plan_items"),
  loggable: one("SELECT count(*) n FROM plan_items WHERE loggable = 1"),
  units: one("SELECT count(*) n FROM organizations WHERE kind IN ('prefecture', 'county')"),
  unitsUsed: one("SELECT count(DISTINCT organization_id) n FROM activities"),
  periods: one("SELECT count(*) n FROM reporting_periods"),
  firstDay: (source.prepare("SELECT min(start_date) d FROM reporting_periods").get() as { d: string }).d,
  lastDay: (source.prepare("SELECT max(end_date) d FROM reporting_periods").get() as { d: string }).d,
  activities: one("SELECT count(*) n FROM activities"),
  links: one("SELECT count(*) n FROM activity_plan_items"),
  countries: one("SELECT count(*) n FROM activity_countries"),
  evidence: one("SELECT count(*) n FROM activity_evidence"),
  dbMb: one("SELECT page_count * page_size n FROM pragma_page_count(), pragma_page_size()") / 1e6,
};
const activities = source.prepare("SELECT * FROM activities ORDER BY id").raw().all() as unknown[][];
const activityColumns = (source.prepare("SELECT * FROM activities LIMIT 1").columns() as { name: string }[]).map((c) => c.name);
const links = source.prepare("SELECT activity_id, plan_item_id, is_primary FROM activity_plan_items ORDER BY rowid").raw().all() as unknown[][];
const countries = source.prepare("SELECT activity_id, country_code FROM activity_countries ORDER BY rowid").raw().all() as unknown[][];
const evidence = source.prepare("SELECT activity_id, url, label, sort_order FROM activity_evidence ORDER BY rowid").raw().all() as unknown[][];
source.close();
const totalRows = activities.length + links.length + countries.length + evidence.length;

// the bare insert of the same rows
const bare = new SQLite(barePath);
bare.pragma("journal_mode = WAL");
bare.pragma("synchronous = OFF");
const insertActivity = bare.prepare(`INSERT INTO activities (${activityColumns.join(", ")}) VALUES (${activityColumns.map(() => "?").join(", ")})`);
const insertLink = bare.prepare("INSERT INTO activity_plan_items (activity_id, plan_item_id, is_primary) VALUES (?, ?, ?)");
const insertCountry = bare.prepare("INSERT INTO activity_countries (activity_id, country_code) VALUES (?, ?)");
const insertEvidence = bare.prepare("INSERT INTO activity_evidence (activity_id, url, label, sort_order) VALUES (?, ?, ?, ?)");
const t0 = performance.now();
bare.transaction(() => {
  // in the generator's order: each activity, then its links
  let l = 0;
  let c = 0;
  let e = 0;
  for (const row of activities) {
    insertActivity.run(row);
    const id = row[0];
    while (l < links.length && links[l]![0] === id) insertLink.run(links[l++]!);
    while (c < countries.length && countries[c]![0] === id) insertCountry.run(countries[c++]!);
    while (e < evidence.length && evidence[e]![0] === id) insertEvidence.run(evidence[e++]!);
  }
})();
const bareMs = performance.now() - t0;
const bareCount = Number((bare.prepare("SELECT count(*) n FROM activities").get() as { n: number }).n);
bare.close();
if (bareCount !== ROWS) throw new Error(`bare insert: ${bareCount} activities, expected ${ROWS}`);

const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000).toLocaleString("en");
const table = [
  "| path | activities | rows (with links) | time ms | activities/s | × bare insert |",
  "|---|---:|---:|---:|---:|---:|",
  `| bare better-sqlite3 insert of the same rows (prepared statements, one transaction) | ${ROWS.toLocaleString("en")} | ${totalRows.toLocaleString("en")} | ${bareMs.toFixed(0)} | ${rate(ROWS, bareMs)} | 1.0 |`,
  `| generator: drawing the rows (seeded PRNG) and inserting them (bench/generate.ts) | ${ROWS.toLocaleString("en")} | ${totalRows.toLocaleString("en")} | ${generated.insertMs.toFixed(0)} | ${rate(ROWS, generated.insertMs)} | ${(generated.insertMs / bareMs).toFixed(2)} |`,
  `| generator, whole: migrate, seed, generated counties, rows, ANALYZE, checkpoint | ${ROWS.toLocaleString("en")} | ${totalRows.toLocaleString("en")} | ${generated.ms.toFixed(0)} | ${rate(ROWS, generated.ms)} | ${(generated.ms / bareMs).toFixed(2)} |`,
].join("\n");
console.log(`\n${table}\n`);
console.log(shape);

writeResultsSection(
  "generate",
  [
    "<!-- generate-bench:start -->",
    `## Generator: ${ROWS.toLocaleString("en")} activities`,
    "",
    `Run ${new Date().toISOString()} by \`npm run bench\` (bench/generate.bench.ts; bench/generate.ts, seed 20231).`,
    machineLine(),
    "",
    table,
    "",
    `- What it makes: the full plan (${shape.planItems} plan items, ${shape.loggable} of them loggable), ${shape.units} units (the seeded`,
    `  prefectures and counties plus generated counties; ${shape.unitsUsed} of them log activities), ${shape.periods} half-year periods`,
    `  from ${shape.firstDay} to ${shape.lastDay}, ${shape.activities.toLocaleString("en")} activities with ${shape.links.toLocaleString("en")} plan item links, ${shape.countries.toLocaleString("en")} countries and`,
    `  ${shape.evidence.toLocaleString("en")} evidence links; ${shape.dbMb.toFixed(0)} MB on disk.`,
    "- Both inserts run with WAL and synchronous=OFF into a fresh file migrated and seeded alike; the bare insert",
    "  takes the generated rows, read back into memory beforehand, so the difference is the generator's drawing of",
    "  titles, dates and links.",
    "<!-- generate-bench:end -->",
  ].join("\n"),
);
