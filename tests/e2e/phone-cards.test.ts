// On a 390 px phone (issue 17) the activity ledger and the administrators' user table are read as cards, one per
// row: an activity's dates sit on one line instead of one character per line, its title spans the card; an
// account's name and unit are whole words. On a 1366 px screen, and on paper, both stay tables.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function as(username: string, width: number, locale: "zh-CN" | "en" = "zh-CN") {
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, baseURL, username);
  await useLocale(page, baseURL, locale);
  return { context, page, errors };
}

/** How many lines the first element matching the selector takes, from its height and line height. */
function lines(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => {
    const style = getComputedStyle(el);
    const line = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.5;
    return Math.round(el.getBoundingClientRect().height / line);
  });
}

describe("the activity ledger", () => {
  for (const locale of ["zh-CN", "en"] as const) {
    it(`is a list of cards on a phone, with the dates on one line (${locale})`, async () => {
      const { context, page, errors } = await as("xsbn", 390, locale);
      await page.goto(`${baseURL}/activities`, { waitUntil: "networkidle" });
      const row = page.locator("table.activity-list tbody tr").first();
      // the column headings are for screen readers only; each card names what needs naming
      expect(await page.locator("table.activity-list thead").boundingBox()).toMatchObject({ height: 1 });
      expect(await lines(page, "table.activity-list td.dates-cell")).toBe(1);
      const card = (await row.boundingBox())!;
      const title = (await row.locator("td.title-cell").boundingBox())!;
      expect(title.width).toBeGreaterThan(card.width * 0.6);
      expect(await row.locator("td.item-cell").evaluate((el) => getComputedStyle(el, "::before").content)).toBe(
        JSON.stringify(locale === "en" ? "Primary plan item" : "主要对应条款"),
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // on paper the same page is the table it is on a wide screen
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("table.activity-list").evaluate((el) => getComputedStyle(el).display)).toBe("table");
      expect(errors).toEqual([]);
      await page.emulateMedia({ media: "screen" });
      await useLocale(page, baseURL, "zh-CN");
      await context.close();
    });
  }

  it("stays a table on a wide screen", async () => {
    const { context, page } = await as("xsbn", 1366);
    await page.goto(`${baseURL}/activities`, { waitUntil: "networkidle" });
    expect(await page.locator("table.activity-list").evaluate((el) => getComputedStyle(el).display)).toBe("table");
    expect((await page.locator("table.activity-list thead").boundingBox())!.height).toBeGreaterThan(20);
    await context.close();
  });
});

describe("the administrators' user table", () => {
  it("is one card per account on a phone, names in whole words", async () => {
    const { context, page, errors } = await as("admin", 390);
    await page.goto(`${baseURL}/admin/users`, { waitUntil: "networkidle" });
    const row = page.locator('table.user-list tr[data-username="xsbn"]');
    // 西双版纳傣族自治州 on one line, not a column one character wide
    expect(await lines(page, 'table.user-list tr[data-username="xsbn"] td.unit-cell')).toBe(1);
    expect(await lines(page, 'table.user-list tr[data-username="xsbn"] td.name-cell')).toBe(1);
    expect((await row.locator("td.actions-cell button", { hasText: "设置临时密码" }).boundingBox())!.width).toBeGreaterThan(60);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await context.close();
  });
});
