// The drafted progress report in a real browser: the reporter of 西双版纳州 chooses the unit and the period, the
// draft appears in both languages with the published figures, the text can be edited, copied and restored, and
// the A4 print views render (with their print rules) — without any error in the browser.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cutChartLabels, launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ locale: "zh-CN" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  page = await context.newPage();
  errors = watchErrors(page);
  await signIn(page, baseURL, "xsbn");
  await useLocale(page, baseURL, "zh-CN");
});

afterAll(async () => {
  await browser?.close();
});

const zhText = () => page.locator("#draft-zh textarea").inputValue();

describe("the drafted progress report of 西双版纳州, 2023年上半年", () => {
  it("opens with the draft of what it preselects, the reporter's own unit and the current period", async () => {
    await page.goto(`${baseURL}/drafts`);
    await page.waitForLoadState("networkidle");
    expect(await page.locator("#draft-choose").count()).toBe(0);
    const unitName = await page.locator('select[name="unit"] option:checked').textContent();
    const periodName = await page.locator('select[name="period"] option:checked').textContent();
    expect(unitName?.trim()).toBe("西双版纳傣族自治州");
    expect(periodName).toMatch(/^\d{4}年(上|下)半年$/);
    expect(await page.locator(".draft-heading").textContent()).toBe(`西双版纳傣族自治州 · ${periodName} 进展情况文字材料（草稿）`);
    expect(await zhText()).toContain("西双版纳傣族自治州");
    expect(await page.locator('.filters button[type="submit"]').textContent()).toBe("生成文字材料");
  });

  it("appears for the unit and period chosen in the form", async () => {
    const unit = await page.locator('select[name="unit"] option', { hasText: "西双版纳傣族自治州" }).getAttribute("value");
    await page.selectOption('select[name="unit"]', unit!);
    await page.selectOption('select[name="period"]', "2023-H1");
    await Promise.all([page.waitForURL(/period=2023-H1/), page.click('.filters button:has-text("生成文字材料")')]);
    await page.waitForLoadState("networkidle");

    await expect.poll(zhText).toContain("2023年上半年，西双版纳傣族自治州及所属单位围绕落实澜湄合作五年行动计划，共开展对外交流合作活动14项，其中出访10批47人次");
    expect(await zhText()).toContain("30万元");
    expect(await page.locator("#draft-en textarea").inputValue()).toContain("10 delegations abroad (47 person-trips)");
    expect(await page.locator("#draft-sources-summary").textContent()).toContain("取自已审核通过报告的 14 项");
  });

  it("can be edited, copied without the notes, and restored", async () => {
    const generated = await zhText();
    const textarea = page.locator("#draft-zh textarea");
    await textarea.fill(`${generated}\n\n经审核，以上情况属实。`);
    expect(await zhText()).toContain("经审核，以上情况属实。");

    await page.click("#draft-zh .draft-copy");
    const message = page.locator("#draft-zh .draft-message");
    await expect.poll(() => message.textContent()).toMatch(/已复制到剪贴板|已全选文本/);
    if ((await message.textContent())?.includes("已复制")) {
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toContain("经审核，以上情况属实。");
      expect(copied).toContain("10批47人次");
      expect(copied).not.toContain("【");
    }

    await page.click("#draft-zh .draft-restore");
    expect(await zhText()).toBe(generated);
    await expect.poll(() => message.textContent()).toBe("已恢复为系统生成的草稿。");
  });

  it("prints the unit's period report on A4", async () => {
    await Promise.all([page.waitForURL(/\/reports\/\d+\/2023-H1\/print$/), page.click('a:has-text("打印本期报告")')]);
    await page.waitForLoadState("networkidle");
    const sheet = page.locator("#print-report");
    await expect.poll(() => sheet.locator("h1").textContent()).toBe("西双版纳傣族自治州2023年上半年落实澜湄合作五年行动计划情况报告");
    expect(await sheet.textContent()).toContain("本报告已审核通过，以下为审核通过时冻结的版本。");
    expect(await sheet.locator('section[data-code="5.4"] table.print-table tbody tr').count()).toBeGreaterThanOrEqual(8);

    // on paper: no navigation, and table headers repeat on every page
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.topbar").evaluate((el) => getComputedStyle(el).display)).toBe("none");
    expect(await page.locator(".print-toolbar").evaluate((el) => getComputedStyle(el).display)).toBe("none");
    expect(await sheet.locator("table.print-table thead").first().evaluate((el) => getComputedStyle(el).display)).toBe("table-header-group");
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: "screen" });
  });

  it("prints the plan-wide progress report of the period", async () => {
    await page.goto(`${baseURL}/print/progress?period=2023-H1`);
    await page.waitForLoadState("networkidle");
    const sheet = page.locator("#print-progress");
    await expect.poll(() => sheet.locator("h1").textContent()).toBe("澜湄合作五年行动计划落实进展报告（2023年上半年）");
    const local = sheet.locator('tr[data-code="5.4"]');
    expect(await local.textContent()).toContain("10 / 47");
    expect(await sheet.locator("#print-units").textContent()).toContain("西双版纳傣族自治州");

    // on A4 (182 mm between the margins), in print styles: every chart drawn, no axis label cut off at its edge
    await page.waitForFunction(() => [...document.querySelectorAll("figure.chart-figure")].every((f) => f.getAttribute("data-drawn") === "true" || !f.querySelector("canvas")));
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 688, height: 1000 });
    await page.emulateMedia({ media: "print" });
    try {
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await page.locator("figure.chart-figure canvas").count()).toBeGreaterThanOrEqual(10);
      expect(await cutChartLabels(page)).toEqual([]);
    } finally {
      await page.emulateMedia({ media: "screen" });
      if (viewport) await page.setViewportSize(viewport);
    }
  });

  it("logged no error in the browser", () => {
    expect(errors).toEqual([]);
  });
});

describe("the drafted report in English", () => {
  it("has one name, a button that says what it does, and opens with the official's province drafted", async () => {
    const english = await browser.newContext({ locale: "en", viewport: { width: 390, height: 844 } });
    const phone = await english.newPage();
    const problems = watchErrors(phone);
    await signIn(phone, baseURL, "official");
    await useLocale(phone, baseURL, "en");
    await phone.goto(`${baseURL}/drafts`);
    await phone.waitForLoadState("networkidle");
    expect(await phone.locator("h1").textContent()).toBe("Drafted report");
    expect(await phone.locator('nav a[href="/drafts"]').first().textContent()).toBe("Drafted report");
    expect(await phone.locator('.filters button[type="submit"]').textContent()).toBe("Draft the report");
    expect(await phone.locator(".draft-heading").textContent()).toMatch(/^Yunnan Province · \d{4} H[12]: drafted report$/);
    expect(await phone.locator("#draft-en textarea").inputValue()).toContain("Yunnan");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await english.close();
  });
});
