// Debian's Chromium driven by playwright-core; no browser is ever downloaded.
import { type Browser, type Page, chromium } from "playwright-core";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

/** Collects what the page logs as errors (hydration mismatches, failed requests, uncaught exceptions). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

export async function signIn(page: Page, baseURL: string, username: string, password = "lancang2026") {
  await page.goto(`${baseURL}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.click('.login button[type="submit"]')]);
}

/** Switches the interface language with the header's button, if it is not already the one wanted. */
export async function useLocale(page: Page, baseURL: string, locale: "zh-CN" | "en") {
  await page.goto(`${baseURL}/plan`);
  if ((await page.locator("html").getAttribute("lang")) === locale) return;
  await page.click(`button:has-text("${locale === "en" ? "English" : "简体中文"}")`);
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

/**
 * The axis labels of the page's charts that are drawn past their canvas's left or right edge, and so cut off on
 * screen and on paper. Canvas text is not in a PDF's text, so this reads chart.js's own layout: every tick label's
 * box, rotated as it is drawn, must lie within the canvas. chart.js is the module the page loaded itself (its
 * chunk imported again is the same instance, with the page's charts).
 */
export async function cutChartLabels(page: Page): Promise<{ figure: string; axis: string; label: string; left: number; right: number }[]> {
  const url = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .find((name) => /\/build\/_shared\/chart-[A-Z0-9]+\.js$/.test(name)),
  );
  if (!url) throw new Error("the page loaded no chart.js");
  // a string, so that the test runner leaves this import() alone (it rewrites the ones in its own code)
  await page.evaluate(`import(${JSON.stringify(url)}).then((chartjs) => { window.__lmcChartJs = chartjs; })`);
  return page.evaluate(() => {
    type Item = {
      label: string | string[];
      font: { string: string; lineHeight: number };
      textOffset: number;
      options: { rotation: number; textAlign: string; translation: [number, number] };
    };
    type ChartLike = { width: number; ctx: CanvasRenderingContext2D; scales: Record<string, { id: string; getLabelItems(): Item[] }> };
    const { Chart } = (window as unknown as { __lmcChartJs: { Chart: { getChart(canvas: HTMLCanvasElement): ChartLike | undefined } } }).__lmcChartJs;
    const cut: { figure: string; axis: string; label: string; left: number; right: number }[] = [];
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>("figure.chart-figure canvas")) {
      const chart = Chart.getChart(canvas);
      if (!chart) continue;
      const figure = canvas.closest("figure")?.id ?? "";
      for (const scale of Object.values(chart.scales)) {
        for (const item of scale.getLabelItems()) {
          const { rotation, textAlign, translation } = item.options;
          const lines = Array.isArray(item.label) ? item.label : [item.label];
          chart.ctx.save();
          chart.ctx.font = item.font.string;
          lines.forEach((line, i) => {
            const width = chart.ctx.measureText(String(line)).width;
            const x0 = textAlign === "right" ? -width : textAlign === "center" ? -width / 2 : 0;
            const y = item.textOffset + i * item.font.lineHeight;
            const xs = [x0, x0 + width].flatMap((x) =>
              [y - item.font.lineHeight / 2, y + item.font.lineHeight / 2].map((yy) => translation[0] + x * Math.cos(rotation) - yy * Math.sin(rotation)),
            );
            const left = Math.min(...xs);
            const right = Math.max(...xs);
            if (left < -0.5 || right > chart.width + 0.5) cut.push({ figure, axis: scale.id, label: String(line), left: Math.round(left), right: Math.round(right) });
          });
          chart.ctx.restore();
        }
      }
    }
    return cut;
  });
}

/** Full-width punctuation and CJK symbols: never in English UI text. */
const FULL_WIDTH = /[\u3000-\u303f\uff00-\uffef]/;
const HAN = /[\u4e00-\u9fff]/;

/**
 * The pieces of the Chinese catalog a page may not show in English: every message with its {params} cut out, each
 * piece with at least two Chinese characters. A text of the page equal to one of them is Chinese UI text.
 */
export function chineseCatalogPieces(catalog: Record<string, string>): string[] {
  const pieces = Object.values(catalog).flatMap((message) => message.split(/\{\w+\}/).map((piece) => piece.trim()));
  return [...new Set(pieces.filter((piece) => (piece.match(/[\u4e00-\u9fff]/g) ?? []).length >= 2))];
}

/**
 * The texts of an English page that mix in Chinese: a text node with full-width punctuation and no Chinese
 * characters around it or next to a Latin letter (an English label given a "：" or "（"), or a text node that is a message of the Chinese
 * catalog. Chinese written by users (titles, names, narratives) is data, not UI, and is left alone; so is
 * whatever the page marks as Chinese with lang="zh-CN" (the plan's original wording, the switch to Chinese).
 */
export async function mixedLanguageTexts(page: Page, zhPieces: string[]): Promise<string[]> {
  return page.evaluate(
    ({ pieces, fullWidth, han }) => {
      const FULL = new RegExp(fullWidth);
      const HAN_RE = new RegExp(han);
      const known = new Set(pieces);
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.textContent ?? "").trim();
        if (!text) continue;
        const parent = node.parentElement;
        if (!parent || parent.closest('script, style, template, [hidden], body [lang^="zh"]')) continue;
        const latinBeside = /[A-Za-z][\uff08\uff09\uff0c\uff1a\uff1b\u3001\u3002]|[\uff08\uff09\uff0c\uff1a\uff1b\u3001\u3002][A-Za-z]/.test(text);
        if ((FULL.test(text) && !HAN_RE.test(text)) || latinBeside || known.has(text)) found.push(`${parent.tagName.toLowerCase()}: “${text.slice(0, 60)}”`);
      }
      return found;
    },
    { pieces: zhPieces, fullWidth: FULL_WIDTH.source, han: HAN.source },
  );
}
