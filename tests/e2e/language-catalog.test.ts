// A page carries only its own language's messages (issue 17): the browser loads the Chinese catalog for a Chinese
// page and the English one for an English page, never both, and hydrates without a mismatch; the header's switch
// still turns the page into the other language, and signing in as someone who reads English shows English.
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

/** The language catalogs (chunks named zh-CN-… and en-…) this document has loaded. */
function catalogsLoaded(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((entry) => /\/build\/_shared\/(zh-CN|en)-[A-Z0-9]+\.js$/.exec(entry.name)?.[1])
      .filter((name): name is string => Boolean(name)),
  );
}

describe("the language catalogs", () => {
  it("are loaded one per page, the page's own, and the switch changes the language both ways", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseURL, "kunming");
    await useLocale(page, baseURL, "zh-CN");

    await page.goto(`${baseURL}/activities`, { waitUntil: "networkidle" });
    expect(await catalogsLoaded(page)).toEqual(["zh-CN"]);
    await expect(page.locator("h1").textContent()).resolves.toContain("活动台账");

    // the switch, with JavaScript: the page comes back in English, all of it
    await page.click('button:has-text("English")');
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.locator("h1", { hasText: "Activity ledger" }).waitFor();
    expect(await page.locator("header").textContent()).not.toContain("活动台账");

    // a fresh English page loads the English catalog only
    await page.goto(`${baseURL}/activities`, { waitUntil: "networkidle" });
    expect(await catalogsLoaded(page)).toEqual(["en"]);
    await page.locator("h1", { hasText: "Activity ledger" }).waitFor();

    // signing in elsewhere as the same person (who now reads English) shows English once the page has settled
    const other = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const second = await other.newPage();
    const secondErrors = watchErrors(second);
    await signIn(second, baseURL, "kunming");
    await second.waitForFunction(() => document.documentElement.lang === "en");
    await second.locator("nav a", { hasText: "Activities" }).first().waitFor();
    expect(await second.title()).toMatch(/LMC/);
    await other.close();

    // and back: the Chinese catalog arrives with the switch
    await page.click('button:has-text("简体中文")');
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
    await page.locator("h1", { hasText: "活动台账" }).waitFor();
    await page.goto(`${baseURL}/plan`, { waitUntil: "networkidle" });
    expect(await catalogsLoaded(page)).toEqual(["zh-CN"]);

    // no hydration mismatch, no failed chunk, in either language
    expect(errors).toEqual([]);
    expect(secondErrors).toEqual([]);
    await context.close();
  });
});
