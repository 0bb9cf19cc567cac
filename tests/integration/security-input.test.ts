// What an attacker types where a user types: redirect targets after signing in or switching language, hidden
// characters in report text, and the session ids a copy of the database would hold.
import { describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import * as locale from "~/routes/locale";
import * as reportRoute from "~/routes/reports.$unit.$period";
import { db } from "~/utils/db.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { sessionKey } from "~/models/session.server";
import { BASE, call, sessionCookieFor, unitId } from "../helpers";

const HOSTILE_TARGETS = [
  "//evil.example",
  "/\\evil.example",
  "/\t/evil.example",
  "/%09/evil.example", // as typed in a query string, the browser decodes it before the form posts it
  "/\r\n/evil.example",
  "/a\r\nSet-Cookie: lmc_session=x",
  "https://evil.example/",
  "javascript:alert(1)",
  "\\\\evil.example",
  " /evil",
];

describe("redirect targets", () => {
  it("stay on this site, whatever is typed, and always make a valid Location header", () => {
    for (const target of HOSTILE_TARGETS) {
      const to = safeRedirect(target);
      expect(new URL(to, BASE).origin, JSON.stringify(target)).toBe(BASE);
      expect(to, JSON.stringify(target)).not.toMatch(/[\u0000-\u001f\\]/);
      expect(() => new Headers({ Location: to }), JSON.stringify(target)).not.toThrow();
    }
    expect(safeRedirect(decodeURIComponent("/%09/evil.example"))).toBe("/");
    expect(safeRedirect("/reports/13/2023-H1?tab=1#item-4")).toBe("/reports/13/2023-H1?tab=1#item-4");
    expect(safeRedirect("/活动")).toBe("/%E6%B4%BB%E5%8A%A8");
  });

  it("after signing in: a hostile redirectTo goes home, the session cookie is set and nothing throws", async () => {
    for (const target of [...HOSTILE_TARGETS, decodeURIComponent("/%09/evil.example"), "/报告\u0000"]) {
      const response = await call(login.action, "/login", { form: { username: "official", password: "lancang2026", redirectTo: target } });
      expect(response.status, JSON.stringify(target)).toBe(302);
      expect(new URL(response.headers.get("Location")!, BASE).origin).toBe(BASE);
      expect(response.headers.get("Set-Cookie")).toMatch(/lmc_session=/);
    }
    const loader = await call(login.loader, `/login?redirectTo=${encodeURIComponent("/\t/evil.example")}`, { cookie: await sessionCookieFor("official") });
    expect(loader.headers.get("Location")).toBe("/");
  });

  it("after switching language: the same rule", async () => {
    for (const target of HOSTILE_TARGETS) {
      const response = await call(locale.action, "/locale", { form: { locale: "en", redirectTo: target }, origin: BASE });
      expect(response.status).toBe(302);
      expect(new URL(response.headers.get("Location")!, BASE).origin, JSON.stringify(target)).toBe(BASE);
    }
  });
});

describe("report text", () => {
  it("refuses right-to-left overrides and control characters in narratives and reasons, like every other field", async () => {
    const km = await unitId("yn-km");
    const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.1").executeTakeFirstOrThrow()).id;
    const cookie = await sessionCookieFor("kunming");
    const save = (text: string) =>
      call(reportRoute.action, `/reports/${km}/2025-H1`, {
        cookie,
        params: { unit: String(km), period: "2025-H1" },
        form: { intent: "save", version: "0", item_ids: [String(item)], [`progress_${item}`]: text },
      });
    for (const text of ["举办交流周\u202E一次", "举办\u0000交流周", "举办\u0007交流周"]) {
      const response = await save(text);
      expect(response.status, JSON.stringify(text)).toBe(400);
      expect(JSON.stringify(await response.json())).toContain("errors.hidden_chars");
    }
    // line breaks and tabs are text
    expect((await save("举办交流周一次。\n\t签署纪要一份。")).status).toBe(302);
  });
});

describe("session ids", () => {
  it("are stored hashed: the database holds no id a browser could present", async () => {
    const response = await call(login.action, "/login", { form: { username: "reviewer", password: "lancang2026" } });
    const cookie = response.headers.get("Set-Cookie")!.split(";")[0]!;
    const user = (await db.selectFrom("users").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow()).id;
    const rows = await db.selectFrom("sessions").select("id").where("user_id", "=", user).execute();
    expect(rows.length).toBeGreaterThan(0);
    const signedValue = decodeURIComponent(cookie.split("=")[1]!);
    for (const row of rows) expect(signedValue).not.toContain(row.id);
    // the cookie's id, hashed, is the row
    const { sessionStorage } = await import("~/utils/session.server");
    const session = await sessionStorage.getSession(cookie);
    expect(rows.map((r) => r.id)).toContain(sessionKey(session.id));
  });
});

describe("a refused report write", () => {
  it("writes nothing: no report row is left behind by a save or a submission that was refused", async () => {
    const km = await unitId("yn-km");
    const period = (await db.selectFrom("reporting_periods").select("id").where("code", "=", "2027-H1").executeTakeFirstOrThrow()).id;
    const rows = () => db.selectFrom("period_reports").select("id").where("organization_id", "=", km).where("period_id", "=", period).execute();
    expect(await rows()).toEqual([]);
    const post = async (username: string, form: Record<string, string>) =>
      call(reportRoute.action, `/reports/${km}/2027-H1`, { cookie: await sessionCookieFor(username), params: { unit: String(km), period: "2027-H1" }, form });
    // a save from a form of another version (stale), and a sign-off, both refused
    const stale = await post("kunming", { intent: "save", version: "7" });
    expect(stale.status).toBe(409);
    expect(await rows()).toEqual([]);
    // a period closed by the administrator takes no save: refused after the report was looked up, nothing kept
    await db.updateTable("reporting_periods").set({ closed_at: new Date().toISOString() }).where("id", "=", period).execute();
    const closed = await post("kunming", { intent: "save", version: "0" });
    expect([403, 409]).toContain(closed.status);
    expect(await rows()).toEqual([]);
    await db.updateTable("reporting_periods").set({ closed_at: null }).where("id", "=", period).execute();
  });
});
