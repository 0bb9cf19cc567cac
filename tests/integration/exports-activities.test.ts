// The activity list as shown, downloaded as xlsx and CSV: every filter of the page, every matching row, the
// filters written in the file.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { createActivity } from "~/models/activity.server";
import { loadActivityList } from "~/presenters/activity-list.server";
import * as csvRoute from "~/routes/exports.activities[.]csv";
import * as xlsxRoute from "~/routes/exports.activities[.]xlsx";
import { listIds, resolveListExport } from "~/services/activity-export.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

async function workbookOf(response: Response) {
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

async function planItemId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function logActivity(input: { title: string; counterpartBody?: string; outcome?: string; startDate?: string }) {
  return createActivity(
    db,
    {
      organizationId: await unitId("yn-km"),
      title: input.title,
      type: "meeting",
      startDate: input.startDate ?? "2025-05-20",
      endDate: input.startDate ?? "2025-05-21",
      status: "completed",
      primaryPlanItemId: await planItemId("4.2.3"),
      otherPlanItemIds: [await planItemId("5.4")],
      countries: ["TH"],
      counterpartBody: input.counterpartBody ?? "泰国清迈府",
      location: "昆明",
      delegationsCount: null,
      participantsCount: 80,
      fundingCnyFen: 2_233_600_000,
      fundingSource: "市级财政",
      outcome: input.outcome ?? "签署合作备忘录1份。",
      evidence: [],
    },
    null,
  );
}

/** A small RFC 4180 reader: fields, quoted fields with "" and line breaks, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") record.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") record.push(field), records.push(record), (record = []), (field = ""), i++;
    else field += c;
  }
  if (field || record.length) record.push(field), records.push(record);
  return records;
}

describe("the activity list as shown", () => {
  it("holds every row the list counts, in the list's order, with the filters written under the title", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    const query = `?unit=${xsbn}&type=aid_project&sort=title&page=1`;
    const list = await loadActivityList(db, new URLSearchParams(query));
    const response = await call(xlsxRoute.loader, `/exports/activities.xlsx${query}`, { cookie });
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const disposition = response.headers.get("Content-Disposition")!;
    expect(disposition).toMatch(/^attachment; filename="activities_\d{4}-\d{2}-\d{2}\.xlsx"; filename\*=UTF-8''%E6%B4%BB%E5%8A%A8%E5%8F%B0%E8%B4%A6_\d{4}%E5%B9%B4/);

    const sheet = (await workbookOf(response)).worksheets[0]!;
    expect(sheet.name).toBe("活动台账");
    expect(sheet.getCell("A1").value).toBe("活动台账");
    expect(sheet.getCell("A2").value).toBe("筛选条件：单位（含下级）：西双版纳傣族自治州；类型：援助/民生项目。排序：名称。");
    expect(String(sheet.getCell("A3").value)).toMatch(new RegExp(`^共 ${list.result.total} 项。导出时间：`));
    expect((sheet.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining(["A1:R1", "A2:R2"]));
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 4, xSplit: 2 });
    expect(sheet.autoFilter).toBe(`A4:R${4 + list.result.total}`);
    expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, printTitlesRow: "4:4" });

    const titles: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > 4) titles.push(row.getCell(2).value);
    });
    expect(titles).toEqual(list.result.rows.map((r) => r.title));
    const first = sheet.getRow(5);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(3).value).toBe("援助/民生项目");
    expect(first.getCell(5).value).toBeInstanceOf(Date);
    expect(first.getCell(5).numFmt).toBe('yyyy"年"m"月"d"日"');
    expect(first.getCell(7).value).toBe("西双版纳傣族自治州");
  });

  it("exports every row the list counts, in the list's order, for every filter and sort", async () => {
    const unit = await unitId("yn-xsbn");
    const queries = [
      "",
      `unit=${unit}`,
      "item=5.4",
      "pillar=4.3",
      "area=agriculture-poverty",
      "type=outbound_visit",
      "status=planned",
      "country=LA",
      "from=2023-01-01&to=2023-06-30",
      "q=友好",
      "sort=start_asc",
      "sort=participants&country=LA",
      "sort=funding",
      "sort=updated",
      `unit=${unit}&pillar=4.2&status=completed&sort=title`,
    ];
    for (const query of queries) {
      const params = new URLSearchParams(query);
      const request = await resolveListExport(db, params);
      if (!request.ok) throw new Error(query);
      const expected: number[] = [];
      for (let page = 1; expected.length < request.list.result.total; page++) {
        params.set("page", String(page));
        expected.push(...(await loadActivityList(db, params)).result.rows.map((r) => r.id));
      }
      expect(await listIds(db, request.filter, request.list.params.sort), query).toEqual(expected);
    }
  });

  it("writes each active filter in words, and says so when there is none", async () => {
    const cookie = await sessionCookieFor("official");
    const sheet = (await workbookOf(await call(xlsxRoute.loader, "/exports/activities.xlsx?item=4.2.6&country=LA&status=completed&from=2023-01-01&to=2023-12-31&q=%E6%8F%B4%E5%BB%BA", { cookie }))).worksheets[0]!;
    expect(sheet.getCell("A2").value).toBe(
      "筛选条件：条款（含下级）：4.2.6 减贫；状态：已完成；对方国家：老挝；起始日期：2023年1月1日；截止日期：2023年12月31日；关键词：“援建”。排序：日期（新→旧）。",
    );
    const all = (await workbookOf(await call(xlsxRoute.loader, "/exports/activities.xlsx", { cookie }))).worksheets[0]!;
    expect(all.getCell("A2").value).toBe("筛选条件：无（全部活动）。排序：日期（新→旧）。");
    const total = await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).where("deleted_at", "is", null).executeTakeFirstOrThrow();
    expect(all.rowCount - 4).toBe(Number(total.n));
  });

  it("keeps formula-like text as text in the workbook and defuses it in the CSV", async () => {
    const title = '=HYPERLINK("http://x","点我")';
    await logActivity({ title, counterpartBody: "@泰国清迈府", outcome: '他说"好",\n然后签了字。' });
    const cookie = await sessionCookieFor("kunming");
    const query = `?unit=${await unitId("yn-km")}&from=2025-05-01&to=2025-05-31`;

    const total = (await loadActivityList(db, new URLSearchParams(query))).result.total;
    const sheet = (await workbookOf(await call(xlsxRoute.loader, `/exports/activities.xlsx${query}`, { cookie }))).worksheets[0]!;
    let row!: ExcelJS.Row;
    sheet.eachRow((r) => {
      if (r.getCell(2).value === title) row = r;
    });
    expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(2).formula).toBeUndefined();
    expect(row.getCell(11).value).toBe("@泰国清迈府");
    expect(row.getCell(11).numFmt).toBe("@");
    expect(row.getCell(8).value).toBe("4.2.3 贸易投资便利化");
    expect(row.getCell(9).value).toBe("5.4 地方支撑");
    expect(row.getCell(15).value).toBeCloseTo(2233.6, 6);
    expect(row.getCell(15).numFmt).toBe("#,##0.00");
    expect(row.getCell(14).value).toBe(80);

    const response = await call(csvRoute.loader, `/exports/activities.csv${query}`, { cookie });
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/filename="activities_\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''%E6%B4%BB%E5%8A%A8%E5%8F%B0%E8%B4%A6_/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "").includes("\r")).toBe(false);
    const records = parseCsv(text);
    expect(records[0]).toEqual(["活动台账"]);
    expect(records[1]![0]).toBe("筛选条件：单位（含下级）：昆明市；起始日期：2025年5月1日；截止日期：2025年5月31日。排序：日期（新→旧）。");
    expect(records[3]!.slice(0, 5)).toEqual(["序号", "活动名称", "活动类型", "状态", "开始日期"]);
    const data = records.find((r) => r[1] === `'${title}`)!;
    expect(Number(data[0])).toBeGreaterThan(0);
    expect(data[4]).toBe("2025-05-20");
    expect(data[10]).toBe("'@泰国清迈府");
    expect(data[14]).toBe("2233.60");
    expect(data[16]).toBe('他说"好",\n然后签了字。');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(records).toHaveLength(4 + total);
  });

  it("refuses a filter it would have to ignore, and anonymous users", async () => {
    const cookie = await sessionCookieFor("official");
    for (const route of [xlsxRoute, csvRoute]) {
      const bad = await call(route.loader, "/exports/activities.xlsx?type=spaceship&country=XX", { cookie });
      expect(bad.status).toBe(400);
      expect(await jsonOf(bad)).toMatchObject({ reason: "bad_filter", params: ["type", "country"] });
      expect((await call(route.loader, "/exports/activities.xlsx?unit=999999", { cookie })).status).toBe(400);
      expect((await call(route.loader, "/exports/activities.xlsx")).status).toBe(302);
    }
  });
});
