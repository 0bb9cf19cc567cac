// The documents of an approved period, taken out the way people take them: 西双版纳州's 2023年上半年 report (seeded,
// approved; no other journey changes it) is opened by the unit's reporter from 我的报告 and by the reviewer from the
// monitoring matrix, and each downloads its 工作台账 and 文字材料 by the links on the page; the official takes the
// province-wide and all-units ledgers and the evaluation workbook from the evaluation and monitoring pages. The
// files are checked as an office would: readable names, the 15 standard columns, 填报人 the reporter who drafted it
// and 审核人 the reviewer who approved it (whoever downloads), and, printed by LibreOffice, text of 9 pt or more with
// every activity and narrative in full, the 公文's title and its "— 1 —" page number. The English Word file's
// headings hold no Chinese.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoUsers } from "../../seeds/data/users";
import { chineseTextSizes, printWithLibreOffice, sofficeAvailable } from "../print";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
const dir = mkdtempSync(join(tmpdir(), "lmc-downloads-"));
const printable = sofficeAvailable("the downloaded ledger and Word file");

const UNIT = "西双版纳傣族自治州";
const PERIOD = "2023年上半年";
const REPORTER = demoUsers.find((u) => u.username === "xsbn")!.displayName;
const REVIEWER = demoUsers.find((u) => u.username === "reviewer")!.displayName;
const STANDARD_COLUMNS = [
  "序号", "对应条款", "重点任务", "具体举措", "量化目标", "牵头单位", "配合单位", "完成时限",
  "进展情况", "完成进度", "存在问题", "下一步打算", "佐证材料", "预警", "备注",
];

let browser: Browser;
/** One browser context (its own cookies and downloads) per person, signed in once. */
const people: Record<string, { page: Page; errors: string[] }> = {};

async function as(username: string): Promise<Page> {
  if (!people[username]) {
    const page = await (await browser.newContext({ locale: "zh-CN", acceptDownloads: true })).newPage();
    people[username] = { page, errors: watchErrors(page) };
    await signIn(page, baseURL, username);
    await useLocale(page, baseURL, "zh-CN");
  }
  return people[username]!.page;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Downloaded {
  name: string;
  path: string;
}

let saved = 0;
/** Clicks the link and keeps the file it downloads, under the name the browser suggests. */
async function download(page: Page, link: ReturnType<Page["locator"]>): Promise<Downloaded> {
  await expect.poll(() => link.count(), { message: "the link is on the page" }).toBe(1);
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(await file.failure(), `${file.suggestedFilename()} downloads`).toBeNull();
  const name = file.suggestedFilename();
  const path = join(dir, `${++saved}`, name);
  await file.saveAs(path);
  return { name, path };
}

async function workbook(file: Downloaded): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file.path);
  return book;
}

function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object" || value instanceof Date) return String(value);
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("text" in value) return String(value.text);
  return "";
}

/** Sheet 1 of a ledger: its header row's titles, the header block's lines above it, and each column's texts below. */
function ledgerSheet(book: ExcelJS.Workbook) {
  const sheet = book.worksheets[0]!;
  let header = 0;
  for (let r = 1; r <= 12 && !header; r++) if (text(sheet.getRow(r).getCell(1).value) === "序号") header = r;
  expect(header, "the ledger's header row").toBeGreaterThan(0);
  const row = (r: number) => (sheet.getRow(r).values as ExcelJS.CellValue[]).slice(1).map(text);
  const above = [...new Set(Array.from({ length: header - 1 }, (_, i) => row(i + 1)).flat())].filter(Boolean);
  const column = (name: string) => {
    const col = row(header).indexOf(name) + 1;
    const out: string[] = [];
    for (let r = header + 1; r <= sheet.rowCount; r++) out.push(text(sheet.getRow(r).getCell(col).value));
    return out.filter(Boolean);
  };
  return { name: sheet.name, columns: row(header), above, column };
}

/** What the approved report page shows: each activity's title and each plan item's 进展情况. */
async function reportContents(page: Page) {
  const titles = await page.locator("section.report-item .title-cell a").allTextContents();
  const progress = await page.locator("section.report-item .narrative", { has: page.locator("h4", { hasText: /^进展情况$/ }) }).locator("p").allTextContents();
  return { titles: [...new Set(titles.map((t) => t.trim()))], progress };
}

