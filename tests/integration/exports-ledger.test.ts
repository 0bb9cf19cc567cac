// The 工作台账 download, read back with exceljs: what an official opens in Excel and prints.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { formatWan } from "~/i18n/format";
import { createActivity } from "~/models/activity.server";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import { cellText, contentDisposition, csvField, csvLine, displayWidth, excelDate, groupNumeral, rowHeight, startsLikeFormula, streamWorkbook, wrappedLines } from "~/services/excel-format.server";
import { translator } from "~/i18n/translator.server";
import { saveReport } from "~/services/report-workflow.server";
import { getUserById } from "~/models/user.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
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

async function logActivity(unitCode: string, input: { title: string; startDate: string; primary?: string; fundingCnyFen?: number | null; counterpartBody?: string }) {
  return createActivity(
    db,
    {
      organizationId: await unitId(unitCode),
      title: input.title,
      type: "training",
      startDate: input.startDate,
      endDate: input.startDate,
      status: "completed",
      primaryPlanItemId: await planItemId(input.primary ?? "4.3.3"),
      otherPlanItemIds: [],
      countries: ["LA", "VN"],
      counterpartBody: input.counterpartBody ?? "老挝琅勃拉邦省教育厅",
      location: "昆明",
      delegationsCount: 2,
      participantsCount: 35,
      fundingCnyFen: input.fundingCnyFen ?? 12_345_600_000,
      fundingSource: "省级财政",
      outcome: "培训老挝学员35人次。",
      evidence: [{ url: "https://example.org/news/7", label: "新闻报道" }],
    },
    null,
  );
}

const ledgerPath = (query: string) => `/exports/ledger.xlsx?${query}`;

/** The row whose 具体举措 (column D) is the title. */
function rowOf(sheet: ExcelJS.Worksheet, title: string) {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => {
    if (row.getCell(4).value === title) found = row;
  });
  return found;
}

