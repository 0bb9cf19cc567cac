// Security against the built app as `npm start` serves it (server.ts): cross-site form posts end in our
// translated 403 page (not Remix's bare 500), oversized bodies in 413, every kind of response carries the
// security headers, no page breaks the Content-Security-Policy in Chromium, and an administrator's user
// management takes effect on a signed-in browser at once.
import { request as httpRequest } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, signIn, watchErrors } from "./browser";

const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get("Content-Security-Policy") ?? "";
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(response.headers.get("X-Content-Type-Options"), what).toBe("nosniff");
  expect(response.headers.get("Referrer-Policy"), what).toBe("same-origin");
  expect(response.headers.get("X-Frame-Options"), what).toBe("DENY");
  expect(response.headers.get("Cross-Origin-Opener-Policy"), what).toBe("same-origin");
  expect(response.headers.get("Permissions-Policy"), what).toBeTruthy();
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${baseURL}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body,
  });

async function cookieFor(username: string): Promise<string> {
  const response = await post("/login", form({ username, password: "lancang2026" }), { Origin: baseURL });
  expect(response.status).toBe(302);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

describe("cross-site form posts against the built server", () => {
  it("end in the translated 403 page, not a 500, for a document POST with a foreign Origin", async () => {
    const response = await post("/login", form({ username: "official", password: "lancang2026" }), { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(response.headers.get("Content-Type")).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain("该请求来自其他网站，已拒绝");
    expect(response.headers.getSetCookie().filter((c) => c.startsWith("lmc_session="))).toEqual([]);
    expectSecurityHeaders(response, "403 page");
  });

  it("refuse a signed-in user's cross-site post (the browser would carry the cookie if SameSite did not stop it), writing nothing", async () => {
    const cookie = await cookieFor("xsbn");
    const before = await (await fetch(`${baseURL}/activities?_data=routes%2Factivities._index`, { headers: { Cookie: cookie } })).text();
    const fields = form({ title: "跨站伪造的活动", type: "training", status: "completed", start_date: "2024-01-01", end_date: "2024-01-01" });
    const evil = await post("/activities/new", fields, { Cookie: cookie, Origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(await evil.text()).toContain("该请求来自其他网站");
    const noOrigin = await post("/activities/new", fields, { Cookie: cookie, Referer: "https://evil.example/win.html" });
    expect(noOrigin.status).toBe(403);
    const data = await post("/activities/new?_data=routes%2Factivities.new", fields, { Cookie: cookie, Origin: "https://evil.example" });
    expect(data.status).toBe(403);
    // the reason the app's error page translates, and the words themselves for clients that are not the app
    expect(await data.json()).toEqual({ reason: "cross_site", message: "该请求来自其他网站，已拒绝。请在本系统页面内操作。" });
    expect(data.headers.get("X-Remix-Catch")).toBe("yes");
    const after = await (await fetch(`${baseURL}/activities?_data=routes%2Factivities._index`, { headers: { Cookie: cookie } })).text();
    expect(after).toBe(before);
    expect(after).not.toContain("跨站伪造的活动");
  });

  it("let same-site posts through", async () => {
    const cookie = await cookieFor("official");
    const response = await post("/locale", form({ locale: "zh-CN", redirectTo: "/plan" }), { Cookie: cookie, Origin: baseURL });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/plan");
  });
});

describe("request bodies against the built server", () => {
  it("answers a form over 1 MB with the translated 413 page", async () => {
    const response = await post("/login", form({ username: "official", password: "x".repeat(1_100_000) }), { Origin: baseURL });
    expect(response.status).toBe(413);
    const html = await response.text();
    expect(html).toContain("超过 1 MB 上限");
    expectSecurityHeaders(response, "413 page");
  });

  it("answers a chunked body without a length with 411", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${baseURL}/login`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseURL, "Transfer-Encoding": "chunked" },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.write("username=official&");
      request.end("password=x");
    });
    expect(status).toBe(411);
  });
});

describe("an oversized form in Chromium", () => {
  it("shows the translated 413 page instead of a broken connection", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.waitForLoadState("networkidle");
    await page.fill('input[name="username"]', "official");
    await page.evaluate(() => {
      (document.querySelector('input[name="password"]') as HTMLInputElement).value = "x".repeat(1_200_000);
    });
    await page.click('.login button[type="submit"]');
    await expect.poll(() => page.locator(".error-page").textContent(), { timeout: 15_000 }).toContain("超过 1 MB 上限");
    await context.close();
  });

  it("does so without JavaScript too (a plain document POST)", async () => {
    const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseURL}/login`);
    await page.fill('input[name="username"]', "official");
    await page.fill('input[name="password"]', "x".repeat(1_200_000));
    const [response] = await Promise.all([page.waitForNavigation(), page.click('.login button[type="submit"]')]);
    expect(response?.status()).toBe(413);
    expect(await page.locator(".error-page").textContent()).toContain("超过 1 MB 上限");
    await context.close();
  });
});

describe("security headers against the built server", () => {
  it("are on pages (with a nonce every inline script carries), data requests, downloads and error pages", async () => {
    const cookie = await cookieFor("official");
    const page = await fetch(`${baseURL}/dashboard`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, "page");
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get("Content-Security-Policy")!)![1]!;
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(1);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${baseURL}/dashboard`, { headers: { Cookie: cookie } });
    expect(/'nonce-([^']+)'/.exec(again.headers.get("Content-Security-Policy")!)![1]).not.toBe(nonce);

    expectSecurityHeaders(await fetch(`${baseURL}/dashboard?_data=routes%2Fdashboard`, { headers: { Cookie: cookie } }), "data");
    const download = await fetch(`${baseURL}/exports/activities.csv`, { headers: { Cookie: cookie } });
    expect(download.status).toBe(200);
    expectSecurityHeaders(download, "download");
    const missing = await fetch(`${baseURL}/activities/999999`, { headers: { Cookie: cookie } });
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing, "404 page");
    const forbidden = await fetch(`${baseURL}/admin/users`, { headers: { Cookie: cookie } });
    expect(forbidden.status).toBe(403);
    expectSecurityHeaders(forbidden, "403 page");
  });
});

/** Records Content-Security-Policy violations; the init script runs outside the page's CSP. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

describe("the Content-Security-Policy in Chromium", () => {
  it("is never violated by the app's pages, and does block an injected inline script", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const errors = watchErrors(page);
    const violations = await watchCsp(page);
    await signIn(page, baseURL, "xsbn");
    const seen: string[] = [];
    for (const path of ["/dashboard", "/activities/new", "/activities", "/imports", "/print/progress?period=2023-H1", "/account/password", "/plan/4.2.5"]) {
      await page.goto(`${baseURL}${path}`);
      await page.waitForLoadState("networkidle");
      seen.push(...(await violations()).map((v) => `${path}: ${v}`));
    }
    expect(seen).toEqual([]);
    // client-side navigation (hydrated app) still works under the policy
    await page.goto(`${baseURL}/plan`);
    await page.waitForLoadState("networkidle");
    await Promise.all([page.waitForURL(/\/activities$/), page.click('nav a[href="/activities"]')]);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);

    // the policy is really enforced: an inline script without the nonce is blocked and reported
    const ran = await page.evaluate(async () => {
      const s = document.createElement("script");
      s.textContent = "window.__injected = true";
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    expect((await violations()).join("\n")).toMatch(/script-src/);
    await context.close();
  });
});

describe("user management in the browser", () => {
  it("an administrator creates a user, who must replace the temporary password; disabling signs them out at once", async () => {
    const adminContext = await browser.newContext({ locale: "zh-CN" });
    const admin = await adminContext.newPage();
    const adminErrors = watchErrors(admin);
    const adminViolations = await watchCsp(admin);
    await signIn(admin, baseURL, "admin");
    await admin.goto(`${baseURL}/admin/users`);
    await admin.waitForLoadState("networkidle");
    await admin.fill('input[name="username"]', "e2e_reporter");
    await admin.fill('input[name="display_name"]', "勐腊县 新填报员");
    await admin.selectOption('select[name="organization_id"]', { label: "\u3000\u3000勐腊县" });
    await admin.selectOption('select[name="role"]', "reporter");
    await admin.locator('form:has(input[name="intent"][value="create"]) input[name="password"]').fill("勐腊县临时密码0001");
    await Promise.all([admin.waitForURL(/notice=created/), admin.click('form:has(input[name="intent"][value="create"]) button[type="submit"]')]);
    await expect.poll(() => admin.locator('tr[data-username="e2e_reporter"]').count()).toBe(1);

    const userContext = await browser.newContext({ locale: "zh-CN" });
    const user = await userContext.newPage();
    const userErrors = watchErrors(user);
    await user.goto(`${baseURL}/login`);
    await user.fill('input[name="username"]', "e2e_reporter");
    await user.fill('input[name="password"]', "勐腊县临时密码0001");
    await Promise.all([user.waitForURL(/\/account\/password$/), user.click('.login button[type="submit"]')]);
    expect(await user.locator(".warning").textContent()).toContain("临时密码");
    // anywhere else leads back here until the password is changed
    await user.goto(`${baseURL}/activities`);
    expect(new URL(user.url()).pathname).toBe("/account/password");
    // a too-short password: the error beside the field
    await user.fill('input[name="current_password"]', "勐腊县临时密码0001");
    await user.fill('input[name="new_password"]', "short");
    await user.fill('input[name="repeat_password"]', "short");
    await user.click('main form button[type="submit"]');
    await expect.poll(() => user.locator(".field-error").first().textContent()).toContain("至少需要 10 个字符");
    await user.fill('input[name="current_password"]', "勐腊县临时密码0001");
    await user.fill('input[name="new_password"]', "勐腊县填报员自己的密码");
    await user.fill('input[name="repeat_password"]', "勐腊县填报员自己的密码");
    await Promise.all([user.waitForURL(/notice=changed/), user.click('main form button[type="submit"]')]);
    await user.goto(`${baseURL}/activities`);
    expect(new URL(user.url()).pathname).toBe("/activities");

    // the administrator disables the account: the user's very next request is signed out
    await admin.goto(`${baseURL}/admin/users`);
    await Promise.all([
      admin.waitForURL(/notice=disabled/),
      admin.click('tr[data-username="e2e_reporter"] button[value="disable"]'),
    ]);
    await user.goto(`${baseURL}/activities`);
    expect(new URL(user.url()).pathname).toBe("/login");

    expect(await adminViolations()).toEqual([]);
    expect(adminErrors).toEqual([]);
    expect(userErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await adminContext.close();
    await userContext.close();
  });
});
