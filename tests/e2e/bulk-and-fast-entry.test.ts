// Browser journeys of the reviewer working in bulk and the reporter logging fast: approving several reports from
// the monitoring matrix with one confirmation, accepting every proposed rating at once on a page short enough to
// review, and logging three activities in a row with "save and log another", the picker's everyday-word search
// and the country chips — Enter in a search box never saving the form.
import SQLite from "better-sqlite3";
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

async function as(username: string, width = 1366): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, baseURL, username);
  await useLocale(page, baseURL, "zh-CN");
  return { page, errors };
}

/** The served database, written directly: rows the journeys start from (reports awaiting review). */
function served<T>(work: (db: SQLite.Database) => T): T {
  const db = new SQLite(inject("databasePath"));
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe("the reviewer in bulk", () => {
  it("approves two submitted reports from the matrix with one confirmation", async () => {
    const units = served((db) => {
      const now = new Date().toISOString();
      const period = (db.prepare("SELECT id FROM reporting_periods WHERE code = '2026-H1'").get() as { id: number }).id;
      return ["yn-qj", "yn-yx"].map((code) => {
        const unit = (db.prepare("SELECT id FROM organizations WHERE code = ?").get(code) as { id: number }).id;
        db.prepare("DELETE FROM period_reports WHERE organization_id = ? AND period_id = ?").run(unit, period);
        db.prepare(
          "INSERT INTO period_reports (organization_id, period_id, status, version, first_submitted_at, submitted_at, created_at, updated_at) VALUES (?, ?, 'submitted', 2, ?, ?, ?, ?)",
        ).run(unit, period, now, now, now, now);
        return unit;
      });
    });
    const { page, errors } = await as("reviewer");
    await page.goto(`${baseURL}/monitoring?kind=half&year=2026`);
    for (const unit of units) await page.check(`input[name="report"][value="${unit}:2026-H1"]`);
    await Promise.all([page.waitForURL(/\/monitoring\/approve\?/), page.click('#bulk-approve button[type="submit"]')]);
    // the confirmation lists what will be approved, and nothing is approved yet
    await expect.poll(() => page.locator("table.bulk-approve tbody tr").count()).toBe(2);
    expect(await page.locator("table.bulk-approve").textContent()).toContain("曲靖市");
    expect(await page.locator("table.bulk-approve").textContent()).toContain("玉溪市");
    await Promise.all([page.waitForURL(/notice=bulk_approved/), page.click('button:has-text("确认通过这 2 份报告")')]);
    expect(new URL(page.url()).searchParams.get("year")).toBe("2026");
    await expect.poll(() => page.locator(".notice").textContent()).toBe("已审核通过 2 份报告。");
    for (const unit of units) {
      expect(await page.locator(`a[href="/reports/${unit}/2026-H1"]`).textContent()).toContain("已通过");
    }
    const audit = served((db) => db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.approve' AND entity_id IN (SELECT id FROM period_reports WHERE organization_id IN (?, ?))").get(...units) as { n: number });
    expect(audit.n).toBe(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("accepts every proposed rating at once, on a page that no longer scrolls for metres", async () => {
    const { page, errors } = await as("reviewer");
    await page.goto(`${baseURL}/evaluation/2025-H2`);
    // 31 items on one screen-and-a-bit: the rating forms are folded away until asked for
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(3500);
    expect(await page.locator('tr[data-code="4.1.3.2"] textarea[name="comment"]').isVisible()).toBe(false);
    await page.check('.accept-all input[name="confirm"]');
    await Promise.all([page.waitForURL(/accepted=/), page.click('.accept-all button[type="submit"]')]);
    await expect.poll(() => page.locator(".notice").textContent()).toContain("31");
    expect(await page.locator("#rating-summary").textContent()).toContain("未评定 0");
    expect(await page.locator(".accept-all").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("logging activities fast", () => {
  it("logs three activities with save and log another, finding items by everyday words and countries as chips", async () => {
    const { page, errors } = await as("xsbn", 390);
    await page.goto(`${baseURL}/activities/new`);
    const stamp = Date.now();
    const titles = [`禁毒宣传交流会 ${stamp}`, `友城工作会谈 ${stamp}`, `跨境禁毒合作座谈 ${stamp}`];

    // 1: 禁毒 finds 4.1.3.2 (its title says 打击跨国犯罪); Enter in the search box saves nothing
    await page.fill('input[name="title"]', titles[0]!);
    await page.selectOption('select[name="type"]', "meeting");
    await page.fill('input[name="start_date"]', "2026-04-20");
    await page.fill('input[name="end_date"]', "2026-04-20");
    await page.fill('input[name="plan_query"]', "禁毒");
    await page.press('input[name="plan_query"]', "Enter");
    await expect.poll(() => page.locator(".picker-list li.loggable:not([hidden])").count()).toBe(1);
    expect(page.url()).toBe(`${baseURL}/activities/new`);
    expect(await page.locator('li[data-code="4.1.3.2"]').textContent()).toContain("关键词：禁毒");
    // the whole item is the target
    await page.click('li[data-code="4.1.3.2"] .pick-text');
    expect(await page.isChecked('input[name="primary_plan_item"][value="4.1.3.2"]')).toBe(true);
    await page.click('label.chip-check:has(input[value="LA"])');
    await page.fill(".other-countries input[type=search]", "日本");
    await page.press(".other-countries input[type=search]", "Enter");
    await expect.poll(() => page.locator(".chip-chosen").textContent()).toContain("日本");
    expect(page.url()).toBe(`${baseURL}/activities/new`);
    // the form fits the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await Promise.all([page.waitForURL(/\/activities\/new\?after=\d+/), page.click('button:has-text("保存并继续登记")')]);
    await expect.poll(() => page.locator(".notice").textContent()).toContain(titles[0]!);
    // a fresh form, keeping the unit, type and status
    expect(await page.inputValue('select[name="type"]')).toBe("meeting");
    expect(await page.inputValue('input[name="title"]')).toBe("");
    expect(await page.locator('input[name="primary_plan_item"]:checked').count()).toBe(0);

    // 2: 友城 finds 5.4, also offered for a meeting as a suggestion
    await page.fill('input[name="title"]', titles[1]!);
    await page.fill('input[name="start_date"]', "2026-05-08");
    await page.fill('input[name="end_date"]', "2026-05-09");
    await page.fill('input[name="plan_query"]', "友城");
    await expect.poll(() => page.locator('li[data-code="5.4"]').isVisible()).toBe(true);
    await page.fill('input[name="plan_query"]', "");
    await page.click('.picker-suggest button:has-text("5.4")');
    expect(await page.isChecked('input[name="primary_plan_item"][value="5.4"]')).toBe(true);
    await page.click('label.chip-check:has(input[value="TH"])');
    await Promise.all([page.waitForURL(/\/activities\/new\?after=\d+/), page.click('button:has-text("保存并继续登记")')]);
    await expect.poll(() => page.locator(".notice").textContent()).toContain(titles[1]!);

    // 3: 毒品 (in the plan's own text of 4.1.3.2) as main item, 5.4 as a further one; saved and opened
    await page.fill('input[name="title"]', titles[2]!);
    await page.fill('input[name="start_date"]', "2026-06-02");
    await page.fill('input[name="end_date"]', "2026-06-03");
    await page.fill('input[name="plan_query"]', "毒品");
    await page.click('li[data-code="4.1.3.2"] .pick-main');
    await page.fill('input[name="plan_query"]', "5.4");
    await page.click('li[data-code="5.4"] .pick-other');
    await page.click('label.chip-check:has(input[value="MM"])');
    await Promise.all([page.waitForURL(/\/activities\/\d+\?notice=created/), page.click('.form-actions button.primary')]);
    await expect.poll(() => page.locator("h1").textContent()).toBe(titles[2]);

    const logged = served((db) =>
      titles.map((title) => {
        const a = db.prepare("SELECT id FROM activities WHERE title = ?").get(title) as { id: number };
        const items = db
          .prepare("SELECT p.code, l.is_primary FROM activity_plan_items l JOIN plan_items p ON p.id = l.plan_item_id WHERE l.activity_id = ? ORDER BY l.is_primary DESC, p.code")
          .all(a.id) as { code: string }[];
        const countries = db.prepare("SELECT country_code FROM activity_countries WHERE activity_id = ? ORDER BY country_code").all(a.id) as { country_code: string }[];
        return { items: items.map((i) => i.code), countries: countries.map((c) => c.country_code) };
      }),
    );
    expect(logged).toEqual([
      { items: ["4.1.3.2"], countries: ["JP", "LA"] },
      { items: ["5.4"], countries: ["TH"] },
      { items: ["4.1.3.2", "5.4"], countries: ["MM"] },
    ]);

    // copy as new: the form starts from the activity just logged
    await Promise.all([page.waitForURL(/\/activities\/new\?copy=\d+/), page.click('a:has-text("复制为新活动")')]);
    expect(await page.inputValue('input[name="title"]')).toBe(titles[2]);
    expect(await page.isChecked('input[name="primary_plan_item"][value="4.1.3.2"]')).toBe(true);
    expect(await page.isChecked('input[name="countries"][value="MM"]')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("without JavaScript, Enter in the search box shows the items found and saves nothing", async () => {
    const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, baseURL, "xsbn");
    await page.goto(`${baseURL}/activities/new`);
    const title = `无脚本检索 ${Date.now()}`;
    await page.fill('input[name="title"]', title);
    await page.fill('input[name="plan_query"]', "替代种植");
    await Promise.all([page.waitForLoadState("load"), page.press('input[name="plan_query"]', "Enter")]);
    await expect.poll(() => page.inputValue('input[name="title"]')).toBe(title);
    const shown = await page.locator(".picker-list li.loggable:not([hidden])").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-code")));
    expect(shown).toEqual(["4.1.3.2", "4.2.5"]);
    expect(served((db) => db.prepare("SELECT COUNT(*) AS n FROM activities WHERE title = ?").get(title) as { n: number }).n).toBe(0);
    // the other countries are a plain list without JavaScript
    expect(await page.locator('select[name="countries"]').count()).toBe(1);
    await context.close();
  });
});
