// A big import never holds the database for long, and stays all or nothing: its rows are staged in short
// transactions nobody else sees, then made live at once (docs/decisions/022-imports-staged-in-short-transactions.md).
// While 20,000 rows are imported, another user saves an activity and reads the list; the save is done before the
// import's last step, and the list shows nothing of the import until it all appears. A failure in the last chunk
// leaves nothing staged and no total changed; rows a dead import left are removed by the next one.
// Runs on SQLite (npx vitest run tests/integration/import-staging.test.ts) and on PostgreSQL
// (tests/pg/with-postgres.sh npx vitest run --config vitest.pg.config.ts tests/integration/import-staging.test.ts).
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import * as newActivity from "~/routes/activities.new";
import * as detail from "~/routes/activities.$id._index";
import * as list from "~/routes/activities._index";
import * as trash from "~/routes/trash";
import { stageActivities } from "~/models/activity-batch.server";
import { verifyTotals } from "~/models/activity-totals.server";
import { IMPORT_LOCK_STALE_MS } from "~/models/import-lock.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { onPostgres } from "~/utils/sql-dialect.server";
import { BASE, call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";

const UNITS = ["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"];

async function upload(bytes: Buffer): Promise<number> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], "台账.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: await sessionCookieFor("xsbn") }, body: form });
  const response = (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  expect(response.status, "the upload should redirect to its preview").toBe(302);
  // the upload answers at once; its worker thread reads and checks the file meanwhile
  await importJobsIdle(db);
  return Number(/^\/imports\?upload=(\d+)$/.exec(response.headers.get("Location") ?? "")![1]);
}

async function runImport(id: number, mode: "all" | "valid" = "all") {
  return call(importsRoute.action, "/imports", { cookie: await sessionCookieFor("xsbn"), form: { upload_id: String(id), mode } });
}

const count = async (table: "activities" | "audit_log" | "counterparts" | "activity_plan_items" | "activity_countries" | "activity_evidence" | "activity_counterparts" | "import_locks") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

const stagedCount = async () =>
  Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).where("import_pending", "is not", null).executeTakeFirstOrThrow()).n);

const totals = () => db.selectFrom("activity_totals").selectAll().orderBy(["organization_id", "country", "grp", "status", "month"]).execute();

