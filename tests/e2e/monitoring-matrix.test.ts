// The 督查 matrix as the secretariat sees it: the newest period opens beside the units, and while the table is
// scrolled sideways to the oldest periods the unit column stays at the left edge and the two rates at the right —
// at 1366 px in Chinese and English, and on a 390 px phone without the page growing wider than the screen.
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

async function open(locale: "zh-CN" | "en", width: number): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, baseURL, "reviewer");
  await useLocale(page, baseURL, locale);
  await page.goto(`${baseURL}/monitoring`);
  await page.waitForLoadState("networkidle");
  return { page, errors };
}

/** Where the matrix's box, its first unit cell and its two rate headers are on screen. */
function layout(page: Page) {
  return page.evaluate(() => {
    const wrap = document.querySelector("table.matrix")!.closest(".table-wrap")!;
    const box = (selector: string) => {
      const r = document.querySelector(selector)!.getBoundingClientRect();
      return { left: Math.round(r.left), right: Math.round(r.right) };
    };
    return {
      wrap: box(".table-wrap:has(table.matrix)"),
      scrollable: wrap.scrollWidth > wrap.clientWidth,
      unit: box("table.matrix tbody th[scope=row]"),
      completeness: box("table.matrix thead th.mon-rate-completeness"),
      timeliness: box("table.matrix thead th.mon-rate-timeliness"),
      periods: [...document.querySelectorAll("table.matrix thead th")].slice(1, -2).map((th) => th.textContent!.trim()),
    };
  });
}

async function scrollToOldest(page: Page) {
  await page.locator(".table-wrap:has(table.matrix)").evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
}

describe("the submission matrix", () => {
  for (const [locale, newest, oldest] of [
    ["zh-CN", /^\d{4}年(上|下)半年$/, "2023年上半年"],
    ["en", /^\d{4} H[12]$/, "2023 H1"],
  ] as const) {
    it(`opens on the newest period and keeps the units and the rates in view at 1366 px (${locale})`, async () => {
      const { page, errors } = await open(locale, 1366);
      const before = await layout(page);
      // periods run from the newest (the one being reported now) to 2023's first half
      expect(before.periods.length).toBeGreaterThan(5);
      expect(before.periods[0]).toMatch(newest);
      expect(before.periods.at(-1)).toBe(oldest);
      if (locale === "en") expect(before.periods).toEqual([...before.periods].sort().reverse());

      await scrollToOldest(page);
      const after = await layout(page);
      for (const state of [before, after]) {
        expect(state.unit.left).toBeGreaterThanOrEqual(state.wrap.left);
        expect(state.timeliness.right).toBeLessThanOrEqual(state.wrap.right);
        expect(state.completeness.right).toBeLessThanOrEqual(state.timeliness.left + 1);
        expect(state.completeness.left).toBeGreaterThan(state.unit.right);
      }
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it("on a 390 px phone scrolls inside its box, the unit column and the rates staying on screen", async () => {
    const { page, errors } = await open("en", 390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const before = await layout(page);
    expect(before.scrollable).toBe(true);
    await scrollToOldest(page);
    const after = await layout(page);
    expect(after.unit.left).toBeGreaterThanOrEqual(after.wrap.left);
    expect(after.timeliness.right).toBeLessThanOrEqual(after.wrap.right);
    expect(after.completeness.left).toBeGreaterThan(after.unit.right);
    // the rates' cells are readable, not covered by the periods scrolled beneath them
    const rate = await page.evaluate(() => {
      const cell = document.querySelector("table.matrix tbody td.mon-rate-timeliness")!;
      const r = cell.getBoundingClientRect();
      return cell.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    });
    expect(rate).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
