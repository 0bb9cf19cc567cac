// Every page of the app, as every role, in both languages, on a 390 × 844 phone: it renders (or answers 403 where
// the role may not go), hydrates without a mismatch, logs no error in the browser, is no wider than the screen,
// and axe-core finds no serious or critical accessibility violation on it; in English it shows no Chinese UI text
// and no full-width punctuation (what users wrote in Chinese, and the plan's original marked lang="zh-CN", aside).
// A page that imports a runtime value from a .server module, or renders differently on server and client, fails here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import SQLite from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { zhCN } from "../../app/i18n/zh-CN";
import { chineseCatalogPieces, launchBrowser, mixedLanguageTexts, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
/** axe-core from npm, evaluated in the page (through the debugging protocol, which the page's CSP does not govern) */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PHONE = { width: 390, height: 844 };
const ZH_PIECES = chineseCatalogPieces(zhCN);

/** What axe-core finds serious or critical on the page, one line per rule with the first elements it names. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES = [
  "/",
  "/plan",
  "/plan/4.2.5",
  "/plan/4.1.3",
  "/areas/agriculture-poverty",
  "/activities",
  "/activities?item=4.2&country=LA&sort=funding",
  "/activities?notice=__proto__",
  "/indicators?notice=constructor",
  "/activities/1",
  "/activities/new",
  "/trash",
  "/reports",
  "/evaluation/2023-H1",
  "/indicators",
  "/monitoring",
  "/monitoring/coverage",
  "/monitoring/duplicates",
  "/monitoring/approve",
  "/inbox",
  "/dashboard",
  "/dashboard?period=2023-H1&country=LA",
  "/drafts",
  "/print/progress?period=2023-H1",
  "/imports",
  "/files?activity=1",
  "/counterparts",
  "/counterparts?country=LA&sort=recent",
  "/sister-cities",
  "/sister-cities?stage=established&class=dormant",
  "/sister-cities/new",
  "/admin/periods",
  "/admin/users",
  "/account/password",
];

/** Pages a role may not open: they answer 403 with the translated error page. */
const FORBIDDEN: Record<string, string[]> = {
  xsbn: ["/monitoring/duplicates", "/monitoring/approve", "/admin/periods", "/admin/users", "counterpart-edit"],
  xsbn_leader: ["/activities/new", "/imports", "/monitoring/duplicates", "/monitoring/approve", "/sister-cities/new", "/admin/periods", "/admin/users", "counterpart-edit"],
  reviewer: ["/activities/new", "/imports", "/admin/periods", "/admin/users"],
  official: ["/activities/new", "/imports", "/monitoring/duplicates", "/monitoring/approve", "/sister-cities/new", "/admin/periods", "/admin/users", "counterpart-edit"],
  admin: ["/activities/new", "/imports", "/monitoring/duplicates", "/monitoring/approve"],
};

describe("every page as every role", () => {
  for (const [username, refused] of Object.entries(FORBIDDEN)) {
    it(`renders for ${username} in Chinese and English without browser errors, within a phone's width, accessibly`, async () => {
      const context = await browser.newContext({ locale: "zh-CN", viewport: PHONE });
      const page = await context.newPage();
      const errors = watchErrors(page);
      let forbidden = refused;
      await signIn(page, baseURL, username);
      await useLocale(page, baseURL, "zh-CN");
      // the unit report of 西双版纳州 for 2023 H1 (seeded, approved)
      await page.goto(`${baseURL}/reports`);
      // read from the served database itself: no fallback that would quietly test another unit
      const served = new SQLite(inject("databasePath"), { readonly: true });
      const xsbn = (served.prepare("SELECT id FROM organizations WHERE code = 'yn-xsbn'").get() as { id: number }).id;
      // a body of the counterpart register with a timeline (the demo ledger names 占巴塞省 twice)
      const champasak = (served.prepare("SELECT id FROM counterparts WHERE code = 'la-champasak'").get() as { id: number }).id;
      // a sister-city relationship the documents name (西双版纳州 – 琅勃拉邦省, 2003)
      const luangPrabang = (served.prepare("SELECT id FROM sister_cities WHERE seed_key = 'xsbn-luang-prabang'").get() as { id: number }).id;
      served.close();
      const counterpartEdit = `/counterparts/${champasak}/edit`;
      const pages = [...PAGES, `/counterparts/${champasak}`, counterpartEdit, `/sister-cities/${luangPrabang}`, `/files?unit=${xsbn}&period=2023-H1`, `/reports/${xsbn}/2023-H1`];
      pages.push(`${pages.at(-1)}/print`);
      forbidden = forbidden.map((p) => (p === "counterpart-edit" ? counterpartEdit : p));
      // every page's findings are collected, so that one run shows them all; the language is set back first
      const problems: string[] = [];
      for (const locale of ["zh-CN", "en"]) {
        if (locale === "en") await useLocale(page, baseURL, "en");
        for (const path of pages) {
          const where = `${username} ${locale} ${path}`;
          const response = await page.goto(`${baseURL}${path}`);
          const expected = forbidden.includes(path) ? 403 : 200;
          if (response?.status() !== expected) problems.push(`${where}: ${response?.status()}, expected ${expected}`);
          await page.waitForLoadState("networkidle");
          const lang = await page.locator("html").getAttribute("lang");
          if (lang !== locale) problems.push(`${where}: lang=${lang}`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > PHONE.width) problems.push(`${where}: ${width} px wide on a ${PHONE.width} px phone`);
          for (const violation of await accessibilityViolations(page)) problems.push(`${where}: ${violation}`);
          if (locale === "en") for (const text of await mixedLanguageTexts(page, ZH_PIECES)) problems.push(`${where}: Chinese in English: ${text}`);
        }
      }
      // back to Chinese: the choice is saved on the user, and the other journeys sign in as the same people
      await useLocale(page, baseURL, "zh-CN");
      expect(problems).toEqual([]);
      // the 403 pages log their status as a failed resource; nothing else may be logged
      const forbiddenLoads = forbidden.length * 2;
      expect(errors.filter((e) => !/status of 403/.test(e)), username).toEqual([]);
      expect(errors.filter((e) => /status of 403/.test(e)).length).toBe(forbiddenLoads);
      await context.close();
    }, 300_000); // every page twice, in two languages, with axe: two minutes on an idle machine, more on a busy one
  }
});
