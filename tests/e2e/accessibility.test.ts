// Keyboard and screen-reader users after the page changes without a reload: focus goes to the new page's heading,
// or to the message a save answered with; the sign-in page passes axe on a phone. (Every signed-in page is checked
// with axe, for every role and in both languages, in pages-smoke.test.ts.)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, watchErrors } from "./browser";

const baseURL = inject("baseURL");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const focused = () =>
  `${document.activeElement?.tagName.toLowerCase()}:${(document.activeElement?.textContent ?? "").trim().slice(0, 40)}`;

describe("focus after a page changes in place", () => {
  it("moves to the new page's heading after following a link in the header", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, baseURL, "reviewer");
    await page.goto(`${baseURL}/plan`);
    await page.waitForLoadState("networkidle");
    await Promise.all([page.waitForURL(/\/activities$/), page.click('nav.nav-wide a[href="/activities"]')]);
    await expect.poll(() => page.evaluate(focused)).toMatch(/^h1:/);
    expect(await page.evaluate(focused)).toBe(`h1:${(await page.locator("main h1").textContent())?.trim().slice(0, 40)}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("moves to the first error when the server refuses a form, so that it is read out", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await signIn(page, baseURL, "xsbn");
    await page.goto(`${baseURL}/activities/new`);
    await page.waitForLoadState("networkidle");
    // as a browser that does not check `required` itself: the server's answer is what the user gets
    await page.evaluate(() => document.querySelectorAll("[required]").forEach((el) => el.removeAttribute("required")));
    await page.click(".form-actions button.primary");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.matches('[role="alert"], .form-error, [aria-invalid="true"]') ?? false))
      .toBe(true);
    await context.close();
  });
});

describe("the sign-in page", () => {
  it("fits a phone and has no serious or critical axe finding, in both languages", async () => {
    for (const locale of ["zh-CN", "en"]) {
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${baseURL}/login`);
      if (locale === "en") {
        await page.click('button:has-text("English")');
        await page.waitForFunction(() => document.documentElement.lang === "en");
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ["violations"] })).violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
      });
      expect(violations, locale).toEqual([]);
      await context.close();
    }
  });
});
