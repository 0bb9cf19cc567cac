// Cross-site form posts: a page on another site can make the browser POST here, with the user's cookies if
// SameSite ever lets them through. Every write checks where the form came from (Origin, else Referer) first and
// answers 403 with a translated reason; same-site posts go through.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as newActivity from "~/routes/activities.new";
import * as password from "~/routes/account.password";
import * as adminUsers from "~/routes/admin.users";
import { db } from "~/utils/db.server";
import { BASE, call, jsonOf, sessionCookieFor, validActivityForm } from "../helpers";

const activityCount = async () => Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("cross-site posts", () => {
  it("refuses a post with a foreign Origin with 403 and a reason the error page translates, writing nothing", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const before = await activityCount();
    const response = await call(newActivity.action, "/activities/new", {
      cookie,
      form: await validActivityForm("yn-xsbn"),
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    expect(await jsonOf(response)).toEqual({ reason: "cross_site" });
    expect(await activityCount()).toBe(before);
  });

  it("refuses a post with no Origin but a foreign Referer, and one with Origin: null", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const form = await validActivityForm("yn-xsbn");
    const referer = await call(newActivity.action, "/activities/new", {
      cookie,
      form,
      headers: { Referer: "https://evil.example/prize.html" },
    });
    expect(referer.status).toBe(403);
    const nullOrigin = await call(newActivity.action, "/activities/new", { cookie, form, origin: "null" });
    expect(nullOrigin.status).toBe(403);
    // a look-alike host is still another site
    const lookalike = await call(newActivity.action, "/activities/new", { cookie, form, origin: "http://localhost:3000.evil.example" });
    expect(lookalike.status).toBe(403);
  });

  it("lets same-site posts through, by Origin, by Referer, and behind a proxy that names the public host", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const byOrigin = await call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-xsbn"), origin: BASE });
    expect(byOrigin.status).toBe(302);
    const byReferer = await call(newActivity.action, "/activities/new", {
      cookie,
      form: await validActivityForm("yn-xsbn"),
      headers: { Referer: `${BASE}/activities/new` },
    });
    expect(byReferer.status).toBe(302);
    const proxied = await call(newActivity.action, "/activities/new", {
      cookie,
      form: await validActivityForm("yn-xsbn"),
      origin: "https://lmc.example.gov.cn",
      headers: { "X-Forwarded-Host": "lmc.example.gov.cn" },
    });
    expect(proxied.status).toBe(302);
  });

  it("refuses cross-site sign-in, sign-out, password change and user management", async () => {
    const evil = { origin: "https://evil.example" };
    expect((await call(login.action, "/login", { ...evil, form: { username: "xsbn", password: "lancang2026" } })).status).toBe(403);
    expect((await call(logout.action, "/logout", { ...evil, method: "POST", cookie: await sessionCookieFor("xsbn") })).status).toBe(403);
    const pw = await call(password.action, "/account/password", {
      ...evil,
      cookie: await sessionCookieFor("xsbn"),
      form: { current_password: "lancang2026", new_password: "a-much-better-one", repeat_password: "a-much-better-one" },
    });
    expect(pw.status).toBe(403);
    const target = await db.selectFrom("users").select("id").where("username", "=", "kunming").executeTakeFirstOrThrow();
    const disable = await call(adminUsers.action, "/admin/users", {
      ...evil,
      cookie: await sessionCookieFor("admin"),
      form: { intent: "disable", user_id: target.id },
    });
    expect(disable.status).toBe(403);
    const user = await db.selectFrom("users").select("disabled_at").where("id", "=", target.id).executeTakeFirstOrThrow();
    expect(user.disabled_at).toBeNull();
  });

  // server.ts refuses cross-site posts before Remix runs; the same check inside every action keeps each one safe
  // on its own (and is what answers when an action is called without our server): every action must make it.
  it("is made by every action route of the app", async () => {
    const files = readdirSync("app/routes").filter((f) => /\.tsx?$/.test(f) && !f.includes(".test."));
    const cookie = await sessionCookieFor("admin");
    const params = { id: "1", unit: "1", period: "2023-H1", code: "4.2.5" };
    let checked = 0;
    for (const file of files) {
      const route = (await import(`../../app/routes/${file}`)) as { action?: unknown };
      if (!route.action) continue;
      const response = await call(route.action as never, "/x", { cookie, form: { intent: "x" }, origin: "https://evil.example", params });
      expect(response.status, file).toBe(403);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(14);
  });
});
