// The evaluation workbook of a period, read back with exceljs: five sheets for the evaluation meeting.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as evaluationPage from "~/routes/evaluation.$period";
import * as workbookRoute from "~/routes/exports.evaluation[.]xlsx";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import { call, sessionCookieFor } from "../helpers";

async function workbookOf(response: Response) {
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  return workbook;
}

/** The data rows of a sheet (below its header row), as arrays of cell values from column A. */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const header = Number(String(sheet.autoFilter).match(/^A(\d+):/)![1]);
  const rows: unknown[][] = [];
  sheet.eachRow((row, n) => {
    if (n > header) rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

async function rate(code: string, rating: string, comment: string, overrideReason = "") {
  const item = (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
  const response = await call(evaluationPage.action, "/evaluation/2023-H1", {
    cookie: await sessionCookieFor("reviewer"),
    params: { period: "2023-H1" },
    form: { plan_item_id: String(item), rating, comment, override_reason: overrideReason },
  });
  expect(response.status).toBe(302);
}

describe("the evaluation workbook of a period", () => {
  it("has 总览, 按条款, 按单位, 活动明细 and 评估意见, each a printable, filterable table", async () => {
    // the proposal is green (both projects done, meeting the period target); the reviewer rates yellow, with a reason
    await rate("4.2.6", "yellow", "援建项目按期完成，后续管护需跟进。", "后续管护资金尚未落实");
    const response = await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=2023-H1", { cookie: await sessionCookieFor("official") });
    expect(response.headers.get("Content-Disposition")).toContain(`filename*=UTF-8''${encodeURIComponent("2023年上半年_评估工作簿.xlsx")}`);
    expect(response.headers.get("Content-Disposition")).toContain('filename="evaluation_2023-H1.xlsx"');
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["总览", "按条款", "按单位", "活动明细", "评估意见"]);
    for (const sheet of workbook.worksheets) {
      expect(sheet.getCell("A1").value).toBe(`2023年上半年落实情况评估 · ${sheet.name}`);
      expect(sheet.views[0]).toMatchObject({ state: "frozen" });
      expect(sheet.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, fitToWidth: 1 });
      expect(sheet.pageSetup.printTitlesRow).toMatch(/^(\d+):\1$/);
      expect(sheet.autoFilter).toMatch(/^A\d+:[A-Z]+\d+$/);
    }

    // 总览: pillars, then priority areas, then the total; counts are numbers, money in 万元, achievement a %
    const overview = workbook.getWorksheet("总览")!;
    const rows = rowsOf(overview);
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(["4.1 政治安全事务", "4.2 经济与可持续发展", "4.3 社会人文合作", "5 支撑体系", "互联互通", "农业和减贫"]));
    const total = rows.at(-1)!;
    expect(total.slice(0, 2)).toEqual(["合计", "全部"]);
    expect(total[2]).toBe(14); // 西双版纳州's 14 activities of 2023 H1 that are completed or under way, as approved
    expect(total[3]).toBe(10);
    expect(total[4]).toBe(47);
    expect(total[5]).toBe(30);
    // the groups overlap: each block of groups ends with its own distinct total, never more than the sum of its rows
    const areaTotal = rows.find((r) => r[1] === "各优先领域合计（每项活动只计一次）")!;
    expect(areaTotal[0]).toBe("小计");
    const areaRows = rows.filter((r) => r[0] === "优先领域");
    expect(Number(areaTotal[2])).toBeLessThanOrEqual(areaRows.reduce((sum, r) => sum + Number(r[2] ?? 0), 0));
    expect(Number(areaTotal[2])).toBeLessThanOrEqual(14);
    expect(rows.find((r) => r[1] === "各支柱合计（每项活动只计一次）")![2]).toBe(14);
    const totalRow = overview.getRow(overview.rowCount);
    expect(totalRow.getCell(6).numFmt).toBe("#,##0.00");
    expect(totalRow.getCell(8).numFmt).toBe("0.0%");
    expect(totalRow.getCell(3).font?.bold).toBe(true);
    const reduction = rows.find((r) => r[1] === "4.2 经济与可持续发展")!;
    expect(reduction.slice(9, 13)).toEqual([0, 1, 0, 13]); // of its 14 items: one yellow (4.2.6), thirteen not rated

    // 按条款: an item's indicators with baseline, targets, actuals and %, the proposal and the rating
    const items = workbook.getWorksheet("按条款")!;
    const projects = rowsOf(items).find((r) => r[0] === "4.2.6 减贫")!;
    expect(projects[1]).toContain("境外民生项目");
    expect(projects[2]).toBe("个");
    expect(typeof projects[3]).toBe("number");
    expect(projects[4]).toBe(40);
    expect(projects.slice(12, 14)).toEqual(["黄灯", "援建项目按期完成，后续管护需跟进。"]);
    let itemRow: ExcelJS.Row | undefined;
    items.eachRow((row) => {
      if (row.getCell(1).value === "4.2.6 减贫") itemRow = row;
    });
    expect(itemRow!.getCell(11).numFmt).toBe("0.0%");
    expect((itemRow!.getCell(13).fill as ExcelJS.FillPattern).fgColor?.argb).toBe("FFFFEB9C") // the yellow of 黄灯;

    // 按单位: each reporting unit's report, on time or late, and its activities
    const units = rowsOf(workbook.getWorksheet("按单位")!);
    const xsbn = units.find((r) => String(r[0]).trim() === "西双版纳傣族自治州")!;
    expect(xsbn.slice(1, 5)).toEqual(["已通过", new Date(Date.UTC(2023, 6, 12)), "按时报送", 14]);
    const kunming = units.find((r) => r[0] === "昆明市")!;
    expect([kunming[1], kunming[2] ?? null, kunming[3]]).toEqual(["未开始", null, "逾期未报"]);
    expect(units.find((r) => String(r[0]).trim() === "勐腊县")).toBeDefined(); // counties too, indented under their prefecture

    // 活动明细: every activity of the period, marked where it comes from an approved report
    const activities = rowsOf(workbook.getWorksheet("活动明细")!);
    expect(activities).toHaveLength(14);
    const house = activities.find((r) => r[1] === "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）")!;
    expect(house[2]).toBe("4.2.6 减贫");
    expect(house[4]).toBe("西双版纳傣族自治州");
    expect(house[7]).toEqual(new Date(Date.UTC(2023, 0, 1)));
    expect(house[14]).toBe(30);
    expect(house[18]).toBe("已审核报告");

    // 评估意见: the proposal and its reasons beside the rating, the comment, who rated it and when
    const comments = rowsOf(workbook.getWorksheet("评估意见")!);
    const rated = comments.find((r) => r[0] === "4.2.6 减贫")!;
    expect(rated[3]).toBe("黄灯");
    expect(rated[4]).toBe("援建项目按期完成，后续管护需跟进。");
    expect(rated[5]).toBe("后续管护资金尚未落实");
    expect(rated[6]).toBe("秘书处云南联络办公室 审核员");
    expect(rated[7]).toBeInstanceOf(Date);
    expect(String(rated[2])).toContain("本期");
    expect(comments.find((r) => r[0] === "4.2.9 国有企业")![3]).toBe("未评定");
  });

  it("counts an approved period as approved even when the ledger changed since", async () => {
    const house = await db.selectFrom("activities").select("id").where("title", "=", "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）").executeTakeFirstOrThrow();
    await db.updateTable("activities").set({ title: "数据库里改过的标题", funding_cny_fen: 500_000_000 }).where("id", "=", house.id).execute();
    const workbook = await workbookOf(await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=2023-H1", { cookie: await sessionCookieFor("xsbn") }));
    const activities = rowsOf(workbook.getWorksheet("活动明细")!);
    expect(activities.map((r) => r[1])).toContain("向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）");
    expect(activities.map((r) => r[1])).not.toContain("数据库里改过的标题");
    expect(rowsOf(workbook.getWorksheet("总览")!).at(-1)![5]).toBe(30);
  });

  it("is in English for an English user", async () => {
    const en = (await localeCookie.serialize("en")).split(";")[0]!;
    const response = await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=2023-H1", { cookie: `${await sessionCookieFor("official")}; ${en}` });
    expect(response.headers.get("Content-Disposition")).toContain(encodeURIComponent("2023 H1_Evaluation workbook.xlsx"));
    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Overview", "By plan item", "By unit", "Activities", "Evaluation comments"]);
    const overview = workbook.getWorksheet("Overview")!;
    expect(overview.getCell("A1").value).toBe("Evaluation of 2023 H1 · Overview");
    expect((overview.getRow(4).values as unknown[]).slice(1, 4)).toEqual(["Category", "Pillar / area", "Activities"]);
    expect(rowsOf(workbook.getWorksheet("Activities")!)[0]![5]).toBe("Outbound visit");
  });

  it("needs a signed-in user and an existing period", async () => {
    const cookie = await sessionCookieFor("official");
    expect((await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=2023-H1")).status).toBe(302);
    expect((await call(workbookRoute.loader, "/exports/evaluation.xlsx", { cookie })).status).toBe(400);
    expect((await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=H1-2023", { cookie })).status).toBe(400);
    expect((await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=2023-H1&from=2023-01-01", { cookie })).status).toBe(400);
    expect((await call(workbookRoute.loader, "/exports/evaluation.xlsx?period=2035-H2", { cookie })).status).toBe(404);
  });
});
