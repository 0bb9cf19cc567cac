// The sister-city register, as the issue asks: the sister-city indicators derived from the register (the published
// baseline plus the formal pairs established after it; a 意向书 is no pair; countries distinct; Southeast Asia),
// the classification over a ledger (an exchange two years ago: 强化; four years ago: 激活; a planned one does not
// count; 开辟 candidates with two exchanges and no relationship), the seed's relationships from the documents,
// advancing a stage (audited; a role without the right gets 403; bad input 400 with field errors).
//
// authz-covers: sister-cities.new.tsx
// authz-covers: sister-cities.$id.tsx
import { describe, expect, it } from "vitest";
import * as registerPage from "~/routes/sister-cities._index";
import * as newPage from "~/routes/sister-cities.new";
import * as relationshipPage from "~/routes/sister-cities.$id";
import * as bodyPage from "~/routes/counterparts.$id._index";
import { createActivity } from "~/models/activity.server";
import { mergeCounterparts } from "~/models/counterpart.server";
import { getIndicatorByCode } from "~/models/indicator.server";
import { createSisterCity, type SisterCityStageFields } from "~/models/sister-city.server";
import { indicatorProgress } from "~/services/indicator-progress.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { localeCookie } from "~/utils/locale.server";
import * as migration from "../../db/migrations/2026-12-09T1000-sister-cities";
import { seed } from "../../seeds/seed";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

let seq = 0;