describe("the 工作台账 of a unit for a period", () => {
  it("is the printable ledger officials hand in: header block, grouped rows, real numbers and dates", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const xsbn = await unitId("yn-xsbn");
    const response = await call(ledgerRoute.loader, ledgerPath(`unit=${xsbn}&period=2023-H1`), { cookie });
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const disposition = response.headers.get("Content-Disposition")!;
    expect(disposition).toContain('attachment; filename="ledger_yn-xsbn_2023-H1.xlsx"');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent("西双版纳傣族自治州_2023年上半年_工作台账.xlsx")}`);

    const workbook = await workbookOf(response);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["工作台账", "活动明细"]);
    const sheet = workbook.worksheets[0]!;

    // the title block: a merged title, 填报单位 / 报告期 / 截至日期, 填报人 / 联系电话 / 审核人
    expect(sheet.getCell("A1").value).toBe("西双版纳傣族自治州落实《澜湄合作五年行动计划》重点任务推进台账");
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).toContain("A1:O1");
    const texts = (row: number) => (sheet.getRow(row).values as unknown[]).filter((v) => v !== null && v !== undefined);
    expect(texts(2)).toContain("填报单位：西双版纳傣族自治州");
    expect(texts(2)).toContain("报告期：2023年上半年");
    const asOf = sheet.getRow(2).getCell(11);
    expect(asOf.value).toEqual(new Date(Date.UTC(2023, 5, 30)));
    expect(asOf.numFmt).toBe('"截至日期："yyyy"年"m"月"d"日"');
    // 填报人 is the unit's reporter who drafted the report (not whoever downloads it: here the reporter's own
    // session, but an official's download says the same); 审核人 the reviewer who approved it
    expect(texts(3)).toEqual(expect.arrayContaining(["填报人：西双版纳州外办 填报员", "审核人：秘书处云南联络办公室 审核员"]));
    expect(texts(3).some((v) => String(v).startsWith("联系电话："))).toBe(true);
    expect(texts(4)[0]).toContain("审核通过时冻结");

    // exactly the standard columns, in order; frozen, filtered, repeated on every printed page
    const headerRow = 5;
    expect((sheet.getRow(headerRow).values as unknown[]).slice(1)).toEqual([
      "序号", "对应条款", "重点任务", "具体举措", "量化目标", "牵头单位", "配合单位", "完成时限", "进展情况", "完成进度",
      "存在问题", "下一步打算", "佐证材料", "预警", "备注",
    ]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: headerRow, topLeftCell: `A${headerRow + 1}` });
    expect(sheet.pageSetup).toMatchObject({
      orientation: "landscape",
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    });
    expect(sheet.headerFooter.oddFooter).toBe("&C第 &P 页，共 &N 页");
    // the columns add up to a page width at 100% (print-check measures it), and the text is 10 pt
    const widths = sheet.columns.map((c) => c.width ?? 0);
    expect(widths.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(158);
    expect(sheet.getRow(headerRow + 2).getCell(4).font?.size).toBe(10);
    expect(sheet.getRow(headerRow + 2).getCell(4).alignment).toMatchObject({ wrapText: true, vertical: "top" });

    // a group row per plan item, with the report's narrative, the targets, 完成进度 and the warning; 对应条款 and
    // 重点任务 merged down over the group; activity rows numbered below it
    const group = sheet.getRow(headerRow + 3);
    expect(group.getCell(1).value).toBe("二");
    expect(group.getCell(2).value).toBe("4.2.6");
    expect(group.getCell(3).value).toBe("减贫");
    expect(group.getCell(5).value).toContain("境外民生项目");
    expect(String(group.getCell(9).value)).toContain("援建饮用水蓄水池项目");
    expect(["已完成", "序时推进", "滞后", "未启动"]).toContain(group.getCell(10).value);
    expect(String(group.getCell(12).value)).toContain("小而美");
    expect(group.getCell(14).value).toMatch(/^(红灯|黄灯|绿灯)(（建议）)?$/);
    expect((group.getCell(14).fill as ExcelJS.FillPattern).fgColor?.argb).toMatch(/^FF/);
    expect(merges).toContain(`B${headerRow + 3}:B${headerRow + 5}`);
    expect(merges).toContain(`C${headerRow + 3}:C${headerRow + 5}`);

    const house = rowOf(sheet, "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）")!;
    expect(house.getCell(1).value).toBe(3);
    expect(house.getCell(1).type).toBe(ExcelJS.ValueType.Number);
    expect(house.getCell(6).value).toBe("西双版纳傣族自治州");
    // 配合单位 are Chinese units: never the foreign counterpart (an activity does not record them yet)
    expect(house.getCell(7).value).toBeNull();
    // 进展情况 is the activity's 成果; 完成进度 is judged, not the status word; no 备注 repeating the funding
    expect(house.getCell(9).value).toBe("向缅四特区曼回村民小组援建价值人民币30万元公用社房1幢。");
    expect(house.getCell(10).value).toBe("已完成");
    expect(house.getCell(15).value).toBeNull();
    expect(house.getCell(8).value).toBeInstanceOf(Date);
    expect(house.getCell(8).numFmt).toBe('yyyy"年"m"月"d"日"');
    // every row is as tall as its wrapped text
    expect(house.height).toBeGreaterThanOrEqual(2 * 14);
    sheet.eachRow((row, n) => {
      if (n > headerRow) expect(row.height, `row ${n}`).toBeGreaterThan(0);
    });

    // a 合计 row, then the block the office signs, outside the filter
    let totalRow = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === "合计") totalRow = n;
    });
    expect(totalRow).toBeGreaterThan(headerRow);
    expect(sheet.getRow(totalRow).getCell(4).value).toBe("共14项活动");
    expect(String(sheet.getRow(totalRow).getCell(9).value)).toMatch(/^已完成\d+项，序时推进\d+项，滞后\d+项，未启动\d+项/);
    expect(sheet.autoFilter).toBe(`A${headerRow}:O${totalRow}`);
    const signature = [...new Set((sheet.getRow(totalRow + 2).values as unknown[]).filter(Boolean).map(String))];
    expect(signature[0]).toBe("填报单位（盖章）：西双版纳傣族自治州");
    expect(signature.slice(1, 4)).toEqual(["单位负责人：＿＿＿＿＿＿", "填报人：西双版纳州外办 填报员", "联系电话：＿＿＿＿＿＿"]);
    expect(signature[4]).toMatch(/^填报日期：\d{4}年\d{1,2}月\d{1,2}日$/);

    // sheet 2: the foreign-affairs details, numbered as on sheet 1, with their own 合计 row
    const details = workbook.worksheets[1]!;
    expect((details.getRow(5).values as unknown[]).slice(1)).toEqual([
      "序号", "活动名称", "活动类型", "对方国家", "对方机构", "批次", "人次", "资金（万元）", "日期", "地点", "成果文件",
    ]);
    expect(details.pageSetup).toMatchObject({ orientation: "landscape", paperSize: 9, printTitlesRow: "5:5" });
    let detail: ExcelJS.Row | undefined;
    let detailTotal: ExcelJS.Row | undefined;
    details.eachRow((row) => {
      if (row.getCell(2).value === "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）") detail = row;
      if (row.getCell(1).value === "合计") detailTotal = row;
    });
    expect(detail!.getCell(1).value).toBe(3);
    expect(detail!.getCell(3).value).toBe("援助/民生项目");
    expect(detail!.getCell(4).value).toBe("缅甸");
    expect(detail!.getCell(5).value).toBe("缅甸第四特区曼回村民小组");
    // numbers are numbers, in 万元 with two decimals; dates are dates with a 年月日 format
    expect(detail!.getCell(8).value).toBe(30);
    expect(detail!.getCell(8).numFmt).toBe("#,##0.00");
    expect(detail!.getCell(9).value).toEqual(new Date(Date.UTC(2023, 0, 1)));
    expect(detailTotal!.getCell(2).value).toBe("共14项活动");
    // 10批47人次 of the visits plus the other rows: each activity counted once
    let delegations = 0;
    let participants = 0;
    details.eachRow((row, n) => {
      if (n > 5 && typeof row.getCell(1).value === "number") {
        delegations += Number(row.getCell(6).value ?? 0);
        participants += Number(row.getCell(7).value ?? 0);
      }
    });
    expect([detailTotal!.getCell(6).value, detailTotal!.getCell(7).value]).toEqual([delegations, participants]);
  });

  it("comes from the snapshot frozen at approval, whatever happened to the ledger since", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    const house = await db.selectFrom("activities").select("id").where("title", "=", "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）").executeTakeFirstOrThrow();
    // the data moves underneath the approved report (a direct change, as an import or a repair script might make)
    await db.updateTable("activities").set({ title: "改动后的标题", funding_cny_fen: 99_000_000 }).where("id", "=", house.id).execute();
    await logActivity("yn-xsbn", { title: "审核通过后才补录的活动", startDate: "2023-03-03" });

    // and its outcome and evidence change too: an approved export reads none of them live
    await db.updateTable("activities").set({ outcome: "改动后的成果" }).where("id", "=", house.id).execute();
    await db.updateTable("activity_evidence").set({ url: "https://example.org/changed" }).where("activity_id", "=", house.id).execute();

    const book = await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${xsbn}&period=2023-H1`), { cookie }));
    const sheet = book.worksheets[0]!;
    const approved = rowOf(sheet, "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）")!;
    expect(approved.getCell(9).value).toBe("向缅四特区曼回村民小组援建价值人民币30万元公用社房1幢。");
    expect(JSON.stringify(approved.getCell(13).value ?? "")).not.toContain("changed");
    let detail: ExcelJS.Row | undefined;
    book.worksheets[1]!.eachRow((row) => {
      if (row.getCell(2).value === "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）") detail = row;
    });
    expect(detail!.getCell(8).value).toBe(30);
    expect(detail!.getCell(11).value).toBe("向缅四特区曼回村民小组援建价值人民币30万元公用社房1幢。");
    expect(rowOf(sheet, "改动后的标题")).toBeUndefined();
    expect(rowOf(sheet, "审核通过后才补录的活动")).toBeUndefined();
    // a county of the prefecture is covered by the prefecture's approved report too
    await logActivity("yn-xsbn-mengla", { title: "勐腊县审核通过后补录的活动", startDate: "2023-04-01" });
    const mengla = await unitId("yn-xsbn-mengla");
    const county = (await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${mengla}&period=2023-H1`), { cookie }))).worksheets[0]!;
    expect(rowOf(county, "勐腊县审核通过后补录的活动")).toBeUndefined();
    expect(county.getCell("A4").value).toBe("西双版纳傣族自治州的本期报告已审核通过，其活动和进展按审核通过时冻结的内容列出。");

    // the same dates as a free range are the ledger as it stands now
    const live = (await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${xsbn}&from=2023-01-01&to=2023-06-30`), { cookie }))).worksheets[0]!;
    expect(rowOf(live, "改动后的标题")!.getCell(9).value).toBe("改动后的成果");
    expect(rowOf(live, "审核通过后才补录的活动")).toBeDefined();
    expect((live.getRow(2).values as unknown[]).filter(Boolean)).toContain("报告期：2023年1月1日至6月30日");
  });

  it("shows a unit's live activities and draft narratives before approval, and keeps formula-like text as text", async () => {
    const cookie = await sessionCookieFor("kunming");
    const km = await unitId("yn-km");
    const formula = '=HYPERLINK("http://x","点击")';
    await logActivity("yn-km", { title: formula, startDate: "2024-03-05", counterpartBody: "+86 871 1234" });
    await logActivity("yn-km", { title: "昆明市为老挝学员举办职业技能培训班", startDate: "2024-04-10" });
    const reporter = (await getUserById(db, (await db.selectFrom("users").select("id").where("username", "=", "kunming").executeTakeFirstOrThrow()).id))!;
    const unit = (await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("id", "=", km).executeTakeFirstOrThrow());
    const period = (await getPeriodByCode(db, "2024-H1"))!;
    const saved = await saveReport(db, reporter, unit, period, {
      version: 0,
      items: [{ planItemId: await planItemId("4.3.3"), progress: "举办职业技能培训班2期。", problems: "师资不足。", nextSteps: "下半年扩大招生。", coordination: "请省教育厅支持师资。" }],
      commitments: [],
    });
    expect(saved.ok).toBe(true);

    const sheet = (await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${km}&period=2024-H1`), { cookie }))).worksheets[0]!;
    expect(sheet.getCell("A1").value).toBe("昆明市落实《澜湄合作五年行动计划》重点任务推进台账");
    // the draft's narrative, with what needs coordinating under 存在问题
    let group: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(2).value === "4.3.3" && typeof row.getCell(1).value === "string") group = row;
    });
    expect(group!.getCell(9).value).toBe("举办职业技能培训班2期。");
    expect(group!.getCell(11).value).toBe("师资不足。\n需协调事项：请省教育厅支持师资。");
    expect(group!.getCell(12).value).toBe("下半年扩大招生。");
    // the report is not handed in yet: 填报人 is left blank to be written by hand, whoever downloads; no 审核人
    expect((sheet.getRow(3).values as unknown[]).filter(Boolean)).toEqual(expect.arrayContaining(["填报人：", "审核人："]));

    const training = rowOf(sheet, "昆明市为老挝学员举办职业技能培训班")!;
    // 佐证材料 is a link; 进展情况 the activity's outcome; 配合单位 never the foreign counterpart
    expect(training.getCell(13).value).toEqual({ text: "新闻报道", hyperlink: "https://example.org/news/7" });
    expect(training.getCell(9).value).toBe("培训老挝学员35人次。");
    expect(training.getCell(7).value).toBeNull();
    expect(training.getCell(15).value).toBeNull();

    // spreadsheet injection: the text comes back as text, not as a formula, and stays text when edited
    const injected = rowOf(sheet, formula)!;
    expect(injected.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(injected.getCell(4).formula).toBeUndefined();
    expect(injected.getCell(4).numFmt).toBe("@");
    let detail: ExcelJS.Row | undefined;
    (await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${km}&period=2024-H1`), { cookie }))).worksheets[1]!.eachRow((row) => {
      if (row.getCell(2).value === formula) detail = row;
    });
    expect(detail!.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(detail!.getCell(5).value).toBe("+86 871 1234");
    expect(detail!.getCell(5).type).toBe(ExcelJS.ValueType.String);
  });

  it("covers all units for the secretariat's roles only, and anyone's unit for any signed-in user", async () => {
    const official = await workbookOf(await call(ledgerRoute.loader, ledgerPath("period=2023-H1"), { cookie: await sessionCookieFor("official") }));
    const sheet = official.worksheets[0]!;
    expect(sheet.getCell("A1").value).toBe("落实《澜湄合作五年行动计划》重点任务推进台账");
    expect((sheet.getRow(2).values as unknown[]).filter(Boolean)).toContain("填报单位：全部单位");
    const all = await call(ledgerRoute.loader, ledgerPath("period=2023-H1"), { cookie: await sessionCookieFor("official") });
    expect(all.headers.get("Content-Disposition")).toContain(encodeURIComponent("全部单位_2023年上半年_工作台账.xlsx"));

    const reporter = await sessionCookieFor("xsbn");
    const forbidden = await call(ledgerRoute.loader, ledgerPath("period=2023-H1"), { cookie: reporter });
    expect(forbidden.status).toBe(403);
    expect((await jsonOf(forbidden)).message).toContain("请指定单位");
    const other = await call(ledgerRoute.loader, ledgerPath(`unit=${await unitId("yn-km")}&period=2023-H1`), { cookie: reporter });
    expect(other.status).toBe(200);

    const anonymous = await call(ledgerRoute.loader, ledgerPath("period=2023-H1"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toContain("/login");
  });

  it("answers malformed parameters with 400 and unknown units or periods with 404, as JSON", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    for (const query of ["unit=abc&period=2023-H1", `unit=${xsbn}&period=2023-X1`, `unit=${xsbn}&from=2023-02-30`, `unit=${xsbn}&from=2023-07-01&to=2023-06-30`, `unit=${xsbn}&period=2023-H1&from=2023-01-01`]) {
      const response = await call(ledgerRoute.loader, ledgerPath(query), { cookie });
      expect(response.status, query).toBe(400);
      expect(response.headers.get("Content-Type")).toContain("application/json");
      expect((await jsonOf(response)).message).toBeTruthy();
    }
    expect((await call(ledgerRoute.loader, ledgerPath("unit=999999&period=2023-H1"), { cookie })).status).toBe(404);
    expect((await call(ledgerRoute.loader, ledgerPath(`unit=${xsbn}&period=2031-H1`), { cookie })).status).toBe(404);
  });

  it("speaks English to an English user: sheet, columns, title and file name", async () => {
    const en = (await localeCookie.serialize("en")).split(";")[0]!;
    const cookie = `${await sessionCookieFor("xsbn")}; ${en}`;
    const xsbn = await unitId("yn-xsbn");
    const response = await call(ledgerRoute.loader, ledgerPath(`unit=${xsbn}&period=2023-H1`), { cookie });
    expect(response.headers.get("Content-Disposition")).toContain(encodeURIComponent("Xishuangbanna Dai Autonomous Prefecture_2023 H1_Work ledger.xlsx"));
    const sheet = (await workbookOf(response)).worksheets[0]!;
    expect(sheet.name).toBe("Work ledger");
    expect(sheet.getCell("A1").value).toContain("Xishuangbanna Dai Autonomous Prefecture");
    expect((sheet.getRow(5).values as unknown[]).slice(1, 5)).toEqual(["No.", "Plan clause", "Key task", "Specific measure"]);
    expect(sheet.getRow(5).getCell(15).value).toBe("Remarks");
    expect(sheet.headerFooter.oddFooter).toBe("&CPage &P of &N");
    expect(sheet.getRow(6).getCell(1).value).toBe("I");
    expect(sheet.getRow(2).getCell(11).numFmt).toBe('"As of: "d mmm yyyy');
  });
});

