// Every write action × every role × own unit / another unit. The route list is read from app/routes, so a new
// route with an action fails this test until an authorization test covers it: each test file names the routes
// it covers in a comment "authz-covers: <route file>" (feature areas keep their matrices in their own files).
//
// authz-covers: activities.new.tsx
// authz-covers: activities.$id.edit.tsx
// authz-covers: activities.$id.delete.tsx
// authz-covers: activities.$id.restore.tsx
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as edit from "~/routes/activities.$id.edit";
import * as del from "~/routes/activities.$id.delete";
import * as restore from "~/routes/activities.$id.restore";
import { db } from "~/utils/db.server";
import { type CallOptions, call, seedActivity, sessionCookieFor, validActivityForm } from "../helpers";

/** Actions anyone may post (they act only on the poster's own session or language). */
const PUBLIC_ACTIONS = ["login.tsx", "logout.tsx", "locale.tsx"];

type Route = { action?: (args: any) => any; loader?: (args: any) => any };
interface WriteCase {
  file: string;
  route: Route;
  /** prepares an activity of the given unit in the state the action expects; returns its id */
  prepare: (unitCode: string) => Promise<number>;
  request: (id: number, unitCode: string) => Promise<{ path: string } & CallOptions>;
}

const cases: WriteCase[] = [
  {
    file: "activities.new.tsx",
    route: newActivity,
    prepare: async () => 0,
    request: async (_id, unitCode) => ({ path: "/activities/new", form: await validActivityForm(unitCode) }),
  },
  {
    file: "activities.$id.edit.tsx",
    route: edit,
    prepare: (unitCode) => seedActivity(unitCode),
    request: async (id, unitCode) => ({
      path: `/activities/${id}/edit`,
      params: { id: String(id) },
      form: { ...(await validActivityForm(unitCode, { title: "被篡改的标题" })), version: "1" },
    }),
  },
  {
    file: "activities.$id.delete.tsx",
    route: del,
    prepare: (unitCode) => seedActivity(unitCode),
    request: async (id) => ({ path: `/activities/${id}/delete`, params: { id: String(id) }, method: "POST" }),
  },
  {
    file: "activities.$id.restore.tsx",
    route: restore,
    prepare: (unitCode) => seedActivity(unitCode, { deleted: true }),
    request: async (id) => ({ path: `/activities/${id}/restore`, params: { id: String(id) }, method: "POST" }),
  },
];

/** Everything an action could change, to prove a refused request changed nothing. */
async function state() {
  const activities = await db.selectFrom("activities").select(["id", "title", "version", "deleted_at"]).orderBy("id").execute();
  const audit = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return { activities, audit: Number(audit.n) };
}

// xsbn reports for 西双版纳州 (and 勐腊县 below it); kunming for 昆明市.
const ACTORS = [
  { username: "xsbn", role: "reporter", own: "yn-xsbn-mengla", other: "yn-km" },
  { username: "kunming", role: "reporter", own: "yn-km", other: "yn-xsbn" },
  { username: "reviewer", role: "reviewer", own: "lmc-cn-yn-liaison", other: "yn-xsbn" },
  { username: "official", role: "official", own: "yn", other: "yn-km" },
  { username: "admin", role: "admin", own: "lmc-cn-secretariat", other: "yn-xsbn" },
] as const;

describe("authorization of write actions", () => {
  it("covers every route that has an action", () => {
    const withAction = readdirSync("app/routes").filter((f) =>
      /export (async )?function action|export const action/.test(readFileSync(`app/routes/${f}`, "utf8")),
    );
    const covered = new Set(
      readdirSync("tests/integration")
        .filter((f) => f.endsWith(".test.ts"))
        .flatMap((f) => [...readFileSync(`tests/integration/${f}`, "utf8").matchAll(/authz-covers: (\S+)/g)].map((m) => m[1])),
    );
    const uncovered = withAction.filter((f) => !PUBLIC_ACTIONS.includes(f) && !covered.has(f));
    expect(uncovered).toEqual([]);
    for (const c of cases) expect(covered).toContain(c.file);
  });

  for (const c of cases) {
    for (const actor of ACTORS) {
      for (const where of ["own", "other"] as const) {
        const allowed = actor.role === "reporter" && where === "own";
        it(`${c.file}: ${actor.username} (${actor.role}) on ${where} unit → ${allowed ? "allowed" : "403, nothing changed"}`, async () => {
          const unitCode = actor[where];
          const id = await c.prepare(unitCode);
          const cookie = await sessionCookieFor(actor.username);
          const { path, ...options } = await c.request(id, unitCode);
          const before = await state();
          const response = await call(c.route.action, path, { ...options, cookie });
          if (allowed) {
            expect(response.status, await response.clone().text()).toBe(302);
            expect(await state()).not.toEqual(before);
          } else {
            expect(response.status).toBe(403);
            expect(await state()).toEqual(before);
          }
        });
      }
    }

    it(`${c.file}: a cross-site post with a valid session → 403, nothing changed`, async () => {
      const id = await c.prepare("yn-xsbn");
      const cookie = await sessionCookieFor("xsbn");
      const { path, ...options } = await c.request(id, "yn-xsbn");
      const before = await state();
      const response = await call(c.route.action, path, { ...options, cookie, origin: "https://evil.example" });
      expect(response.status).toBe(403);
      expect(await state()).toEqual(before);
    });

    it(`${c.file}: without a session → sent to sign in, nothing changed`, async () => {
      const id = await c.prepare("yn-xsbn");
      const { path, ...options } = await c.request(id, "yn-xsbn");
      const before = await state();
      const response = await call(c.route.action, path, options);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/login/);
      expect(await state()).toEqual(before);
    });
  }

  it("shows the forms only to reporters of the unit", async () => {
    const id = await seedActivity("yn-xsbn");
    for (const actor of ACTORS) {
      const cookie = await sessionCookieFor(actor.username);
      const newForm = await call(newActivity.loader, "/activities/new", { cookie });
      expect(newForm.status, actor.username).toBe(actor.role === "reporter" ? 200 : 403);
      const editForm = await call(edit.loader, `/activities/${id}/edit`, { cookie, params: { id: String(id) } });
      expect(editForm.status, actor.username).toBe(actor.username === "xsbn" ? 200 : 403);
    }
  });
});
