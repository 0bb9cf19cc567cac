// Sessions: a new id on every sign-in (the cookie the browser carried before is dead), and a session past its
// TTL or idle too long is refused and removed from the database.
import { describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import * as activities from "~/routes/activities._index";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { call, sessionCookieFor } from "../helpers";

const signInWith = (cookie: string | undefined, username = "reviewer") =>
  call(login.action, "/login", { cookie, form: { username, password: "lancang2026", redirectTo: "/activities" } });

const cookieOf = (response: Response) => response.headers.get("Set-Cookie")!.split(";")[0]!;
const sessionCount = async (userId: number) =>
  Number((await db.selectFrom("sessions").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow()).n);
const userId = async (username: string) => (await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow()).id;
const opens = async (cookie: string) => (await call(activities.loader, "/activities", { cookie })).status === 200;

describe("session rotation", () => {
  it("gives a new session id on sign-in and kills the session the browser carried before", async () => {
    const old = await sessionCookieFor("reviewer");
    expect(await opens(old)).toBe(true);
    const response = await signInWith(old);
    expect(response.status).toBe(302);
    const fresh = cookieOf(response);
    expect(fresh).not.toBe(old);
    expect(await opens(fresh)).toBe(true);
    expect(await opens(old)).toBe(false);
  });

  it("kills a session an attacker planted before the victim signed in (fixation)", async () => {
    // the attacker signs in as themselves and plants their cookie in the victim's browser; the victim signs in
    const planted = await sessionCookieFor("kunming");
    const victim = await signInWith(planted, "kunming_leader");
    expect(await opens(planted)).toBe(false);
    expect(await opens(cookieOf(victim))).toBe(true);
  });

  it("records the sign-in time shown to administrators", async () => {
    const before = new Date().toISOString();
    await signInWith(undefined, "official");
    const row = await db.selectFrom("users").select("last_sign_in_at").where("username", "=", "official").executeTakeFirstOrThrow();
    expect(row.last_sign_in_at! >= before).toBe(true);
  });
});

describe("session expiry", () => {
  it("refuses a session past its TTL and deletes it", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await userId("xsbn");
    const count = await sessionCount(id);
    await db
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("user_id", "=", id)
      .execute();
    expect(await opens(cookie)).toBe(false);
    expect(await sessionCount(id)).toBe(count - 1);
  });

  it(`refuses a session unused for longer than SESSION_IDLE_MINUTES (${env.SESSION_IDLE_MINUTES}) and deletes it`, async () => {
    const cookie = await sessionCookieFor("xsbn_leader");
    const id = await userId("xsbn_leader");
    const idleMs = env.SESSION_IDLE_MINUTES * 60_000;
    // used a little less than the idle limit ago: still valid, and marked as used now
    await db.updateTable("sessions").set({ last_seen_at: new Date(Date.now() - idleMs + 60_000).toISOString() }).where("user_id", "=", id).execute();
    expect(await opens(cookie)).toBe(true);
    const touched = await db.selectFrom("sessions").select("last_seen_at").where("user_id", "=", id).executeTakeFirstOrThrow();
    expect(Date.now() - new Date(touched.last_seen_at!).getTime()).toBeLessThan(60_000);
    // then left alone for longer than the limit
    await db.updateTable("sessions").set({ last_seen_at: new Date(Date.now() - idleMs - 60_000).toISOString() }).where("user_id", "=", id).execute();
    expect(await opens(cookie)).toBe(false);
    expect(await sessionCount(id)).toBe(0);
  });

  it("sets the cookie's lifetime to the TTL, and the session row expires with it", async () => {
    const response = await signInWith(undefined, "admin");
    const header = response.headers.get("Set-Cookie")!;
    expect(header).toMatch(new RegExp(`Max-Age=${env.SESSION_TTL_HOURS * 3600}`));
    const id = await userId("admin");
    const row = await db.selectFrom("sessions").select("expires_at").where("user_id", "=", id).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    const hours = (new Date(row.expires_at).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(env.SESSION_TTL_HOURS - 0.1);
    expect(hours).toBeLessThanOrEqual(env.SESSION_TTL_HOURS);
  });
});
