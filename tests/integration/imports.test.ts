// Importing hand-kept ledgers: the preview pins every finding on the row and column Excel shows, warnings never
// block, the import is one transaction, a second import recognises what the first wrote, the failed rows come
// back as a workbook to fix, and hostile files are refused with a reason and nothing written.
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as importsRoute from "~/routes/imports._index";
import * as templateRoute from "~/routes/imports.template[.]xlsx";
import * as failedRoute from "~/routes/imports.$id.failed[.]xlsx";
import { activitySnapshot, createActivity, getActivity } from "~/models/activity.server";
import { insertActivitiesBatch } from "~/models/activity-batch.server";
import { getUserById } from "~/models/user.server";
import { translator } from "~/i18n/translator.server";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, IMPORT_UPLOAD_TTL_HOURS, importMessageText } from "~/schemas/activity-import";
import { parseStatus, parseType } from "~/domain/activity-labels.server";
import { parseCount, parseCountries, parseDateCell, parseFunding } from "~/domain/values";
import { matchHeader, readSpreadsheet } from "~/services/activity-import/sheet.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { onPostgres } from "~/utils/sql-dialect.server";
import { BASE, call, jsonOf, sessionCookieFor, unitId } from "../helpers";
import {
  MESSY_HEADERS,
  TEMPLATE_HEADERS_ZH,
  buildDocx,
  buildEncrypted,
  buildEntityBomb,
  buildHandWrittenXlsx,
  buildLyingZip,
  buildMessyLedger,
  buildSimpleWorkbook,
  buildTooManyRows,
  buildTruncated,
  buildZipBomb,
  generatedRows,
} from "../fixtures/build-fixtures";

const zh = translator("zh-CN");