/** A fresh body of the counterpart register. */
async function body(country: string, level = "city", name = `友城测试机构${++seq}`): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto("counterparts")
    .values({ code: null, country_code: country, level, name_zh: name, name_en: `Test body ${seq}`, name_local: "", created_by: null, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

const EMPTY: SisterCityStageFields = {
  stage: "established",
  consensus_on: null,
  consensus_document: "",
  consensus_url: "",
  letter_of_intent_on: null,
  letter_of_intent_document: "",
  letter_of_intent_url: "",
  established_on: null,
  established_document: "",
  established_url: "",
  ended_on: null,
  note: "",
};

async function relationship(unitCode: string, bodyId: number, fields: Partial<SisterCityStageFields> = {}): Promise<number> {
  const result = await createSisterCity(db, { organizationId: await unitId(unitCode), counterpartId: bodyId, ...EMPTY, ...fields }, null);
  return result.id;
}

/** An activity of the unit naming the body, starting on the date. */
async function exchange(unitCode: string, bodyId: number, startDate: string, status = "completed") {
  const item = await db.selectFrom("plan_items").select("id").where("code", "=", "5.4").executeTakeFirstOrThrow();
  return createActivity(
    db,
    {
      organizationId: await unitId(unitCode),
      title: `友城交往测试 ${++seq}`,
      type: "outbound_visit",
      startDate,
      endDate: startDate,
      status,
      primaryPlanItemId: item.id,
      otherPlanItemIds: [],
      countries: [],
      counterpartBody: "",
      location: "",
      delegationsCount: null,
      participantsCount: null,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
      counterparts: [{ id: bodyId }],
    },
    null,
  );
}

const yearsAgo = (years: number, today = todayInChina()) => `${Number(today.slice(0, 4)) - years}${today.slice(4, 8)}15`;
const period = (code: string) => db.selectFrom("reporting_periods").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
const valueOf = async (code: string, periodCode: string, organizationPath?: string) =>
  (await indicatorProgress(db, (await getIndicatorByCode(db, code))!, await period(periodCode), { organizationPath })).actualToDate;
const stageForm = (fields: Record<string, string>) => ({
  stage: "established",
  consensus_on: "",
  consensus_document: "",
  consensus_url: "",
  letter_of_intent_on: "",
  letter_of_intent_document: "",
  letter_of_intent_url: "",
  established_on: "",
  established_document: "",
  established_url: "",
  ended_on: "",
  note: "",
  ...fields,
});

describe("the relationships the reference documents name", () => {
  it("are seeded with the dates the documents give, at their precision, and none made up", async () => {
    const rows = await db
      .selectFrom("sister_cities as s")
      .innerJoin("counterparts as c", "c.id", "s.counterpart_id")
      .innerJoin("organizations as o", "o.id", "s.organization_id")
      .select(["s.seed_key", "s.stage", "s.established_on", "s.consensus_on", "s.letter_of_intent_on", "c.code as body", "o.code as unit"])
      .where("s.seed_key", "is not", null)
      .execute();
    const by = (key: string) => rows.find((r) => r.seed_key === key)!;
    expect(by("xsbn-luang-prabang")).toMatchObject({ unit: "yn-xsbn", body: "la-luang-prabang", stage: "established", established_on: "2003" });
    expect(by("xsbn-uijeongbu")).toMatchObject({ body: "kr-uijeongbu", stage: "letter_of_intent", letter_of_intent_on: null });
    expect(by("xsbn-champasak")).toMatchObject({ body: "la-champasak", stage: "consensus", consensus_on: null });
    expect(by("km-fujisawa")).toMatchObject({ unit: "yn-km", established_on: "1981-11-05" });
    expect(by("yn-banteay-meanchey")).toMatchObject({ unit: "yn", established_on: "2011" });
    expect(rows.filter((r) => r.unit === "yn-km").map((r) => r.body).sort()).toEqual(
      ["ch-zurich", "jp-fujisawa", "kh-phnom-penh", "la-vientiane", "mm-yangon", "my-kuching-south", "np-pokhara"].sort(),
    );
    // every other seeded date is absent: the documents give none
    expect(rows.filter((r) => r.established_on !== null).map((r) => r.seed_key).sort()).toEqual(["km-fujisawa", "xsbn-luang-prabang", "yn-banteay-meanchey"]);
    // seeding again adds nothing
    const before = rows.length;
    await seed(db);
    expect((await db.selectFrom("sister_cities").select("id").where("seed_key", "is not", null).execute()).length).toBe(before);
  });

  it("leave the indicators at their published baselines: nothing the documents date is after them", async () => {
    expect(await valueOf("sister-cities", "2023-H1")).toBe(103);
    expect(await valueOf("sister-city-countries", "2023-H1")).toBe(36);
    expect(await valueOf("sister-cities-southeast-asia", "2023-H1")).toBe(49);
  });
});

describe("the sister-city indicators, from the register", () => {
  it("are the baseline plus the formal pairs established after it; a 意向书 is no pair; countries distinct; Southeast Asia", async () => {
    const before = {
      pairs: await valueOf("sister-cities", "2025-H2"),
      countries: await valueOf("sister-city-countries", "2025-H2"),
      sea: await valueOf("sister-cities-southeast-asia", "2025-H2"),
    };
    // a new pair in Laos (a country the register holds) in March 2024
    await relationship("yn-xsbn-mengla", await body("LA", "district"), { established_on: "2024-03-10" });
    // a letter of intent with a Korean city: no pair
    await relationship("yn-xsbn", await body("KR"), { stage: "letter_of_intent", letter_of_intent_on: "2024-05" });
    // two pairs in Brazil, a country the register does not hold: one new country; the first known by its year only
    await relationship("yn-dl", await body("BR"), { established_on: "2024" });
    await relationship("yn-km", await body("BR"), { established_on: "2025-05-20" });
    // an old pair (before the baseline) does not add anything
    await relationship("yn-pe", await body("VN", "province"), { established_on: "2015" });

    expect(await valueOf("sister-cities", "2024-H1")).toBe(104);
    expect(await valueOf("sister-cities", "2024-H2")).toBe(105);
    expect(await valueOf("sister-cities", "2025-H2")).toBe(before.pairs! + 3);
    expect(await valueOf("sister-city-countries", "2024-H1")).toBe(36);
    expect(await valueOf("sister-city-countries", "2025-H2")).toBe(before.countries! + 1);
    expect(await valueOf("sister-cities-southeast-asia", "2025-H2")).toBe(before.sea! + 1);
    // a unit's scope: its own pairs added to the province's baseline, as every level indicator does
    expect(await valueOf("sister-cities", "2025-H2", (await db.selectFrom("organizations").select("path").where("code", "=", "yn-dl").executeTakeFirstOrThrow()).path)).toBe(104);

    // the register page shows the same figures (today, the latest)
    const page = await jsonOf(await call(registerPage.loader, "/sister-cities", { cookie: await sessionCookieFor("official") }));
    const figure = (computation: string) => page.figures.find((f: any) => f.computation === computation).value;
    expect(figure("sister_city_pairs")).toBe(await valueOf("sister-cities", "2026-H2"));
    expect(figure("sister_city_countries")).toBe(await valueOf("sister-city-countries", "2026-H2"));
    expect(figure("sister_city_pairs_sea")).toBe(await valueOf("sister-cities-southeast-asia", "2026-H2"));
  });

  it("stop counting a pair from the month it ended", async () => {
    const id = await relationship("yn-lc", await body("TH"), { established_on: "2024-01-05" });
    const withIt = await valueOf("sister-cities-southeast-asia", "2025-H1");
    const cookie = await sessionCookieFor("reviewer");
    const response = await call(relationshipPage.action, `/sister-cities/${id}`, {
      cookie,
      params: { id: String(id) },
      form: stageForm({ established_on: "2024-01-05", ended_on: "2025-03" }),
    });
    expect(response.status).toBe(302);
    expect(await valueOf("sister-cities-southeast-asia", "2025-H1")).toBe(withIt! - 1);
    expect(await valueOf("sister-cities-southeast-asia", "2024-H2")).toBe(withIt);
  });
});

describe("classification over the ledger", () => {
  it("强化 with an exchange two years ago, 激活 with one four years ago; planned and cancelled exchanges do not count", async () => {
    const recent = await body("LA", "province");
    const old = await body("LA", "province");
    const planned = await body("MM", "city");
    const active = await relationship("yn-xsbn", recent);
    const dormant = await relationship("yn-xsbn", old);
    const notYet = await relationship("yn-xsbn", planned);
    // exchanges of units below 西双版纳州 count for its relationship
    await exchange("yn-xsbn-mengla", recent, yearsAgo(2));
    await exchange("yn-xsbn", old, yearsAgo(4));
    await exchange("yn-xsbn", planned, yearsAgo(1), "planned");
    await exchange("yn-xsbn", planned, yearsAgo(1), "cancelled");
    // another unit's exchange does not make 西双版纳州's relationship active
    await exchange("yn-km", planned, yearsAgo(1));

    const cookie = await sessionCookieFor("xsbn");
    const page = await jsonOf(await call(registerPage.loader, `/sister-cities?unit=${await unitId("yn-xsbn")}`, { cookie }));
    const row = (id: number) => page.rows.find((r: any) => r.id === id);
    expect(row(active)).toMatchObject({ classification: "active", lastExchange: yearsAgo(2) });
    expect(row(dormant)).toMatchObject({ classification: "dormant", lastExchange: yearsAgo(4) });
    expect(row(notYet)).toMatchObject({ classification: "dormant", lastExchange: null });
    // a relationship not yet formal is not classified
    const uijeongbu = page.rows.find((r: any) => r.stage === "letter_of_intent");
    expect(uijeongbu.classification).toBeNull();

    // the filter by classification
    const dormantOnly = await jsonOf(await call(registerPage.loader, `/sister-cities?unit=${await unitId("yn-xsbn")}&class=dormant`, { cookie }));
    expect(dormantOnly.rows.map((r: any) => r.id)).toContain(dormant);
    expect(dormantOnly.rows.map((r: any) => r.id)).not.toContain(active);

    // the relationship's page lists the exchanges of the last three years
    const detail = await jsonOf(await call(relationshipPage.loader, `/sister-cities/${active}`, { cookie, params: { id: String(active) } }));
    expect(detail.exchanges).toHaveLength(1);
    expect(detail.relationship.classification).toBe("active");
    const dormantDetail = await jsonOf(await call(relationshipPage.loader, `/sister-cities/${dormant}`, { cookie, params: { id: String(dormant) } }));
    expect(dormantDetail.exchanges).toHaveLength(0);
  });

  it("lists as 开辟 the foreign bodies with two exchanges in three years and no relationship", async () => {
    const twice = await body("KH", "province");
    const once = await body("KH", "province");
    const related = await body("KH", "province");
    const halfPlanned = await body("KH", "province");
    const ministry = await body("KH", "national");
    const longAgo = await body("KH", "city");
    await exchange("yn-km", twice, yearsAgo(1));
    await exchange("yn-xsbn", twice, yearsAgo(2));
    await exchange("yn-km", once, yearsAgo(1));
    await exchange("yn-km", related, yearsAgo(1));
    await exchange("yn-km", related, yearsAgo(2));
    await relationship("yn-lc", related, { stage: "consensus" });
    await exchange("yn-km", halfPlanned, yearsAgo(1));
    await exchange("yn-km", halfPlanned, yearsAgo(1), "planned");
    await exchange("yn-km", ministry, yearsAgo(1));
    await exchange("yn-km", ministry, yearsAgo(2));
    await exchange("yn-km", longAgo, yearsAgo(4));
    await exchange("yn-km", longAgo, yearsAgo(5));
    const page = await jsonOf(await call(registerPage.loader, "/sister-cities", { cookie: await sessionCookieFor("reviewer") }));
    const ids = page.candidates.map((c: any) => c.id);
    expect(ids).toContain(twice);
    expect(page.candidates.find((c: any) => c.id === twice).exchanges).toBe(2);
    for (const not of [once, related, halfPlanned, ministry, longAgo]) expect(ids).not.toContain(not);
  });
});

describe("adding a relationship and advancing its stage", () => {
  it("is audited, and answers 403 to a role without the right", async () => {
    const bodyId = await body("LA", "province");
    const reporter = await sessionCookieFor("xsbn");
    // a reporter adds one for their own unit (or one below it) …
    const created = await call(newPage.action, "/sister-cities/new", {
      cookie: reporter,
      form: { organization_id: String(await unitId("yn-xsbn-menghai")), counterpart_id: String(bodyId), ...stageForm({ stage: "consensus", consensus_on: "2025-04" }) },
    });
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("Location")!.match(/\/sister-cities\/(\d+)/)![1]);
    // … not for another unit, and an official adds none
    const elsewhere = await call(newPage.action, "/sister-cities/new", {
      cookie: reporter,
      form: { organization_id: String(await unitId("yn-km")), counterpart_id: String(bodyId), ...stageForm({ stage: "consensus" }) },
    });
    expect(elsewhere.status).toBe(403);
    expect((await call(newPage.loader, "/sister-cities/new", { cookie: await sessionCookieFor("official") })).status).toBe(403);

    // advancing: 共识 → 意向书 → 正式缔结, each in the history
    const advance = (cookie: string, fields: Record<string, string>) =>
      call(relationshipPage.action, `/sister-cities/${id}`, { cookie, params: { id: String(id) }, form: stageForm(fields) });
    expect((await advance(await sessionCookieFor("kunming"), { stage: "letter_of_intent", consensus_on: "2025-04" })).status).toBe(403);
    expect((await advance(await sessionCookieFor("official"), { stage: "letter_of_intent", consensus_on: "2025-04" })).status).toBe(403);
    expect((await advance(await sessionCookieFor("xsbn_leader"), { stage: "letter_of_intent", consensus_on: "2025-04" })).status).toBe(403);
    expect(
      (await advance(reporter, { stage: "letter_of_intent", consensus_on: "2025-04", letter_of_intent_on: "2025-09-01", letter_of_intent_document: "友好城市意向书" })).status,
    ).toBe(302);
    expect(
      (
        await advance(await sessionCookieFor("reviewer"), {
          stage: "established",
          consensus_on: "2025-04",
          letter_of_intent_on: "2025-09-01",
          letter_of_intent_document: "友好城市意向书",
          established_on: "2026",
          established_url: "https://example.org/agreement",
        })
      ).status,
    ).toBe(302);
    const history = await db.selectFrom("audit_log").select(["action", "user_id", "changes_json"]).where("entity_type", "=", "sister_city").where("entity_id", "=", id).orderBy("id").execute();
    expect(history.map((h) => h.action)).toEqual(["sister_city.create", "sister_city.update", "sister_city.update"]);
    expect(JSON.parse(history[1]!.changes_json).stage).toEqual(["consensus", "letter_of_intent"]);
    expect(JSON.parse(history[2]!.changes_json)).toMatchObject({ stage: ["letter_of_intent", "established"], established_on: [null, "2026"] });
    const row = await db.selectFrom("sister_cities").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ stage: "established", established_on: "2026", consensus_on: "2025-04" });

    // the page shows it; the body's page in the counterpart register links it
    const detail = await jsonOf(await call(relationshipPage.loader, `/sister-cities/${id}`, { cookie: reporter, params: { id: String(id) } }));
    expect(detail.history).toHaveLength(3);
    expect(detail.canManage).toBe(true);
    const ofBody = await jsonOf(await call(bodyPage.loader, `/counterparts/${bodyId}`, { cookie: reporter, params: { id: String(bodyId) } }));
    expect(ofBody.sisterCities.map((r: any) => r.id)).toEqual([id]);
  });

  it("answers bad input with 400 and the field errors, never 500", async () => {
    const id = await relationship("yn-xsbn", await body("LA", "province"), { stage: "consensus" });
    const cookie = await sessionCookieFor("xsbn");
    const post = async (fields: Record<string, string>) => {
      const response = await call(relationshipPage.action, `/sister-cities/${id}`, { cookie, params: { id: String(id) }, form: stageForm(fields) });
      return { status: response.status, errors: response.status === 400 ? (await jsonOf(response)).errors : {} };
    };
    expect(await post({ stage: "consensus", consensus_on: "2023-13" })).toEqual({ status: 400, errors: { consensus_on: "sister_cities.errors.date" } });
    expect(await post({ stage: "consensus", consensus_on: "2023年5月" })).toMatchObject({ status: 400, errors: { consensus_on: "sister_cities.errors.date" } });
    expect(await post({ stage: "consensus", established_on: "2024" })).toMatchObject({ status: 400, errors: { established_on: "sister_cities.errors.stage_not_reached" } });
    expect(await post({ stage: "established", established_on: "2099-01-01" })).toMatchObject({ status: 400, errors: { established_on: "sister_cities.errors.future" } });
    expect(await post({ stage: "established", consensus_on: "2024-05", established_on: "2023" })).toMatchObject({ status: 400, errors: { established_on: "sister_cities.errors.order" } });
    expect(await post({ stage: "established", established_url: "javascript:alert(1)" })).toMatchObject({ status: 400, errors: { established_url: "errors.url" } });
    expect(await post({ stage: "formal" })).toMatchObject({ status: 400, errors: { stage: "errors.choose" } });
    expect(await post({ stage: "consensus", note: "<script>x</script>" })).toMatchObject({ status: 400, errors: { note: "errors.html" } });
    // a partial date where the documents give a month: fine
    expect((await post({ stage: "consensus", consensus_on: "2024-05" })).status).toBe(302);

    // adding: a unit that cannot hold one, a body that is no sister city, one that already has it, missing choices
    const reviewer = await sessionCookieFor("reviewer");
    const add = async (fields: Record<string, string>) => {
      const response = await call(newPage.action, "/sister-cities/new", { cookie: reviewer, form: { ...stageForm({ stage: "consensus" }), ...fields } });
      return { status: response.status, errors: response.status === 400 ? (await jsonOf(response)).errors : {} };
    };
    const la = await body("LA", "province");
    expect(await add({ organization_id: String(await unitId("lmc-cn-secretariat")), counterpart_id: String(la) })).toMatchObject({ status: 400, errors: { organization_id: "sister_cities.errors.unit" } });
    const university = await body("LA", "organization");
    expect(await add({ organization_id: String(await unitId("yn-xsbn")), counterpart_id: String(university) })).toMatchObject({ status: 400, errors: { counterpart_id: "sister_cities.errors.body_level" } });
    const luangPrabang = (await db.selectFrom("counterparts").select("id").where("code", "=", "la-luang-prabang").executeTakeFirstOrThrow()).id;
    expect(await add({ organization_id: String(await unitId("yn-xsbn")), counterpart_id: String(luangPrabang) })).toMatchObject({ status: 400, errors: { counterpart_id: "sister_cities.errors.exists" } });
    expect(await add({ organization_id: "", counterpart_id: "abc" })).toMatchObject({ status: 400, errors: { organization_id: "errors.choose", counterpart_id: "errors.choose" } });
    expect(await add({ organization_id: "999999", counterpart_id: "999999" })).toMatchObject({ status: 400, errors: { organization_id: "sister_cities.errors.unit", counterpart_id: "sister_cities.errors.body" } });
    // a bad filter is a 400 with the filter named, not a 500
    const filtered = await call(registerPage.loader, "/sister-cities?stage=formal&unit=abc&class=x", { cookie: reviewer });
    expect(filtered.status).toBe(400);
    expect((await jsonOf(filtered)).invalid.sort()).toEqual(["class", "stage", "unit"]);
  });
});

