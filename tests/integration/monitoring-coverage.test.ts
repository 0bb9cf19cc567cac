// The coverage map: live activities per plan item × prefecture-level unit and × counterpart country, counted
// in SQL, with the date range, period and type filters, and links that list what a cell counts.
import { beforeAll, describe, expect, it } from "vitest";
import { type ActivityInput, createActivity, deleteActivity } from "~/models/activity.server";
import * as list from "~/routes/activities._index";
import * as coverage from "~/routes/monitoring.coverage";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const ITEM = "4.3.6"; // 宗教事务
const OTHER_ITEM = "4.3.7";

let official: string;
let ids: { item: number; otherItem: number; xsbn: number; mengla: number; kunming: number; yunnan: number };

const load = async (search = "") => {
  const response = await call(coverage.loader, `/monitoring/coverage${search}`, { cookie: official });
  return { status: response.status, data: await jsonOf(response) };
};
const unitCount = (data: any, item: number, unit: number): number => data.counts.byUnit[String(item)]?.[String(unit)] ?? 0;
const countryCount = (data: any, item: number, key: string): number => data.counts.byCountry[String(item)]?.[key] ?? 0;
const total = (data: any, item: number): number => data.counts.totals[String(item)] ?? 0;

async function log(unit: number, overrides: Partial<ActivityInput>): Promise<number> {
  return createActivity(
    db,
    {
      organizationId: unit,
      title: "宗教界人士交流",
      type: "inbound_visit",
      startDate: "2024-03-01",
      endDate: "2024-03-05",
      status: "completed",
      primaryPlanItemId: ids.item,
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: "",
      location: "",
      delegationsCount: null,
      participantsCount: null,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
      ...overrides,
    },
    null,
  );
}

let before: any;
let beforeH1: any;

beforeAll(async () => {
  official = await sessionCookieFor("official");
  const plan = new Map((await db.selectFrom("plan_items").select(["id", "code"]).execute()).map((r) => [r.code, r.id]));
  ids = {
    item: plan.get(ITEM)!,
    otherItem: plan.get(OTHER_ITEM)!,
    xsbn: await unitId("yn-xsbn"),
    mengla: await unitId("yn-xsbn-mengla"),
    kunming: await unitId("yn-km"),
    yunnan: await unitId("yn"),
  };
  before = (await load()).data;
  beforeH1 = (await load("?from=2024-01-01&to=2024-06-30")).data;

  // counted: a county's completed activity (in its prefecture's column), a prefecture's ongoing one, a second
  // item linked (not primary), and a province-level one (only in the total)
  await log(ids.mengla, { countries: ["LA", "JP"] });
  await log(ids.xsbn, { status: "ongoing", startDate: "2024-09-10", endDate: "2024-09-12", countries: ["MM"], type: "training" });
  await log(ids.kunming, { primaryPlanItemId: ids.otherItem, otherPlanItemIds: [ids.item], startDate: "2025-02-01", endDate: "2025-02-01" });
  await log(ids.yunnan, { countries: [], startDate: "2024-06-30", endDate: "2024-07-02" });
  // not counted: planned, cancelled, deleted
  await log(ids.xsbn, { status: "planned" });
  await log(ids.xsbn, { status: "cancelled" });
  const deleted = await log(ids.xsbn, {});
  await deleteActivity(db, deleted, 1);
});

