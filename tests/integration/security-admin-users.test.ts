// Administrators manage users: only they may (403 for every other role, on the page and on each action), a
// disabled user is signed out at once and cannot sign in, a temporary password follows the policy, ends the
// user's sessions and must be replaced; everything is audited.
// authz-covers: admin.users.tsx
// authz-covers: app/routes/admin.users.tsx
import { describe, expect, it } from "vitest";
import * as adminUsers from "~/routes/admin.users";
import * as login from "~/routes/login";
import * as activities from "~/routes/activities._index";
import * as password from "~/routes/account.password";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const userIdOf = async (username: string) => (await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow()).id;
const post = async (as: string, form: Record<string, string | number>) =>
  call(adminUsers.action, "/admin/users", { cookie: await sessionCookieFor(as), form });
const opens = async (cookie: string) => (await call(activities.loader, "/activities", { cookie })).status;
const signIn = (username: string, pw: string) => call(login.action, "/login", { form: { username, password: pw } });
const audits = (action: string, entityId: number) =>
  db.selectFrom("audit_log").selectAll().where("action", "=", action).where("entity_id", "=", entityId).orderBy("id").execute();

describe("who may manage users", () => {
  for (const role of ["xsbn", "xsbn_leader", "reviewer", "official"]) {
    it(`answers 403 to ${role}, on the page and on every action, and changes nothing`, async () => {
      const cookie = await sessionCookieFor(role);
      expect((await call(adminUsers.loader, "/admin/users", { cookie })).status).toBe(403);
      const target = await userIdOf("kunming");
      const forms: Record<string, string | number>[] = [
        { intent: "disable", user_id: target },
        { intent: "password", user_id: target, password: "a-new-temporary-one" },
        { intent: "create", username: "intruder", display_name: "x", organization_id: 1, role: "admin", password: "a-new-temporary-one" },
      ];
      for (const form of forms) {
        expect((await call(adminUsers.action, "/admin/users", { cookie, form })).status, String(form.intent)).toBe(403);
      }
      const row = await db.selectFrom("users").select("disabled_at").where("id", "=", target).executeTakeFirstOrThrow();
      expect(row.disabled_at).toBeNull();
      expect(await db.selectFrom("users").select("id").where("username", "=", "intruder").executeTakeFirst()).toBeUndefined();
    });
  }

  it("lists every user with unit, role, status and last sign-in for the administrator", async () => {
    await signIn("official", "lancang2026");
    const response = await call(adminUsers.loader, "/admin/users", { cookie: await sessionCookieFor("admin") });
    expect(response.status).toBe(200);
    const { users } = await jsonOf(response);
    const official = users.find((u: { username: string }) => u.username === "official");
    expect(official).toMatchObject({ role: "official", disabled_at: null, organization_name_zh: expect.any(String) });
    expect(official.last_sign_in_at).not.toBeNull();
    expect(users.map((u: { username: string }) => u.username)).toContain("xsbn");
    expect(JSON.stringify(users)).not.toMatch(/password_hash|scrypt/);
  });
});

describe("disabling and enabling", () => {
  it("signs a disabled user out at once and keeps them out; enabling lets them in again", async () => {
    const victim = await sessionCookieFor("kunming_leader");
    expect(await opens(victim)).toBe(200);
    const id = await userIdOf("kunming_leader");
    const response = await post("admin", { intent: "disable", user_id: id });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/admin/users?notice=disabled&who=kunming_leader");
    expect(await opens(victim)).toBe(302);
    expect(await db.selectFrom("sessions").select("id").where("user_id", "=", id).execute()).toEqual([]);
    expect((await signIn("kunming_leader", "lancang2026")).status).toBe(401);
    expect(await audits("user.disabled", id)).toHaveLength(1);

    expect((await post("admin", { intent: "enable", user_id: id })).status).toBe(302);
    expect((await signIn("kunming_leader", "lancang2026")).status).toBe(302);
    expect(await audits("user.enabled", id)).toHaveLength(1);
  });

  it("does not let an administrator disable their own account", async () => {
    const id = await userIdOf("admin");
    const response = await post("admin", { intent: "disable", user_id: id });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors).toEqual({ status: "security.users.errors.self" });
  });

  it("answers 404 for a user that does not exist", async () => {
    expect((await post("admin", { intent: "disable", user_id: 999999 })).status).toBe(404);
    expect((await post("admin", { intent: "disable", user_id: "abc" })).status).toBe(404);
  });
});

