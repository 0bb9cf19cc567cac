// The home page's "where the plan stands" per priority area: every loggable item of an area counted once (an area
// names nodes; the items below them are its items), by the light the reviewer gave it in the period, the rest
// unrated — on SQLite and on PostgreSQL (the npm run test:pg run includes this file).
import { describe, expect, it } from "vitest";
import * as evaluation from "~/routes/evaluation.$period";
import * as home from "~/routes/_index";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor } from "../helpers";

type AreaLights = { code: string; green: number; yellow: number; red: number; unrated: number; items: number };

async function areasOnHome(cookie: string): Promise<{ period: { code: string } | null; areas: AreaLights[] }> {
  const data = await jsonOf(await call(home.loader, "/", { cookie }));
  return { period: data.standing.ratings.period, areas: data.standing.ratings.areas };
}

async function loggableUnder(codes: string[]): Promise<number> {
  const nodes = await db.selectFrom("plan_items").select("path").where("code", "in", codes).execute();
  const items = await db.selectFrom("plan_items").select(["id", "path"]).where("loggable", "=", 1).execute();
  return items.filter((i) => nodes.some((n) => i.path.startsWith(n.path))).length;
}

describe("ratings per priority area on the official's home", () => {
  it("counts each loggable item of an area once, and a saved rating under its light", async () => {
    const official = await sessionCookieFor("official");
    const before = await areasOnHome(official);
    expect(before.period).not.toBeNull();
    const connectivity = before.areas.find((a) => a.code === "connectivity")!;
    const areaNodes = await db
      .selectFrom("plan_item_priority_areas as pa")
      .innerJoin("priority_areas as a", "a.id", "pa.priority_area_id")
      .innerJoin("plan_items as p", "p.id", "pa.plan_item_id")
      .select("p.code")
      .where("a.code", "=", "connectivity")
      .execute();
    expect(connectivity.items).toBe(await loggableUnder(areaNodes.map((n) => n.code)));
    expect(connectivity.green + connectivity.yellow + connectivity.red + connectivity.unrated).toBe(connectivity.items);

    // the reviewer rates 4.2.1 互联互通 red in the period the home page shows
    const period = before.period!.code;
    const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.1").executeTakeFirstOrThrow();
    const prior = await db
      .selectFrom("plan_item_ratings as r")
      .innerJoin("reporting_periods as rp", "rp.id", "r.period_id")
      .select("r.rating")
      .where("r.plan_item_id", "=", item.id)
      .where("rp.code", "=", period)
      .executeTakeFirst();
    const reviewer = await sessionCookieFor("reviewer");
    const saved = await call(evaluation.action, `/evaluation/${period}`, {
      cookie: reviewer,
      params: { period },
      form: { plan_item_id: String(item.id), rating: "red", comment: "通道项目前期工作滞后。", override_reason: "重点项目未按期开工" },
    });
    expect(saved.status).toBe(302);

    const after = (await areasOnHome(official)).areas.find((a) => a.code === "connectivity")!;
    expect(after.red).toBe(connectivity.red + (prior?.rating === "red" ? 0 : 1));
    expect(after.unrated).toBe(connectivity.unrated - (prior ? 0 : 1));
    expect(after.items).toBe(connectivity.items);
    // an area with no loggable item is not listed; every listed one adds up
    for (const a of (await areasOnHome(official)).areas) {
      expect(a.items).toBeGreaterThan(0);
      expect(a.green + a.yellow + a.red + a.unrated).toBe(a.items);
    }
  });
});
