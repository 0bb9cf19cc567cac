// A spreadsheet upload is a job: the request answers at once with the upload's page, a worker thread reads and
// checks the file (queued with its place, then reading, then checking N of about M rows), and the preview's rows
// are a table the page pages and filters by SQL. A job whose instance stopped, or whose worker crashed, fails with
// a translated reason; the next upload still works.
process.env.IMPORT_WORKERS = "1";

import { beforeAll, describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import * as failedRoute from "~/routes/imports.$id.failed[.]xlsx";
import { translator } from "~/i18n/translator.server";
import { importMessageText } from "~/schemas/activity-import";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { BASE, call, jsonOf, sessionCookieFor } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";

const zh = translator("zh-CN");
const en = translator("en");

async function postFile(username: string, bytes: Buffer, name = "台账.xlsx"): Promise<number> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name));
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: await sessionCookieFor(username) }, body: form });
  const response = (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  expect(response.status).toBe(302);
  return Number(/^\/imports\?upload=(\d+)$/.exec(response.headers.get("Location") ?? "")![1]);
}

async function page(username: string, query: string) {
  const response = await call(importsRoute.loader, `/imports${query}`, { cookie: await sessionCookieFor(username) });
  return { status: response.status, data: await jsonOf(response) };
}

/**
 * 250 rows: every 10th one names a plan item that does not exist (an error), every 25th is a copy of the row before
 * (repeated) — where both fall on one row, the copy: 20 errors, 10 repeated, 220 ready.
 */
function mixedRows() {
  const rows = generatedRows(250, { unit: "西双版纳傣族自治州", seed: `作业${Date.now()}` });
  const itemAt = TEMPLATE_HEADERS_ZH.indexOf("主要对应条款");
  rows.forEach((row, i) => {
    if (i % 10 === 9) row[itemAt] = "9.9.9";
  });
  for (let i = 24; i < rows.length; i += 25) rows[i] = [...rows[i - 1]!];
  return rows;
}

