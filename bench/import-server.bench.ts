// Big spreadsheets against the built server (issue #18's targets): the real server (build/server.js, npm run build
// first) on a fresh seeded SQLite file, driven over loopback as browsers would.
//   (a) one 50,000-row file made on the app's template: preview ready, whole import (upload → preview → import),
//       server peak RSS, /healthz p99 meanwhile;
//   (b) three such files uploaded at once by three users, previews then imports: /healthz p99, a signed-in user's
//       activity list page p95 during them against its idle p95 measured just before in the same run, peak RSS;
//   (c) a header-less sheet of 50,000 rows × 60 numbers: refused, and how fast;
//   (d) issue #18's 10,000-row target as a user sees it: upload → preview ready → import done over HTTP, for the
//       server's first upload (its worker thread started from build/import-worker.js) and for another file after
//       it, each against a bare better-sqlite3 insert of the same rows (bench/bare-insert.ts) into a fresh twin
//       database, measured in the same run. Run first, on a server and a freshly seeded file of its own.
// Writes its section of bench/results/latest.md.
//
//   npm run bench -- import-server
//   node --import tsx bench/import-server.bench.ts [--rows 50000] [--only-a] [--only-d]
// --only-a runs (a) alone (--only-d (d) alone) and prints it, without writing the results file (to compare one change
// quickly).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { TEMPLATE_HEADERS_ZH, buildHeaderlessNumbers, buildSimpleWorkbook, generatedRows } from "../tests/fixtures/build-fixtures";
import { count, inspect, request, seededDatabase, tempDir } from "../tests/load/fixtures";
import { createDatabase } from "~/utils/db.server";
import { type BareRow, bareInsert, bareRowsOfUpload } from "./bare-insert";
import { machineLine, writeResultsSection } from "./results";
import { signIn, startServer } from "./server";

const args = process.argv.slice(2);
const rowsArg = args.indexOf("--rows");
const ROWS = Number(rowsArg >= 0 ? args[rowsArg + 1] : 50_000);
const ECHO = args.includes("--echo");
const ONLY_A = args.includes("--only-a");
const ONLY_D = args.includes("--only-d");
const TARGETS = { previewMs: 10_000, wholeMs: 20_000, rssOneMb: 350, healthzP99Ms: 250, listRatio: 2, rssThreeMb: 600, headerlessMs: 3_000, smallWholeMs: 2_000, smallRatio: 10 };
/** (d)'s rows: issue #18's "whole import of 10,000 rows ≤ 2 s and ≤ 10× a bare insert". */
const SMALL_ROWS = 10_000;

const temp = tempDir("import-server-bench");
const dbPath = join(temp.dir, "bench.db");
console.log(`preparing a fresh migrated and seeded database in ${temp.dir} …`);
await seededDatabase(dbPath);
// (d) runs on a server and a fresh seeded file of its own (its imports then leave nothing in (a)–(c)'s ledger and
// RSS); its bare inserts go into twins seeded alike
const smallPath = join(temp.dir, "small.db");
const twinPaths = [join(temp.dir, "bare-1.db"), join(temp.dir, "bare-2.db")];
if (!ONLY_A) for (const path of [smallPath, ...twinPaths]) await seededDatabase(path);
// a third reporter of 西双版纳州 (the demo has two reporters), with the demo password
inspect(dbPath, (s) => {
  s.prepare(
    `INSERT INTO users (username, display_name, password_hash, role, organization_id, locale, created_at)
     SELECT 'xsbn_bench', '基准填报员', password_hash, role, organization_id, locale, created_at FROM users WHERE username = 'xsbn'`,
  ).run();
});
const XSBN_UNITS = ["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"];
const fileOf = (seed: string, units: string[]) => buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(ROWS, { units, seed }));

