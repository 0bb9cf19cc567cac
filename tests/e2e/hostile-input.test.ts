// Script in every text field stays inert, in real Chromium. Two ways in:
//  - through the forms, as a user would type it: markup and javascript:/data: evidence links are refused with a
//    field error (the typed text shown back literally, never run); text like {{7*7}}, javascript:… or =HYPERLINK
//    is saved and shown as typed;
//  - rows the forms would refuse, planted in the served database as an older version or a script could have
//    written them (activity fields and evidence links, report narratives and return reasons, rating comments,
//    indicator names and source notes): every page that shows them (activity detail and list, report page and
//    its print view, the drafted report, the progress print, dashboard, monitoring, plan item page, evaluation,
//    indicators, inbox) renders them as text — window.__xss stays undefined, no dialog opens, and the text appears
//    literally. Search and filter parameters carrying script are tried too.
// The planted rows are removed afterwards, so the journeys that run later see the seeded data only.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook } from "../fixtures/build-fixtures";
import { launchBrowser, signIn, useLocale } from "./browser";

const baseURL = inject("baseURL");
const databasePath = inject("databasePath");

const MARK = "XSS探针";
const SCRIPT = "<script>window.__xss=1</script>";
const IMG = '"><img src=x onerror="window.__xss=1">';
const ALERT = "<img src=x onerror=alert(1)>";
const CLOSE = "</script><script>window.__xss=1</script>";
const SVG = "<svg onload=window.__xss=1>";
const TEMPLATE = "{{7*7}}";
const JS_URL = "javascript:window.__xss=1";
const FORMULA = '=HYPERLINK("http://evil","x")';
/** Everything at once: what a planted text field holds. */
const ALL = `${MARK} ${SCRIPT} ${IMG} ${ALERT} ${CLOSE} ${SVG} ${TEMPLATE} ${JS_URL} ${FORMULA} +cmd|' /C calc'!A0 @SUM(1)`;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];

// what the tests plant, to remove afterwards
const planted = { activities: [] as number[], indicators: [] as number[], reports: [] as number[], ratings: [] as number[] };
let xsbnId = 0;
let plantedActivity = 0;
let plantedIndicator = 0;
const PERIOD = "2024-H2";

type Db = import("~/utils/db.server").DB;
let db: Db;

