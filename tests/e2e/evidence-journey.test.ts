// A reporter of 西双版纳州 attaches evidence to an activity in a real browser: uploads a PDF and a PNG, sees the
// picture's thumbnail, downloads the PDF under its Chinese name with the same bytes, then finds it in the 工作台账's
// 佐证材料 column as a hyperlink to this site. A file that is no PDF, named .pdf, comes back with the reason.
import { readFile } from "node:fs/promises";
import SQLite from "better-sqlite3";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
let page: Page;
let errors: string[];

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
/** An 8×8 red PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC",
  "base64",
);

/** An activity of 西双版纳州 itself in 2024年上半年 (not frozen) with no evidence links, read from the served database. */
function activityToDocument(): { id: number; title: string; unit: number } {
  const served = new SQLite(inject("databasePath"), { readonly: true });
  try {
    return served
      .prepare(
        `SELECT a.id, a.title, o.id AS unit FROM activities a JOIN organizations o ON o.id = a.organization_id
         WHERE o.code = 'yn-xsbn' AND a.deleted_at IS NULL AND a.start_date BETWEEN '2024-01-01' AND '2024-06-30'
           AND NOT EXISTS (SELECT 1 FROM activity_evidence e WHERE e.activity_id = a.id)
         ORDER BY a.id LIMIT 1`,
      )
      .get() as { id: number; title: string; unit: number };
  } finally {
    served.close();
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: "zh-CN", acceptDownloads: true });
  page = await context.newPage();
  errors = watchErrors(page);
  page.on("dialog", (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
});

describe("evidence files on an activity", () => {
  const activity = activityToDocument();

  it("uploads a PDF and a PNG, and shows the picture's thumbnail", async () => {
    await signIn(page, baseURL, "xsbn");
    await useLocale(page, baseURL, "zh-CN");
    await page.goto(`${baseURL}/activities/${activity.id}`);
    await page.setInputFiles('#evidence input[name="file"]', { name: "签署的合作备忘录.pdf", mimeType: "application/pdf", buffer: PDF });
    await Promise.all([page.waitForURL(/notice=file_added/), page.click('#evidence button:has-text("上传文件")')]);
    await expect.poll(() => page.locator(".notice").textContent()).toBe("文件已上传。");
    await page.setInputFiles('#evidence input[name="file"]', { name: "会见合影.png", mimeType: "image/png", buffer: PNG });
    await page.click('#evidence button:has-text("上传文件")');
    await expect.poll(() => page.locator("#evidence .evidence-name a").allTextContents()).toEqual(["签署的合作备忘录.pdf", "会见合影.png"]);
    const thumbnail = page.locator('#evidence img[alt="会见合影.png 的缩略图"]');
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(8);
  });

  it("refuses a program named .pdf, with the reason beside the form", async () => {
    await page.goto(`${baseURL}/activities/${activity.id}`);
    await page.setInputFiles('#evidence input[name="file"]', { name: "扫描件.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ\x90\x00 not a pdf") });
    await page.click('#evidence button:has-text("上传文件")');
    await expect.poll(() => page.locator("#evidence-error").textContent()).toContain("不支持该文件类型");
    // the page it came back to lists the same two files, and leads back to the activity
    expect(await page.locator(".evidence-name a").count()).toBe(2);
  });

  it("downloads the PDF under its Chinese name, with the bytes uploaded", async () => {
    await page.goto(`${baseURL}/activities/${activity.id}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('#evidence a:has-text("签署的合作备忘录.pdf")')]);
    expect(download.suggestedFilename()).toBe("签署的合作备忘录.pdf");
    expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);
  });

  it("finds the PDF in the 工作台账's 佐证材料 as a hyperlink to this site", async () => {
    const response = await page.request.get(`${baseURL}/exports/ledger.xlsx?unit=${activity.unit}&period=2024-H1`);
    expect(response.status()).toBe(200);
    const book = new ExcelJS.Workbook();
    const body = await response.body();
    await book.xlsx.load(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    let cell: ExcelJS.CellValue = null;
    book.worksheets[0]!.eachRow((row) => {
      if (row.getCell(4).value === activity.title) cell = row.getCell(13).value;
    });
    const link = cell as unknown as { text: string; hyperlink: string };
    expect(link.text).toBe("签署的合作备忘录.pdf\n会见合影.png");
    expect(link.hyperlink).toMatch(new RegExp(`^${baseURL}/files/\\d+$`));
    // the link opens the same file
    const file = await page.request.get(link.hyperlink);
    expect(file.headers()["content-type"]).toBe("application/pdf");
    expect(Buffer.from(await file.body()).equals(PDF)).toBe(true);
    expect(errors.filter((e) => !/status of 415/.test(e))).toEqual([]);
  });
});