let server = await startServer({ env: { DATABASE_PATH: ONLY_A ? dbPath : smallPath }, echo: ECHO });
let pid = server.child.pid!;
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
let base = server.baseURL;
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
};
const PROBE_TIMEOUT_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples while `work` runs: /healthz every 100 ms, the server's RSS, and optionally a list page read in a loop. */
async function watched<T>(work: () => Promise<T>, listCookie?: string) {
  const healthz: number[] = [];
  const list: number[] = [];
  // a probe not answered within PROBE_TIMEOUT_MS counts as that long, and is counted
  let timeouts = 0;
  const timed = async (ask: () => Promise<unknown>, into: number[]) => {
    const t = performance.now();
    try {
      await ask();
      into.push(performance.now() - t);
    } catch {
      timeouts++;
      into.push(PROBE_TIMEOUT_MS);
    }
    if (ECHO && performance.now() - t > 1000) console.log(`  slow probe: ${(performance.now() - t).toFixed(0)} ms at ${new Date().toISOString()}`);
  };
  let peak = rssMb();
  let running = true;
  const probes = [
    (async () => {
      while (running) {
        await timed(() => fetch(`${base}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then((r) => r.text()), healthz);
        peak = Math.max(peak, rssMb());
        await sleep(100);
      }
    })(),
    (async () => {
      while (running && listCookie) {
        await timed(async () => {
          const page = await request(base, "/activities", listCookie, { timeoutMs: PROBE_TIMEOUT_MS, readBody: false });
          if (page.status !== 200) throw new Error(`the list page answered ${page.status}`);
        }, list);
        await sleep(200);
      }
    })(),
  ];
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - t0, healthz, list, peak, timeouts };
  } finally {
    running = false;
    await Promise.all(probes);
  }
}

async function upload(cookie: string, bytes: Buffer, name: string): Promise<number> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), name);
  const answer = await request(base, "/imports", cookie, { body: form, timeoutMs: 120_000 });
  if (answer.status !== 302) throw new Error(`upload answered ${answer.status}`);
  return Number(/upload=(\d+)/.exec(answer.location ?? "")?.[1]);
}

/** Polls the upload's page until its preview is shown ("ready") or it is refused/failed. */
async function settled(cookie: string, id: number): Promise<"ready" | "refused"> {
  for (;;) {
    const page = await request(base, `/imports?upload=${id}`, cookie);
    if (page.body.includes('id="preview-title"')) return "ready";
    // a refused or failed upload's page says why in a section of its own (a running one's has its state)
    if (page.body.includes('<section aria-labelledby="job-title">')) return "refused";
    await sleep(100);
  }
}

async function runImport(cookie: string, id: number): Promise<void> {
  const answer = await request(base, "/imports", cookie, { body: new URLSearchParams({ upload_id: String(id), mode: "all" }), timeoutMs: 600_000 });
  if (answer.status !== 302) throw new Error(`import answered ${answer.status}: ${answer.body.slice(0, 300)}`);
}

let livePath = ONLY_A ? dbPath : smallPath;
const live = () => count(livePath, "SELECT COUNT(*) AS n FROM activities WHERE deleted_at IS NULL");

try {
  // ── (d) 10,000 rows, as a user sees it ─────────────────────────────────────────────────────────────────────
  const small: { label: string; previewMs: number; wholeMs: number; bareMs: number }[] = [];
  const xsbnSmall = ONLY_A ? "" : await signIn(base, "xsbn");
  for (const [n, label] of ONLY_A ? [] : ([[0, "first upload (the server's worker thread starting)"], [1, "another file after it"]] as const)) {
    const bytes = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(SMALL_ROWS, { units: XSBN_UNITS, seed: `万行${n}${Date.now()}` }));
    const beforeSmall = live();
    const t0 = performance.now();
    const id = await upload(xsbnSmall, bytes, `万行${n}.xlsx`);
    if ((await settled(xsbnSmall, id)) !== "ready") throw new Error("the 10,000-row file was refused");
    const t1 = performance.now();
    await runImport(xsbnSmall, id);
    const t2 = performance.now();
    if (live() - beforeSmall !== SMALL_ROWS) throw new Error(`expected ${SMALL_ROWS} new activities, found ${live() - beforeSmall}`);
    // the same rows, as the upload resolved them, written bare into a twin seeded alike
    const reader = createDatabase(smallPath);
    let rows: BareRow[];
    let userId: number;
    try {
      rows = await bareRowsOfUpload(reader, id);
      userId = (await reader.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow()).id;
    } finally {
      await reader.destroy();
    }
    const bareMs = bareInsert(twinPaths[n]!, rows, userId);
    small.push({ label, previewMs: t1 - t0, wholeMs: t2 - t0, bareMs });
    console.log(`(d) ${label}: preview ${(t1 - t0).toFixed(0)} ms, whole ${(t2 - t0).toFixed(0)} ms, bare insert ${bareMs.toFixed(0)} ms, ${((t2 - t0) / bareMs).toFixed(1)}×`);
  }
  if (ONLY_D) {
    console.log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min)`);
    await server.stop();
    temp.remove();
    process.exit(0);
  }
  if (!ONLY_A) {
    await server.stop();
    server = await startServer({ env: { DATABASE_PATH: dbPath }, echo: ECHO });
    pid = server.child.pid!;
    base = server.baseURL;
    livePath = dbPath;
  }
  const xsbn = await signIn(base, "xsbn");
  const official = await signIn(base, "official");

  // ── (a) one file ──────────────────────────────────────────────────────────────────────────────────────────
  const fileA = await fileOf(`单份${Date.now()}`, XSBN_UNITS);
  console.log(`  ${ROWS.toLocaleString("en")} rows in a ${(fileA.length / 1e6).toFixed(2)} MB xlsx`);
  const before = live();
  let previewMs = 0;
  const one = await watched(async () => {
    const t0 = performance.now();
    const id = await upload(xsbn, fileA, "单份.xlsx");
    if ((await settled(xsbn, id)) !== "ready") throw new Error("the file was refused");
    previewMs = performance.now() - t0;
    await runImport(xsbn, id);
  });
  if (live() - before !== ROWS) throw new Error(`expected ${ROWS} new activities, found ${live() - before}`);
  console.log(`(a) preview ${previewMs.toFixed(0)} ms, whole ${one.ms.toFixed(0)} ms, peak RSS ${one.peak.toFixed(0)} MB, /healthz p99 ${pct(one.healthz, 0.99).toFixed(0)} ms`);
  if (ONLY_A) {
    console.log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min)`);
    await server.stop();
    temp.remove();
    process.exit(0);
  }

  // ── (b) three at once ─────────────────────────────────────────────────────────────────────────────────────
  const users = ["xsbn", "kunming", "xsbn_bench"] as const;
  const cookies = await Promise.all(users.map((u) => signIn(base, u)));
  const seed = Date.now();
  const files = [
    await fileOf(`三份甲${seed}`, XSBN_UNITS),
    await fileOf(`三份乙${seed}`, ["昆明市"]),
    await fileOf(`三份丙${seed}`, XSBN_UNITS),
  ];
  // the list page alone, just before (and after a warm-up read)
  await request(base, "/activities", official);
  const idle = await watched(() => sleep(8_000), official);
  const beforeThree = live();
  let previewsMs = 0;
  const three = await watched(async () => {
    const t0 = performance.now();
    const ids = await Promise.all(files.map((f, i) => upload(cookies[i]!, f, `三份${i}.xlsx`)));
    console.log(`  uploaded in ${(performance.now() - t0).toFixed(0)} ms`);
    const states = await Promise.all(ids.map((id, i) => settled(cookies[i]!, id)));
    if (states.some((s) => s !== "ready")) throw new Error(`a file was refused: ${states.join(", ")}`);
    previewsMs = performance.now() - t0;
    console.log(`  previews ready in ${previewsMs.toFixed(0)} ms`);
    // the three imports asked at once: one at a time goes in, the others wait for the import lock
    await Promise.all(ids.map((id, i) => runImport(cookies[i]!, id)));
  }, official);
  if (live() - beforeThree !== 3 * ROWS) throw new Error(`expected ${3 * ROWS} new activities, found ${live() - beforeThree}`);
  const idleP95 = pct(idle.list, 0.95);
  const busyP95 = pct(three.list, 0.95);
  console.log(`(b) previews ${previewsMs.toFixed(0)} ms, all ${three.ms.toFixed(0)} ms, /healthz p99 ${pct(three.healthz, 0.99).toFixed(0)} ms, list p95 ${busyP95.toFixed(0)} vs idle ${idleP95.toFixed(0)} ms, peak RSS ${three.peak.toFixed(0)} MB`);

  // ── (c) the header-less sheet ─────────────────────────────────────────────────────────────────────────────
  const headerless = buildHeaderlessNumbers(50_000, 60);
  const refused = await watched(async () => {
    const id = await upload(xsbn, headerless, "无表头.xlsx");
    return settled(xsbn, id);
  });
  if (refused.value !== "refused") throw new Error("the header-less sheet was not refused");
  console.log(`(c) refused in ${refused.ms.toFixed(0)} ms`);

  // ── report ────────────────────────────────────────────────────────────────────────────────────────────────
  const ok = (value: number, target: number) => (value <= target ? "✓" : "✗");
  const hz = (w: { healthz: number[]; timeouts: number }) =>
    `${pct(w.healthz, 0.99).toFixed(0)} (max ${Math.max(...w.healthz).toFixed(0)}, ${w.healthz.length} probes${w.timeouts ? `, ${w.timeouts} unanswered in ${PROBE_TIMEOUT_MS / 1000} s` : ""})`;
  const table = [
    "| measure | value | target | |",
    "|---|---:|---:|:-:|",
    `| (a) one file: preview ready, ms | ${previewMs.toFixed(0)} | ≤ ${TARGETS.previewMs} | ${ok(previewMs, TARGETS.previewMs)} |`,
    `| (a) one file: whole import (upload → preview → import), ms | ${one.ms.toFixed(0)} | ≤ ${TARGETS.wholeMs} | ${ok(one.ms, TARGETS.wholeMs)} |`,
    `| (a) one file: server peak RSS, MB | ${one.peak.toFixed(0)} | ≤ ${TARGETS.rssOneMb} | ${ok(one.peak, TARGETS.rssOneMb)} |`,
    `| (a) one file: /healthz p99, ms | ${hz(one)} | ≤ ${TARGETS.healthzP99Ms} | ${ok(pct(one.healthz, 0.99), TARGETS.healthzP99Ms)} |`,
    `| (b) three at once: /healthz p99, ms | ${hz(three)} | ≤ ${TARGETS.healthzP99Ms} | ${ok(pct(three.healthz, 0.99), TARGETS.healthzP99Ms)} |`,
    `| (b) three at once: list page p95 ÷ its idle p95 (${busyP95.toFixed(0)} ms ÷ ${idleP95.toFixed(0)} ms, ${three.list.length} and ${idle.list.length} reads) | ${(busyP95 / idleP95).toFixed(2)}× | ≤ ${TARGETS.listRatio}× | ${ok(busyP95 / idleP95, TARGETS.listRatio)} |`,
    `| (b) three at once: server peak RSS, MB | ${three.peak.toFixed(0)} | ≤ ${TARGETS.rssThreeMb} | ${ok(three.peak, TARGETS.rssThreeMb)} |`,
    `| (c) header-less 50,000 × 60 sheet (${(headerless.length / 1e6).toFixed(1)} MB) refused, ms | ${refused.ms.toFixed(0)} | ≤ ${TARGETS.headerlessMs} | ${ok(refused.ms, TARGETS.headerlessMs)} |`,
    ...small.flatMap((d) => [
      `| (d) ${SMALL_ROWS.toLocaleString("en")} rows, ${d.label}: whole import (upload → preview ready ${d.previewMs.toFixed(0)} ms → import done), ms | ${d.wholeMs.toFixed(0)} | ≤ ${TARGETS.smallWholeMs} | ${ok(d.wholeMs, TARGETS.smallWholeMs)} |`,
      `| (d) the same ÷ a bare better-sqlite3 insert of its rows (${d.bareMs.toFixed(0)} ms, same run) | ${(d.wholeMs / d.bareMs).toFixed(1)}× | ≤ ${TARGETS.smallRatio}× | ${ok(d.wholeMs / d.bareMs, TARGETS.smallRatio)} |`,
    ]),
  ].join("\n");
  console.log(`\n${table}\n`);
  writeResultsSection(
    "import-server",
    [
      "<!-- import-server-bench:start -->",
      `## Big spreadsheets against the built server: ${ROWS.toLocaleString("en")}-row files`,
      "",
      `Run ${new Date().toISOString()} by \`npm run bench\` (bench/import-server.bench.ts; rows from tests/fixtures/build-fixtures.ts).`,
      machineLine(),
      "",
      table,
      "",
      `- build/server.js with its defaults (IMPORT_WORKERS ${process.env.IMPORT_WORKERS ?? "default"}, IMPORT_WORKER_HEAP_MB ${process.env.IMPORT_WORKER_HEAP_MB ?? "default"}) on a fresh seeded SQLite file; the files are ${(fileA.length / 1e6).toFixed(1)} MB xlsx on the template's 17 columns.`,
      "- (b): the three uploads are sent at once, their previews awaited, then the three imports asked at once (one goes in at a time,",
      `  under the import lock): ${(previewsMs / 1000).toFixed(1)} s to the three previews, ${(three.ms / 1000).toFixed(1)} s in all. The list page (signed in as \`official\`, every 200 ms)`,
      "  is compared with the same reads just before the uploads, in the same run.",
      "- /healthz is asked every 100 ms throughout; RSS is the server process's (its worker threads included), sampled with it.",
      `- (d) runs first, on a server and a fresh seeded file of its own (stopped before (a)): each ${SMALL_ROWS.toLocaleString("en")}-row file (the template's columns, over 西双版纳州 and its counties) uploaded, its page polled every 100 ms until the preview shows, then imported (mode \`all\`); the bare insert (bench/bare-insert.ts: prepared statements, one transaction, the activities and their links, no history, totals or search index) writes the same rows, as the upload resolved them, into a twin database seeded alike.`,
      `- The machine is shared: the load average when the run ended was ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min).`,
      "<!-- import-server-bench:end -->",
    ].join("\n"),
  );
} finally {
  await server.stop();
  temp.remove();
}