/** Opens the served database with the app's own models (the forms' checks are what is being bypassed). */
async function plant() {
  process.env.DATABASE_PATH = databasePath;
  db = (await import("~/utils/db.server")).db;
  const { createActivity } = await import("~/models/activity.server");
  const { createIndicator, upsertIndicatorValue } = await import("~/models/indicator.server");
  const { saveRating } = await import("~/models/rating.server");
  const { getUserById } = await import("~/models/user.server");
  const { getPeriodByCode } = await import("~/models/reporting-period.server");
  const { saveReport, submitReport, returnReport } = await import("~/services/report-workflow.server");

  const user = async (username: string) =>
    (await getUserById(db, (await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow()).id))!;
  const planItem = async (code: string) => (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
  const unit = await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
  xsbnId = unit.id;
  const period = (await getPeriodByCode(db, PERIOD))!;

  plantedActivity = await createActivity(
    db,
    {
      organizationId: unit.id,
      title: `${MARK} ${SCRIPT}${IMG}`,
      type: "meeting",
      startDate: "2024-08-08",
      endDate: "2024-08-09",
      status: "completed",
      primaryPlanItemId: await planItem("4.2.5"),
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: `${CLOSE} ${SVG}`,
      location: `${ALERT} ${TEMPLATE}`,
      delegationsCount: 1,
      participantsCount: 3,
      fundingCnyFen: 1_000_000,
      fundingSource: ALL,
      outcome: ALL,
      evidence: [
        { url: JS_URL, label: `${MARK} ${IMG}` },
        { url: "data:text/html,<script>window.__xss=1</script>", label: "data" },
        { url: "https://example.org/ok", label: "https 链接" },
      ],
    },
    null,
  );
  planted.activities.push(plantedActivity);

  const item = await planItem("4.2.5");
  const xsbn = await user("xsbn");
  const saved = await saveReport(db, xsbn, unit, period, {
    version: 0,
    items: [{ planItemId: item, progress: `${MARK} ${SCRIPT}`, problems: IMG, nextSteps: `${CLOSE} ${TEMPLATE}`, coordination: ALERT }],
    commitments: [],
  });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
  expect((await submitReport(db, await user("xsbn_leader"), unit, period)).ok).toBe(true);
  const returned = await returnReport(db, await user("reviewer"), unit, period, {
    reason: `${MARK} ${IMG} ${SVG}`,
    itemReasons: [{ planItemId: item, reason: `${SCRIPT} ${TEMPLATE}` }],
  });
  expect(returned.ok, JSON.stringify(returned)).toBe(true);
  planted.reports.push((await db.selectFrom("period_reports").select("id").where("organization_id", "=", unit.id).where("period_id", "=", period.id).executeTakeFirstOrThrow()).id);

  await saveRating(
    db,
    { periodId: period.id, planItemId: item, rating: "red", proposedRating: "green", proposalJson: "{}", comment: `${MARK} ${SCRIPT} ${IMG}`, overrideReason: `${ALERT} ${TEMPLATE}` },
    (await user("reviewer")).id,
  );

  plantedIndicator = await createIndicator(
    db,
    {
      code: "hostile-xss",
      planItemId: item,
      nameZh: `${MARK} ${SCRIPT}`,
      nameEn: `${MARK} ${IMG}`,
      unit: "次",
      baselineValue: 1,
      baselineYear: 2022,
      targetValue: 5,
      direction: "up",
      measure: "flow",
      source: "entered",
      computation: null,
     
      periodTargets: [],
    },
    null,
  );
  planted.indicators.push(plantedIndicator);
  await upsertIndicatorValue(db, { indicatorId: plantedIndicator, periodId: period.id, organizationId: unit.id, value: 2, sourceNote: `${ALERT} ${CLOSE}` }, xsbn.id);
}

async function unplant() {
  if (!db) return;
  for (const id of planted.indicators) {
    await db.deleteFrom("indicator_values").where("indicator_id", "=", id).execute();
    await db.deleteFrom("indicator_period_targets").where("indicator_id", "=", id).execute();
    await db.deleteFrom("indicators").where("id", "=", id).execute();
  }
  const period = await db.selectFrom("reporting_periods").select("id").where("code", "=", PERIOD).executeTakeFirst();
  if (period) await db.deleteFrom("plan_item_ratings").where("period_id", "=", period.id).execute();
  for (const id of planted.reports) {
    await db.deleteFrom("report_items").where("report_id", "=", id).execute();
    await db.deleteFrom("report_commitments").where("report_id", "=", id).execute();
    await db.deleteFrom("report_snapshots").where("report_id", "=", id).execute();
    await db.deleteFrom("period_reports").where("id", "=", id).execute();
  }
  // activities keep their history rows; the recycle bin is where a removed activity goes in this app
  const now = new Date().toISOString();
  for (const id of planted.activities) await db.updateTable("activities").set({ deleted_at: now }).where("id", "=", id).execute();
}

beforeAll(async () => {
  await plant();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "zh-CN" });
  page = await context.newPage();
  page.on("dialog", async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  await signIn(page, baseURL, "xsbn");
  await useLocale(page, baseURL, "zh-CN");
});

afterAll(async () => {
  await browser?.close();
  await unplant();
});

/** Visible text, with what inputs and textareas hold (narratives are edited in textareas). */
async function shownText(p: Page): Promise<string> {
  return p.evaluate(() => {
    const values = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")].map((e) => e.value);
    return `${document.body.innerText}\n${values.join("\n")}`;
  });
}