describe("a large ledger", () => {
  it("streams more rows than one batch, with every row and the filter over all of them", async () => {
    const unit = await unitId("yn-lc");
    const item = await planItemId("4.2.5");
    const now = new Date().toISOString();
    const count = 2_345;
    const rows = Array.from({ length: count }, (_, i) => ({
      organization_id: unit,
      title: `临沧市边境农业合作项目第${i + 1}号`,
      type: "aid_project",
      start_date: `2026-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, "0")}`,
      end_date: "2026-06-30",
      status: "ongoing",
      counterpart_body: "缅甸掸邦",
      location: "临沧",
      delegations_count: null,
      participants_count: i,
      funding_cny_fen: i * 10_000,
      funding_source: "",
      outcome: "",
      version: 1,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      const ids = await db.insertInto("activities").values(rows.slice(i, i + 500)).returning("id").execute();
      await db.insertInto("activity_plan_items").values(ids.map((r) => ({ activity_id: r.id, plan_item_id: item, is_primary: 1 }))).execute();
    }
    const sheet = (await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${unit}&period=2026-H1`), { cookie: await sessionCookieFor("official") }))).worksheets[0]!;
    const serials: number[] = [];
    sheet.eachRow((row, n) => {
      if (n > 4 && typeof row.getCell(1).value === "number") serials.push(row.getCell(1).value as number);
    });
    expect(serials).toHaveLength(count);
    expect(serials.at(-1)).toBe(count);
    // no approved report, so no note line: the header is row 4, then the group row and the activities
    // and the 合计 row under them
    expect(sheet.autoFilter).toBe(`A4:O${4 + 1 + count + 1}`);
    // by start date within the item (sheet 2 lists them in the same order)
    const details = (await workbookOf(await call(ledgerRoute.loader, ledgerPath(`unit=${unit}&period=2026-H1`), { cookie: await sessionCookieFor("official") }))).worksheets[1]!;
    const dates = serials.map((_, i) => (details.getRow(5 + i).getCell(9).value as Date).getTime());
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it("stops quietly when the client goes away half way", async () => {
    const response = await call(ledgerRoute.loader, ledgerPath(`unit=${await unitId("yn-lc")}&period=2026-H1`), { cookie: await sessionCookieFor("official") });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});

describe("the shared spreadsheet helpers", () => {
  it("estimate the lines wrapped text takes, as the spreadsheets wrap it, and the row height it needs", () => {
    expect(wrappedLines("短", 10)).toBe(1);
    expect(wrappedLines("一二三四五六七八九十", 11)).toBe(2); // five characters a line
    expect(wrappedLines("一二三四五六七八九十一", 11)).toBe(3);
    expect(wrappedLines("hello world foo", 7)).toBe(3); // a word moves whole to the next line
    expect(wrappedLines("https://example.org/a/very/long/path", 11)).toBe(4); // a word longer than a line is broken
    expect(wrappedLines("第一行\n第二行", 40)).toBe(2);
    expect(wrappedLines("一二三四五六七八九十", 11, 20)).toBeGreaterThan(wrappedLines("一二三四五六七八九十", 11));
    expect(rowHeight([{ text: "一二三四五六七八九十一", width: 11 }, { text: "短", width: 30 }])).toBeGreaterThanOrEqual(3 * 14);
  });

  it("print a sheet too wide for one page at 9 pt across pages at 100%, not shrunk to one page width", async () => {
    const t = translator("zh-CN");
    const sheetOf = async (columns: number) => {
      const body = streamWorkbook("zh-CN", t, async (book) => {
        const sheet = await book.sheet({
          name: "表",
          title: "宽表",
          freezeColumns: 1,
          columns: Array.from({ length: columns }, (_, i) => ({ header: `第${i + 1}列`, kind: "int" as const, width: 10 })),
        });
        for (let r = 0; r < 3; r++) sheet.add(Array.from({ length: columns }, (_, i) => r * i));
      });
      return (await workbookOf(new Response(body))).worksheets[0]!;
    };
    // 10 columns of 10 fit the page: fitted to its width
    expect((await sheetOf(10)).pageSetup).toMatchObject({ fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    // 30 columns of 10 would print at about half size: at 100%, across then down, the frozen column on every page
    const wide = await sheetOf(30);
    expect(wide.pageSetup).toMatchObject({ fitToPage: false, scale: 100, pageOrder: "overThenDown", printTitlesColumn: "A:A", printTitlesRow: "2:2" });
  });

  it("count a Chinese character as two columns wide", () => {
    expect(displayWidth("序号")).toBe(4);
    expect(displayWidth("4.2.6 减贫")).toBe(10);
    expect(displayWidth("第一行\n长一些的第二行")).toBe(14);
  });

  it("recognise text a spreadsheet would run as a formula, and clean what XML cannot carry", () => {
    for (const text of ["=1+1", "+86", "-1", "@SUM(A1)", "\tx", "\rx", "＝1+1"]) expect(startsLikeFormula(text), text).toBe(true);
    for (const text of ["西双版纳", "1+1", "a=b", ""]) expect(startsLikeFormula(text), text).toBe(false);
    expect(cellText("a\u0000b\r\nc")).toBe("ab\nc");
    expect(cellText("x".repeat(40_000))).toHaveLength(32_767);
  });

  it("quote CSV fields by RFC 4180 and defuse formulas with a leading quote", () => {
    expect(csvField('他说"好",然后\n走了')).toBe('"他说""好"",然后\n走了"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField("-5")).toBe("'-5");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(30, "wan")).toBe("30.00");
    expect(csvField(excelDate("2023-08-08"))).toBe("2023-08-08");
    expect(csvLine(["a", null, 1])).toBe("a,,1\r\n");
  });

  it("name the file for people and for old clients", () => {
    expect(contentDisposition("西双版纳_2023年上半年_工作台账.xlsx", "ledger.xlsx")).toBe(
      `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent("西双版纳_2023年上半年_工作台账.xlsx")}`,
    );
    expect(contentDisposition("a'b (1).xlsx", 'a"b.xlsx')).toBe(`attachment; filename="a_b.xlsx"; filename*=UTF-8''a%27b%20%281%29.xlsx`);
  });

  it("write money as formatWan does, and number groups the way documents do", () => {
    expect(formatWan(123_456_789_012, "zh-CN")).toBe("123,456.79万元");
    expect(formatWan(123_456_789_012, "en")).toBe("CNY 1,234,567,890.12");
    expect([1, 2, 10, 11, 20, 31].map((n) => groupNumeral(n, "zh-CN"))).toEqual(["一", "二", "十", "十一", "二十", "三十一"]);
    expect([1, 4, 9, 14].map((n) => groupNumeral(n, "en"))).toEqual(["I", "IV", "IX", "XIV"]);
  });
});
