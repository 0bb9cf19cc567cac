// Duplicate finder benchmark: with 100,000 generated activities (bench/generate.ts), the time to find every likely
// duplicate pair (app/domain/duplicates.ts through app/services/duplicates.server.ts: read the candidate rows,
// key their counterpart bodies, sweep each type × body in date order, drop dismissed pairs) next to a plain scan of
// the same rows in the same process and run (the same query, each row touched once), and the reviewer's page
// data (the finder plus one page of pairs; the route adds only the session check). Aim: the finder within 3× the scan. Writes its section of
// bench/results/latest.md.
//
//   npm run bench duplicates
//   node --import tsx bench/duplicates.bench.ts [--rows 100000] [--runs 10]
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
const ROWS = Number(arg("rows") ?? 100_000);
const RUNS = Number(arg("runs") ?? 10);
const WARMUP = 2;

interface Case {
  key: string;
  label: string;
  samples: number[];
}

async function measure() {
  const { db } = await import("../app/utils/db.server");
  const { listDuplicatePairs, loadDuplicatesPage } = await import("../app/services/duplicates.server");

  let rowsRead = 0;
  let pairsFound = 0;
  const cases: { key: string; label: string; run: () => Promise<void> }[] = [
    {
      key: "scan",
      label: "plain scan: the same candidate rows read (live, not cancelled, with a counterpart), each touched once",
      run: async () => {
        const rows = await db
          .selectFrom("activities")
          .select(["id", "organization_id", "type", "start_date", "end_date", "counterpart_body"])
          .where("deleted_at", "is", null)
          .where("status", "<>", "cancelled")
          .where("counterpart_body", "<>", "")
          .execute();
        let chars = 0;
        for (const r of rows) chars += r.counterpart_body.length + r.type.length;
        if (chars === 0) throw new Error("nothing scanned");
        rowsRead = rows.length;
      },
    },
    {
      key: "finder",
      label: "duplicate finder: every likely pair (listDuplicatePairs)",
      run: async () => {
        pairsFound = (await listDuplicatePairs(db)).pairs.length;
      },
    },
    {
      key: "page",
      label: "the reviewer's page data (loadDuplicatesPage: the finder + one page of 20 pairs with their activities)",
      run: async () => {
        const page = await loadDuplicatesPage(db, 1);
        if (page.total !== pairsFound) throw new Error("the page counts other pairs than the finder");
      },
    },
  ];
  const results: Case[] = cases.map((c) => ({ key: c.key, label: c.label, samples: [] }));
  for (let run = -WARMUP; run < RUNS; run++) {
    for (const [i, c] of cases.entries()) {
      const started = performance.now();
      await c.run();
      if (run >= 0) results[i]!.samples.push(performance.now() - started);
    }
  }
  const { n } = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  await db.destroy();
  return { cases: results, activities: Number(n), rowsRead, pairsFound };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  if (args[0] === "--child") {
    process.stdout.write(`${JSON.stringify(await measure())}\n`);
    return;
  }
  const dir = join(tmpdir(), "lmc-bench");
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, `duplicates-${ROWS}.db`);
  process.env.DATABASE_PATH = ":memory:";
  const { generateDatabase } = await import("./generate");
  console.log(`generating ${ROWS.toLocaleString("en")} activities in ${dbPath} …`);
  await generateDatabase(dbPath, ROWS);
  const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", "--runs", String(RUNS)], {
    env: { ...process.env, DATABASE_PATH: dbPath, NODE_ENV: "production" },
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  if (child.status !== 0) {
    console.error(child.stdout, child.stderr);
    throw new Error("the measuring process failed");
  }
  const { cases, activities, rowsRead, pairsFound } = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Awaited<ReturnType<typeof measure>>;
  const scan = median(cases.find((c) => c.key === "scan")!.samples);
  const finder = median(cases.find((c) => c.key === "finder")!.samples);
  const table = [
    "| case | median ms | min ms | max ms | × scan |",
    "|---|---:|---:|---:|---:|",
    ...cases.map((c) => {
      const m = median(c.samples);
      return `| ${c.label} | ${m.toFixed(1)} | ${Math.min(...c.samples).toFixed(1)} | ${Math.max(...c.samples).toFixed(1)} | ${(m / scan).toFixed(2)} |`;
    }),
  ].join("\n");
  console.log(`\n${table}\n`);
  writeResultsSection(
    "duplicates",
    [
      "<!-- duplicates-bench:start -->",
      `## Duplicate finder: ${activities.toLocaleString("en")} activities`,
      "",
      `Run ${new Date().toISOString()} by \`npm run bench\` (bench/duplicates.bench.ts; data from bench/generate.ts, seed 20231).`,
      machineLine(),
      "",
      table,
      "",
      `- The finder is ${(finder / scan).toFixed(2)}× the plain scan of the same ${rowsRead.toLocaleString("en")} rows (aim: within 3×); it found ${pairsFound.toLocaleString("en")} likely pairs.`,
      "  The generated ledger names one of a few dozen places' foreign-affairs offices as the counterpart of every activity,",
      "  so many activities of one type share a body and dates: far more pairs than a real ledger holds, which makes this",
      "  the finder's hard case (its work is the rows plus the pairs it finds).",
      `- ${RUNS} runs of each case after ${WARMUP} warm-up runs, interleaved in one process on one SQLite file; medians.`,
      `  Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (a busy machine stretches every row alike: compare the ratios).`,
      "<!-- duplicates-bench:end -->",
    ].join("\n"),
  );
}

await main();