/** Loads the page, lets scripts and images settle, and checks nothing ran. */
async function visitInert(p: Page, path: string, literal: string[] = []) {
  const response = await p.goto(`${baseURL}${path}`);
  expect(response?.status(), path).toBeLessThan(500);
  await p.waitForLoadState("networkidle");
  await p.waitForTimeout(150);
  expect(await p.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `script ran on ${path}`).toBeUndefined();
  expect(dialogs, `a dialog opened on ${path}`).toEqual([]);
  // no element was created from the text: no injected img/svg/script with our handler
  const injected = await p.evaluate(() =>
    [...document.querySelectorAll("img[onerror], svg[onload], [onerror], [onload]")].length +
    [...document.querySelectorAll("script")].filter((s) => (s.textContent ?? "").includes("window.__xss=1") && !(s.textContent ?? "").includes("\\u003c")).length,
  );
  expect(injected, `elements injected on ${path}`).toBe(0);
  const unsafeLinks = await p.evaluate(() =>
    [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!.trim().toLowerCase()).filter((h) => /^(javascript|data|vbscript):/.test(h)),
  );
  expect(unsafeLinks, `script links on ${path}`).toEqual([]);
  const text = await shownText(p);
  for (const piece of literal) expect(text, `"${piece}" shown literally on ${path}`).toContain(piece);
}

