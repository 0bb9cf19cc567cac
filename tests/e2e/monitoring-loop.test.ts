// The monitoring loop in a real browser: the reporter drafts, the leader submits, the reviewer returns with a
// reason, the reporter fixes, the leader resubmits, the reviewer approves and rates; an activity edit afterwards
// is refused while the approved report stays unchanged.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
/** One browser context (its own cookies) per person, signed in once. */
const people: Record<string, { page: Page; errors: string[] }> = {};

async function as(username: string): Promise<Page> {
  if (!people[username]) {
    const page = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    people[username] = { page, errors: watchErrors(page) };
    await signIn(page, baseURL, username);
    await useLocale(page, baseURL, "zh-CN");
  }
  return people[username]!.page;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const title = `昆明国际友城旅游联盟年会（浏览器测试 ${Date.now()}）`;
let reportUrl = "";
let activityUrl = "";

/** Presses the report's button; a sign-off, approval or return then asks to confirm, and is confirmed. */
async function submitIntent(page: Page, intent: string, notice: string) {
  if (intent === "submit" || intent === "approve" || intent === "return") {
    await page.click(`form.report-form button[name="intent"][value="${intent}"]`);
    await page.waitForSelector("#confirm-panel");
    await Promise.all([page.waitForURL(new RegExp(`notice=${notice}`)), page.click(`#confirm-panel button[name="intent"][value="${intent}"]`)]);
    return;
  }
  await Promise.all([page.waitForURL(new RegExp(`notice=${notice}`)), page.click(`button[name="intent"][value="${intent}"]`)]);
}

describe("the monitoring loop of 昆明市's 2025年上半年 report", () => {
  it("the reporter logs an activity and drafts the report", async () => {
    const page = await as("kunming");
    await page.goto(`${baseURL}/activities/new`);
    await page.fill('input[name="title"]', title);
    await page.selectOption('select[name="type"]', "meeting");
    await page.fill('input[name="start_date"]', "2025-03-10");
    await page.fill('input[name="end_date"]', "2025-03-11");
    await page.check('input[name="primary_plan_item"][value="4.3.2"]');
    await page.check('input[name="countries"][value="LA"]');
    await page.fill('input[name="participants_count"]', "80");
    await Promise.all([page.waitForURL(/notice=created/), page.click('.form-actions button[type="submit"]')]);
    activityUrl = page.url().split("?")[0]!;

    await page.goto(`${baseURL}/reports`);
    await Promise.all([page.waitForURL(/\/reports\/\d+\/2025-H1/), page.click('#my-reports tr[data-period="2025-H1"] a')]);
    reportUrl = page.url().split("?")[0]!;
    const item = page.locator('section.report-item[data-code="4.3.2"]');
    await expect.poll(() => item.locator("table.ledger").textContent()).toContain(title);
    await item.locator('textarea[name^="progress_"]').fill("召开昆明国际友城旅游联盟年会，80人参加。");
    await item.locator('textarea[name^="next_steps_"]').fill("下半年推出跨境旅游线路。");
    // a reporter drafts but does not submit
    expect(await page.locator('button[name="intent"][value="submit"]').count()).toBe(0);
    await submitIntent(page, "save", "saved");
    await expect.poll(() => page.locator(".notice").first().textContent()).toBe("草稿已保存。");
  });

  it("the unit leader signs it off and submits it", async () => {
    const page = await as("kunming_leader");
    await page.goto(reportUrl);
    await expect.poll(() => page.locator('textarea[name^="progress_"]').first().inputValue()).toContain("80人参加");
    await submitIntent(page, "submit", "submitted");
    await expect.poll(() => page.locator(".page-head .status").first().textContent()).toBe("已报送");
  });

  it("the reviewer returns it with a reason on the item", async () => {
    const page = await as("reviewer");
    await page.goto(`${baseURL}/reports`);
    const row = page.locator("#awaiting-review tr", { hasText: "昆明市" });
    await expect.poll(() => row.count()).toBeGreaterThan(0);
    await page.goto(reportUrl);
    await page.locator('section.report-item[data-code="4.3.2"] textarea[name^="return_"]').fill("请补充签署的成果文件。");
    await submitIntent(page, "return", "returned");
    await expect.poll(() => page.locator(".page-head .status").first().textContent()).toBe("已退回");
  });

  it("the reporter sees exactly what was returned and why, and fixes it", async () => {
    const page = await as("kunming");
    await page.goto(reportUrl);
    await expect.poll(() => page.locator("#returned-banner").count()).toBe(1);
    expect(await page.locator('section.report-item[data-code="4.3.2"] .item-return').textContent()).toContain("请补充签署的成果文件。");
    await page.locator('section.report-item[data-code="4.3.2"] textarea[name^="progress_"]').fill("召开昆明国际友城旅游联盟年会，80人参加，签署《联盟合作备忘录》1份。");
    await submitIntent(page, "save", "saved");
  });

  it("the leader resubmits, the reviewer approves and rates the plan item", async () => {
    const leader = await as("kunming_leader");
    await leader.goto(reportUrl);
    await submitIntent(leader, "submit", "submitted");

    const reviewer = await as("reviewer");
    await reviewer.goto(reportUrl);
    await expect.poll(() => reviewer.locator('section.report-item[data-code="4.3.2"]').textContent()).toContain("联盟合作备忘录");
    await submitIntent(reviewer, "approve", "approved");
    await expect.poll(() => reviewer.locator("#approved-banner").count()).toBe(1);

    await reviewer.goto(`${baseURL}/evaluation/2025-H1`);
    const row = reviewer.locator('tr[data-code="4.3.2"]');
    // the rating form is folded away under each item until opened
    await row.locator(".rating-edit > summary").click();
    await row.locator('textarea[name="comment"]').fill("年会如期召开，成果文件已签署。");
    await row.locator('input[name="rating"][value="green"]').check();
    await row.locator('input[name="override_reason"]').fill("联盟机制运转良好");
    await Promise.all([reviewer.waitForURL(/saved=/), row.locator('button[type="submit"]').click()]);
    await expect.poll(() => reviewer.locator('tr[data-code="4.3.2"] .current-rating').textContent()).toContain("年会如期召开");
  });

  it("refuses an edit of the activity afterwards, and the approved report stays as approved", async () => {
    const page = await as("kunming");
    await page.goto(activityUrl);
    await expect.poll(() => page.locator("#frozen-notice").textContent()).toContain("本期报告已审核通过，如需修改请联系审核员退回");
    expect(await page.locator('a:has-text("修改")').count()).toBe(0);
    // going to the edit page anyway gives the specific message, not a generic error
    await page.goto(`${activityUrl}/edit`);
    await expect.poll(() => page.locator(".error-page").textContent()).toContain("本期报告已审核通过，如需修改请联系审核员退回");
    await page.goto(reportUrl);
    const item = page.locator('section.report-item[data-code="4.3.2"]');
    await expect.poll(() => item.textContent()).toContain("签署《联盟合作备忘录》1份");
    expect(await item.locator("table.ledger").textContent()).toContain(title);
    expect(await page.locator("textarea").count()).toBe(0);
  });

  it("logged no errors in any browser beyond the refused edit it provoked", async () => {
    const all = Object.values(people).flatMap((p) => p.errors);
    expect(all.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });
});