describe("temporary passwords", () => {
  it("follow the policy (400 beside the row's field)", async () => {
    const id = await userIdOf("official");
    const response = await post("admin", { intent: "password", user_id: id, password: "short" });
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ errors: { password: "security.password.too_short" }, userId: id });
    const same = await post("admin", { intent: "password", user_id: id, password: "official" });
    expect((await jsonOf(same)).errors.password).toBe("security.password.too_short");
    const common = await post("admin", { intent: "password", user_id: id, password: "lancang2026" });
    expect((await jsonOf(common)).errors.password).toBe("security.password.common");
  });

  it("end the user's sessions, and the user must choose their own password before anything else", async () => {
    const id = await userIdOf("reviewer");
    const before = await sessionCookieFor("reviewer");
    expect((await post("admin", { intent: "password", user_id: id, password: "临时密码-请修改-01" })).status).toBe(302);
    expect(await opens(before)).toBe(302);
    expect(await audits("user.password_reset", id)).toHaveLength(1);

    const signedIn = await signIn("reviewer", "临时密码-请修改-01");
    expect(signedIn.headers.get("Location")).toBe("/account/password");
    const cookie = signedIn.headers.get("Set-Cookie")!.split(";")[0]!;
    const elsewhere = await call(activities.loader, "/activities", { cookie });
    expect(elsewhere.headers.get("Location")).toBe("/account/password");
    const changed = await call(password.action, "/account/password", {
      cookie,
      form: { current_password: "临时密码-请修改-01", new_password: "审核员自己的新密码2026", repeat_password: "审核员自己的新密码2026" },
    });
    expect(changed.status).toBe(302);
    const fresh = changed.headers.get("Set-Cookie")!.split(";")[0]!;
    expect(await opens(fresh)).toBe(200);
  });
});

describe("creating users", () => {
  it("creates an account with a temporary password, audited", async () => {
    const unit = await unitId("yn-km");
    const response = await post("admin", {
      intent: "create",
      username: "KM_Reporter2",
      display_name: "昆明市外办 新填报员",
      organization_id: unit,
      role: "reporter",
      password: "昆明新账号的临时密码",
    });
    expect(response.status).toBe(302);
    const user = await db.selectFrom("users").selectAll().where("username", "=", "km_reporter2").executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: "reporter", organization_id: unit, must_change_password: 1, disabled_at: null });
    expect(await audits("user.created", user.id)).toHaveLength(1);
    expect((await signIn("km_reporter2", "昆明新账号的临时密码")).headers.get("Location")).toBe("/account/password");
  });

  it("refuses a bad or taken username, a missing unit, an unknown role and a weak password with field errors", async () => {
    const taken = await post("admin", { intent: "create", username: "xsbn", display_name: "x", organization_id: await unitId("yn-km"), role: "reporter", password: "一个足够长的密码啊啊啊" });
    expect(taken.status).toBe(400);
    expect((await jsonOf(taken)).errors).toEqual({ username: "security.users.errors.username_taken" });
    const bad = await post("admin", { intent: "create", username: "<b>", display_name: "", organization_id: "", role: "root", password: "short" });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors).toEqual({
      username: "security.users.errors.username",
      display_name: "errors.required",
      organization_id: "errors.choose",
      role: "errors.choose",
      password: "security.password.too_short",
    });
  });
});