describe("hostile text typed into the forms", () => {
  it("markup in a text field is refused with a field error, the typed text shown back as text", async () => {
    await page.goto(`${baseURL}/activities/new`);
    await page.fill('input[name="title"]', `${MARK} ${SCRIPT}`);
    await page.selectOption('select[name="type"]', "meeting");
    await page.fill('input[name="start_date"]', "2024-09-01");
    await page.fill('input[name="end_date"]', "2024-09-01");
    await page.check('input[name="primary_plan_item"][value="4.2.5"]');
    await page.fill('input[name="counterpart_body"]', IMG);
    await page.fill('textarea[name="outcome"]', ALERT);
    await page.click('.form-actions button[type="submit"]');
    await expect.poll(() => page.locator(".field-error").count()).toBeGreaterThanOrEqual(3);
    expect(new URL(page.url()).pathname).toBe("/activities/new");
    expect(await page.inputValue('input[name="title"]')).toBe(`${MARK} ${SCRIPT}`);
    expect(await page.inputValue('input[name="counterpart_body"]')).toBe(IMG);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it("a javascript: or data: evidence link is refused with a field error; text that only looks like code is saved as typed", async () => {
    const title = `${MARK} ${TEMPLATE} ${JS_URL}`;
    await page.goto(`${baseURL}/activities/new`);
    await page.fill('input[name="title"]', title);
    await page.selectOption('select[name="type"]', "meeting");
    await page.fill('input[name="start_date"]', "2024-09-02");
    await page.fill('input[name="end_date"]', "2024-09-02");
    await page.check('input[name="primary_plan_item"][value="4.2.5"]');
    await page.fill('input[name="counterpart_body"]', FORMULA);
    await page.fill('input[name="location"]', "+cmd|' /C calc'!A0");
    await page.fill('textarea[name="outcome"]', `@SUM(1) ${TEMPLATE} a < b`);
    for (const url of [JS_URL, "data:text/html,<script>window.__xss=1</script>"]) {
      await page.fill('input[name="evidence_url"] >> nth=0', url);
      await page.fill('input[name="evidence_label"] >> nth=0', "佐证");
      await page.click('.form-actions button[type="submit"]');
      await expect.poll(() => page.locator(".field-error").allTextContents()).toContain("请输入以 http:// 或 https:// 开头的链接。");
      expect(new URL(page.url()).pathname).toBe("/activities/new");
    }
    await page.fill('input[name="evidence_url"] >> nth=0', "https://example.org/evidence");
    // the formula names no body of the counterpart register: it is kept as words
    const keepAsWords = page.locator('input[type="radio"][value="text"][name^="counterpart_choice_"]');
    expect(await keepAsWords.count()).toBeGreaterThan(0);
    for (const choice of await keepAsWords.all()) await choice.check();
    await Promise.all([page.waitForURL(/\/activities\/\d+\?notice=created/), page.click('.form-actions button[type="submit"]')]);
    planted.activities.push(Number(/\/activities\/(\d+)/.exec(page.url())![1]));
    await visitInert(page, new URL(page.url()).pathname, [title, FORMULA, "+cmd|' /C calc'!A0", `@SUM(1) ${TEMPLATE} a < b`]);
    // {{7*7}} is not evaluated by anything
    expect(await shownText(page)).not.toContain("49");
  });

  it("script in search and filter parameters is reflected as text", async () => {
    const q = encodeURIComponent(SCRIPT);
    await visitInert(page, `/activities?q=${q}`, [SCRIPT]);
    await visitInert(page, `/activities?q=${encodeURIComponent(IMG)}&unit=${encodeURIComponent(IMG)}&sort=${encodeURIComponent(CLOSE)}`, [IMG]);
    await visitInert(page, `/dashboard?period=${encodeURIComponent(SCRIPT)}&country=${encodeURIComponent(IMG)}`);
    await visitInert(page, `/monitoring?period=${encodeURIComponent(CLOSE)}`);
    await visitInert(page, `/drafts?unit=${encodeURIComponent(IMG)}&period=${encodeURIComponent(SCRIPT)}`);
    await visitInert(page, `/plan/4.2.5?q=${q}`, [SCRIPT]);
    await visitInert(page, `/trash?q=${q}`);
    await visitInert(page, `/login?redirectTo=${encodeURIComponent(JS_URL)}`);
  });
});

describe("rows the forms would refuse, planted in the database, render as text", () => {
  it("the activity page: title, counterpart, location, source and outcome shown literally; script links are not links", async () => {
    await visitInert(page, `/activities/${plantedActivity}`, [SCRIPT, IMG, CLOSE, SVG, ALERT, TEMPLATE, FORMULA, JS_URL]);
    // the https evidence stays a link; the javascript: and data: ones are shown as text only
    expect(await page.locator('a[href="https://example.org/ok"]').count()).toBe(1);
    expect(await page.locator(`text=${JS_URL}`).count()).toBeGreaterThan(0);
  });

  it("the list, the recycle bin-free views, the plan item page and the home page", async () => {
    await visitInert(page, `/activities?q=${encodeURIComponent(MARK)}`, [`${MARK} ${SCRIPT}${IMG}`]);
    await visitInert(page, "/plan/4.2.5", [`${MARK} ${SCRIPT}`]);
    await visitInert(page, "/", []);
    await visitInert(page, "/inbox", [MARK]);
  });

  it("the report page, its print view, the progress print and the drafted report", async () => {
    const path = `/reports/${xsbnId}/${PERIOD}`;
    await visitInert(page, path, [`${MARK} ${SCRIPT}`, IMG, CLOSE, ALERT, `${MARK} ${IMG} ${SVG}`]);
    await visitInert(page, `${path}/print`, [`${MARK} ${SCRIPT}`, IMG]);
    await visitInert(page, `/print/progress?period=${PERIOD}`);
    await visitInert(page, `/drafts?unit=${xsbnId}&period=${PERIOD}`, [SCRIPT]);
  });

  it("the dashboard, monitoring, evaluation and indicator pages", async () => {
    await visitInert(page, `/dashboard?period=${PERIOD}&unit=${xsbnId}`);
    await visitInert(page, `/monitoring?period=${PERIOD}`);
    await visitInert(page, `/monitoring/coverage?period=${PERIOD}`);
    await visitInert(page, `/evaluation/${PERIOD}`, [`${MARK} ${SCRIPT} ${IMG}`]);
    await visitInert(page, `/indicators?period=${PERIOD}`, [`${MARK} ${SCRIPT}`]);
    await visitInert(page, `/indicators/${plantedIndicator}`, [`${MARK} ${SCRIPT}`, `${ALERT} ${CLOSE}`]);
  });

  it("the reviewer's pages, where the same text sits in editable fields", async () => {
    const reviewer = await browser.newContext({ locale: "zh-CN" });
    const p = await reviewer.newPage();
    p.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    await signIn(p, baseURL, "reviewer");
    await visitInert(p, `/evaluation/${PERIOD}`, [`${MARK} ${SCRIPT} ${IMG}`]);
    await visitInert(p, `/reports/${xsbnId}/${PERIOD}`, [`${MARK} ${SCRIPT}`]);
    await visitInert(p, "/reports", []);
    await visitInert(p, "/inbox", []);
    await reviewer.close();
  });
});

// Markup in the file name too. No "/" (the name is cut to what follows the last one), no "=" or ";" (Remix's
// multipart parser refuses such a filename, and the upload is refused as incomplete: see the report of this change).
const FILE_NAME = `${MARK}"><b>粗体<i>斜体.xlsx`;

describe("hostile cell values in an imported file", () => {
  it("the preview shows script in cells as text, with the rows refused", async () => {
    const row = (title: string, counterpart: string, location: string, evidence: string) => [
      title, "会议", "2024-09-10", "2024-09-10", "已完成", "4.2.5", "", "老挝", counterpart, location, 1, 2, "1", ALERT, IMG, evidence, "西双版纳傣族自治州",
    ];
    const bytes = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, [
      row(`${MARK} ${SCRIPT}`, IMG, ALERT, JS_URL),
      row(`${MARK} ${CLOSE}`, SVG, TEMPLATE, "data:text/html,<script>window.__xss=1</script>"),
    ]);
    await page.goto(`${baseURL}/imports`);
    await page.setInputFiles('input[name="file"]', { name: FILE_NAME, mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: bytes });
    await Promise.all([page.waitForURL(/\/imports\?upload=\d+/), page.click('.form-actions button[type="submit"]')]);
    // the upload answers at once; the preview takes the progress's place when the file has been read
    await page.waitForSelector("#preview-title", { timeout: 60_000 });
    const preview = new URL(page.url());
    await visitInert(page, `${preview.pathname}${preview.search}&view=all`, [`${MARK} ${SCRIPT}`, `${MARK} ${CLOSE}`, FILE_NAME.replace('"', "%22")]);
    // (Chromium sends a " in a file name as %22, and the name is shown as it arrived)
  });
});

describe("malformed URLs sent raw to the server", () => {
  it("bad percent-encoding, NUL, traversal and very long ids in the path answer 400/404, never 500", async () => {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const raw = ["%E0%A4%A", "%ZZ", "%00", "..%2F..%2Fetc%2Fpasswd", "%27%20or%201%3D1--", "1%2F2", "9".repeat(400), "%F0%9F%98%80", "-1", "1.5", "0x10"];
    const templates = [
      (v: string) => `/activities/${v}`,
      (v: string) => `/activities/${v}/edit`,
      (v: string) => `/indicators/${v}`,
      (v: string) => `/plan/${v}`,
      (v: string) => `/areas/${v}`,
      (v: string) => `/evaluation/${v}`,
      (v: string) => `/reports/${v}/2024-H1`,
      (v: string) => `/reports/${xsbnId}/${v}`,
      (v: string) => `/reports/${v}/${v}/print`,
      (v: string) => `/imports/${v}/failed.xlsx`,
      (v: string) => `/activities?page=${v}&sort=${v}`,
      (v: string) => `/exports/ledger.xlsx?unit=${v}&period=${v}`,
      (v: string) => `/exports/activities.csv?from=${v}`,
    ];
    const failures: string[] = [];
    for (const template of templates) {
      for (const value of raw) {
        const path = template(value);
        const response = await fetch(`${baseURL}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
        await response.arrayBuffer();
        if (response.status >= 500) failures.push(`${response.status} ${path.slice(0, 80)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