describe("the coverage map", () => {
  it("counts live activities per plan item and prefecture-level unit, counties within their prefecture", async () => {
    const { status, data } = await load();
    expect(status).toBe(200);
    expect(unitCount(data, ids.item, ids.xsbn)).toBe(unitCount(before, ids.item, ids.xsbn) + 2);
    expect(unitCount(data, ids.item, ids.kunming)).toBe(unitCount(before, ids.item, ids.kunming) + 1);
    expect(unitCount(data, ids.otherItem, ids.kunming)).toBe(unitCount(before, ids.otherItem, ids.kunming) + 1);
    expect(total(data, ids.item)).toBe(total(before, ids.item) + 4);
    // the columns are the 16 prefecture-level units; the province and counties are not columns
    expect(data.units).toHaveLength(16);
    expect(data.units.map((u: any) => u.id)).not.toContain(ids.yunnan);
    expect(data.units.map((u: any) => u.id)).not.toContain(ids.mengla);
  });

  it("counts per Mekong country and with any other country", async () => {
    const { data } = await load();
    expect(data.countries).toEqual(["KH", "LA", "MM", "TH", "VN"]);
    expect(countryCount(data, ids.item, "LA")).toBe(countryCount(before, ids.item, "LA") + 2);
    expect(countryCount(data, ids.item, "MM")).toBe(countryCount(before, ids.item, "MM") + 1);
    expect(countryCount(data, ids.item, "other")).toBe(countryCount(before, ids.item, "other") + 1);
    expect(data.counts.otherCountries[String(ids.item)].JP).toBe((before.counts.otherCountries[String(ids.item)]?.JP ?? 0) + 1);
  });

  it("narrows by date range (overlapping, like the activity list), by reporting period and by type", async () => {
    const h1 = await load("?from=2024-01-01&to=2024-06-30");
    expect(h1.status).toBe(200);
    expect(unitCount(h1.data, ids.item, ids.xsbn)).toBe(unitCount(beforeH1, ids.item, ids.xsbn) + 1);
    expect(unitCount(h1.data, ids.item, ids.kunming)).toBe(unitCount(beforeH1, ids.item, ids.kunming));
    // the province's activity runs 30 June to 2 July: it overlaps the half
    expect(total(h1.data, ids.item)).toBe(total(beforeH1, ids.item) + 2);
    const period = await load("?period=2024-H1");
    expect(period.data.params).toMatchObject({ from: "2024-01-01", to: "2024-06-30", period: "2024-H1", kind: "half" });
    expect(period.data.counts).toEqual(h1.data.counts);
    const training = await load("?type=training");
    expect(training.data.counts.byUnit[String(ids.item)]?.[String(ids.xsbn)]).toBeGreaterThanOrEqual(1);
    expect(training.data.params.type).toBe("training");
  });

  it("links a cell to the activity list filtered the same way, which lists what the cell counts", async () => {
    const { data } = await load("?from=2024-01-01&to=2024-12-31");
    const count = unitCount(data, ids.item, ids.xsbn);
    const listed = await jsonOf(
      await call(list.loader, `/activities?item=${ITEM}&unit=${ids.xsbn}&from=2024-01-01&to=2024-12-31`, { cookie: official }),
    );
    const live = listed.result.rows.filter((r: any) => r.status === "completed" || r.status === "ongoing");
    expect(live.length).toBe(count);
    const laos = await jsonOf(await call(list.loader, `/activities?item=${ITEM}&country=LA&from=2024-01-01&to=2024-12-31`, { cookie: official }));
    expect(laos.result.rows.filter((r: any) => r.status === "completed" || r.status === "ongoing").length).toBe(
      countryCount(data, ids.item, "LA"),
    );
  });

  it("lists every loggable item under its headings, and says how many have nothing", async () => {
    const { data } = await load();
    const loggable = await db.selectFrom("plan_items").select("code").where("loggable", "=", 1).orderBy("sort_order").execute();
    expect(data.rows.filter((r: any) => r.loggable).map((r: any) => r.code)).toEqual(loggable.map((r) => r.code));
    const headings = data.rows.filter((r: any) => !r.loggable).map((r: any) => r.code);
    expect(headings).toEqual(["4", "4.1", "4.1.3", "4.2", "4.3", "5"]);
    // a heading comes right before its first item
    const codes = data.rows.map((r: any) => r.code);
    expect(codes.indexOf("4.1.3.1")).toBe(codes.indexOf("4.1.3") + 1);
    expect(data.summary.items).toBe(loggable.length);
    const empty = loggable.filter((r) => !total(data, data.rows.find((x: any) => x.code === r.code).id)).length;
    expect(data.summary.itemsWithoutActivity).toBe(empty);
    // far in the future nothing has been done anywhere
    const future = await load("?from=2030-01-01");
    expect(future.data.summary.itemsWithoutActivity).toBe(loggable.length);
  });

  it("loads for every role, sends the signed-out to sign in, and answers a bad filter with 400 naming it", async () => {
    for (const username of ["xsbn", "xsbn_leader", "kunming", "kunming_leader", "reviewer", "official", "admin"]) {
      const response = await call(coverage.loader, "/monitoring/coverage", { cookie: await sessionCookieFor(username) });
      expect(response.status, username).toBe(200);
    }
    expect((await call(coverage.loader, "/monitoring/coverage")).status).toBe(302);
    for (const [search, param] of [
      ["?from=yesterday", "from"],
      ["?from=2024-05-01&to=2024-01-01", "to"],
      ["?period=2099-H1", "period"],
      ["?period=drop%20table", "period"],
      ["?kind=quarter", "kind"],
      ["?type=party", "type"],
    ] as const) {
      const { status, data } = await load(search);
      expect(status, search).toBe(400);
      expect(data.invalid, search).toEqual([param]);
      expect(data.rows.length, search).toBeGreaterThan(0);
    }
  });
});
