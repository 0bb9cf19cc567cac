import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { seed } from "../../seeds/seed";
import { idOfSeed } from "../helpers";

const count = async (table: "plan_items" | "organizations" | "users" | "activities" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("the seeded plan", () => {
  it("has every numbered item of the 2023-2027 plan, bilingual, with the plan's text", async () => {
    const items = await db.selectFrom("plan_items").selectAll().execute();
    const codes = new Set(items.map((i) => i.code));
    const expected = [
      "1", "2", "3", "4", "5", "4.1", "4.2", "4.3", "4.1.1", "4.1.2", "4.1.3", "4.1.3.1", "4.1.3.2", "4.1.3.3",
      ...Array.from({ length: 14 }, (_, i) => `4.2.${i + 1}`),
      ...Array.from({ length: 7 }, (_, i) => `4.3.${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `5.${i + 1}`),
    ];
    for (const code of expected) expect(codes, code).toContain(code);
    for (const item of items) {
      expect(item.title_zh, item.code).not.toBe("");
      expect(item.title_en, item.code).not.toBe("");
    }
    const agriculture = items.find((i) => i.code === "4.2.5")!;
    expect(agriculture.title_zh).toBe("农业");
    expect(agriculture.text_zh).toContain("丰收澜湄");
    expect(agriculture.loggable).toBe(1);
    expect(agriculture.title_en_official).toBe(0);
    const pillar = items.find((i) => i.code === "4.3")!;
    expect(pillar.title_en).toBe("Social, Cultural and People-to-People Exchanges");
    expect(pillar.title_en_official).toBe(1);
    expect(items.find((i) => i.code === "4.1.3")!.loggable).toBe(0);
  });

  it("maps the five priority areas onto their plan items", async () => {
    const rows = await db
      .selectFrom("plan_item_priority_areas as l")
      .innerJoin("priority_areas as a", "a.id", "l.priority_area_id")
      .innerJoin("plan_items as p", "p.id", "l.plan_item_id")
      .select(["a.code as area", "a.name_en", "p.code"])
      .execute();
    const byArea = (area: string) => rows.filter((r) => r.area === area).map((r) => r.code).sort();
    expect(byArea("connectivity")).toEqual(["4.2.1"]);
    expect(byArea("water-resources")).toEqual(["4.2.12"]);
    expect(byArea("agriculture-poverty")).toEqual(["4.2.5", "4.2.6"]);
    expect(new Set(rows.map((r) => r.area)).size).toBe(5);
  });
});

describe("the seeded units and ledger", () => {
  it("has Yunnan with all 16 prefecture-level units, counties, the secretariat, and the counterpart bodies in their register", async () => {
    const orgs = await db.selectFrom("organizations").selectAll().execute();
    const yunnan = orgs.find((o) => o.code === "yn")!;
    expect(orgs.filter((o) => o.parent_id === yunnan.id && o.kind === "prefecture")).toHaveLength(16);
    const mengla = orgs.find((o) => o.name_zh === "勐腊县")!;
    const xsbn = orgs.find((o) => o.code === "yn-xsbn")!;
    expect(mengla.parent_id).toBe(xsbn.id);
    expect(mengla.path.startsWith(xsbn.path)).toBe(true);
    const liaison = orgs.find((o) => o.code === "lmc-cn-yn-liaison")!;
    expect(orgs.find((o) => o.id === liaison.parent_id)?.name_zh).toBe("澜湄合作中国秘书处");
    // foreign bodies are not units of our tree: the counterpart register holds them, by country
    const bodies = await db.selectFrom("counterparts").select(["country_code", "name_zh"]).execute();
    for (const [country, name] of [["LA", "琅勃拉邦省"], ["LA", "占巴塞省"], ["KR", "京畿道议政府市"]]) {
      expect(bodies).toContainEqual({ country_code: country, name_zh: name });
    }
    expect(orgs.filter((o) => o.kind === "foreign_body")).toEqual([]);
  });

  it("holds the README's 70 activities from the reference documents, with their published figures", async () => {
    expect(await db.selectFrom("activities").select("id").where("seed_key", "is not", null).execute()).toHaveLength(70);
    const outbound = await db
      .selectFrom("activities")
      .selectAll()
      .where("organization_id", "=", (await db.selectFrom("organizations").select("id").where("code", "=", "yn-xsbn").executeTakeFirstOrThrow()).id)
      .where("delegations_count", "=", 10)
      .where("participants_count", "=", 47)
      .execute();
    expect(outbound).toHaveLength(1);
    const houses = await db.selectFrom("activities").select(["funding_cny_fen", "title"]).where("title", "like", "%公用社房%").execute();
    expect(houses[0]?.funding_cny_fen).toBe(30_000_000);
    const reservoir = await db.selectFrom("activities").select("title").where("title", "like", "%巴铺村%").execute();
    expect(reservoir.length).toBeGreaterThan(0);
    const memo = await db.selectFrom("activities").select(["type", "title"]).where("title", "like", "%琅勃拉邦%备忘录%").execute();
    expect(memo[0]?.type).toBe("agreement");
  });

  it("is idempotent and never overwrites or resurrects user data", async () => {
    const before = {
      plan: await count("plan_items"),
      orgs: await count("organizations"),
      users: await count("users"),
      activities: await count("activities"),
    };
    const id = await idOfSeed("xsbn-2023h1-outbound-total");
    await db.updateTable("activities").set({ title: "用户修改过的标题" }).where("id", "=", id).execute();
    const other = (await db.selectFrom("activities").select("id").where("seed_key", "is not", null).where("id", "!=", id).executeTakeFirstOrThrow()).id;
    await db.updateTable("activities").set({ deleted_at: new Date().toISOString() }).where("id", "=", other).execute();

    await seed(db);

    expect(await count("plan_items")).toBe(before.plan);
    expect(await count("organizations")).toBe(before.orgs);
    expect(await count("users")).toBe(before.users);
    expect(await count("activities")).toBe(before.activities);
    const edited = await db.selectFrom("activities").select("title").where("id", "=", id).executeTakeFirstOrThrow();
    expect(edited.title).toBe("用户修改过的标题");
    const deleted = await db.selectFrom("activities").select("deleted_at").where("id", "=", other).executeTakeFirstOrThrow();
    expect(deleted.deleted_at).not.toBeNull();
  });
});
