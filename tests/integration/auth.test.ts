import { describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as locale from "~/routes/locale";
import * as root from "~/root";
import * as activities from "~/routes/activities._index";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor } from "../helpers";

const signIn = (username: string, password: string, ip = "10.0.0.1") =>
  call(login.action, "/login", {
    form: { username, password, redirectTo: "/plan" },
    headers: { "X-Forwarded-For": ip },
  });

describe("sign-in", () => {
  it("signs a demo user in with a fresh httpOnly SameSite session cookie and goes where they were headed", async () => {
    const response = await signIn("xsbn", "lancang2026");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/plan");
    const cookie = response.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^lmc_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const again = await signIn("xsbn", "lancang2026");
    expect(again.headers.get("Set-Cookie")!.split(";")[0]).not.toBe(cookie.split(";")[0]);
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "auth.sign_in").execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it("answers a wrong password and an unknown user with the same message", async () => {
    const wrongPassword = await signIn("kunming", "not-the-password", "10.0.0.2");
    const unknownUser = await signIn("nobody", "lancang2026", "10.0.0.3");
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(await jsonOf(wrongPassword)).toEqual(await jsonOf(unknownUser));
  });

  it("slows down repeated failures for the account, even from new addresses, then lets the right password in later", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn("official", "wrong", `10.1.0.${i}`)).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses).toContain(429);
    const throttled = await signIn("official", "lancang2026", "10.1.0.99");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThan(0);
    // once the wait is over (simulated by aging the attempts), the right password works and clears the count
    await db.updateTable("login_attempts").set({ attempted_at: new Date(Date.now() - 10 * 60 * 1000).toISOString() }).execute();
    expect((await signIn("official", "lancang2026", "10.1.0.100")).status).toBe(302);
  });

  it("counts failures per account only, unless told to trust a proxy: one person's typos lock nobody else out", async () => {
    for (let i = 0; i < 5; i++) await signIn("reviewer", "wrong", "10.3.0.1");
    // same (untrusted, forgeable) address, another account: not slowed down
    expect((await signIn("kunming", "lancang2026", "10.3.0.1")).status).toBe(302);
    const keys = await db.selectFrom("login_attempts").select("key").distinct().execute();
    expect(keys.map((k) => k.key).filter((k) => k.startsWith("ip:"))).toEqual([]);
  });

  it("refuses a sign-in posted from another site", async () => {
    const response = await call(login.action, "/login", {
      form: { username: "xsbn", password: "lancang2026" },
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
  });

  it("ignores a redirect to another site", async () => {
    const response = await call(login.action, "/login", {
      form: { username: "admin", password: "lancang2026", redirectTo: "//evil.example/x" },
      headers: { "X-Forwarded-For": "10.2.0.1" },
    });
    expect(response.headers.get("Location")).toBe("/");
  });
});

describe("sessions", () => {
  it("sends visitors without a session to sign in, keeping where they were going", async () => {
    const response = await call(activities.loader, "/activities?type=training");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/activities?type=training")}`);
  });

  it("ends the session on sign-out, so the old cookie no longer works", async () => {
    const cookie = await sessionCookieFor("reviewer");
    expect((await call(activities.loader, "/activities", { cookie })).status).toBe(200);
    const out = await call(logout.action, "/logout", { cookie, method: "POST" });
    expect(out.status).toBe(302);
    expect((await call(activities.loader, "/activities", { cookie })).status).toBe(302);
  });

  it("stops a disabled user at once", async () => {
    const cookie = await sessionCookieFor("kunming");
    await db.updateTable("users").set({ disabled_at: new Date().toISOString() }).where("username", "=", "kunming").execute();
    expect((await call(activities.loader, "/activities", { cookie })).status).toBe(302);
    await db.updateTable("users").set({ disabled_at: null }).where("username", "=", "kunming").execute();
  });

  it("rejects a tampered session cookie", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const tampered = cookie.slice(0, -3) + (cookie.endsWith("abc") ? "xyz" : "abc");
    expect((await call(activities.loader, "/activities", { cookie: tampered })).status).toBe(302);
  });
});

describe("language", () => {
  it("is Chinese by default, and the English switch sticks in a cookie and on the user", async () => {
    const cookie = await sessionCookieFor("xsbn");
    expect((await jsonOf(await call(root.loader, "/", { cookie }))).locale).toBe("zh-CN");
    const switched = await call(locale.action, "/locale", { cookie, form: { locale: "en", redirectTo: "/plan" } });
    expect(switched.status).toBe(302);
    expect(switched.headers.get("Location")).toBe("/plan");
    const localeCookie = switched.headers.get("Set-Cookie")!.split(";")[0]!;
    expect((await jsonOf(await call(root.loader, "/", { cookie: `${cookie}; ${localeCookie}` }))).locale).toBe("en");
    // a new browser (no locale cookie) still gets the user's choice
    const user = await db.selectFrom("users").select("locale").where("username", "=", "xsbn").executeTakeFirstOrThrow();
    expect(user.locale).toBe("en");
    expect((await jsonOf(await call(root.loader, "/", { cookie }))).locale).toBe("en");
  });

  it("refuses an unknown language with 400", async () => {
    expect((await call(locale.action, "/locale", { form: { locale: "fr" } })).status).toBe(400);
  });
});
