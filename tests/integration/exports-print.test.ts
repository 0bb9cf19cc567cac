// The workbooks as an office prints them: each is converted to PDF by LibreOffice (as a WPS or LibreOffice user
// would print it) and the printed pages are read back with poppler — paper size and orientation, the size of the
// printed words, and whether every activity title and narrative appears in full (nothing clipped by a row too
// short or a column too narrow). CI installs soffice, poppler and the CJK fonts (.ci/run); only a machine without
// soffice, outside CI, skips this.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { translator } from "~/i18n/translator.server";
import * as listRoute from "~/routes/exports.activities[.]xlsx";
import * as evaluationRoute from "~/routes/exports.evaluation[.]xlsx";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import * as importsRoute from "~/routes/imports._index";
import * as failedRoute from "~/routes/imports.$id.failed[.]xlsx";
import * as templateRoute from "~/routes/imports.template[.]xlsx";
import { fitRowHeights, withDefaultFont } from "~/services/excel-format.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { db } from "~/utils/db.server";
import { type Printed as PrintedFile, chineseTextSizes, printWithLibreOffice, sofficeAvailable } from "../print";
import { BASE, call, sessionCookieFor, unitId } from "../helpers";


const available = sofficeAvailable("the workbooks");

const dir = mkdtempSync(join(tmpdir(), "lmc-print-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Printed extends PrintedFile {
  /** the printed sizes (pt) of the Chinese words, smallest first */
  textSizes: number[];
  /** each page's Chinese word sizes (smallest first) and its text (white space removed) */
  pageWords: { heights: number[]; text: string }[];
}

/** Converts the workbooks with one LibreOffice start and reads each PDF back. */
function print(files: string[]): Map<string, Printed> {
  return new Map(
    [...printWithLibreOffice(files, dir)].map(([file, printed]) => {
      const pageWords = Array.from({ length: printed.pages }, (_, i) => {
        const words = printed.words.filter((w) => w.page === i + 1);
        return { heights: chineseTextSizes({ ...printed, words }), text: words.map((w) => w.text).join("") };
      });
      return [file, { ...printed, textSizes: chineseTextSizes(printed), pageWords }];
    }),
  );
}

async function save(response: Response, name: string): Promise<string> {
  expect(response.status).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** The text cells of the columns of the sheets, by sheet (dates and numbers are left out). */
async function columnTexts(file: string, columns: Record<number, number[]>): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const texts: string[] = [];
  workbook.worksheets.forEach((sheet, i) => {
    for (const col of columns[i] ?? []) {
      sheet.eachRow((row) => {
        const v = row.getCell(col).value;
        const s = typeof v === "string" ? v : v && typeof v === "object" && "text" in v ? String(v.text) : "";
        if (s.trim()) texts.push(s);
      });
    }
  });
  return [...new Set(texts)];
}

function expectReadable(printed: Printed, name: string, maxPages: number) {
  // A4 landscape
  expect(Math.round(printed.width), name).toBe(842);
  expect(Math.round(printed.height), name).toBe(595);
  expect(printed.pages, name).toBeGreaterThan(0);
  expect(printed.pages, name).toBeLessThanOrEqual(maxPages);
  // the body text prints at 9 pt or more: the size of nearly all printed Chinese words (the smallest 2% aside, for
  // a stray glyph), and their median
  const h = printed.textSizes;
  expect(h.length, name).toBeGreaterThan(50);
  expect(h[Math.floor(h.length * 0.02)]!, name).toBeGreaterThanOrEqual(9);
  expect(h[Math.floor(h.length / 2)]!, name).toBeGreaterThanOrEqual(9);
  // no number or date too wide for its column
  expect(printed.text, name).not.toContain("###");
}

function expectInFull(printed: Printed, texts: string[], name: string) {
  const cut = texts.filter((s) => !printed.text.includes(s.replace(/\s+/g, "")));
  expect(cut, `${name}: printed only in part`).toEqual([]);
}

describe.skipIf(!available)("the workbooks as LibreOffice prints them", () => {
  it("print on A4 landscape at 9 pt or more, every title and narrative in full, on a sane number of pages", { timeout: 240_000 }, async () => {
    const official = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    const ledger = await save(await call(ledgerRoute.loader, `/exports/ledger.xlsx?unit=${xsbn}&period=2023-H1`, { cookie: official }), "ledger.xlsx");
    const evaluation = await save(await call(evaluationRoute.loader, "/exports/evaluation.xlsx?period=2023-H1", { cookie: official }), "evaluation.xlsx");
    const list = await save(await call(listRoute.loader, `/exports/activities.xlsx?unit=${xsbn}`, { cookie: official }), "list.xlsx");
    const printed = print([ledger, evaluation, list]);

    // the 工作台账 (both sheets): the 14 activities of 西双版纳州 in 2023 H1 and the report's narratives
    const ledgerPrint = printed.get(ledger)!;
    expectReadable(ledgerPrint, "ledger", 12);
    const titles = (
      await db
        .selectFrom("activities as a")
        .innerJoin("organizations as o", "o.id", "a.organization_id")
        .select("a.title")
        .where("o.path", "like", `${(await db.selectFrom("organizations").select("path").where("id", "=", xsbn).executeTakeFirstOrThrow()).path}%`)
        .where("a.start_date", ">=", "2023-01-01")
        .where("a.start_date", "<=", "2023-06-30")
        .where("a.deleted_at", "is", null)
        .execute()
    ).map((a) => a.title);
    expect(titles.length).toBeGreaterThanOrEqual(14);
    expectInFull(ledgerPrint, titles, "ledger");
    // every text of the ledger: targets, progress, problems, next steps, outcomes, the 合计 and the signature block
    expectInFull(ledgerPrint, await columnTexts(ledger, { 0: [2, 3, 4, 5, 9, 10, 11, 12, 13], 1: [2, 5, 11] }), "ledger");
    for (const text of ["合计", "填报单位（盖章）", "单位负责人", "填报人", "联系电话", "填报日期", "第1页"]) expect(ledgerPrint.text).toContain(text);

    // the evaluation workbook: its item names, reasons, comments and activity titles and outcomes
    const evaluationPrint = printed.get(evaluation)!;
    expectReadable(evaluationPrint, "evaluation", 30);
    expectInFull(evaluationPrint, await columnTexts(evaluation, { 0: [2], 1: [1, 2, 14], 3: [2, 17], 4: [3, 5] }), "evaluation");

    // the activity list of the unit: every title and outcome
    const listPrint = printed.get(list)!;
    expectReadable(listPrint, "list", 30);
    const listTitles = await columnTexts(list, { 0: [2, 17] });
    expect(listTitles.length).toBeGreaterThanOrEqual(14);
    expectInFull(listPrint, listTitles, "list");
  });
});

describe.skipIf(!available)("the import's workbooks as LibreOffice prints them", () => {
  const zh = translator("zh-CN");

  /** Posts a file to the import page as a browser does; returns the upload's id. */
  async function upload(cookie: string, bytes: Buffer, name: string): Promise<string> {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(bytes)], name, { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    const response = (await importsRoute.action({ request: new Request(new URL("/imports", BASE), { method: "POST", headers: { Cookie: cookie }, body: form }), params: {}, context: {} })) as Response;
    // the upload answers at once; its worker thread reads and checks the file
    await importJobsIdle(db);
    const id = /^\/imports\?upload=(\d+)$/.exec(response.headers.get("Location") ?? "")?.[1];
    expect(id, "the upload is previewed").toBeDefined();
    return id!;
  }

  it("the template, blank and filled in, and the failed rows of an upload: 9 pt or more, on one page width, every word in full", { timeout: 240_000 }, async () => {
    const xsbn = await sessionCookieFor("xsbn");
    const template = await save(await call(templateRoute.loader, "/imports/template.xlsx", { cookie: xsbn }), "template.xlsx");

    // the template filled in with 西双版纳's own activities, as Excel saves it: each row as tall as its wrapped text
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(template);
    const sheet = workbook.worksheets[0]!;
    const unitPath = (await db.selectFrom("organizations").select("path").where("id", "=", await unitId("yn-xsbn")).executeTakeFirstOrThrow()).path;
    const activities = await db
      .selectFrom("activities as a")
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .select(["a.title", "a.type", "a.status", "a.start_date", "a.end_date", "a.counterpart_body", "a.location", "a.delegations_count", "a.participants_count", "a.funding_cny_fen", "a.funding_source", "a.outcome", "o.name_zh"])
      .where("o.path", "like", `${unitPath}%`)
      .where("a.deleted_at", "is", null)
      .orderBy("a.id")
      .limit(12)
      .execute();
    expect(activities.length).toBeGreaterThanOrEqual(10);
    activities.forEach((a, i) => {
      sheet.getRow(i + 2).values = [
        a.title,
        zh(`activity.type.${a.type}`),
        new Date(`${a.start_date}T00:00:00Z`),
        new Date(`${a.end_date}T00:00:00Z`),
        zh(`activity.status.${a.status}`),
        "4.2.5 农业",
        "5.4、4.3.1",
        "老挝、泰国",
        a.counterpart_body,
        a.location,
        a.delegations_count ?? 1,
        a.participants_count ?? 6,
        a.funding_cny_fen === null ? 12.5 : a.funding_cny_fen / 1_000_000,
        a.funding_source,
        a.outcome,
        `https://www.xsbn.gov.cn/wsb/news/${i + 1}.html`,
        a.name_zh,
      ];
    });
    fitRowHeights(sheet, 2);
    const filled = join(dir, "template-filled.xlsx");
    // Excel and WPS keep the template's default font when the office saves it filled in; exceljs, which fills it
    // here, writes its own Calibri 11 instead, so the saved file is given the template's back as they would keep it
    writeFileSync(filled, await withDefaultFont(Buffer.from(await workbook.xlsx.writeBuffer())));

    // the failed rows of that file, once two of its rows are wrong
    sheet.getCell("C2").value = "2024.13.45";
    sheet.getCell("F3").value = "9.9.9";
    const wrong = Buffer.from(await workbook.xlsx.writeBuffer());
    const id = await upload(xsbn, wrong, "台账.xlsx");
    const failed = await save(await call(failedRoute.loader, `/imports/${id}/failed.xlsx`, { cookie: xsbn, params: { id } }), "failed.xlsx");

    const printed = print([template, filled, failed]);

    // the blank template: the sheet to fill in (its header row) on one page width, then 填写说明 in full
    const blank = printed.get(template)!;
    expectReadable(blank, "template", 3);
    const header = blank.pageWords[0]!;
    expect(header.heights[0], "the template's header row").toBeGreaterThanOrEqual(9);
    // its first and last columns on the first page (a header that wraps is read line by line)
    for (const label of ["活动名称", "开始日期", "成果", "填报单位"]) expect(header.text, "the header row on one page").toContain(label);
    const help = await columnTexts(template, { 1: [1, 2, 3, 4] });
    expect(help).toContain("活动导入模板 · 填写说明");
    expect(help.length).toBeGreaterThanOrEqual(40);
    expectInFull(blank, help, "填写说明");

    // filled in: every row on one page width, at 9 pt or more, every title, outcome and unit in full
    const filledPrint = printed.get(filled)!;
    expectReadable(filledPrint, "filled template", 6);
    const fillPages = filledPrint.pageWords.filter((page) => page.text.includes("活动名称"));
    expect(fillPages.length).toBeGreaterThan(0);
    for (const page of fillPages) {
      expect(page.text, "each page of the sheet has every column").toContain("填报单位");
      expect(page.heights[Math.floor(page.heights.length / 2)]!).toBeGreaterThanOrEqual(9);
    }
    expectInFull(filledPrint, await columnTexts(filled, { 0: [1, 9, 10, 14, 15, 16, 17] }), "filled template");

    // the failed rows: the file's columns and 错误说明, every word of them
    const failedPrint = printed.get(failed)!;
    // every row of the filled template fails (its period is approved): the whole ledger, each row several lines tall
    expectReadable(failedPrint, "failed rows", 8);
    const failedTexts = await columnTexts(failed, { 0: Array.from({ length: 19 }, (_, i) => i + 1) });
    expect(failedTexts.some((text) => text.includes("2024.13.45") && text.startsWith("原第 2 行"))).toBe(true);
    expectInFull(failedPrint, failedTexts, "failed rows");
  });
});
