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
import * as listRoute from "~/routes/exports.activities[.]xlsx";
import * as evaluationRoute from "~/routes/exports.evaluation[.]xlsx";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import { db } from "~/utils/db.server";
import { type Printed as PrintedFile, chineseTextSizes, printWithLibreOffice, sofficeAvailable } from "../print";
import { call, sessionCookieFor, unitId } from "../helpers";


const available = sofficeAvailable("the workbooks");

const dir = mkdtempSync(join(tmpdir(), "lmc-print-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Printed extends PrintedFile {
  /** the printed sizes (pt) of the Chinese words, smallest first */
  textSizes: number[];
}

/** Converts the workbooks with one LibreOffice start and reads each PDF back. */
function print(files: string[]): Map<string, Printed> {
  return new Map([...printWithLibreOffice(files, dir)].map(([file, printed]) => [file, { ...printed, textSizes: chineseTextSizes(printed) }]));
}

async function save(response: Response, name: string): Promise<string> {
  expect(response.status).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** The text cells of a column of every visible sheet's data rows (below the header row), by sheet. */
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
