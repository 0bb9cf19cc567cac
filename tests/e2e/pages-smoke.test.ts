// Every page of the app, as every role, in both languages: it renders (or answers 403 where the role may not
// go), hydrates without a mismatch, and logs no error in the browser. A page that imports a runtime value from a
// .server module, or renders differently on server and client, fails here.
import SQLite from "better-sqlite3";
import type { Browser } from "playwright-core";
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
    it(`renders for ${username} in Chinese and English without browser errors`, async () => {
      const context = await browser.newContext({ locale: "zh-CN" });
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
      const pages = [...PAGES, `/counterparts/${champasak}`, counterpartEdit, `/sister-cities/${luangPrabang}`, `/reports/${xsbn}/2023-H1`];
      pages.push(`${pages.at(-1)}/print`);
      forbidden = forbidden.map((p) => (p === "counterpart-edit" ? counterpartEdit : p));
      for (const locale of ["zh-CN", "en"]) {
        if (locale === "en") await useLocale(page, baseURL, "en");
        for (const path of pages) {
          const response = await page.goto(`${baseURL}${path}`);
          const expected = forbidden.includes(path) ? 403 : 200;
          expect(response?.status(), `${username} ${locale} ${path}`).toBe(expected);
          await page.waitForLoadState("networkidle");
          expect(await page.locator("html").getAttribute("lang"), path).toBe(locale);
        }
      }
      // back to Chinese: the choice is saved on the user, and the other journeys sign in as the same people
      await useLocale(page, baseURL, "zh-CN");
      // the 403 pages log their status as a failed resource; nothing else may be logged
      const forbiddenLoads = forbidden.length * 2;
      expect(errors.filter((e) => !/status of 403/.test(e)), username).toEqual([]);
      expect(errors.filter((e) => /status of 403/.test(e)).length).toBe(forbiddenLoads);
      await context.close();
    }, 150_000); // every page twice, in two languages: a minute on an idle machine, more on a busy one
  }
});