async function listTotal(cookie: string): Promise<number> {
  const response = await call(list.loader, "/activities", { cookie });
  expect(response.status).toBe(200);
  return (await jsonOf(response)).result.total;
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("a big import beside other people's work", () => {
  it("lets another user save and read while 20,000 rows are imported, shows none of them until the end, then all at once", async () => {
    const ROWS = 20_000;
    const id = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(ROWS, { units: UNITS, seed: "两万行" })));
    const official = await sessionCookieFor("official");
    const kunming = await sessionCookieFor("kunming");
    const xsbn = await sessionCookieFor("xsbn");
    const listedBefore = await listTotal(official);
    const auditBefore = await count("audit_log");

    let importDone = false;
    const importing = runImport(id).finally(() => (importDone = true));
    await waitFor(async () => importDone || (await stagedCount()) > 0, "the import to stage its first rows");
    expect(importDone, "the import should still be running when the other user saves").toBe(false);

    // Another user saves an activity and reads pages while the import stages its rows.
    const saved = await call(newActivity.action, "/activities/new", {
      cookie: kunming,
      form: await validActivityForm("yn-km", { title: "昆明市赴老挝万象市开展友城交流（导入期间保存）" }),
    });
    expect(saved.status, await saved.clone().text()).toBe(302);
    const savedId = Number(saved.headers.get("Location")!.match(/\/activities\/(\d+)/)![1]);
    const savedWhileImporting = !importDone;
    expect(await listTotal(official), "the list shows the new save and nothing of the import").toBe(listedBefore + 1);
    const stagedNow = await db.selectFrom("activities").select("id").where("import_pending", "is not", null).limit(1).executeTakeFirst();
    const importStillRunning = !importDone;
    if (stagedNow) {
      // a staged row is not in the recycle bin, and its page is not found
      expect((await call(detail.loader, `/activities/${stagedNow.id}`, { cookie: xsbn, params: { id: String(stagedNow.id) } })).status).toBe(404);
    }
    const bin = JSON.stringify(await jsonOf(await call(trash.loader, "/trash", { cookie: xsbn })));
    expect(bin).not.toContain("两万行活动");

    const response = await importing;
    expect(response.status).toBe(302);
    expect(savedWhileImporting && importStillRunning, "the save and the list read were answered while the import ran").toBe(true);

    // Everything at once: every row live, with one moment of creation, a history entry each, the totals exact.
    expect(await stagedCount()).toBe(0);
    expect(await listTotal(official)).toBe(listedBefore + 1 + ROWS);
    const imported = await db
      .selectFrom("activities")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.min("created_at").as("first"), eb.fn.max("created_at").as("last"), eb.fn.min("id").as("minId"), eb.fn.max("id").as("maxId")])
      .where("title", "like", "两万行活动%")
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(imported.n)).toBe(ROWS);
    expect(imported.first).toBe(imported.last);
    // The save went in between the import's rows (it committed while they were being staged) …
    expect(savedId).toBeGreaterThan(Number(imported.minId));
    expect(savedId).toBeLessThan(Number(imported.maxId));
    // … and so did its history entry, among the import's (written as the rows were staged, shown only when live):
    // one entry for each imported activity, and one for the save.
    const savedAudit = await db.selectFrom("audit_log").select("id").where("entity_type", "=", "activity").where("entity_id", "=", savedId).where("action", "=", "activity.create").executeTakeFirstOrThrow();
    const importAudit = await db.selectFrom("audit_log").select((eb) => [eb.fn.min("id").as("first"), eb.fn.max("id").as("last"), eb.fn.countAll<number>().as("n"), eb.fn.count("entity_id").distinct().as("activities")]).where("action", "=", "activity.import").where("entity_id", ">=", Number(imported.minId)).where("entity_id", "<=", Number(imported.maxId)).executeTakeFirstOrThrow();
    expect(Number(importAudit.n)).toBe(ROWS);
    expect(Number(importAudit.activities)).toBe(ROWS);
    expect(savedAudit.id).toBeGreaterThan(Number(importAudit.first));
    expect(savedAudit.id).toBeLessThan(Number(importAudit.last));
    expect(await count("audit_log")).toBe(auditBefore + 1 + ROWS);
    expect(await verifyTotals(db)).toEqual([]);
    expect(await count("import_locks")).toBe(0);
  }, 600_000);

  it("removes every staged row when the last chunk fails, and changes no total, no count and no register", async () => {
    const rows = generatedRows(2_500, { units: UNITS, seed: "末块失败" });
    rows[2_400]![0] = "末块中触发失败的一行";
    // a body the register does not know: registered only when the import goes in
    rows[10]![8] = "老挝丰沙里省新设合作办公室";
    const id = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows));
    if (onPostgres(db)) {
      await sql`CREATE FUNCTION fail_last_chunk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$`.execute(db);
      await sql`CREATE TRIGGER fail_last_chunk BEFORE INSERT ON activities FOR EACH ROW WHEN (NEW.title = '末块中触发失败的一行') EXECUTE FUNCTION fail_last_chunk()`.execute(db);
    } else {
      await sql`CREATE TRIGGER fail_last_chunk BEFORE INSERT ON activities WHEN NEW.title = '末块中触发失败的一行' BEGIN SELECT RAISE(ABORT, 'forced failure'); END`.execute(db);
    }
    const tables = ["activities", "audit_log", "counterparts", "activity_plan_items", "activity_countries", "activity_evidence", "activity_counterparts"] as const;
    const snapshot = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const)));
    try {
      const before = await snapshot();
      const totalsBefore = await totals();
      const response = await runImport(id);
      expect(response.status).toBe(500);
      expect(await jsonOf(response)).toEqual({ error: { key: "imports.import.failed" } });
      expect(await snapshot()).toEqual(before);
      expect(await stagedCount()).toBe(0);
      expect(await totals()).toEqual(totalsBefore);
      expect(await count("import_locks")).toBe(0);
      const stored = await db.selectFrom("activity_imports").select(["status", "result_json"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ status: "previewed", result_json: null });
    } finally {
      if (onPostgres(db)) {
        await sql`DROP TRIGGER fail_last_chunk ON activities`.execute(db);
        await sql`DROP FUNCTION fail_last_chunk()`.execute(db);
      } else {
        await sql`DROP TRIGGER fail_last_chunk`.execute(db);
      }
    }
    // Without the fault the same upload goes in whole, with the new body registered once.
    expect((await runImport(id)).status).toBe(302);
    const titles = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).where("title", "like", "末块%").where("deleted_at", "is", null).executeTakeFirstOrThrow();
    expect(Number(titles.n)).toBe(2_500);
    const body = await db.selectFrom("counterparts").select("id").where("name_zh", "like", "%丰沙里省新设合作办公室%").execute();
    expect(body).toHaveLength(1);
    expect(await verifyTotals(db)).toEqual([]);
  }, 600_000);

  it("leaves out, at its last step, a row someone logged by hand while the import was staging, keeping the totals exact", async () => {
    const ROWS = 5_000;
    const rows = generatedRows(ROWS, { units: UNITS, seed: "导入期间" });
    const copy = ROWS - 1;
    rows[copy]![0] = "导入期间手工录入的同一场会议";
    rows[copy]![1] = "会议/论坛";
    rows[copy]![2] = new Date(Date.UTC(2025, 2, 5));
    rows[copy]![3] = new Date(Date.UTC(2025, 2, 5));
    rows[copy]![16] = "西双版纳傣族自治州";
    const id = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows));
    const xsbn = await sessionCookieFor("xsbn");

    let importDone = false;
    const importing = runImport(id, "valid").finally(() => (importDone = true));
    await waitFor(async () => importDone || (await stagedCount()) > 0, "the import to stage its first rows");
    const saved = await call(newActivity.action, "/activities/new", {
      cookie: xsbn,
      form: await validActivityForm("yn-xsbn", { title: "导入期间手工录入的同一场会议", type: "meeting", start_date: "2025-03-05", end_date: "2025-03-05" }),
    });
    expect(saved.status, await saved.clone().text()).toBe(302);
    expect(importDone, "the hand-logged copy should be saved while the import stages").toBe(false);
    expect((await importing).status).toBe(302);

    const copies = await db.selectFrom("activities").select("id").where("title", "=", "导入期间手工录入的同一场会议").where("deleted_at", "is", null).execute();
    expect(copies).toHaveLength(1);
    const imported = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).where("title", "like", "导入期间活动%").where("deleted_at", "is", null).executeTakeFirstOrThrow();
    expect(Number(imported.n)).toBe(ROWS - 1);
    const stored = await db.selectFrom("activity_imports").select("result_json").where("id", "=", id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.result_json!)).toMatchObject({ created: ROWS - 1, present: 1 });
    expect(await stagedCount()).toBe(0);
    expect(await verifyTotals(db)).toEqual([]);
  }, 600_000);

  it("takes over the lock of an import that died, removing what it had staged, and imports", async () => {
    // A dead import: its lock not renewed for longer than a live import ever waits, and rows it had staged.
    const deadUpload = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(3, { seed: "中断的导入" })));
    const long = new Date(Date.now() - IMPORT_LOCK_STALE_MS - 60_000).toISOString();
    await db.insertInto("import_locks").values({ name: "activity-import", holder: "dead", upload_id: deadUpload, acquired_at: long, renewed_at: long }).execute();
    const unit = await unitId("yn-xsbn");
    const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.5").executeTakeFirstOrThrow();
    await db.transaction().execute((trx) =>
      stageActivities(
        trx,
        deadUpload,
        [1, 2].map((n) => ({
          input: {
            organizationId: unit, title: `中断的导入留下的行 ${n}`, type: "meeting", startDate: "2025-05-01", endDate: "2025-05-01", status: "completed",
            primaryPlanItemId: item.id, otherPlanItemIds: [], countries: ["LA"], counterpartBody: "", location: "", delegationsCount: null,
            participantsCount: null, fundingCnyFen: null, fundingSource: "", outcome: "", evidence: [], partners: [], counterparts: [],
          },
          fingerprint: null,
        })),
        null,
      ),
    );
    expect(await stagedCount()).toBe(2);
    const official = await sessionCookieFor("official");
    const listed = await listTotal(official);

    const id = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(5, { seed: "接手锁的导入" })));
    expect((await runImport(id)).status).toBe(302);
    expect(await stagedCount()).toBe(0);
    expect(await db.selectFrom("activities").select("id").where("title", "like", "中断的导入留下的行%").execute()).toEqual([]);
    expect(await listTotal(official)).toBe(listed + 5);
    expect(await count("import_locks")).toBe(0);
  }, 120_000);

  it("knows at once an import whose process on this machine is gone, and takes its lock without waiting", async () => {
    // a process that has ended: its pid names nobody now
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.on("exit", resolve));
    const now = new Date().toISOString();
    const deadUpload = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(2, { seed: "进程已退出" })));
    await db.insertInto("import_locks").values({ name: "activity-import", holder: `${hostname().slice(0, 30)}:${child.pid}:0`, upload_id: deadUpload, acquired_at: now, renewed_at: now }).execute();
    const id = await upload(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(3, { seed: "不必等待" })));
    const started = Date.now();
    expect((await runImport(id)).status).toBe(302);
    // a live lock would have kept it waiting for minutes
    expect(Date.now() - started).toBeLessThan(IMPORT_LOCK_STALE_MS / 2);
    expect(await count("import_locks")).toBe(0);
  }, 120_000);
});