describe("an upload's job", () => {
  let file: Buffer;
  beforeAll(async () => {
    file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, mixedRows());
  });

  it("answers at once, shows its state while it runs, then the preview: counted by outcome, paged and filtered", async () => {
    const first = await postFile("xsbn", file);
    const second = await postFile("xsbn", file, "第二份.xlsx");
    // one worker here: the second file waits its turn, and its page says where it stands
    const waiting = await page("xsbn", `?upload=${second}`);
    expect(waiting.status).toBe(200);
    expect(waiting.data.preview).toBeNull();
    expect(waiting.data.job).toMatchObject({ id: second, state: "queued", fileName: "第二份.xlsx" });
    expect(waiting.data.job.position).toBeGreaterThanOrEqual(1);
    expect(zh("imports.job.queued", { position: waiting.data.job.position })).toContain("排队");
    // no list of failed rows before the rows are checked: not an empty workbook
    const early = await call(failedRoute.loader, `/imports/${second}/failed.xlsx`, { cookie: await sessionCookieFor("xsbn"), params: { id: String(second) } });
    expect(early.status).toBe(404);
    const running = await page("xsbn", `?upload=${first}`);
    expect(["queued", "reading", "checking"]).toContain(running.data.job.state);
    // the list of recent uploads finds both, with their state
    const list = await page("xsbn", "");
    expect(list.data.recent.map((u: { id: number }) => u.id)).toEqual(expect.arrayContaining([first, second]));

    await importJobsIdle(db);
    const all = await page("xsbn", `?upload=${first}&view=all`);
    expect(all.data.job.state).toBe("ready");
    expect(all.data.preview.counts).toMatchObject({ total: 250, error: 20, repeated: 10, ready: 220 });
    expect(all.data.preview.rows.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    const third = await page("xsbn", `?upload=${first}&view=all&page=3`);
    expect(third.data.preview.rows.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: 50 }, (_, i) => i + 202));

    const errors = await page("xsbn", `?upload=${first}&view=errors`);
    expect(errors.data.preview.listedTotal).toBe(20);
    expect(errors.data.preview.rows.every((r: { outcome: string; errors: unknown[] }) => r.outcome === "error" && r.errors.length > 0)).toBe(true);
    expect(errors.data.preview.rows[0].row).toBe(11);
    const warnings = await page("xsbn", `?upload=${first}&view=warnings`);
    expect(warnings.data.preview.rows.map((r: { row: number }) => r.row).slice(0, 2)).toEqual([26, 51]);
    expect(warnings.data.preview.rows.every((r: { errors: unknown[]; warnings: unknown[] }) => r.errors.length === 0 && r.warnings.length > 0)).toBe(true);

    // the import reads the rows from the table and marks what it wrote
    const before = Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const imported = await call(importsRoute.action, "/imports", { cookie: await sessionCookieFor("xsbn"), form: { upload_id: String(first), mode: "valid" } });
    expect(imported.status).toBe(302);
    const after = Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    expect(after - before).toBe(220);
    const done = await page("xsbn", `?upload=${first}&view=all`);
    expect(done.data.job.state).toBe("imported");
    expect(done.data.preview.counts).toMatchObject({ imported: 220, error: 20, repeated: 10 });
    // the second upload of the same file, previewed before: its import checks again and finds every row present
    const again = await call(importsRoute.action, "/imports", { cookie: await sessionCookieFor("xsbn"), form: { upload_id: String(second), mode: "valid" } });
    expect(again.status).toBe(302);
    const second_ = await page("xsbn", `?upload=${second}&view=all`);
    expect(second_.data.preview.upload.result).toEqual({ created: 0, present: 230, repeated: 0, skippedErrors: 20 });
    expect(second_.data.preview.counts).toMatchObject({ ready: 0, imported: 0, present: 230, error: 20 });
  }, 90_000);

  it("is the uploader's only: another user's look at it is a 404, as is a made-up id", async () => {
    const id = await postFile("xsbn", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(3, { seed: `他人${Date.now()}` })));
    await importJobsIdle(db);
    expect((await page("kunming", `?upload=${id}`)).status).toBe(404);
    expect((await page("xsbn", `?upload=999999`)).status).toBe(404);
  });

  it("cannot be imported before its rows are checked", async () => {
    await postFile("xsbn", file);
    const id = await postFile("xsbn", file);
    const response = await call(importsRoute.action, "/imports", { cookie: await sessionCookieFor("xsbn"), form: { upload_id: String(id), mode: "valid" } });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error.key).toBe("imports.job.not_ready");
    await importJobsIdle(db);
  }, 60_000);

  it("left unfinished by an instance that stopped is failed with a translated reason when next looked at", async () => {
    const user = await db.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow();
    const long = new Date(Date.now() - 10 * 60_000).toISOString();
    const { id } = await db
      .insertInto("activity_imports")
      .values({
        user_id: user.id,
        file_name: "重启前.xlsx",
        file_sha256: "0".repeat(64),
        file_size_bytes: 10,
        file_bytes: Buffer.from("0123456789"),
        sheet_name: "",
        header_row: 0,
        headers_json: "{}",
        notes_json: "[]",
        row_count: 0,
        status: "previewed",
        state: "reading",
        rows_read: 0,
        created_at: long,
        queued_at: long,
        heartbeat_at: long,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const list = await page("xsbn", "");
    expect(list.data.recent.find((u: { id: number }) => u.id === id)).toMatchObject({ state: "failed" });
    const job = (await page("xsbn", `?upload=${id}`)).data.job;
    expect(job.refusal).toEqual({ key: "imports.job.interrupted" });
    expect(importMessageText(zh, "zh-CN", job.refusal)).toContain("重新上传");
    expect(importMessageText(en, "en", job.refusal)).toContain("upload the file again");
    const stored = await db.selectFrom("activity_imports").select("file_bytes").where("id", "=", id).executeTakeFirstOrThrow();
    expect(stored.file_bytes).toBeNull();
  });
});

describe("a worker that runs out of memory", () => {
  it("fails its own job with a translated reason, and the next upload gets a new worker", async () => {
    const big = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(20_000, { seed: `内存${Date.now()}` }));
    await importJobsIdle(db);
    process.env.IMPORT_WORKER_HEAP_MB = "16";
    // the idle workers started with a larger heap are used first: run small jobs until one starts afresh
    const pool = (globalThis as { __lmcImportPool?: { spare: unknown[] } }).__lmcImportPool;
    pool?.spare.splice(0);
    const id = await postFile("xsbn", big, "太大.xlsx");
    await importJobsIdle(db);
    delete process.env.IMPORT_WORKER_HEAP_MB;
    const job = (await page("xsbn", `?upload=${id}`)).data.job;
    expect(job.state).toBe("failed");
    expect(["imports.job.too_big", "imports.job.failed"]).toContain(job.refusal.key);
    expect(importMessageText(zh, "zh-CN", job.refusal)).not.toMatch(/imports\./);

    const next = await postFile("xsbn", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(3, { seed: `之后${Date.now()}` })));
    await importJobsIdle(db);
    expect((await page("xsbn", `?upload=${next}`)).data.job.state).toBe("ready");
  }, 180_000);
});
