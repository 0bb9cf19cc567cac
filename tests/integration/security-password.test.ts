// The password policy, and users changing their own password: errors beside the fields with 400, and on success
// every other session of the user ends, this one gets a new id, and the audit log says so.
// authz-covers: account.password.tsx
// authz-covers: app/routes/account.password.tsx
import { describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import * as password from "~/routes/account.password";
import * as activities from "~/routes/activities._index";
import { isCommonPassword, newPasswordSchema, parseNewPassword } from "~/schemas/password";
import { db } from "~/utils/db.server";
import { call, formBody, jsonOf, sessionCookieFor } from "../helpers";

const change = (cookie: string | undefined, fields: Record<string, string>) =>
  call(password.action, "/account/password", { cookie, form: fields });
const opens = async (cookie: string) => (await call(activities.loader, "/activities", { cookie })).status === 200;
const signIn = (username: string, pw: string) => call(login.action, "/login", { form: { username, password: pw } });
const errorOf = (pw: string, username = "xsbn") => {
  const r = newPasswordSchema(username).safeParse(pw);
  return r.success ? null : r.error.issues[0]!.message;
};

describe("password policy", () => {
  it("wants at least 10 characters, not the username, not a common password", () => {
    expect(errorOf("short-pw1")).toBe("security.password.too_short");
    expect(errorOf("")).toBe("errors.required");
    expect(errorOf("xsbn_leader", "XSBN_LEADER")).toBe("security.password.same_as_username");
    expect(errorOf("1234567890")).toBe("security.password.common");
    expect(errorOf("Password123")).toBe("security.password.common");
    // the demo password is published in the README, so it is never a good new one
    expect(isCommonPassword("lancang2026")).toBe(true);
    expect(errorOf("景洪市澜沧江畔的凤凰花")).toBeNull();
    expect(errorOf("correct horse battery")).toBeNull();
  });

  it("wants the new password twice, the same both times", () => {
    const mismatch = parseNewPassword(formBody({ new_password: "a-good-long-one", repeat_password: "a-good-long-two" }) as never, "xsbn");
    expect(mismatch).toEqual({ ok: false, errors: { repeat_password: "security.password.mismatch" } });
  });
});

describe("changing one's own password", () => {
  it("needs a session: without one it sends to sign in", async () => {
    const response = await change(undefined, { current_password: "x", new_password: "y", repeat_password: "y" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login/);
  });

  it("puts errors beside the fields with 400 and changes nothing", async () => {
    const cookie = await sessionCookieFor("kunming");
    const response = await change(cookie, { current_password: "", new_password: "kunming", repeat_password: "other" });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors).toEqual({
      current_password: "errors.required",
      new_password: "security.password.too_short",
      repeat_password: "security.password.mismatch",
    });
    const wrongCurrent = await change(cookie, {
      current_password: "not-my-password",
      new_password: "昆明外办的新密码2026",
      repeat_password: "昆明外办的新密码2026",
    });
    expect(wrongCurrent.status).toBe(400);
    expect((await jsonOf(wrongCurrent)).errors).toEqual({ current_password: "security.password.wrong_current" });
    expect((await signIn("kunming", "lancang2026")).status).toBe(302);
  });

  it("on success ends every other session, rotates this one, and is audited", async () => {
    const here = await sessionCookieFor("xsbn");
    const elsewhere = await sessionCookieFor("xsbn");
    const response = await change(here, {
      current_password: "lancang2026",
      new_password: "西双版纳 2026 新密码",
      repeat_password: "西双版纳 2026 新密码",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/account/password?notice=changed");
    const fresh = response.headers.get("Set-Cookie")!.split(";")[0]!;
    expect(fresh).not.toBe(here);
    expect(await opens(fresh)).toBe(true);
    expect(await opens(here)).toBe(false);
    expect(await opens(elsewhere)).toBe(false);
    expect((await signIn("xsbn", "lancang2026")).status).toBe(401);
    expect((await signIn("xsbn", "西双版纳 2026 新密码")).status).toBe(302);
    const user = await db.selectFrom("users").select(["id", "password_changed_at"]).where("username", "=", "xsbn").executeTakeFirstOrThrow();
    expect(user.password_changed_at).not.toBeNull();
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "user.password_changed")
      .where("entity_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(user.id);
    expect(JSON.parse(audit.changes_json)).toEqual({ sessions_ended: 2 });
    // the hash is never in the audit log
    expect(audit.changes_json).not.toMatch(/scrypt/);
  });

  it("counts wrong current passwords like failed sign-ins, so a stolen session cannot guess the password", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await change(cookie, { current_password: `guess-${i}`, new_password: "审核员的新密码2026", repeat_password: "审核员的新密码2026" })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    await db.deleteFrom("login_attempts").execute();
  });
});
