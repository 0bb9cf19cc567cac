// Two instances of the built app (server.ts on build/index.js, as in production) serving the same PostgreSQL
// database, as behind a load balancer: nothing that matters may live in one instance's memory. A sign-in on one
// is valid on the other, a sign-out on one ends it on both, the sign-in throttle counts failures made on both,
// and two concurrent edits of one activity through the two instances never both win.
// Runs only in the PostgreSQL run (vitest.pg.config.ts); DATABASE_URL names this file's fresh database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { type RunningServer, startServer } from "../../bench/server";
import { formBody, validActivityForm } from "../helpers";

const SECRET = "two-instances-shared-secret-0123456789";

let a: RunningServer;
let b: RunningServer;

beforeAll(async () => {
  const env = { DATABASE_URL: process.env.DATABASE_URL!, SESSION_SECRET: SECRET };
  [a, b] = await Promise.all([startServer({ env, startTimeoutMs: 60_000 }), startServer({ env, startTimeoutMs: 60_000 })]);
}, 90_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

function post(instance: RunningServer, path: string, fields: Record<string, string | string[]>, cookie?: string) {
  return fetch(`${instance.baseURL}${path}`, {
    method: "POST",
    // as a browser posts: with its Origin (the server refuses writes that name no source)
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: instance.baseURL, ...(cookie ? { Cookie: cookie } : {}) },
    body: formBody(fields),
    redirect: "manual",
  });
}

function get(instance: RunningServer, path: string, cookie?: string) {
  return fetch(`${instance.baseURL}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
}

/** The session cookie ("name=value") set by a successful sign-in. */
async function signIn(instance: RunningServer, username: string): Promise<string> {
  const response = await post(instance, "/login", { username, password: "lancang2026", redirectTo: "/activities" });
  expect(response.status).toBe(302);
  const session = response.headers.getSetCookie().find((c) => c.startsWith("lmc_session="));
  expect(session).toBeTruthy();
  return session!.split(";")[0]!;
}

describe("two app instances on one PostgreSQL database", () => {
  it("refuses to start in production on PostgreSQL without a shared SESSION_SECRET", async () => {
    // it exits before it listens, and says why; no SESSION_SECRET at all (an empty one the general ≥ 32 rule refuses)
    const lone = startServer({ env: { DATABASE_URL: process.env.DATABASE_URL!, SESSION_SECRET: undefined } });
    await expect(lone).rejects.toThrow(/exited with [1-9]\d* before listening:[\s\S]*SESSION_SECRET/);
  });

  it("a sign-in on one instance is valid on the other, and a sign-out on either ends it on both", async () => {
    const cookie = await signIn(a, "xsbn");
    const onB = await get(b, "/activities", cookie);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("西双版纳州外办 填报员");
    expect((await get(a, "/activities", cookie)).status).toBe(200);

    const out = await post(b, "/logout", {}, cookie);
    expect(out.status).toBe(302);
    for (const instance of [a, b]) {
      const response = await get(instance, "/activities", cookie);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/login/);
    }
  });

  it("counts failed sign-ins made on both instances towards one throttle", async () => {
    // Three failures are free; the fourth try must wait. Each instance sees fewer than three of them.
    for (const instance of [a, b, a]) {
      const response = await post(instance, "/login", { username: "kunming", password: "wrong-password" });
      expect(response.status).toBe(401);
    }
    const throttled = await post(b, "/login", { username: "kunming", password: "lancang2026" });
    expect(throttled.status).toBe(429);
    // The first wait is one second; after it, the right password signs in again.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await post(b, "/login", { username: "kunming", password: "lancang2026" })).status).toBe(302);
  });

  it("lets exactly one of two concurrent edits of the same activity through the two instances win", async () => {
    const cookie = await signIn(a, "xsbn");
    for (let round = 0; round < 5; round++) {
      const created = await post(a, "/activities/new", await validActivityForm("yn-xsbn", { title: `并发编辑测试 ${round}` }), cookie);
      expect(created.status).toBe(302);
      const id = Number(/\/activities\/(\d+)/.exec(created.headers.get("Location") ?? "")?.[1]);
      expect(id).toBeGreaterThan(0);

      const edit = async (instance: RunningServer, title: string) =>
        post(instance, `/activities/${id}/edit`, { ...(await validActivityForm("yn-xsbn", { title })), version: "1" }, cookie);
      const [fromA, fromB] = await Promise.all([edit(a, `经实例A修改 ${round}`), edit(b, `经实例B修改 ${round}`)]);
      const statuses = [fromA.status, fromB.status].sort();
      expect(statuses).toEqual([302, 409]);

      const row = await db.selectFrom("activities").select(["title", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(row.version).toBe(2);
      expect(row.title).toBe(fromA.status === 302 ? `经实例A修改 ${round}` : `经实例B修改 ${round}`);
      const updates = await db
        .selectFrom("audit_log")
        .select("id")
        .where("entity_type", "=", "activity")
        .where("entity_id", "=", id)
        .where("action", "=", "activity.update")
        .execute();
      expect(updates).toHaveLength(1);
    }
  });
});
