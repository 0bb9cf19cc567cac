// The dashboards in a real browser: the plan-wide dashboard draws every chart (non-blank canvases) with its table,
// a filter in the URL changes the numbers, a chart saves as a PNG data: URL; a reporter's home shows the unit;
// a plan item's page charts its indicators; chart.js is fetched only by pages that chart; nothing is logged as
// an error.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cutChartLabels, launchBrowser, signIn, useLocale, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;
const contexts: BrowserContext[] = [];

async function as(username: string): Promise<{ page: Page; errors: string[]; chartRequests: string[] }> {
  const context = await browser.newContext({ locale: "zh-CN", acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const chartRequests: string[] = [];
  page.on("request", (request) => {
    if (/\/build\/_shared\/chart-[A-Z0-9]+\.js/.test(request.url())) chartRequests.push(new URL(request.url()).pathname);
  });
  await signIn(page, baseURL, username);
  await useLocale(page, baseURL, "zh-CN");
  return { page, errors, chartRequests };
}

/** Every chart of the page, once drawn: its size and whether it differs from a blank canvas of that size. */
async function canvases(page: Page) {
  await page.waitForFunction(() => {
    const figures = [...document.querySelectorAll("figure.chart-figure")];
    return figures.length > 0 && figures.every((f) => f.getAttribute("data-drawn") === "true" || !f.querySelector("canvas"));
  });
  return page.$$eval("figure.chart-figure canvas", (list) =>
    list.map((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const blank = document.createElement("canvas");
      blank.width = c.width;
      blank.height = c.height;
      return { id: c.closest("figure")!.id, width: c.width, height: c.height, drawn: c.toDataURL() !== blank.toDataURL() };
    }),
  );
}

/** The text of a figure's table, row by row. */
async function tableOf(page: Page, figureId: string): Promise<string[]> {
  return page.$$eval(`#${figureId} table tbody tr`, (rows) => rows.map((r) => (r.textContent ?? "").trim()));
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

const FIGURES = [
  "chart-pillar-activities",
  "chart-pillar-people",
  "chart-pillar-funding",
  "chart-area-activities",
  "chart-area-people",
  "chart-area-funding",
  "chart-time",
  "chart-country",
  "chart-indicators",
  "chart-ratings",
  "chart-ranking",
];

describe("the plan-wide dashboard, as an official", () => {
  let session: Awaited<ReturnType<typeof as>>;

  beforeAll(async () => {
    session = await as("official");
  });

  it("draws every chart, each with a table of its numbers", async () => {
    const { page } = session;
    await page.goto(`${baseURL}/dashboard`);
    expect(await page.locator("h1").textContent()).toBe("落实情况看板");
    const drawn = await canvases(page);
    expect(drawn.map((c) => c.id).sort()).toEqual([...FIGURES].sort());
    for (const c of drawn) {
      expect(c.width, c.id).toBeGreaterThan(0);
      expect(c.height, c.id).toBeGreaterThan(0);
      expect(c.drawn, c.id).toBe(true);
    }
    for (const id of FIGURES) {
      expect(await page.locator(`#${id} table caption`).textContent(), id).toContain("数据表");
      expect((await tableOf(page, id)).length, id).toBeGreaterThan(0);
    }
    // the pillars as the plan names them, and the Mekong countries
    expect((await tableOf(page, "chart-pillar-activities"))[1]).toContain("4.2 经济与可持续发展");
    expect((await tableOf(page, "chart-country")).slice(0, 5).join(" ")).toContain("老挝");
  });

  it("ends each pillar and area table with the distinct total, less than or equal to the sum of its overlapping rows", async () => {
    const { page } = session;
    await page.goto(`${baseURL}/dashboard`);
    await canvases(page);
    const headline = Number((await page.locator('[data-total="activities"]').textContent())!.replace(/,/g, ""));
    expect(await page.locator("#dash-totals").textContent()).toContain("已完成和进行中的活动");
    for (const id of ["chart-pillar-activities", "chart-area-activities"]) {
      const foot = await page.locator(`#${id} table tfoot tr`).textContent();
      expect(foot, id).toContain("合计（每项活动计一次）");
      const total = Number((await page.locator(`#${id} table tfoot td`).textContent())!.replace(/,/g, ""));
      const rows = await page.$$eval(`#${id} table tbody td`, (cells) => cells.map((c) => Number((c.textContent ?? "0").replace(/,/g, ""))));
      // each row is part of the total, the rows overlap, and every pillar's activity is one of the headline's
      expect(Math.max(...rows), id).toBeLessThanOrEqual(total);
      expect(rows.reduce((a, b) => a + b, 0), id).toBeGreaterThanOrEqual(total);
      if (id === "chart-pillar-activities") expect(total).toBe(headline);
      else expect(total).toBeLessThanOrEqual(headline);
      expect(await page.locator(`#${id} .chart-note`).textContent(), id).toContain("各行相加可能大于合计");
    }
  });

  it("prints a unit's report with numbered pages and the block an office signs", async () => {
    const { page } = session;
    const { default: SQLite } = await import("better-sqlite3");
    const served = new SQLite(inject("databasePath"), { readonly: true });
    const unitId = (served.prepare("SELECT id FROM organizations WHERE code = 'yn-xsbn'").get() as { id: number }).id;
    served.close();
    await page.goto(`${baseURL}/reports/${unitId}/2023-H1/print`);
    await canvases(page);
    // laid out as on paper: print styles, A4's width less the page's margins (182 mm); every chart label whole
    await page.setViewportSize({ width: 688, height: 1000 });
    await page.emulateMedia({ media: "print" });
    let pdf: Buffer;
    try {
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await cutChartLabels(page)).toEqual([]);
      pdf = await page.pdf({ format: "A4", preferCSSPageSize: true, printBackground: true });
    } finally {
      await page.emulateMedia({ media: "screen" });
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "lmc-print-")), "report.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString().replace(/[ \t]+/g, " ");
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file]).toString())![1]);
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThan(8); // 14 activities, three charts to a row
    const folded = text.replace(/\s+/g, "");
    expect(folded).toContain(`第1页共${pages}页`);
    expect(folded).toContain(`第${pages}页共${pages}页`);
    for (const label of ["填报单位（盖章）", "单位负责人", "填报人", "联系电话", "填报日期"]) expect(folded, label).toContain(label);
    expect(folded).toContain("合计（每项活动计一次）");
  });

  it("changes its numbers when a filter is applied, and keeps the filter in the URL", async () => {
    const { page } = session;
    await page.goto(`${baseURL}/dashboard`);
    await canvases(page);
    const totalBefore = await page.locator('[data-total="activities"]').textContent();
    const pillarsBefore = await tableOf(page, "chart-pillar-activities");
    expect(Number(totalBefore)).toBeGreaterThan(0);

    // 双江县 has no activity: every count goes to 0
    const unit = await page.locator('select[name="unit"] option', { hasText: "双江" }).getAttribute("value");
    await page.selectOption('select[name="unit"]', unit!);
    await Promise.all([page.waitForURL(new RegExp(`[?&]unit=${unit}(&|$)`)), page.click('.filters button[type="submit"]')]);
    await expect.poll(() => page.locator('[data-total="activities"]').textContent()).toBe("0");
    const pillarsAfter = await tableOf(page, "chart-pillar-activities");
    expect(pillarsAfter).not.toEqual(pillarsBefore);
    expect(await page.$$eval("#chart-pillar-activities table tbody td", (cells) => cells.map((c) => c.textContent))).toEqual(["0", "0", "0", "0"]);
    expect(await page.locator("#dash-scope").textContent()).toContain("双江");
    // the charts are drawn again for the new numbers
    expect((await canvases(page)).every((c) => c.width > 0 && c.drawn)).toBe(true);

    // a reporting period sets the dates; the URL carries it, the scope line says it
    await page.selectOption('select[name="unit"]', "");
    await page.selectOption('select[name="period"]', "2023-H1");
    await Promise.all([page.waitForURL(/[?&]period=2023-H1/), page.click('.filters button[type="submit"]')]);
    await expect.poll(() => page.locator("#dash-scope").textContent()).toContain("2023年1月1日至6月30日");
    expect(await page.locator("#chart-indicators h3").textContent()).toContain("2023年上半年");
    expect((await canvases(page)).length).toBe(FIGURES.length);
  });

  it("saves a chart as a PNG", async () => {
    const { page } = session;
    await page.goto(`${baseURL}/dashboard`);
    await canvases(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#chart-pillar-activities .chart-save"),
    ]);
    expect(download.url()).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]{100,}/);
    expect(download.suggestedFilename()).toMatch(/^澜湄看板_.*\.png$/);
  });

  it("is the official's home page too, and a page without charts never fetches chart.js", async () => {
    const { page, chartRequests } = session;
    chartRequests.length = 0;
    await page.goto(`${baseURL}/activities`);
    await page.waitForLoadState("networkidle");
    expect(chartRequests).toEqual([]);
    await page.goto(baseURL);
    expect((await canvases(page)).length).toBe(FIGURES.length);
    expect(chartRequests.length).toBeGreaterThan(0);
  });

  it("logged no error in the browser", () => {
    expect(session.errors).toEqual([]);
  });
});

