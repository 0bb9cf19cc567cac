// The security headers: one policy, set on pages (with a fresh nonce each, see tests/e2e/security.test.ts for
// the built server), on data requests and on downloads.
import { describe, expect, it } from "vitest";
import { json } from "@remix-run/node";
import { handleDataRequest } from "~/entry.server";
import * as csv from "~/routes/exports.activities[.]csv";
import * as template from "~/routes/imports.template[.]xlsx";
import { contentSecurityPolicy, newNonce } from "~/utils/security-headers.server";
import { call, sessionCookieFor } from "../helpers";

function expectSecurityHeaders(headers: Headers) {
  const csp = headers.get("Content-Security-Policy") ?? "";
  for (const directive of [
    "default-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(headers.get("Referrer-Policy")).toBe("same-origin");
  expect(headers.get("X-Frame-Options")).toBe("DENY");
  expect(headers.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
  expect(headers.get("Permissions-Policy")).toMatch(/camera=\(\)/);
}

describe("security headers", () => {
  it("allow inline scripts only with the page's nonce, and a new nonce every time", () => {
    const a = newNonce();
    const b = newNonce();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(22);
    expect(contentSecurityPolicy(a)).toContain(`script-src 'self' 'nonce-${a}'`);
    expect(contentSecurityPolicy(null)).toContain("script-src 'self';");
  });

  it("are on data requests, including refusals and redirects", async () => {
    expectSecurityHeaders(handleDataRequest(json({ ok: true })).headers);
    expectSecurityHeaders(handleDataRequest(json({ reason: "forbidden" }, { status: 403 })).headers);
    expectSecurityHeaders(handleDataRequest(Response.redirect("http://localhost:3000/login", 302)).headers);
  });

  it("are on downloads", async () => {
    const cookie = await sessionCookieFor("official");
    const list = await call(csv.loader, "/exports/activities.csv", { cookie });
    expect(list.status).toBe(200);
    expectSecurityHeaders(list.headers);
    expect(list.headers.get("Content-Disposition")).toMatch(/^attachment/);
    const file = await call(template.loader, "/imports/template.xlsx", { cookie: await sessionCookieFor("xsbn") });
    expect(file.status).toBe(200);
    expectSecurityHeaders(file.headers);
  });
});