/** Posts a file to the import page the way a browser does (multipart), as the given user. */
async function upload(username: string, bytes: Buffer, name = "台账.xlsx", cookieExtra = ""): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name, { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
  const cookie = (await sessionCookieFor(username)) + cookieExtra;
  const request = new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form });
  try {
    return (await importsRoute.action({ request, params: {}, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  } finally {
    // the upload answers at once; its worker thread reads and checks the file meanwhile
    await importJobsIdle(db);
  }
}

/** The stored rows of an upload, as the preview table keeps them. */
async function storedRows(id: number) {
  const rows = await db.selectFrom("import_rows").selectAll().where("import_id", "=", id).orderBy("sheet_row").execute();
  return rows.map((r) => ({ row: r.sheet_row, outcome: r.status, values: JSON.parse(r.values_json) as Record<string, unknown> }));
}

function uploadIdOf(response: Response): number {
  expect(response.status, "upload should redirect to its preview").toBe(302);
  const match = /^\/imports\?upload=(\d+)$/.exec(response.headers.get("Location") ?? "");
  expect(match).not.toBeNull();
  return Number(match![1]);
}

async function preview(username: string, id: number, view: "all" | "problems" | "errors" | "warnings" = "all") {
  const response = await call(importsRoute.loader, `/imports?upload=${id}&view=${view}`, { cookie: await sessionCookieFor(username) });
  return { status: response.status, data: await jsonOf(response) };
}

async function runImport(username: string, id: number, mode: "all" | "valid") {
  return call(importsRoute.action, "/imports", { cookie: await sessionCookieFor(username), form: { upload_id: String(id), mode } });
}

async function counts() {
  const n = async (table: "activities" | "audit_log" | "activity_imports") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { activities: await n("activities"), audit: await n("audit_log"), uploads: await n("activity_imports") };
}

async function readWorkbook(response: Response): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
  return workbook;
}

async function sessionUser(username: string) {
  const row = await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
  return (await getUserById(db, row.id))!;
}

type Row = { row: number; title: string; outcome: string; errors: Msg[]; warnings: Msg[] };
type Msg = { field: string | null; column: string | null; key: string; params?: Record<string, string | number> };
const byRow = (rows: Row[]) => new Map(rows.map((r) => [r.row, r]));
const keys = (messages: Msg[]) => messages.map((m) => `${m.column}|${m.key}`).sort();

describe("the values people write", () => {
  it("reads dates as Excel dates, 2023年8月8日, 2023.8.8, 2023/8/8, 2023-08-08, a month, a range", () => {
    const start = (raw: Parameters<typeof parseDateCell>[0]) => {
      const parsed = parseDateCell(raw);
      return parsed.ok ? parsed.value : parsed.key;
    };
    expect(start({ d: "2023-08-08T00:00:00.000Z" })).toEqual({ start: "2023-08-08" });
    for (const text of ["2023年8月8日", "2023.8.8", "2023/8/8", "2023-08-08", "2023-8-8", "２０２３年８月８日", "20230808", "2023-08-08 09:30", "2023年8月8日（星期二）"]) {
      expect(start(text), text).toEqual({ start: "2023-08-08" });
    }
    expect(parseDateCell("2023年8月")).toMatchObject({ ok: true, value: { start: "2023-08-01" }, warning: { key: "imports.warn.month_only" } });
    expect(start("2023年8月8日至10日")).toEqual({ start: "2023-08-08", end: "2023-08-10" });
    expect(start("2023.8.8-8.10")).toEqual({ start: "2023-08-08", end: "2023-08-10" });
    expect(start("2023-08-08-2023-09-01")).toEqual({ start: "2023-08-08", end: "2023-09-01" });
    expect(parseDateCell(45146)).toMatchObject({ ok: true, value: { start: "2023-08-08" }, warning: { key: "imports.warn.date_serial" } });
    for (const bad of ["2023.2.30", "2023.13.1", "明年", "8/8/2023", "1900-01-01"]) expect(start(bad), bad).toBe("imports.error.date");
    expect(start("2023年")).toBe("imports.error.date_year_only");
  });

  it("reads amounts into 万元 exactly: 30万元, 300000元, 30, ３０, 1,234.5, 1.5亿", () => {
    const wan = (raw: Parameters<typeof parseFunding>[0], unit?: "wan" | "yuan") => {
      const parsed = parseFunding(raw, unit);
      return parsed.ok ? parsed.value / 1_000_000 : parsed.key;
    };
    expect(wan("30万元")).toBe(30);
    expect(wan("300000元")).toBe(30);
    expect(wan("30")).toBe(30);
    expect(wan(30)).toBe(30);
    expect(wan("３０")).toBe(30);
    expect(wan("1,234.5")).toBe(1234.5);
    expect(wan("1.5亿")).toBe(15000);
    expect(wan("￥12,345.67元")).toBe(1.234567);
    expect(wan(300000, "yuan")).toBe(30);
    expect(wan("223.36")).toBe(223.36);
    expect(wan("-5")).toBe("errors.negative");
    expect(wan("5美元")).toBe("imports.error.funding_currency");
    expect(wan("若干")).toBe("imports.error.funding");
    expect(wan("0.001元")).toBe("imports.error.funding_precision");
    expect(parseFunding("约30万元")).toMatchObject({ ok: true, value: 30_000_000, warning: { key: "imports.warn.approximate" } });
  });

  it("reads counts like 47人次 and 10批, and refuses what is not a whole number", () => {
    const n = (raw: Parameters<typeof parseCount>[0]) => {
      const parsed = parseCount(raw);
      return parsed.ok ? parsed.value : parsed.key;
    };
    expect(n("47人次")).toBe(47);
    expect(n("10批")).toBe(10);
    expect(n("10批次")).toBe(10);
    expect(n("1,200")).toBe(1200);
    expect(n("１２０")).toBe(120);
    expect(n(47)).toBe(47);
    expect(n(4.5)).toBe("imports.error.whole_number");
    expect(n("若干")).toBe("imports.error.whole_number");
  });

  it("reads countries by code or by Chinese or English name, with every separator", () => {
    expect(parseCountries("老挝、泰国").codes).toEqual(["LA", "TH"]);
    expect(parseCountries("LA,TH；VN").codes).toEqual(["LA", "TH", "VN"]);
    expect(parseCountries("Laos; Viet Nam / Myanmar").codes).toEqual(["LA", "VN", "MM"]);
    expect(parseCountries("老挝 缅甸").codes).toEqual(["LA", "MM"]);
    expect(parseCountries("Sri Lanka, South Korea").codes).toEqual(["LK", "KR"]);
    expect(parseCountries("柬埔寨／越南").codes).toEqual(["KH", "VN"]);
    expect(parseCountries("湄公河五国")).toMatchObject({ codes: ["KH", "LA", "MM", "TH", "VN"], mekong: true });
    expect(parseCountries("老挝、火星国").unknown).toEqual(["火星国"]);
  });

  it("reads types and statuses by their Chinese or English labels", () => {
    expect(parseType("出访")).toBe("outbound_visit");
    expect(parseType("Outbound visit")).toBe("outbound_visit");
    expect(parseType("会议/论坛")).toBe("meeting");
    expect(parseType("论坛")).toBe("meeting");
    expect(parseType("节庆/文化活动")).toBe("festival");
    expect(parseType("友好城市结好")).toBe("sister_city");
    expect(parseStatus("已完成")).toBe("completed");
    expect(parseStatus("In progress")).toBe("ongoing");
    expect(parseStatus("取消")).toBe("cancelled");
  });

  it("recognises headers in Chinese or English, with synonyms and units", () => {
    const target = (h: string) => matchHeader(h).target;
    expect(target("活动名称")).toBe("title");
    expect(target("名称")).toBe("title");
    expect(target("Title")).toBe("title");
    expect(target("起始日期")).toBe("start_date");
    expect(target("Start date")).toBe("start_date");
    expect(target("资金（万元）")).toBe("funding_wan");
    expect(target("金额")).toBe("funding_wan");
    expect(target("Funding (10,000 CNY)")).toBe("funding_wan");
    expect(matchHeader("金额（元）")).toMatchObject({ target: "funding_wan", unit: "yuan" });
    expect(target("填报单位")).toBe("organization");
    expect(target("批次/人次")).toBe("delegations_participants");
    expect(matchHeader("序号")).toEqual({ known: true, target: null, unit: undefined });
    expect(matchHeader("天气").known).toBe(false);
  });
});

describe("a hand-kept ledger", () => {
  let ledger: Buffer;
  beforeAll(async () => {
    ledger = await buildMessyLedger();
  });

  it("is previewed row by row, with the row numbers and column names Excel shows, and nothing written", async () => {
    const before = await counts();
    const id = uploadIdOf(await upload("xsbn", ledger));
    expect((await counts()).activities).toBe(before.activities);
    const { status, data } = await preview("xsbn", id);
    expect(status).toBe(200);
    const p = data.preview;
    expect(p.upload).toMatchObject({ fileName: "台账.xlsx", sheetName: "2024年台账", headerRow: 4, status: "previewed" });
    // Rows 5-14 with data; blank rows 7, 11, 15, 18-20, the 合计 row 16 and the note in row 17 are not data.
    expect(p.counts).toMatchObject({ total: 8, ready: 5, warned: 2, error: 2, repeated: 1, present: 0 });
    expect(p.rows.map((r: Row) => r.row)).toEqual([5, 6, 8, 9, 10, 12, 13, 14]);
    expect(p.notes.map((n: Msg) => [n.key, n.params?.row])).toEqual([
      ["imports.note.header_row", 4],
      ["imports.note.skipped_row", 16],
      ["imports.note.skipped_row", 17],
    ]);
    expect(p.columns.map((c: { header: string; fields: string[] }) => [c.header, c.fields.join("+")])).toEqual([
      ["No.", ""],
      ["Title", "title"],
      ["Start date", "start_date"],
      ["End date", "end_date"],
      ["Type", "type"],
      ["Status", "status"],
      ["Plan item", "primary_plan_item"],
      ["Other plan items", "plan_items"],
      ["Countries", "countries"],
      ["Counterpart", "counterpart_body"],
      ["Venue", "location"],
      ["Delegations", "delegations_count"],
      ["People", "participants_count"],
      ["Funding", "funding_wan"],
      ["Source of funds", "funding_source"],
      ["Outcome", "outcome"],
      ["Evidence", "evidence"],
      ["Reporting unit", "organization"],
      ["Remarks", ""],
    ]);

    const rows = byRow(p.rows);
    for (const r of [5, 8, 12]) expect(rows.get(r), `row ${r}`).toMatchObject({ outcome: "ready", errors: [], warnings: [] });
    // Warnings are kept apart from errors and do not block.
    expect(rows.get(6)).toMatchObject({ outcome: "ready", errors: [] });
    expect(keys(rows.get(6)!.warnings)).toEqual(["Reporting unit|imports.warn.unit_loose"]);
    expect(rows.get(9)).toMatchObject({ outcome: "ready", errors: [] });
    expect(keys(rows.get(9)!.warnings)).toEqual([
      "End date|imports.warn.end_from_start",
      "People|imports.warn.approximate",
      "Reporting unit|imports.warn.unit_default",
      "Start date|imports.warn.month_only",
      "Status|imports.warn.status_inferred",
    ]);
    // Errors block, each on its column.
    expect(rows.get(10)).toMatchObject({ outcome: "error", warnings: [] });
    expect(keys(rows.get(10)!.errors)).toEqual([
      "Plan item|imports.error.plan_item_unknown",
      "Reporting unit|errors.unit_forbidden",
      "Start date|imports.error.date",
      "Title|errors.html",
    ]);
    expect(keys(rows.get(13)!.errors)).toEqual(["End date|errors.end_before_start"]);
    expect(rows.get(14)).toMatchObject({ outcome: "repeated", errors: [], warnings: [{ column: "Title", key: "imports.warn.repeated", params: { row: 5 } }] });

    // The messages read in the user's language, with the values from the file.
    const dateError = rows.get(10)!.errors.find((m) => m.key === "imports.error.date")!;
    expect(importMessageText(zh, "zh-CN", dateError)).toBe("无法识别的日期“2024.13.45”，请写成 2024-03-05 或 2024年3月5日（1950—2100年间的有效日期）。");
    const loose = rows.get(6)!.warnings[0]!;
    expect(importMessageText(zh, "zh-CN", loose)).toBe("“西双版纳州”按“西双版纳傣族自治州”导入。");
    expect(importMessageText(translator("en"), "en", loose)).toBe("“西双版纳州” was imported as “Xishuangbanna Dai Autonomous Prefecture”.");

    // The default view lists only the rows that need a look.
    const problems = (await preview("xsbn", id, "problems")).data.preview;
    expect(problems.rows.map((r: Row) => r.row)).toEqual([6, 9, 10, 13, 14]);
  });

  it("refuses to import all rows while some have errors, and writes nothing", async () => {
    const id = uploadIdOf(await upload("xsbn", ledger));
    const before = await counts();
    const response = await runImport("xsbn", id, "all");
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toEqual({ error: { key: "imports.import.has_errors", params: { count: 2 } } });
    expect(await counts()).toEqual(before);
  });

  it("imports only the valid rows, as the form would have logged them, then recognises them on a second import", async () => {
    const id = uploadIdOf(await upload("xsbn", ledger));
    const before = await counts();
    const response = await runImport("xsbn", id, "valid");
    expect(response.status, await response.clone().text()).toBe(302);
    expect(response.headers.get("Location")).toBe(`/imports?upload=${id}`);
    const after = await counts();
    expect(after.activities - before.activities).toBe(5);
    expect(after.audit - before.audit).toBe(5);

    const p = (await preview("xsbn", id)).data.preview;
    expect(p.upload.result).toEqual({ created: 5, present: 0, repeated: 1, skippedErrors: 2 });
    expect(p.counts).toMatchObject({ imported: 5, error: 2, repeated: 1 });

    const imported = await db.selectFrom("activities").select(["id", "title", "import_fingerprint"]).where("id", ">", 0).orderBy("id", "desc").limit(5).execute();
    expect(imported.every((a) => /^[0-9a-f]{64}$/.test(a.import_fingerprint ?? ""))).toBe(true);
    const training = await getActivity(db, imported.find((a) => a.title === "面向湄公河国家的热带农业技术培训班")!.id);
    expect(training).toMatchObject({
      organization_id: await unitId("yn-xsbn-mengla"),
      type: "training",
      status: "completed",
      start_date: "2024-05-08",
      end_date: "2024-05-10",
      participants_count: 120,
      funding_cny_fen: 30_000_000,
      countries: ["LA", "VN"],
    });
    const forum = await getActivity(db, imported.find((a) => a.title === "澜湄合作地方政府合作论坛")!.id);
    expect(forum).toMatchObject({
      organization_id: await unitId("yn-xsbn-jinghong"),
      start_date: "2024-08-08",
      end_date: "2024-08-10",
      delegations_count: 2,
      participants_count: 47,
      funding_cny_fen: 30_000_000,
      countries: ["KH", "MM"],
    });
    const visit = await getActivity(db, imported.find((a) => a.title === "赴老挝琅勃拉邦省开展友好交流")!.id);
    expect(visit!.planItems.map((p) => [p.code, p.primary])).toEqual([["4.1.1", true], ["4.3.7", false], ["5.4", false]]);
    expect(visit!.evidence).toEqual([{ url: "https://example.org/news/lp", label: "新闻报道" }]);
    const history = await db.selectFrom("audit_log").selectAll().where("entity_type", "=", "activity").where("entity_id", "=", visit!.id).orderBy("id").execute();
    expect(history.map((h) => h.action)).toEqual(["activity.import"]);
    expect(JSON.parse(history[0]!.changes_json)).toMatchObject({ title: "赴老挝琅勃拉邦省开展友好交流", primary_plan_item: "4.1.1", plan_items: ["4.3.7", "5.4"] });

    // The same file again: every row that went in is recognised (row 14, a copy of row 5, too), nothing is duplicated.
    const again = uploadIdOf(await upload("xsbn", ledger));
    const second = (await preview("xsbn", again)).data.preview;
    expect(second.counts).toMatchObject({ total: 8, ready: 0, present: 6, error: 2, repeated: 0 });
    expect(second.upload.earlierImportAt).not.toBeNull();
    expect(byRow(second.rows).get(8)!.warnings).toEqual([{ field: "title", column: "Title", key: "imports.warn.present" }]);
    const beforeSecond = await counts();
    expect((await runImport("xsbn", again, "valid")).status).toBe(302);
    expect((await counts()).activities).toBe(beforeSecond.activities);
    expect((await preview("xsbn", again)).data.preview.upload.result).toEqual({ created: 0, present: 6, repeated: 0, skippedErrors: 2 });
  });

  it("reads the combined columns of a 工作台账 (批次/人次, 对方国家/机构), amounts in 元 by header, a date range, a 外办 name", async () => {
    const file = await buildSimpleWorkbook(
      ["名称", "类型", "日期", "条款", "批次/人次", "对方国家/机构", "金额（元）", "单位"],
      [["赴老挝开展教育交流", "出访", "2025年5月6日—5月9日", "4.3.3", "2批15人次", "老挝琅勃拉邦省", "150000", "西双版纳州外办"]],
    );
    const id = uploadIdOf(await upload("xsbn", file));
    const p = (await preview("xsbn", id)).data.preview;
    expect(p.columns.map((c: { header: string; fields: string[] }) => [c.header, c.fields])).toEqual([
      ["名称", ["title"]],
      ["类型", ["type"]],
      ["日期", ["start_date"]],
      ["条款", ["primary_plan_item"]],
      ["批次/人次", ["delegations_count", "participants_count"]],
      ["对方国家/机构", ["countries", "counterpart_body"]],
      ["金额（元）", ["funding_wan"]],
      ["单位", ["organization"]],
    ]);
    const row = p.rows[0] as Row;
    expect(row.outcome).toBe("ready");
    expect(keys(row.warnings)).toEqual(["null|imports.warn.status_inferred", "单位|imports.warn.unit_loose", "对方国家/机构|imports.warn.country_from_body"]);
    expect((await storedRows(id))[0]!.values).toMatchObject({
      start_date: "2025-05-06",
      end_date: "2025-05-09",
      delegations_count: "2",
      participants_count: "15",
      countries: ["LA"],
      counterpart_body: "老挝琅勃拉邦省",
      funding_wan: "15",
      organization_id: String(await unitId("yn-xsbn")),
    });
  });

  it("refuses Taiwan, Hong Kong, Macao and China as counterpart countries, row by row, with the reason", async () => {
    const file = await buildSimpleWorkbook(
      ["名称", "类型", "日期", "条款", "对方国家", "单位"],
      [
        ["赴台湾开展经贸交流", "出访", "2025-05-06", "4.3.3", "中国台湾", "西双版纳州外办"],
        ["接待香港商会来访", "来访", "2025-05-08", "4.3.3", "香港", "西双版纳州外办"],
        ["赴老挝开展教育交流", "出访", "2025-05-10", "4.3.3", "老挝、中国", "西双版纳州外办"],
        ["赴泰国开展教育交流", "出访", "2025-05-12", "4.3.3", "Thailand", "西双版纳州外办"],
      ],
    );
    const id = uploadIdOf(await upload("xsbn", file));
    const rows = byRow((await preview("xsbn", id)).data.preview.rows as Row[]);
    const countryErrors = (r: number) => rows.get(r)!.errors.filter((e) => e.field === "countries").map((e) => e.key);
    expect(countryErrors(2)).toEqual(["errors.country_part_of_china"]);
    expect(countryErrors(3)).toEqual(["errors.country_part_of_china"]);
    expect(countryErrors(4)).toEqual(["errors.country_china"]);
    expect(rows.get(5)!.outcome).toBe("ready");
    const stored = await storedRows(id);
    expect(stored.flatMap((r) => (r.values.countries as string[] | undefined) ?? [])).toEqual(["LA", "TH"]);
  });

  it("recognises a row already logged through the form as present", async () => {
    const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.2").executeTakeFirstOrThrow();
    await createActivity(
      db,
      {
        organizationId: await unitId("yn-xsbn"),
        title: "西双版纳旅游推介会（曼谷）",
        type: "meeting",
        startDate: "2025-03-03",
        endDate: "2025-03-03",
        status: "completed",
        primaryPlanItemId: item.id,
        otherPlanItemIds: [],
        countries: ["TH"],
        counterpartBody: "",
        location: "",
        delegationsCount: null,
        participantsCount: null,
        fundingCnyFen: null,
        fundingSource: "",
        outcome: "",
        evidence: [],
      },
      null,
    );
    const file = await buildSimpleWorkbook(["活动名称", "活动类型", "开始日期", "主要对应条款"], [["西双版纳 旅游推介会（曼谷）", "会议/论坛", "2025年3月3日", "4.3.2"]]);
    const id = uploadIdOf(await upload("xsbn", file));
    expect((await preview("xsbn", id)).data.preview.rows[0]).toMatchObject({ outcome: "present" });
  });

  it("gives back the rows with errors as a workbook in the file's columns, with an 错误说明 column, to fix and upload again", async () => {
    const id = uploadIdOf(await upload("xsbn", ledger));
    const response = await call(failedRoute.loader, `/imports/${id}/failed.xlsx`, { cookie: await sessionCookieFor("xsbn"), params: { id: String(id) } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("台账_有错误的行.xlsx")}`);
    const workbook = await readWorkbook(response);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("有错误的行");
    expect(sheet.getRow(1).values).toEqual([undefined, ...MESSY_HEADERS, "错误说明"]);
    expect(sheet.actualRowCount).toBe(3);
    expect(sheet.getCell("B2").value).toBe("<b>边境经贸洽谈会</b>");
    expect(sheet.getCell("C2").value).toBe("2024.13.45");
    expect(sheet.getCell("B3").value).toBe("赴越南老街省考察口岸建设");
    const explain = String(sheet.getCell(2, MESSY_HEADERS.length + 1).value);
    expect(explain.split("\n")[0]).toBe("原第 10 行");
    expect(explain).toContain("Start date：无法识别的日期“2024.13.45”");
    expect(explain).toContain("Title：不能包含 HTML 标签");
    expect(explain).toContain("Reporting unit：只能为本单位及下级单位登记活动。");
    expect(String(sheet.getCell(3, MESSY_HEADERS.length + 1).value)).toContain("End date：结束日期不能早于开始日期。");
    // What a spreadsheet would take for a formula comes back as the text it was.
    const outcome = sheet.getCell(3, MESSY_HEADERS.indexOf("Outcome") + 1);
    expect([outcome.type, outcome.value]).toEqual([ExcelJS.ValueType.String, "=SUM(A1:A3)"]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, printTitlesRow: "1:1" });
    for (const address of ["B2", "C2", "B3"]) expect(sheet.getCell(address).type).toBe(ExcelJS.ValueType.String);

    // Fixed (the dates of row 13 put right) and uploaded again: the 错误说明 column is ignored, the fixed row is ready.
    sheet.getCell(3, MESSY_HEADERS.indexOf("End date") + 1).value = "2024-07-12";
    const fixed = Buffer.from(await workbook.xlsx.writeBuffer());
    const again = uploadIdOf(await upload("xsbn", fixed, "fixed.xlsx"));
    const p = (await preview("xsbn", again)).data.preview;
    expect(p.upload.headerRow).toBe(1);
    expect(p.notes.map((n: Msg) => n.key)).toEqual(["imports.note.header_row"]);
    expect(p.rows.map((r: Row) => [r.row, r.outcome])).toEqual([[2, "error"], [3, "ready"]]);
  });
});

describe("all or nothing", () => {
  it("imports all rows of a clean file in one go", async () => {
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(30, { seed: "整批" }));
    const id = uploadIdOf(await upload("xsbn", file));
    const before = await counts();
    expect((await runImport("xsbn", id, "all")).status).toBe(302);
    expect((await counts()).activities - before.activities).toBe(30);
  });

  it("writes nothing when the database fails mid-way through the rows", async () => {
    const rows = generatedRows(5, { seed: "中途失败" });
    rows[2]![0] = "触发失败的第三行";
    const id = uploadIdOf(await upload("xsbn", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, rows)));
    if (onPostgres(db)) {
      await sql`CREATE FUNCTION fail_import_midway() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$`.execute(db);
      await sql`CREATE TRIGGER fail_import_midway BEFORE INSERT ON activities FOR EACH ROW WHEN (NEW.title = '触发失败的第三行') EXECUTE FUNCTION fail_import_midway()`.execute(db);
    } else {
      await sql`CREATE TRIGGER fail_import_midway BEFORE INSERT ON activities WHEN NEW.title = '触发失败的第三行' BEGIN SELECT RAISE(ABORT, 'forced failure'); END`.execute(db);
    }
    try {
      const before = await counts();
      const response = await runImport("xsbn", id, "all");
      expect(response.status).toBe(500);
      expect(await jsonOf(response)).toEqual({ error: { key: "imports.import.failed" } });
      expect(await counts()).toEqual(before);
      const stored = await db.selectFrom("activity_imports").select(["status", "result_json"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ status: "previewed", result_json: null });
      const titles = await db.selectFrom("activities").select("title").where("title", "like", "中途失败%").execute();
      expect(titles).toEqual([]);
    } finally {
      if (onPostgres(db)) {
        await sql`DROP TRIGGER fail_import_midway ON activities`.execute(db);
        await sql`DROP FUNCTION fail_import_midway()`.execute(db);
      } else {
        await sql`DROP TRIGGER fail_import_midway`.execute(db);
      }
    }
    // The same upload imports once the fault is gone.
    expect((await runImport("xsbn", id, "all")).status).toBe(302);
  });

  it("checks again at import: a period approved after the preview refuses its rows", async () => {
    const file = await buildSimpleWorkbook(["活动名称", "活动类型", "开始日期", "主要对应条款", "填报单位"], [["勐海县茶文化交流周", "节庆", "2026-08-03", "4.3.1", "勐海县"]]);
    const id = uploadIdOf(await upload("xsbn", file));
    expect((await preview("xsbn", id)).data.preview.counts).toMatchObject({ ready: 1 });
    const period = await db.selectFrom("reporting_periods").select("id").where("code", "=", "2026-H2").executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const report = await db
      .insertInto("period_reports")
      .values({ organization_id: await unitId("yn-xsbn-menghai"), period_id: period.id, status: "approved", version: 1, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    try {
      const before = await counts();
      expect((await runImport("xsbn", id, "all")).status).toBe(400);
      expect((await runImport("xsbn", id, "valid")).status).toBe(302);
      expect((await counts()).activities).toBe(before.activities);
      const p = (await preview("xsbn", id)).data.preview;
      expect(p.upload.result).toEqual({ created: 0, present: 0, repeated: 0, skippedErrors: 1 });
      expect(p.rows[0].errors).toEqual([{ field: "start_date", column: "开始日期", key: "reports.frozen" }]);
    } finally {
      await db.deleteFrom("period_reports").where("id", "=", report.id).execute();
    }
  });

  it("checks again at import: a plan item no longer loggable since the preview refuses its rows, the others go in", async () => {
    const file = await buildSimpleWorkbook(
      ["活动名称", "活动类型", "开始日期", "主要对应条款", "填报单位"],
      [
        ["勐腊县边境贸易培训班", "培训", "2026-09-03", "4.3.1", "勐腊县"],
        ["勐腊县澜湄职业教育论坛", "会议", "2026-09-10", "4.2.5", "勐腊县"],
      ],
    );
    const id = uploadIdOf(await upload("xsbn", file));
    expect((await preview("xsbn", id)).data.preview.counts).toMatchObject({ ready: 2 });
    await db.updateTable("plan_items").set({ loggable: 0 }).where("code", "=", "4.2.5").execute();
    try {
      const before = await counts();
      expect((await runImport("xsbn", id, "valid")).status).toBe(302);
      expect((await counts()).activities - before.activities).toBe(1);
      const p = (await preview("xsbn", id)).data.preview;
      expect(p.upload.result).toEqual({ created: 1, present: 0, repeated: 0, skippedErrors: 1 });
      const rows = byRow(p.rows);
      expect(rows.get(2)!.outcome).toBe("imported");
      expect(rows.get(3)!.errors).toEqual([{ field: "primary_plan_item", column: "主要对应条款", key: "errors.plan_item_not_loggable" }]);
    } finally {
      await db.updateTable("plan_items").set({ loggable: 1 }).where("code", "=", "4.2.5").execute();
    }
  });

  it("finds present, at import, the rows another upload of the same file put in the ledger after this one's preview", async () => {
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(8, { seed: "两次上传" }));
    const first = uploadIdOf(await upload("xsbn", file));
    const second = uploadIdOf(await upload("xsbn", file));
    expect((await preview("xsbn", second)).data.preview.counts).toMatchObject({ ready: 8 });
    expect((await runImport("xsbn", first, "all")).status).toBe(302);
    const before = await counts();
    expect((await runImport("xsbn", second, "valid")).status).toBe(302);
    expect((await counts()).activities).toBe(before.activities);
    const p = (await preview("xsbn", second)).data.preview;
    expect(p.upload.result).toEqual({ created: 0, present: 8, repeated: 0, skippedErrors: 0 });
    expect(p.rows.every((r: Row) => r.outcome === "present" && r.warnings.some((w) => w.key === "imports.warn.present"))).toBe(true);
  });

  it("imports an upload previewed before the parsed activities were kept with its rows, reading their values", async () => {
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(12, { seed: "旧预览" }));
    const id = uploadIdOf(await upload("xsbn", file));
    // as a preview stored before migration 2026-12-11T1400-import-rows-input left it
    await db.updateTable("import_rows").set({ input_json: null }).where("import_id", "=", id).execute();
    const before = await counts();
    expect((await runImport("xsbn", id, "all")).status).toBe(302);
    expect((await counts()).activities - before.activities).toBe(12);
    expect((await preview("xsbn", id)).data.preview.upload.result).toEqual({ created: 12, present: 0, repeated: 0, skippedErrors: 0 });
    const titles = await db.selectFrom("activities").select(["title", "participants_count"]).where("title", "like", "旧预览活动%").where("deleted_at", "is", null).orderBy("id").execute();
    expect(titles[0]).toEqual({ title: "旧预览活动 1", participants_count: 5 });
  });

  it("refuses rows dated in an approved report's period with the form's message", async () => {
    // 西双版纳州's 2023年上半年 report is approved in the seed: it freezes the prefecture and the counties below it.
    const file = await buildSimpleWorkbook(
      ["活动名称", "活动类型", "开始日期", "主要对应条款", "填报单位"],
      [
        ["补录的上半年活动", "会议", "2023-03-01", "4.2.5", "西双版纳傣族自治州"],
        ["勐腊县补录活动", "培训", "2023-05-20", "4.3.3", "勐腊县"],
        ["下半年活动", "培训", "2023-07-20", "4.3.3", "勐腊县"],
      ],
    );
    const id = uploadIdOf(await upload("xsbn", file));
    const rows = (await preview("xsbn", id)).data.preview.rows as Row[];
    expect(rows.map((r) => [r.row, r.outcome, keys(r.errors)])).toEqual([
      [2, "error", ["开始日期|reports.frozen"]],
      [3, "error", ["开始日期|reports.frozen"]],
      [4, "ready", []],
    ]);
    expect(importMessageText(zh, "zh-CN", rows[0]!.errors[0]!)).toBe("本期报告已审核通过，如需修改请联系审核员退回。");
  });

  it("writes, in a batch, links in plan order and a history entry that is the snapshot edits are diffed against", async () => {
    const items = await db.selectFrom("plan_items").select(["id", "code"]).where("code", "in", ["4.2.5", "4.3.3", "5.4", "4.1.1"]).execute();
    const id = (code: string) => items.find((i) => i.code === code)!.id;
    const input = {
      organizationId: await unitId("yn-xsbn-mengla"),
      title: "批量写入对照",
      type: "training",
      startDate: "2025-09-01",
      endDate: "2025-09-03",
      status: "completed",
      primaryPlanItemId: id("4.3.3"),
      otherPlanItemIds: [id("5.4"), id("4.1.1"), id("4.3.3"), id("5.4")],
      countries: ["VN", "LA", "VN"],
      counterpartBody: "老挝南塔省农林厅",
      location: "勐腊",
      delegationsCount: 1,
      participantsCount: 30,
      fundingCnyFen: 12_500_000,
      fundingSource: "州级财政",
      outcome: "培训30人次。",
      evidence: [
        { url: "https://example.org/1", label: "报道" },
        { url: "https://example.org/2", label: "" },
      ],
    };
    const [batched] = await db.transaction().execute((trx) => insertActivitiesBatch(trx, [{ input, fingerprint: null }], 1, { action: "activity.import" }));
    // the history entry written with the rows is the snapshot later edits are diffed against, key for key
    const audit = await db.selectFrom("audit_log").select("changes_json").where("entity_type", "=", "activity").where("entity_id", "=", batched!).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.changes_json)).toEqual(await activitySnapshot(db, batched!));
    const stored = (await getActivity(db, batched!))!;
    expect(stored.planItems.map((p) => [p.code, p.primary])).toEqual([["4.3.3", true], ["4.1.1", false], ["5.4", false]]);
    expect(stored.countries).toEqual(["LA", "VN"]);
  });
});

describe("files that are refused", () => {
  // Refused at once (too large, no file) with a 400, or once its job has read the file: the job failed, its
  // page says why, and nothing was written either way.
  const refusal = async (bytes: Buffer, name = "台账.xlsx") => {
    const before = await counts();
    const response = await upload("xsbn", bytes, name);
    const after = await counts();
    expect({ activities: after.activities, audit: after.audit }).toEqual({ activities: before.activities, audit: before.audit });
    if (response.status === 400) return ((await jsonOf(response)) as { error: { key: string; params?: Record<string, unknown> } }).error;
    const page = await preview("xsbn", uploadIdOf(response));
    expect(page.data.job.state).toBe("failed");
    expect(await db.selectFrom("import_rows").select("sheet_row").where("import_id", "=", page.data.job.id).execute()).toEqual([]);
    return page.data.job.refusal as { key: string; params?: Record<string, unknown> };
  };

  it("a file that is not an xlsx, whatever its name", async () => {
    expect(await refusal(Buffer.from("活动名称,开始日期\n交流,2024-01-01\n"), "台账.xlsx")).toEqual({ key: "imports.refused.not_xlsx" });
    expect(await refusal(Buffer.from("%PDF-1.7\n…"), "台账.xlsx")).toEqual({ key: "imports.refused.not_xlsx" });
    expect(await refusal(buildDocx(), "台账.xlsx")).toEqual({ key: "imports.refused.not_xlsx" });
  });

  it("a corrupt file", async () => {
    expect(await refusal(await buildTruncated())).toEqual({ key: "imports.refused.corrupt" });
    const bad = Buffer.from(await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(3)));
    bad.fill(0x41, 200, 400);
    expect(await refusal(bad)).toEqual({ key: "imports.refused.corrupt" });
  });

  it("a password-protected file (an OLE container), and an old .xls", async () => {
    expect(await refusal(buildEncrypted())).toEqual({ key: "imports.refused.encrypted" });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(2048)]);
    expect(await refusal(xls, "old.xls")).toEqual({ key: "imports.refused.legacy_xls" });
  });

  it("a file over 10 MB", async () => {
    const big = Buffer.alloc(IMPORT_MAX_BYTES + 1, 0x20);
    expect(await refusal(big)).toEqual({ key: "imports.refused.too_large", params: { max_mb: 10 } });
    const read = await readSpreadsheet(big);
    expect(read).toMatchObject({ ok: false, refusal: { key: "imports.refused.too_large", params: { max_mb: 10 } } });
  });

  it(`a file of more than ${IMPORT_MAX_ROWS} rows`, async () => {
    const file = await buildTooManyRows(IMPORT_MAX_ROWS + 1);
    expect(await refusal(file)).toEqual({ key: "imports.refused.too_many_rows", params: { max: IMPORT_MAX_ROWS } });
  }, 60_000);

  it("a ZIP bomb, and a ZIP whose headers hide how far it expands", async () => {
    const bomb = buildZipBomb();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await refusal(bomb)).toEqual({ key: "imports.refused.zip_bomb" });
    expect(await refusal(buildZipBomb(300 * 1024 * 1024))).toEqual({ key: "imports.refused.zip_bomb" });
    expect(await refusal(buildLyingZip())).toEqual({ key: "imports.refused.zip_bomb" });
  }, 60_000);

  it("XML entities nested to expand a billion times are not expanded", async () => {
    const started = Date.now();
    expect(await refusal(buildEntityBomb())).toEqual({ key: "imports.refused.corrupt" });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a workbook another tool wrote by hand is read, numbers in a date column as Excel dates", async () => {
    const id = uploadIdOf(await upload("xsbn", buildHandWrittenXlsx()));
    const rows = (await preview("xsbn", id)).data.preview.rows as Row[];
    expect(rows.map((r) => [r.row, r.outcome, keys(r.warnings)])).toEqual([
      // The file has no end date, status or unit column: those notes name the field instead (column null).
      [2, "ready", ["null|imports.warn.end_from_start", "null|imports.warn.status_inferred", "null|imports.warn.unit_default", "开始日期|imports.warn.date_serial"]],
    ]);
  });

  it("a header cell far out at column XFD does not make every row 16,384 cells wide", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("wide");
    sheet.addRow(["活动名称", "活动类型", "开始日期", "主要对应条款"]);
    sheet.getCell(1, 16384).value = "备注";
    for (let i = 0; i < 200; i++) sheet.addRow([`宽表活动 ${i}`, "会议", "2025-02-01", "4.2.5"]);
    const id = uploadIdOf(await upload("xsbn", Buffer.from(await workbook.xlsx.writeBuffer())));
    const stored = await db.selectFrom("activity_imports").select(["headers_json"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.headers_json).headers).toEqual(["活动名称", "活动类型", "开始日期", "主要对应条款"]);
    const raw = await db.selectFrom("import_rows").select("raw_json").where("import_id", "=", id).execute();
    expect(raw.reduce((n, r) => n + r.raw_json.length, 0)).toBeLessThan(400_000);
  });

  it("a workbook without a recognisable header, an empty upload, no file", async () => {
    const noHeader = await buildSimpleWorkbook(["天气", "温度"], [["晴", 30]]);
    expect((await refusal(noHeader)).key).toBe("imports.refused.no_header");
    const headerOnly = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, [[], []]);
    expect(await refusal(headerOnly)).toEqual({ key: "imports.refused.no_rows" });
    expect(await refusal(Buffer.alloc(0))).toEqual({ key: "imports.refused.no_file" });
  });

  it("shows the reason on the upload's page once its job has read the file, never a 500", async () => {
    const page = await preview("xsbn", uploadIdOf(await upload("xsbn", buildEncrypted())));
    expect(page.status).toBe(200);
    expect(importMessageText(zh, "zh-CN", page.data.job.refusal)).toContain("打开密码");
  });
});

describe("the template", () => {
  it("has the ledger columns, drop-down lists from a hidden sheet, and a 填写说明 sheet", async () => {
    const response = await call(templateRoute.loader, "/imports/template.xlsx", { cookie: await sessionCookieFor("xsbn") });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain(encodeURIComponent("活动导入模板.xlsx"));
    const workbook = await readWorkbook(response);
    expect(workbook.worksheets.map((s) => [s.name, s.state])).toEqual([
      ["活动", "visible"],
      ["填写说明", "visible"],
      ["下拉选项", "hidden"],
    ]);
    const sheet = workbook.getWorksheet("活动")!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(TEMPLATE_HEADERS_ZH);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, printTitlesRow: "1:1" });
    const validations = (sheet as unknown as { dataValidations: { model: Record<string, { type: string; formulae?: string[]; showErrorMessage?: boolean }> } }).dataValidations.model;
    const column = (header: string) => sheet.getColumn(TEMPLATE_HEADERS_ZH.indexOf(header) + 1).letter;
    expect(validations[`${column("活动类型")}2`]).toMatchObject({ type: "list", formulae: ["'下拉选项'!$A$2:$A$10"], showErrorMessage: true });
    expect(validations[`${column("状态")}1001`]).toMatchObject({ type: "list", formulae: ["'下拉选项'!$B$2:$B$5"] });
    expect(validations[`${column("对方国家")}2`]).toMatchObject({ type: "list" });
    expect(validations[`${column("主要对应条款")}2`]).toMatchObject({ type: "list", formulae: [expect.stringMatching(/^'下拉选项'!\$D\$2:\$D\$\d+$/)] });
    expect(validations[`${column("填报单位")}2`]).toMatchObject({ type: "list" });
    const lists = workbook.getWorksheet("下拉选项")!;
    expect(lists.getColumn(1).values.slice(2)).toEqual(["出访", "来访", "会议/论坛", "签署协议/备忘录", "友好城市结好", "援助/民生项目", "培训", "节庆/文化活动", "其他"]);
    expect(lists.getColumn(3).values.slice(2, 7)).toEqual(["柬埔寨", "老挝", "缅甸", "泰国", "越南"]);
    expect(lists.getColumn(4).values).toContain("4.2.5 农业");
    // A reporter's units: their own and those below it, nothing else.
    expect(lists.getColumn(5).values.slice(2)).toEqual(["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"]);
    const help = workbook.getWorksheet("填写说明")!;
    expect(help.getCell("A1").value).toBe("活动导入模板 · 填写说明");
    expect(help.getColumn(1).values).toEqual(expect.arrayContaining(TEMPLATE_HEADERS_ZH));
    expect(help.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9 });
  });

  it("comes back in, filled in with the values its lists offer, English or Chinese", async () => {
    for (const [username, locale] of [
      ["xsbn", "zh-CN"],
      ["xsbn", "en"],
    ] as const) {
      const cookie = `${await sessionCookieFor(username)}; lmc_locale=${encodeURIComponent(JSON.stringify(locale))}`;
      const response = await call(templateRoute.loader, "/imports/template.xlsx", { cookie });
      const workbook = await readWorkbook(response);
      const sheet = workbook.worksheets[0]!;
      const lists = workbook.worksheets[2]!;
      const pick = (col: number, i: number) => String(lists.getCell(i + 2, col).value);
      for (let i = 0; i < 4; i++) {
        sheet.addRow([
          `模板回填 ${locale} ${i}`,
          pick(1, i),
          new Date(Date.UTC(2026, 9, 1 + i)),
          null,
          pick(2, 2),
          pick(4, i + 3),
          null,
          `${pick(3, i)}、${pick(3, i + 1)}`,
          null,
          null,
          1,
          10,
          5,
          null,
          null,
          null,
          pick(5, i),
        ]);
      }
      const filled = Buffer.from(await workbook.xlsx.writeBuffer());
      const id = uploadIdOf(await upload(username, filled, `template-${locale}.xlsx`));
      const p = (await preview(username, id)).data.preview;
      expect(p.upload.headerRow, locale).toBe(1);
      expect(p.rows.map((r: Row) => [r.row, r.outcome, r.errors]), locale).toEqual([
        [2, "ready", []],
        [3, "ready", []],
        [4, "ready", []],
        [5, "ready", []],
      ]);
    }
  });
});

describe("uploads between preview and import", () => {
  it("expire, and an expired upload can neither be previewed nor imported", async () => {
    const id = uploadIdOf(await upload("xsbn", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(2, { seed: "过期" }))));
    const past = new Date(Date.now() - (IMPORT_UPLOAD_TTL_HOURS + 1) * 3600_000).toISOString();
    await db.updateTable("activity_imports").set({ created_at: past, expires_at: past }).where("id", "=", id).execute();
    const { status, data } = await preview("xsbn", id);
    expect(status).toBe(404);
    expect(data).toMatchObject({ preview: null, job: null, missing: true });
    expect((await runImport("xsbn", id, "all")).status).toBe(404);
    // The next upload clears it out.
    await upload("xsbn", await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(1, { seed: "清理" })));
    expect(await db.selectFrom("activity_imports").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });

  it("keep the normalised rows and the file's hash, owned by the uploader", async () => {
    const file = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(2, { seed: "存储" }));
    const id = uploadIdOf(await upload("xsbn", file));
    const stored = await db.selectFrom("activity_imports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const user = await sessionUser("xsbn");
    expect(stored).toMatchObject({ user_id: user.id, row_count: 2, status: "previewed", header_row: 1 });
    expect(stored.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    const rows = await storedRows(id);
    expect(rows[0]).toMatchObject({ row: 2, outcome: "ready", values: { title: "存储活动 1", primary_plan_item: "4.1.1", funding_wan: "0.5" } });
  });
});