describe("a body merged into another", () => {
  it("takes its relationships along, recorded in their histories", async () => {
    const kept = await body("LA", "province");
    const duplicate = await body("LA", "province");
    const id = await relationship("yn-pe", duplicate, { stage: "consensus" });
    const admin = await db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirstOrThrow();
    expect((await mergeCounterparts(db, kept, duplicate, admin.id)).status).toBe("ok");
    expect((await db.selectFrom("sister_cities").select("counterpart_id").where("id", "=", id).executeTakeFirstOrThrow()).counterpart_id).toBe(kept);
    const entry = await db.selectFrom("audit_log").select("changes_json").where("entity_type", "=", "sister_city").where("entity_id", "=", id).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(entry.changes_json)).toEqual({ counterpart_id: [duplicate, kept] });
  });
});

describe("the pages in English", () => {
  it("name the stages and classifications without Chinese words of their own", async () => {
    const cookie = `${await sessionCookieFor("official")}; ${(await localeCookie.serialize("en")).split(";")[0]}`;
    const page = await jsonOf(await call(registerPage.loader, "/sister-cities", { cookie }));
    const lp = page.rows.find((r: any) => r.body.startsWith("Luang Prabang Province"));
    expect(lp).toMatchObject({ unit: "Xishuangbanna Dai Autonomous Prefecture", body: "Luang Prabang Province, Laos", stage: "established", stage_on: "2003" });
  });
});

describe("migration 2026-12-09T1000", () => {
  it("turns the seeded sister-city indicator, as seeded, into a count of the register", async () => {
    const seeded = { version: 1, types: ["sister_city"], statuses: ["completed", "ongoing"], items: { scope: "any", codes: [] }, countries: [] };
    await db.updateTable("indicators").set({ computation: "count", counting_json: JSON.stringify(seeded) }).where("code", "=", "sister-cities").execute();
    await db.updateTable("indicators").set({ computation: "count", counting_json: JSON.stringify({ ...seeded, countries: ["LA"] }) }).where("code", "=", "sister-city-countries").execute();
    const saved = await db.selectFrom("sister_cities").selectAll().orderBy("id").execute();
    await db.schema.dropTable("sister_cities").execute();
    await migration.up(db);
    if (saved.length) await db.insertInto("sister_cities").values(saved).execute();
    expect((await getIndicatorByCode(db, "sister-cities"))!.computation).toBe("sister_city_pairs");
    // an indicator that does not count what the seed made it count is left alone
    expect((await getIndicatorByCode(db, "sister-city-countries"))!.computation).toBe("count");
  });
});