const flat = (s: string) => s.replace(/\s+/g, "");

let reportUrl = "";
let shown: { titles: string[]; progress: string[] } = { titles: [], progress: [] };
let reporterLedger: Downloaded;
let reporterDocx: Downloaded;

describe(`the approved ${PERIOD} report of ${UNIT}, downloaded`, () => {
  it("the unit's reporter finds it approved under 我的报告 and downloads its 工作台账 and Word file from it", async () => {
    const page = await as("xsbn");
    await page.goto(`${baseURL}/reports`);
    const row = page.locator(`#my-reports tr[data-period="2023-H1"]`);
    await expect.poll(() => row.locator(".status").first().textContent()).toBe("已通过");
    await Promise.all([page.waitForURL(/\/reports\/\d+\/2023-H1$/), row.locator("a").click()]);
    reportUrl = page.url();
    await expect.poll(() => page.locator("#approved-banner").count()).toBe(1);
    expect(await page.locator("h1").textContent()).toContain(UNIT);
    // who approved it, as the page's history says
    expect(await page.locator("ol.history").textContent()).toContain(REVIEWER);

    shown = await reportContents(page);
    expect(shown.titles.length).toBeGreaterThanOrEqual(14);
    expect(shown.progress.length).toBeGreaterThanOrEqual(5);

    reporterLedger = await download(page, page.locator("a", { hasText: /^下载工作台账$/ }));
    expect(reporterLedger.name).toBe(`${UNIT}_${PERIOD}_工作台账.xlsx`);
    reporterDocx = await download(page, page.locator("a", { hasText: /^文字材料（Word）$/ }));
    expect(reporterDocx.name).toBe(`云南省${UNIT}_${PERIOD}_工作情况报告.docx`);
  });

  it("the 工作台账 opens with the 15 standard columns, every activity, the reporter as 填报人 and the approving reviewer as 审核人", async () => {
    const sheet = ledgerSheet(await workbook(reporterLedger));
    expect(sheet.columns).toEqual(STANDARD_COLUMNS);
    expect(sheet.above).toContain(`填报单位：${UNIT}`);
    expect(sheet.above).toContain(`报告期：${PERIOD}`);
    expect(sheet.above).toContain(`填报人：${REPORTER}`);
    expect(sheet.above).toContain(`审核人：${REVIEWER}`);
    const measures = sheet.column("具体举措");
    expect(shown.titles.filter((t) => !measures.includes(t)), "activities on the page missing from the ledger").toEqual([]);
    const progress = sheet.column("进展情况");
    expect(shown.progress.filter((p) => !progress.includes(p)), "narratives on the page missing from the ledger").toEqual([]);
  });

  it("the reviewer opens the same report from the monitoring matrix: the files name the reporter, not the reviewer who downloads them", async () => {
    const page = await as("reviewer");
    await page.goto(`${baseURL}/monitoring`);
    await page.selectOption('.filters select[name="year"]', "2023");
    const unit = await page.locator('.filters select[name="unit"] option', { hasText: UNIT }).getAttribute("value");
    await page.selectOption('.filters select[name="unit"]', unit!);
    await Promise.all([page.waitForURL(/[?&]unit=\d+/), page.click('.filters button[type="submit"]')]);

    // the unit's ledger of the period, offered beside the matrix
    const exports = page.locator(".mon-exports li", { hasText: PERIOD });
    const fromMonitoring = await download(page, exports.locator("a", { hasText: `下载工作台账（${UNIT}）` }));
    expect(fromMonitoring.name).toBe(reporterLedger.name);
    expect(ledgerSheet(await workbook(fromMonitoring)).above).toContain(`填报人：${REPORTER}`);

    const cell = page.locator(`table.matrix a[title^="${UNIT} · ${PERIOD}"]`);
    await expect.poll(() => cell.textContent()).toBe("已通过");
    await Promise.all([page.waitForURL(reportUrl), cell.click()]);
    const ledger = await download(page, page.locator("a", { hasText: /^下载工作台账$/ }));
    expect(ledger.name).toBe(reporterLedger.name);
    const sheet = ledgerSheet(await workbook(ledger));
    expect(sheet.columns).toEqual(STANDARD_COLUMNS);
    expect(sheet.above).toContain(`填报人：${REPORTER}`);
    expect(sheet.above).toContain(`审核人：${REVIEWER}`);
    expect(sheet.column("具体举措")).toEqual(ledgerSheet(await workbook(reporterLedger)).column("具体举措"));
    const docx = await download(page, page.locator("a", { hasText: /^文字材料（Word）$/ }));
    expect(docx.name).toBe(reporterDocx.name);
  });

  let provinceLedger: Downloaded;
  it("the official takes the province-wide and all-units ledgers and the evaluation workbook from the evaluation page", async () => {
    const page = await as("official");
    await page.goto(`${baseURL}/evaluation`);
    await page.waitForLoadState("networkidle");
    await Promise.all([page.waitForURL(/\/evaluation\/2023-H1$/), page.selectOption(".page-head select", "2023-H1")]);
    const links = page.locator("p.export-links");

    provinceLedger = await download(page, links.locator("a", { hasText: "下载工作台账（云南省）" }));
    expect(provinceLedger.name).toBe(`云南省_${PERIOD}_工作台账.xlsx`);
    const province = ledgerSheet(await workbook(provinceLedger));
    expect(province.columns).toEqual(STANDARD_COLUMNS);
    expect(province.above).toContain("填报单位：云南省");
    expect(shown.titles.filter((t) => !province.column("具体举措").includes(t))).toEqual([]);

    const all = await download(page, links.locator("a", { hasText: "下载工作台账（全部单位）" }));
    expect(all.name).toBe(`全部单位_${PERIOD}_工作台账.xlsx`);
    const allUnits = ledgerSheet(await workbook(all));
    expect(allUnits.columns).toEqual(STANDARD_COLUMNS);
    expect(shown.titles.filter((t) => !allUnits.column("具体举措").includes(t))).toEqual([]);

    const evaluation = await download(page, links.locator("a", { hasText: "下载评估工作簿" }));
    expect(evaluation.name).toBe(`${PERIOD}_评估工作簿.xlsx`);
    const book = await workbook(evaluation);
    expect(book.worksheets.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(book.worksheets.map((s) => s.getSheetValues()))).toContain(UNIT);
  });

  it("the official finds the same three on the monitoring page, for each period of the year in view", async () => {
    const page = await as("official");
    await page.goto(`${baseURL}/monitoring`);
    await page.selectOption('.filters select[name="year"]', "2023");
    await Promise.all([page.waitForURL(/[?&]year=2023/), page.click('.filters button[type="submit"]')]);
    for (const period of ["2023年上半年", "2023年下半年"]) {
      const li = page.locator(".mon-exports li", { hasText: period });
      for (const label of ["下载工作台账（云南省）", "下载工作台账（全部单位）", "下载评估工作簿"]) {
        expect(await li.locator("a", { hasText: label }).count(), `${period}: ${label}`).toBe(1);
      }
    }
    const li = page.locator(".mon-exports li", { hasText: PERIOD });
    const province = await download(page, li.locator("a", { hasText: "下载工作台账（云南省）" }));
    expect(province.name).toBe(provinceLedger.name);
    expect(ledgerSheet(await workbook(province)).column("具体举措")).toEqual(ledgerSheet(await workbook(provinceLedger)).column("具体举措"));
  });

  it("the reviewer is offered the same on the evaluation page; a reporter only what a reporter may download", async () => {
    const reviewer = await as("reviewer");
    await reviewer.goto(`${baseURL}/evaluation/2023-H1`);
    for (const label of ["下载工作台账（云南省）", "下载工作台账（全部单位）", "下载评估工作簿"]) {
      expect(await reviewer.locator("p.export-links a", { hasText: label }).count(), label).toBe(1);
    }
    // the ledgers of all units and of the province are the secretariat's: a reporter is not shown links that refuse them
    const reporter = await as("xsbn");
    await reporter.goto(`${baseURL}/evaluation/2023-H1`);
    await expect.poll(() => reporter.locator("p.export-links a", { hasText: "下载评估工作簿" }).count()).toBe(1);
    expect(await reporter.locator("p.export-links a", { hasText: "全部单位" }).count()).toBe(0);
    expect(await reporter.locator("p.export-links a", { hasText: "云南省" }).count()).toBe(0);
    const evaluation = await download(reporter, reporter.locator("p.export-links a", { hasText: "下载评估工作簿" }));
    expect((await workbook(evaluation)).worksheets.length).toBeGreaterThanOrEqual(4);
  });

  it.skipIf(!printable)("prints as an office prints it: the ledger at 9 pt or more with every activity and narrative whole; the Word file's title, narratives and — 1 —", { timeout: 240_000 }, async () => {
    const printed = printWithLibreOffice([reporterLedger.path, reporterDocx.path], dir);

    const ledger = printed.get(reporterLedger.path)!;
    expect([Math.round(ledger.width), Math.round(ledger.height)], "A4 landscape").toEqual([842, 595]);
    const ledgerSizes = chineseTextSizes(ledger);
    expect(ledgerSizes.length).toBeGreaterThan(100);
    // nearly every Chinese word (a stray glyph aside) at 9 pt or more
    expect(ledgerSizes[Math.floor(ledgerSizes.length * 0.02)]!, "the ledger's smaller text (pt)").toBeGreaterThanOrEqual(9);
    expect(shown.titles.filter((t) => !ledger.text.includes(flat(t))), "activity titles printed only in part").toEqual([]);
    expect(shown.progress.filter((p) => !ledger.text.includes(flat(p))), "narratives printed only in part").toEqual([]);
    for (const words of [`填报人：${REPORTER}`, `审核人：${REVIEWER}`, "合计", "第1页"]) expect(ledger.text).toContain(flat(words));

    const docx = printed.get(reporterDocx.path)!;
    expect([Math.round(docx.width), Math.round(docx.height)], "A4 portrait").toEqual([595, 842]);
    const docxSizes = chineseTextSizes(docx);
    expect(docxSizes[Math.floor(docxSizes.length * 0.02)]!, "the Word file's smaller text (pt)").toBeGreaterThanOrEqual(9);
    // the title, at the top of page 1 and larger than the body
    const title = `${UNIT}${PERIOD}落实澜湄合作五年行动计划工作情况报告`;
    expect(docx.text.startsWith(title)).toBe(true);
    expect((docx.words[0]!.yMax - docx.words[0]!.yMin) / 1.3).toBeGreaterThan(docxSizes[Math.floor(docxSizes.length / 2)]! + 4);
    // — 1 — at the foot of page 1: its lowest line
    const first = docx.words.filter((w) => w.page === 1);
    const bottom = Math.max(...first.map((w) => w.yMin));
    const foot = first.filter((w) => w.yMin > bottom - 2);
    expect(foot.map((w) => w.text).join(" ")).toBe("— 1 —");
    // what the unit reported, in full (the page numbers read between two pages taken out)
    const body = docx.text.replace(/—\d+—/g, "");
    expect(shown.progress.filter((p) => !body.includes(flat(p))), "narratives printed only in part").toEqual([]);
  });

  it("the English Word file, from the draft the report page links to, has no Chinese in its headings", async () => {
    const page = await as("xsbn");
    await page.goto(reportUrl);
    await Promise.all([page.waitForURL(/\/drafts\?/), page.click('a:has-text("生成文字材料")')]);
    const english = await download(page, page.locator("#draft-docx-en"));
    expect(english.name).toBe("Xishuangbanna Dai Autonomous Prefecture_2023 H1_work report.docx");
    // the title and headings: the paragraphs set in bold throughout
    const xml = execFileSync("unzip", ["-p", english.path, "word/document.xml"]).toString();
    const headings = xml
      .split("</w:p>")
      .map((p) => [...p.matchAll(/<w:r>(.*?)<\/w:r>/g)].map((r) => ({ bold: r[1]!.includes("<w:b/>"), text: [...r[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join("") })))
      .filter((runs) => runs.length > 0 && runs.every((r) => r.bold))
      .map((runs) => runs.map((r) => r.text).join(""))
      .filter((s) => s.trim());
    expect(headings.length).toBeGreaterThanOrEqual(4);
    expect(headings[0]).toContain("Xishuangbanna");
    expect(headings.filter((h) => /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(h))).toEqual([]);
  });

  it("logged no error in any browser", () => {
    expect(Object.values(people).flatMap((p) => p.errors)).toEqual([]);
  });
});
