// Issue 18: a server started with a 256 MB heap (--max-old-space-size=256, and IMPORT_WORKER_HEAP_MB=256 for the
// worker that reads the file) previews and imports a 50,000-row ledger made on the app's template, and every row
// is then in the ledger: the import step streams the upload's rows instead of holding them all. Real HTTP against
// build/server.js (npm run build first).
import { afterAll, beforeAll, expect, test } from "vitest";
import { formatNumber } from "~/i18n/format";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";
import { type RunningServer, count, request, seededDatabase, signIn, startServer, tempDir } from "./fixtures";

const ROWS = 50_000;
const temp = tempDir("import-small-heap");
const dbPath = `${temp.dir}/import.db`;
let server: RunningServer;

beforeAll(async () => {
  await seededDatabase(dbPath);
  server = await startServer({ env: { DATABASE_PATH: dbPath, NODE_OPTIONS: "--max-old-space-size=256", IMPORT_WORKER_HEAP_MB: "256" } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  temp.remove();
});

test("a server with a 256 MB heap previews and imports 50,000 rows, all of them into the ledger", async () => {
  const seed = `小堆${Date.now()}`;
  const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(ROWS, { units: ["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"], seed }));
  const cookie = await signIn(server.baseURL, "xsbn");
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file)]), "五万行.xlsx");
  const uploaded = await request(server.baseURL, "/imports", cookie, { body: form, timeoutMs: 60_000 });
  expect(uploaded.status).toBe(302);
  const id = Number(/upload=(\d+)/.exec(uploaded.location ?? "")?.[1]);

  // the preview: every row ready to go in
  const until = Date.now() + 300_000;
  let page = await request(server.baseURL, `/imports?upload=${id}`, cookie);
  while (!page.body.includes('id="preview-title"')) {
    // a refused or failed upload's page says why in a section of its own
    expect(page.body, "the upload should not fail").not.toContain('<section aria-labelledby="job-title">');
    if (Date.now() > until) throw new Error("the preview was not ready in 5 minutes");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    page = await request(server.baseURL, `/imports?upload=${id}`, cookie);
  }

  const imported = await request(server.baseURL, "/imports", cookie, { body: new URLSearchParams({ upload_id: String(id), mode: "all" }), timeoutMs: 300_000 });
  expect(imported.status, imported.body.slice(0, 500)).toBe(302);

  // in the ledger, live, each with its history entry; and the list says so
  expect(count(dbPath, "SELECT COUNT(*) AS n FROM activities WHERE title LIKE ? AND deleted_at IS NULL AND import_pending IS NULL", `${seed}%`)).toBe(ROWS);
  expect(count(dbPath, "SELECT COUNT(*) AS n FROM activities WHERE import_pending IS NOT NULL")).toBe(0);
  expect(count(dbPath, "SELECT COUNT(*) AS n FROM audit_log a JOIN activities x ON x.id = a.entity_id WHERE a.entity_type = 'activity' AND a.action = 'activity.import' AND x.title LIKE ?", `${seed}%`)).toBe(ROWS);
  const live = count(dbPath, "SELECT COUNT(*) AS n FROM activities WHERE deleted_at IS NULL");
  const list = await request(server.baseURL, "/activities", cookie);
  expect(list.status).toBe(200);
  expect(list.body).toContain(`共 ${formatNumber(live, "zh-CN")} 项`);
  expect(server.output()).not.toMatch(/heap out of memory|FATAL ERROR/i);
}, 900_000);
