// Issue #16 in a real browser, on 勐腊县's 2024年下半年 report (no other journey touches it): the reporter's
// 提交审签 is refused while an item with activities has no 进展情况, and unsaved text warns before leaving; the
// leader finds the report ready in the inbox and signs it off after confirming; the reviewer returns it (confirmed);
// the reporter fixes it; the leader sees 已修改待签发 and signs off again without JavaScript; the reviewer compares
// with the returned version and approves (confirmed); the unit finds 已通过. Then the reviewer reminds the late
// units of 2025年下半年 and a county's reporter sees the reminder with the due date.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
const people: Record<string, { page: Page; errors: string[] }> = {};

async function as(username: string, javaScript = true): Promise<Page> {
  const key = `${username}${javaScript ? "" : ":nojs"}`;
  if (!people[key]) {
    const page = await (await browser.newContext({ locale: "zh-CN", javaScriptEnabled: javaScript })).newPage();
    people[key] = { page, errors: watchErrors(page) };
    await signIn(page, baseURL, username);
    if (javaScript) await useLocale(page, baseURL, "zh-CN");
  }
  return people[key]!.page;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const title = `勐腊县中老边境农业技术培训班（浏览器测试 ${Date.now()}）`;
let reportUrl = "";

/** Presses a step's button, checks what the confirmation panel says, and confirms. */
async function confirmed(page: Page, intent: "submit" | "approve" | "return", notice: string, says: string) {
  await page.click(`form.report-form button[name="intent"][value="${intent}"]`);
  await page.waitForSelector("#confirm-panel");
  expect(await page.locator("#confirm-panel").textContent()).toContain(says);
  await Promise.all([page.waitForURL(new RegExp(`notice=${notice}`)), page.click(`#confirm-panel button[name="intent"][value="${intent}"]`)]);
}

describe("sign-off and review of 勐腊县's 2024年下半年 report", () => {
  it("the reporter logs an activity; 提交审签 is refused until every item with activities has 进展情况", async () => {
    const page = await as("xsbn");
    await page.goto(`${baseURL}/activities/new`);
    await page.fill('input[name="title"]', title);
    const mengla = await page.locator('select[name="organization_id"] option', { hasText: "勐腊县" }).first().getAttribute("value");
    await page.selectOption('select[name="organization_id"]', mengla!);
    await page.selectOption('select[name="type"]', "training");
    await page.fill('input[name="start_date"]', "2024-09-10");
    await page.fill('input[name="end_date"]', "2024-09-14");
    await page.check('input[name="primary_plan_item"][value="4.3.1"]');
    await page.check('input[name="countries"][value="LA"]');
    await page.fill('input[name="participants_count"]', "30");
    await Promise.all([page.waitForURL(/notice=created/), page.click('.form-actions button[type="submit"]')]);

    // 定期报告 lists the county's reports
    await page.goto(`${baseURL}/reports`);
    await Promise.all([page.waitForURL(/\/reports\/\d+\/2024-H2$/), page.click(`#unit-reports tr[data-period="2024-H2"] td[data-unit="${mengla}"] a`)]);
    reportUrl = page.url();
    const item = page.locator('section.report-item[data-code="4.3.1"]');
    await expect.poll(() => item.locator("table.ledger").textContent()).toContain(title);

    // unsaved text warns before leaving; staying keeps it
    await item.locator('textarea[name^="problems_"]').fill("培训场地不足。");
    let warned = "";
    page.once("dialog", (dialog) => {
      warned = dialog.message();
      void dialog.dismiss();
    });
    await page.click(".breadcrumb a");
    await expect.poll(() => warned).toContain("未保存");
    expect(page.url()).toBe(reportUrl);

    // handed over without 进展情况: refused, the item named
    await page.click('button[name="intent"][value="handover"]');
    await expect.poll(() => page.locator("#report-error").textContent()).toContain("未填写进展情况");
    expect(await page.locator("#report-error").textContent()).toContain("4.3.1");
    await expect.poll(() => item.locator(".field-error").count()).toBe(1);

    // every item with activities gets its progress; handed over
    for (const section of await page.locator("section.report-item").all()) {
      if ((await section.locator("table.ledger").count()) === 0) continue;
      const progress = section.locator('textarea[name^="progress_"]');
      if (!(await progress.inputValue())) await progress.fill("举办农业技术培训班一期，老方学员30人。");
    }
    await Promise.all([page.waitForURL(/notice=handed_over/), page.click('button[name="intent"][value="handover"]')]);
    await expect.poll(() => page.locator("#ready-banner").count()).toBe(1);
  });

  it("the leader finds it ready in the inbox and signs it off after confirming", async () => {
    const page = await as("xsbn_leader");
    await page.goto(`${baseURL}/inbox`);
    const ready = page.locator("#inbox-group-to_submit li", { hasText: "勐腊县2024年下半年" });
    await expect.poll(() => ready.textContent()).toContain("待您审签报送");
    await Promise.all([page.waitForURL(/2024-H2$/), ready.locator("a").click()]);
    await confirmed(page, "submit", "submitted", "确认签发并报送本报告");
    await expect.poll(() => page.locator(".page-head .status").first().textContent()).toBe("已报送");
  });

  it("the reviewer returns it with a reason on the item, confirmed", async () => {
    const page = await as("reviewer");
    await page.goto(reportUrl);
    await page.locator('section.report-item[data-code="4.3.1"] textarea[name^="return_"]').fill("请写明培训天数和成果。");
    await confirmed(page, "return", "returned", "请写明培训天数和成果。");
    // 流转记录 names the item of the reason
    await expect.poll(() => page.locator('ol.history li[data-code="4.3.1"]').textContent()).toContain("4.3.1");
  });

  it("the reporter fixes it and hands it over; the leader sees 已修改待签发 and signs off without JavaScript", async () => {
    const reporter = await as("xsbn");
    await reporter.goto(reportUrl);
    await reporter.locator('section.report-item[data-code="4.3.1"] textarea[name^="progress_"]').fill("举办农业技术培训班一期（5天），老方学员30人，编印双语教材1册。");
    await Promise.all([reporter.waitForURL(/notice=handed_over/), reporter.click('button[name="intent"][value="handover"]')]);

    const leader = await as("xsbn_leader", false);
    await leader.goto(`${baseURL}/inbox`);
    const fixed = leader.locator("#inbox-group-to_submit li", { hasText: "勐腊县2024年下半年" });
    expect(await fixed.textContent()).toContain("已修改待签发");
    expect(await leader.locator("li", { hasText: "勐腊县2024年下半年报告被退回" }).count()).toBe(0);
    await leader.goto(reportUrl);
    expect(await leader.locator("#fixed-banner").textContent()).toContain("已修改待签发");
    // the first press answers with the confirmation panel (a whole page, no script)
    await Promise.all([leader.waitForLoadState("load"), leader.click('form.report-form button[name="intent"][value="submit"]')]);
    await leader.waitForSelector("#confirm-panel");
    await Promise.all([leader.waitForURL(/notice=submitted/), leader.click('#confirm-panel button[name="intent"][value="submit"]')]);
    expect(await leader.locator(".page-head .status").first().textContent()).toBe("已报送");
  });

  it("the reviewer compares with the returned version and approves, confirmed; the unit is told 已通过", async () => {
    const page = await as("reviewer");
    await page.goto(reportUrl);
    const row = page.locator('#report-comparison .comparison-item[data-code="4.3.1"] tr[data-field="progress"]');
    await expect.poll(() => row.locator(".compare-before").textContent()).toBe("举办农业技术培训班一期，老方学员30人。");
    expect(await row.locator(".compare-after").textContent()).toContain("编印双语教材1册");
    await confirmed(page, "approve", "approved", "冻结");
    await expect.poll(() => page.locator("#approved-banner").count()).toBe(1);

    const reporter = await as("xsbn");
    await reporter.goto(`${baseURL}/inbox`);
    await expect.poll(() => reporter.locator("#inbox-group-approved li", { hasText: "勐腊县2024年下半年" }).textContent()).toContain("已通过");
  });
});

describe("reminders (催报)", () => {
  it("the reviewer reminds every late unit of 2025年下半年; a county's reporter sees it with the due date", async () => {
    const reviewer = await as("reviewer");
    await reviewer.goto(`${baseURL}/inbox`);
    const line = reviewer.locator('#inbox-remind-section li[data-period="2025-H2"]');
    await expect.poll(() => line.textContent()).toContain("逾期未报");
    await Promise.all([reviewer.waitForURL(/notice=reminded/), line.locator("button").click()]);
    await expect.poll(() => reviewer.locator("#reminded-notice").textContent()).toContain("催报");
    expect(await reviewer.locator('#inbox-remind-section li[data-period="2025-H2"]').textContent()).toContain("上次催报");

    const reporter = await as("xsbn");
    await reporter.goto(`${baseURL}/inbox`);
    const group = reporter.locator("#inbox-group-overdue li.inbox-unit-group", { hasText: "勐海县" });
    await expect.poll(() => group.locator("summary").textContent()).toContain("已催报");
    await group.locator("summary").click();
    const reminded = group.locator(".inbox-sublist li", { hasText: "2025年下半年" });
    await expect.poll(() => reminded.textContent()).toContain("秘书处已于");
    expect(await reminded.textContent()).toContain("截止 2026年");

    // the home page leads with what is overdue
    await reporter.goto(`${baseURL}/`);
    expect(await reporter.locator(".home-cards > .card").first().getAttribute("id")).toBe("home-overdue");
  });

  it("logged no errors in any browser beyond the refused 提交审签 it provoked", () => {
    const all = Object.values(people).flatMap((p) => p.errors);
    expect(all.filter((e) => /status of 400/.test(e))).toHaveLength(1);
    expect(all.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
