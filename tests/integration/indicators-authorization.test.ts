// Every indicator write action × every role × own unit / another unit where the unit matters. Refused requests
// get 403 and change nothing: no indicator, target, value or audit row.
//
// authz-covers: indicators.new.tsx
// authz-covers: indicators.$id.edit.tsx
// authz-covers: indicators.$id._index.tsx
import { describe, expect, it } from "vitest";
import * as newIndicator from "~/routes/indicators.new";
import * as editIndicator from "~/routes/indicators.$id.edit";
import * as indicatorPage from "~/routes/indicators.$id._index";
import { createIndicator } from "~/models/indicator.server";
import { db } from "~/utils/db.server";
import { type CallOptions, call, sessionCookieFor, unitId } from "../helpers";

type Route = { action?: (args: any) => any; loader?: (args: any) => any };

const ACTORS = [
  { username: "xsbn", role: "reporter", own: "yn-xsbn-mengla", other: "yn-km" },
  { username: "xsbn_leader", role: "leader", own: "yn-xsbn", other: "yn-km" },
  { username: "kunming", role: "reporter", own: "yn-km", other: "yn-xsbn" },
  { username: "kunming_leader", role: "leader", own: "yn-km", other: "yn-xsbn-mengla" },
  { username: "reviewer", role: "reviewer", own: "lmc-cn-yn-liaison", other: "yn-xsbn" },
  { username: "official", role: "official", own: "yn", other: "yn-km" },
  { username: "admin", role: "admin", own: "lmc-cn-secretariat", other: "yn-xsbn" },
] as const;
type Actor = (typeof ACTORS)[number];

let seq = 0;
async function prepareIndicator(source: "computed" | "entered"): Promise<number> {
  const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.7").executeTakeFirstOrThrow();
  return createIndicator(
    db,
    {
      code: `authz-${source}-${++seq}`,
      planItemId: item.id,
      nameZh: "权限测试指标",
      nameEn: "Authorization test indicator",
      unit: "对",
      baselineValue: 23,
      baselineYear: 2022,
      targetValue: 30,
      direction: "up",
      measure: "stock",
      source,
      computation: source === "computed" ? "count" : null,
     
      periodTargets: [],
    },
    null,
  );
}

function definitionForm(code: string): Record<string, string> {
  return {
    code,
    name_zh: "被篡改的指标",
    name_en: "Tampered indicator",
    plan_item: "4.3.7",
    unit: "对",
    baseline_value: "23",
    baseline_year: "2022",
    target_value: "99",
    direction: "up",
    measure: "stock",
    source: "entered",
    computation: "",
    activity_type: "",
    period_kind: "half",
    "target_2024-H2": "25",
  };
}

interface WriteCase {
  file: string;
  route: Route;
  /** whether the actor may do it, acting on their own unit or on another */
  allowed: (actor: Actor, where: "own" | "other") => boolean;
  /** whether the unit matters (only then are both own and other tried) */
  perUnit: boolean;
  prepare: () => Promise<number>;
  request: (id: number, unitCode: string) => Promise<{ path: string } & CallOptions>;
}

const cases: WriteCase[] = [
  {
    file: "indicators.new.tsx",
    route: newIndicator,
    allowed: (actor) => actor.role === "admin",
    perUnit: false,
    prepare: async () => 0,
    request: async () => ({ path: "/indicators/new", form: definitionForm(`authz-new-${++seq}`) }),
  },
  {
    file: "indicators.$id.edit.tsx",
    route: editIndicator,
    allowed: (actor) => actor.role === "admin",
    perUnit: false,
    prepare: () => prepareIndicator("entered"),
    request: async (id) => ({ path: `/indicators/${id}/edit`, params: { id: String(id) }, form: definitionForm("ignored") }),
  },
  {
    file: "indicators.$id._index.tsx",
    route: indicatorPage,
    allowed: (actor, where) => (actor.role === "reporter" || actor.role === "leader") && where === "own",
    perUnit: true,
    prepare: () => prepareIndicator("entered"),
    request: async (id, unitCode) => ({
      path: `/indicators/${id}`,
      params: { id: String(id) },
      form: { organization_id: String(await unitId(unitCode)), period: "2024-H2", value: "7", source_note: "权限测试" },
    }),
  },
];

/** Everything an indicator action could change. */
async function state() {
  const [indicators, targets, values, audit] = await Promise.all([
    db.selectFrom("indicators").select(["id", "code", "name_zh", "target_value", "source"]).orderBy("id").execute(),
    db.selectFrom("indicator_period_targets").selectAll().orderBy("indicator_id").orderBy("period_id").execute(),
    db.selectFrom("indicator_values").select(["id", "value", "organization_id", "period_id"]).orderBy("id").execute(),
    db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { indicators, targets, values, audit: Number(audit.n) };
}

describe("authorization of indicator write actions", () => {
  for (const c of cases) {
    for (const actor of ACTORS) {
      for (const where of c.perUnit ? (["own", "other"] as const) : (["own"] as const)) {
        const allowed = c.allowed(actor, where);
        const label = c.perUnit ? ` on ${where} unit` : "";
        it(`${c.file}: ${actor.username} (${actor.role})${label} → ${allowed ? "allowed" : "403, nothing changed"}`, async () => {
          const id = await c.prepare();
          const cookie = await sessionCookieFor(actor.username);
          const { path, ...options } = await c.request(id, actor[where]);
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
      const id = await c.prepare();
      const actor = c.perUnit ? ACTORS[0] : ACTORS[6];
      const cookie = await sessionCookieFor(actor.username);
      const { path, ...options } = await c.request(id, actor.own);
      const before = await state();
      const response = await call(c.route.action, path, { ...options, cookie, origin: "https://evil.example" });
      expect(response.status).toBe(403);
      expect(await state()).toEqual(before);
    });

    it(`${c.file}: without a session → sent to sign in, nothing changed`, async () => {
      const id = await c.prepare();
      const { path, ...options } = await c.request(id, "yn-xsbn");
      const before = await state();
      const response = await call(c.route.action, path, options);
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/login/);
      expect(await state()).toEqual(before);
    });
  }

  it("refuses a unit that does not exist with 403, not a 500", async () => {
    const id = await prepareIndicator("entered");
    const before = await state();
    const response = await call(indicatorPage.action, `/indicators/${id}`, {
      cookie: await sessionCookieFor("xsbn"),
      params: { id: String(id) },
      form: { organization_id: "987654", period: "2024-H2", value: "7", source_note: "权限测试" },
    });
    expect(response.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("shows the definition forms to administrators only, and everyone the pages", async () => {
    const id = await prepareIndicator("computed");
    for (const actor of ACTORS) {
      const cookie = await sessionCookieFor(actor.username);
      const expected = actor.role === "admin" ? 200 : 403;
      expect((await call(newIndicator.loader, "/indicators/new", { cookie })).status, actor.username).toBe(expected);
      expect((await call(editIndicator.loader, `/indicators/${id}/edit`, { cookie, params: { id: String(id) } })).status, actor.username).toBe(expected);
      expect((await call(indicatorPage.loader, `/indicators/${id}`, { cookie, params: { id: String(id) } })).status, actor.username).toBe(200);
    }
  });
});
