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
