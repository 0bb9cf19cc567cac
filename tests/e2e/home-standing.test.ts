// The official's home page leads with where the plan stands (issue 17): the 红黄绿 ratings per pillar and per
// priority area, an indicator behind schedule and a unit late with its reports, above the activity charts — each
// a link that opens its detail page; a rating the reviewer saves shows in its pillar and its area; the same in
// English, and the reporter's home keeps its own cards.
import SQLite from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
const contexts: BrowserContext[] = [];

async function as(username: string, locale: "zh-CN" | "en" = "zh-CN"): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, baseURL, username);
  await useLocale(page, baseURL, locale);
  return { page, errors };
}

/** Whether the first element comes before the second in the document. */
function before(page: Page, first: string, second: string) {
  return page.evaluate(
    ([a, b]) => Boolean(document.querySelector(a)!.compareDocumentPosition(document.querySelector(b)!) & Node.DOCUMENT_POSITION_FOLLOWING),
    [first, second] as const,
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe("the official's home page", () => {
  it("shows the ratings per pillar, an indicator behind schedule and a late unit above the charts", async () => {
    const { page, errors } = await as("official");
    await page.goto(`${baseURL}/`);
    const standing = page.locator("#plan-standing");
    await expect(standing.locator("h2").textContent()).resolves.toBe("计划进展一览");

    const ratings = await page.locator("#standing-pillars li").allTextContents();
    expect(ratings.length).toBeGreaterThanOrEqual(4);
    expect(ratings.find((r) => r.startsWith("4.2 经济与可持续发展"))).toMatch(/绿灯 \d+.*黄灯 \d+.*红灯 \d+.*未评级 \d+/);
    // where items are unrated (the seeded demo rates none; another journey may have accepted the proposals), the
    // evaluation's proposals stand in for them, and only then
    const unrated = ratings.some((r) => /未评级 [1-9]/.test(r));
    if (unrated) expect(ratings.join("\n")).toContain("未评级项的系统建议");
    else expect(ratings.join("\n")).not.toContain("未评级项的系统建议");

    // and per priority area, each with all four counts
    const areas = await page.locator("#standing-areas li").allTextContents();
    expect(areas.length).toBeGreaterThanOrEqual(4);
    expect(areas.find((a) => a.startsWith("互联互通"))).toMatch(/绿灯 \d+.*黄灯 \d+.*红灯 \d+.*未评级 \d+/);

    expect(await page.locator("#standing-indicators li").count()).toBeGreaterThan(0);
    await expect(page.locator("#standing-indicators h3").textContent()).resolves.toMatch(/^进度滞后的指标（[1-9]\d*）$/);
    expect(await page.locator("#standing-indicators li").first().textContent()).toMatch(/完成 .*%，时间进度 .*%/);
    expect(await page.locator("#standing-late li").count()).toBeGreaterThan(0);
    expect(await page.locator("#standing-late li").first().textContent()).toMatch(/\d+ 期逾期/);

    // where the plan stands comes first, the activity charts after it
    expect(await before(page, "#plan-standing", "figure.chart-figure")).toBe(true);
    expect(await before(page, "#plan-standing", "#dash-scope")).toBe(true);
    expect(errors).toEqual([]);
  });

  it("each part is one click from its detail page", async () => {
    const { page, errors } = await as("official");
    await page.goto(`${baseURL}/`);

    const indicator = page.locator("#standing-indicators li a").first();
    const indicatorName = (await indicator.textContent())!.trim();
    await Promise.all([page.waitForURL(/\/indicators\/\d+$/), indicator.click()]);
    // client-side navigation: the URL changes before the page does
    await page.locator("h1", { hasText: indicatorName.replace(/（.*$/, "") }).waitFor();

    await page.goto(`${baseURL}/`);
    const unit = page.locator("#standing-late li a").first();
    const unitName = (await unit.textContent())!.trim();
    await Promise.all([page.waitForURL(/\/monitoring\?kind=\w+&unit=\d+$/), unit.click()]);
    await page.locator("table th, table td", { hasText: unitName }).first().waitFor();

    await page.goto(`${baseURL}/`);
    await Promise.all([page.waitForURL(/\/areas\/connectivity$/), page.locator("#standing-areas a", { hasText: "互联互通" }).click()]);
    await page.locator("h1", { hasText: "互联互通" }).waitFor();

    await page.goto(`${baseURL}/`);
    await Promise.all([page.waitForURL(/\/plan\/4\.2$/), page.locator("#standing-pillars a", { hasText: "4.2 经济与可持续发展" }).click()]);
    await page.locator("h1", { hasText: "经济与可持续发展" }).waitFor();

    await page.goto(`${baseURL}/`);
    await Promise.all([page.waitForURL(/\/evaluation\/[\w-]+$/), page.locator("#standing-ratings a", { hasText: "查看评估" }).click()]);
    await page.locator("h1", { hasText: "评估" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("counts a rating the reviewer saves in its pillar and in its priority area", async () => {
    const { page, errors } = await as("reviewer");
    await page.goto(`${baseURL}/`);
    const period = decodeURIComponent(/\/evaluation\/([^/?#]+)/.exec((await page.locator("#standing-ratings a", { hasText: "查看评估" }).getAttribute("href"))!)![1]!);
    const lights = async (selector: string, name: string) => {
      const text = (await page.locator(selector, { hasText: name }).first().textContent())!;
      return { red: Number(/红灯 (\d+)/.exec(text)![1]), unrated: Number(/未评级 (\d+)/.exec(text)![1]) };
    };
    const areaBefore = await lights("#standing-areas li", "互联互通");
    const pillarBefore = await lights("#standing-pillars li", "4.2 经济与可持续发展");
    // 4.2.1 互联互通 belongs to the area 互联互通 and the pillar 4.2; what it had in the period before, if anything
    const served = new SQLite(inject("databasePath"), { readonly: true });
    const before = served
      .prepare(
        `SELECT r.rating FROM plan_item_ratings r JOIN plan_items p ON p.id = r.plan_item_id
           JOIN reporting_periods rp ON rp.id = r.period_id WHERE p.code = '4.2.1' AND rp.code = ?`,
      )
      .get(period) as { rating: string } | undefined;
    served.close();

    await page.goto(`${baseURL}/evaluation/${encodeURIComponent(period)}`);
    const row = page.locator('tr[data-code="4.2.1"]');
    await row.locator(".rating-edit > summary").click();
    await row.locator('input[name="rating"][value="red"]').check();
    await row.locator('textarea[name="comment"]').fill("通道项目前期工作滞后。");
    await row.locator('input[name="override_reason"]').fill("重点项目未按期开工");
    await Promise.all([page.waitForURL(/saved=/), row.locator('button[type="submit"]').click()]);

    await page.goto(`${baseURL}/`);
    const newlyRed = before?.rating === "red" ? 0 : 1;
    const wasUnrated = before ? 0 : 1;
    expect(await lights("#standing-areas li", "互联互通")).toEqual({ red: areaBefore.red + newlyRed, unrated: areaBefore.unrated - wasUnrated });
    expect(await lights("#standing-pillars li", "4.2 经济与可持续发展")).toEqual({ red: pillarBefore.red + newlyRed, unrated: pillarBefore.unrated - wasUnrated });
    expect(errors).toEqual([]);
  });

  it("reads in English, with no Chinese text or full-width punctuation in the summary", async () => {
    const { page, errors } = await as("reviewer", "en");
    await page.goto(`${baseURL}/`);
    const text = (await page.locator("#plan-standing").textContent())!;
    expect(text).toContain("Where the plan stands");
    expect(text).toMatch(/Indicators behind schedule \(\d+\)/);
    expect(text).toMatch(/Units late with reports \(\d+\)/);
    expect(text).not.toMatch(/[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]/);
    expect(errors).toEqual([]);
  });

  it("is not on the reporter's home, which keeps its unit cards", async () => {
    const { page } = await as("xsbn");
    await page.goto(`${baseURL}/`);
    expect(await page.locator("#plan-standing").count()).toBe(0);
    expect(await page.locator("#home-current, #home-overdue").count()).toBeGreaterThan(0);
  });
});