describe("a reporter's home and a plan item's page", () => {
  let session: Awaited<ReturnType<typeof as>>;

  beforeAll(async () => {
    session = await as("xsbn");
  });

  it("show the unit's report, its late planned activities and its charts", async () => {
    const { page } = session;
    await page.goto(baseURL);
    expect(await page.locator("#home-current h2").textContent()).toMatch(/^\d{4}年[上下]半年报告$/);
    expect(await page.locator("#home-current").textContent()).toContain("截止日期");
    expect(await page.locator("#home-planned h2").textContent()).toContain("已过结束日期");
    const drawn = await canvases(page);
    expect(drawn.map((c) => c.id)).toEqual(
      expect.arrayContaining(["chart-pillar-activities", "chart-time", "chart-country"]),
    );
    expect(drawn.every((c) => c.width > 0 && c.drawn)).toBe(true);
  });

  it("chart a plan item's indicators over the periods, beside its activities", async () => {
    const { page } = session;
    await page.goto(`${baseURL}/plan/5.4`);
    const drawn = await canvases(page);
    expect(drawn).toEqual([expect.objectContaining({ id: "chart-indicator-trend", drawn: true })]);
    expect((await tableOf(page, "chart-indicator-trend"))[0]).toContain("2023年上半年");
  });

  it("logged no error in the browser", () => {
    expect(session.errors).toEqual([]);
  });
});
