// Excel in and out in a real browser: a reporter downloads the template, fills it in (one good row, one wrong),
// uploads it, imports the valid row, downloads the failed row, fixes it and imports it; the same file again adds
// nothing; the 工作台账 and the list export then hold what was imported. Its dates are in 2026年上半年, a period
// no other journey approves (an approved period would freeze the rows).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
const dir = mkdtempSync(join(tmpdir(), "lmc-excel-"));
const stamp = Date.now();
const goodTitle = `昆明—万象友城青年交流营（浏览器测试 ${stamp}）`;
const badTitle = `万象青年代表团来访（浏览器测试 ${stamp}）`;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ locale: "zh-CN", acceptDownloads: true })).newPage();
  errors = watchErrors(page);
  await signIn(page, baseURL, "kunming");
  await useLocale(page, baseURL, "zh-CN");
});
afterAll(async () => {
  await browser?.close();
});

async function download(click: () => Promise<void>): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = join(dir, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return path;
}

/** The worksheet's header row: the first row holding the "活动名称" column, and each header's column number. */
function headerOf(sheet: ExcelJS.Worksheet) {
  for (let r = 1; r <= 20; r++) {
    const columns = new Map<string, number>();
    sheet.getRow(r).eachCell((cell, col) => columns.set(String(cell.value ?? "").replace(/[*＊\s]/g, ""), col));
    if (columns.has("活动名称")) return { row: r, col: (name: string) => columns.get(name)! };
  }
  throw new Error("no header row");
}

/** A Buffer's own bytes as an ArrayBuffer (a Buffer may sit in a larger shared one). */
function arrayBufferOf(body: Buffer): ArrayBuffer {
  return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
}

async function upload(path: string) {
  await page.goto(`${baseURL}/imports`);
  await page.setInputFiles('input[name="file"]', path);
  await Promise.all([page.waitForSelector("#preview-title"), page.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
}

let templatePath = "";
let filledPath = "";
let badRow = 0;

describe("a reporter of 昆明市 brings a spreadsheet in and takes the ledger out", () => {
  it("downloads the template and fills in one good row and one wrong one", async () => {
    await page.goto(`${baseURL}/imports`);
    templatePath = await download(() => page.click('a[href="/imports/template.xlsx"]'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(templatePath);
    const sheet = book.worksheets[0]!;
    const { row, col } = headerOf(sheet);
    const write = (r: number, values: Record<string, string>) => {
      for (const [name, value] of Object.entries(values)) sheet.getRow(r).getCell(col(name)).value = value;
    };
    write(row + 1, {
      活动名称: goodTitle,
      活动类型: "培训",
      开始日期: "2026年3月8日",
      结束日期: "2026.3.10",
      状态: "已完成",
      主要对应条款: "4.3.7",
      对方国家: "老挝",
      人次: "30人次",
      "资金（万元）": "12万元",
      填报单位: "昆明市",
    });
    badRow = row + 2;
    write(badRow, {
      活动名称: badTitle,
      活动类型: "来访",
      开始日期: "2026-04-10",
      结束日期: "2026-04-01",
      状态: "已完成",
      主要对应条款: "4.3.2",
      对方国家: "老挝",
      填报单位: "昆明市",
    });
    filledPath = join(dir, "filled.xlsx");
    await book.xlsx.writeFile(filledPath);
  });

  it("previews the file with the wrong row pinned to the row Excel shows, and imports only the valid one", async () => {
    await upload(filledPath);
    const wrong = page.locator("table.import-rows tbody tr", { hasText: badTitle });
    await expect.poll(() => wrong.count()).toBe(1);
    expect(await wrong.locator("td").first().textContent()).toBe(String(badRow));
    expect(await wrong.locator(".import-errors").textContent()).toContain("结束日期");
    // importing everything is refused while a row is wrong; the valid rows can go in
    expect(await page.locator('button[name="mode"][value="all"]').isDisabled()).toBe(true);
    await page.click('button[name="mode"][value="valid"]');
    await expect.poll(() => page.locator(".notice").first().textContent()).toContain("新增 1 项活动");
  });

  it("downloads the failed row, fixes it and imports it", async () => {
    await upload(filledPath);
    // the good row is now recognised as already present; the wrong one is still wrong
    await expect.poll(() => page.locator("table.import-rows").textContent()).toContain(badTitle);
    const failedPath = await download(() => page.click('a[href$="/failed.xlsx"]'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(failedPath);
    const sheet = book.worksheets[0]!;
    const { row, col } = headerOf(sheet);
    expect(String(sheet.getRow(row + 1).getCell(col("活动名称")).value)).toBe(badTitle);
    sheet.getRow(row + 1).getCell(col("结束日期")).value = "2026-04-12";
    const fixedPath = join(dir, "fixed.xlsx");
    await book.xlsx.writeFile(fixedPath);

    await upload(fixedPath);
    expect(await page.locator('button[name="mode"][value="all"]').isDisabled()).toBe(false);
    await page.click('button[name="mode"][value="all"]');
    await expect.poll(() => page.locator(".notice").first().textContent()).toContain("新增 1 项活动");
  });

  it("adds nothing when the same file comes in again", async () => {
    await upload(filledPath);
    expect(await page.locator('button[name="mode"][value="valid"]').isDisabled()).toBe(true);
  });

  it("finds both rows in the list export and in the 工作台账 of 2026年上半年", async () => {
    const list = await page.context().request.get(`${baseURL}/exports/activities.xlsx?q=${encodeURIComponent(`浏览器测试 ${stamp}`)}`);
    expect(list.status()).toBe(200);
    const listBook = new ExcelJS.Workbook();
    await listBook.xlsx.load(arrayBufferOf(await list.body()));
    const listText = JSON.stringify(listBook.worksheets[0]!.getSheetValues());
    expect(listText).toContain(goodTitle);
    expect(listText).toContain(badTitle);

    await page.goto(`${baseURL}/reports`);
    const unitId = await page.evaluate(() => document.querySelector("#my-reports a")?.getAttribute("href")?.split("/")[2]);
    const ledger = await page.context().request.get(`${baseURL}/exports/ledger.xlsx?unit=${unitId}&period=2026-H1`);
    expect(ledger.status()).toBe(200);
    expect(ledger.headers()["content-disposition"]).toContain("filename*=UTF-8''");
    const ledgerBook = new ExcelJS.Workbook();
    await ledgerBook.xlsx.load(arrayBufferOf(await ledger.body()));
    const ledgerText = JSON.stringify(ledgerBook.worksheets[0]!.getSheetValues());
    expect(ledgerText).toContain(goodTitle);
    expect(ledgerText).toContain(badTitle);
  });

  it("logged no errors in the browser beyond the refused upload of a file already imported", () => {
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
