// Indicators end to end on the real seeded database: the seed, actuals computed from activities logged through the
// real model and the real form, values entered by units, the pages, and the definition form's validation.
import { describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as indicatorList from "~/routes/indicators._index";
import * as newIndicator from "~/routes/indicators.new";
import * as editIndicator from "~/routes/indicators.$id.edit";
import * as indicatorPage from "~/routes/indicators.$id._index";
import * as planPage from "~/routes/plan.$code";
import * as countRoute from "~/routes/indicators.count";
import { type ActivityInput, createActivity, deleteActivity } from "~/models/activity.server";
import { type IndicatorInput, createIndicator, getIndicator, getIndicatorByCode } from "~/models/indicator.server";
import { type IndicatorCounting, defaultCounting } from "~/schemas/indicator-counting";
import { generatePeriods, getPeriodByCode, setPeriodClosed } from "~/models/reporting-period.server";
import {
  indicatorProgress,
  listIndicatorsWithProgress,
  planItemIndicatorProgress,
} from "~/services/indicator-progress.server";
import { db } from "~/utils/db.server";
import { seedIndicators } from "../../seeds/indicators";
import { indicatorSeeds } from "../../seeds/data/indicators";
import { call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";

const planId = async (code: string) =>
  (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
const period = async (code: string) => (await getPeriodByCode(db, code))!;
const unitPath = async (code: string) =>
  (await db.selectFrom("organizations").select("path").where("code", "=", code).executeTakeFirstOrThrow()).path;
const indicator = async (code: string) => (await getIndicatorByCode(db, code))!;
const count = async (table: "indicators" | "indicator_period_targets" | "indicator_values" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function logActivity(overrides: Partial<ActivityInput> & { unit?: string; primary?: string; others?: string[] } = {}) {
  const { unit = "yn-qj", primary = "4.2.5", others = [], ...rest } = overrides;
  return createActivity(
    db,
    {
      organizationId: await unitId(unit),
      title: "指标测试活动",
      type: "outbound_visit",
      startDate: "2024-03-05",
      endDate: "2024-03-08",
      status: "completed",
      primaryPlanItemId: await planId(primary),
      otherPlanItemIds: await Promise.all(others.map(planId)),
      countries: ["LA"],
      counterpartBody: "",
      location: "",
      delegationsCount: null,
      participantsCount: null,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
      ...rest,
    },
    null,
  );
}

let testCodeSeq = 0;
async function makeIndicator(overrides: Partial<IndicatorInput> & { plan?: string } = {}) {
  const { plan = "5.4", ...rest } = overrides;
  const id = await createIndicator(
    db,
    {
      code: `test-${++testCodeSeq}`,
      planItemId: await planId(plan),
      nameZh: "测试指标",
      nameEn: "Test indicator",
      unit: "次",
      baselineValue: 0,
      baselineYear: 2022,
      targetValue: 100,
      direction: "up",
      measure: "flow",
      source: "computed",
      computation: "count",
      periodTargets: [],
      ...rest,
    },
    null,
  );
  return (await getIndicator(db, id))!;
}

/** A 口径 of the given activity types, linked to the indicator's item or an item below it (the old rule). */
const underItem = (...types: IndicatorCounting["types"]) => defaultCounting({ types, items: { scope: "subtree", codes: [] } });

describe("the seeded indicators", () => {
  it("are the reference documents' indicators, with their published baselines", async () => {
    const sister = await indicator("sister-cities");
    // counted from the sister-city register (docs/decisions/015-sister-city-register.md), not from activities
    expect(sister).toMatchObject({ unit: "对", baseline_value: 103, baseline_year: 2022, measure: "stock", source: "computed", computation: "sister_city_pairs" });
    expect(sister.counting).toEqual(defaultCounting());
    expect(sister.target_value).toBeGreaterThan(103);
    const villages = await indicator("border-villages");
    expect(villages).toMatchObject({ unit: "对", baseline_value: 23, measure: "stock", source: "entered" });
    const livelihood = await indicator("livelihood-projects");
    expect(livelihood).toMatchObject({ plan_item_code: "4.2.6", baseline_value: 32, measure: "flow" });
    expect(livelihood.counting.types).toEqual(["aid_project"]);
    expect(livelihood.name_zh).toContain("32");
    expect((await indicator("outbound-delegations")).computation).toBe("sum_delegations");
    expect((await indicator("outbound-participants")).computation).toBe("sum_participants");
    expect((await indicator("foreign-affairs-funding")).unit).toBe("万元");
    expect(await indicator("cooperation-documents")).toMatchObject({ computation: "count", counting: defaultCounting({ types: ["agreement"] }) });
  });

  it("seeds again without changing anything, and never overwrites an edited indicator", async () => {
    await db.updateTable("indicators").set({ target_value: 999 }).where("code", "=", "inbound-delegations").execute();
    const before = [await count("indicators"), await count("indicator_period_targets"), await count("audit_log")];
    await seedIndicators(db);
    expect([await count("indicators"), await count("indicator_period_targets"), await count("audit_log")]).toEqual(before);
    expect((await indicator("inbound-delegations")).target_value).toBe(999);
    expect(await count("indicators")).toBeGreaterThanOrEqual(indicatorSeeds.length);
  });

  it("show the Xishuangbanna 2023 H1 figures from the ledger: 10 delegations, 47 people, 2 livelihood projects", async () => {
    const h1 = await period("2023-H1");
    const xsbn = { organizationPath: await unitPath("yn-xsbn") };
    const delegations = await indicatorProgress(db, await indicator("outbound-delegations"), h1, xsbn);
    expect(delegations.actualInPeriod).toBe(10);
    expect(delegations.periodTarget).toBe(10);
    expect(delegations.periodPercent).toBe(100);
    const people = await indicatorProgress(db, await indicator("outbound-participants"), h1, xsbn);
    expect(people.actualInPeriod).toBe(47);
    const projects = await indicatorProgress(db, await indicator("livelihood-projects"), h1, xsbn);
    // the 2022 "32 projects" activity is before the plan: it is the baseline, not progress
    expect(projects.actualToDate).toBe(2);
    expect(projects.baseline).toBe(32);
  });

  it("never show a plan target made of period targets", async () => {
    const livelihood = await indicator("livelihood-projects");
    const targets = await db.selectFrom("indicator_period_targets").select("target_value").where("indicator_id", "=", livelihood.id).execute();
    const sum = targets.reduce((s, t) => s + t.target_value, 0);
    expect(sum).not.toBe(livelihood.target_value);
    const progress = await indicatorProgress(db, livelihood, await period("2024-H1"));
    expect(progress.target).toBe(livelihood.target_value);
    const page = await jsonOf(await call(indicatorList.loader, "/indicators?period=2024-H1", { cookie: await sessionCookieFor("official") }));
    const row = page.groups.flatMap((g: any) => g.rows).find((r: any) => r.indicator.code === "livelihood-projects");
    expect(row.progress.target).toBe(40);
    expect(row.progress.periodTarget).toBe(4);
  });
});

describe("computed actuals", () => {
  it("count completed and ongoing activities linked to the item (primary or not) that start in the window", async () => {
    const ind = await makeIndicator({ computation: "sum_participants", counting: underItem("outbound_visit"), plan: "5.4" });
    const h1 = await period("2024-H1");
    const h2 = await period("2024-H2");
    const before = await indicatorProgress(db, ind, h1);

    await logActivity({ participantsCount: 6, others: ["5.4"] }); // secondary link counts
    await logActivity({ participantsCount: 4, primary: "5.4", status: "ongoing" });
    await logActivity({ participantsCount: 100, primary: "5.4", status: "planned" });
    await logActivity({ participantsCount: 100, primary: "5.4", status: "cancelled" });
    await deleteActivity(db, await logActivity({ participantsCount: 100, primary: "5.4" }), (await db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirstOrThrow()).id);
    await logActivity({ participantsCount: 100, primary: "5.4", type: "inbound_visit" });
    await logActivity({ participantsCount: 100, primary: "4.2.5" }); // not linked to 5.4
    await logActivity({ participantsCount: 100, primary: "5.4", startDate: "2022-12-30", endDate: "2023-01-02" }); // before the plan
    await logActivity({ participantsCount: 3, primary: "5.4", startDate: "2024-07-05", endDate: "2024-07-06" }); // next half

    const after = await indicatorProgress(db, ind, h1);
    expect(after.actualInPeriod! - before.actualInPeriod!).toBe(10);
    expect(after.actualToDate! - before.actualToDate!).toBe(10);
    const second = await indicatorProgress(db, ind, h2);
    expect(second.actualToDate! - after.actualToDate!).toBe(second.actualInPeriod!);

    // within one unit's subtree the numbers are exact
    const qj = { organizationPath: await unitPath("yn-qj") };
    expect((await indicatorProgress(db, ind, h1, qj)).actualInPeriod).toBe(10);
    expect((await indicatorProgress(db, ind, h2, qj)).actualInPeriod).toBe(3);
    expect((await indicatorProgress(db, ind, h2, qj)).actualToDate).toBe(13);
    expect((await indicatorProgress(db, ind, h1, { organizationPath: await unitPath("yn-zt") })).actualToDate).toBe(0);
  });

  it("sum delegations (a blank is none), funding in 万元, and count agreements", async () => {
    const zt = { organizationPath: await unitPath("yn-zt") };
    const h1 = await period("2024-H1");
    await logActivity({ unit: "yn-zt", primary: "5.2", delegationsCount: 2, fundingCnyFen: 12_500_000, type: "agreement" });
    await logActivity({ unit: "yn-zt", primary: "5.2", delegationsCount: null, fundingCnyFen: 223_360_000, type: "meeting" });
    const delegations = await makeIndicator({ plan: "5.2", computation: "sum_delegations", unit: "批", counting: underItem() });
    const funding = await makeIndicator({ plan: "5.2", computation: "sum_funding", unit: "万元", counting: underItem() });
    const agreements = await makeIndicator({ plan: "5.2", computation: "count", unit: "个", counting: underItem("agreement") });
    const all = await makeIndicator({ plan: "5.2", computation: "count", unit: "次", counting: underItem() });
    expect((await indicatorProgress(db, delegations, h1, zt)).actualInPeriod).toBe(2);
    expect((await indicatorProgress(db, funding, h1, zt)).actualInPeriod).toBeCloseTo(235.86, 6);
    expect((await indicatorProgress(db, agreements, h1, zt)).actualInPeriod).toBe(1);
    expect((await indicatorProgress(db, all, h1, zt)).actualInPeriod).toBe(2);
  });

  it("count an activity once however many of the node's items it serves, and only the node's own subtree", async () => {
    const heading = await makeIndicator({ plan: "4.1.3", counting: underItem("training") });
    const lx = { organizationPath: await unitPath("yn-lj") };
    const h1 = await period("2024-H1");
    await logActivity({ unit: "yn-lj", type: "training", primary: "4.1.3.1", others: ["4.1.3.2"] });
    expect((await indicatorProgress(db, heading, h1, lx)).actualInPeriod).toBe(1);
    // 4.2.1's subtree is not 4.2.10 … 4.2.14
    const connectivity = await makeIndicator({ plan: "4.2.1", counting: underItem("training") });
    await logActivity({ unit: "yn-lj", type: "training", primary: "4.2.11" });
    expect((await indicatorProgress(db, connectivity, h1, lx)).actualInPeriod).toBe(0);
    // the pillar's list holds the indicators of its items
    const pillar = await planItemIndicatorProgress(db, { path: "/4/4.2/" }, h1, lx);
    expect(pillar.map((r) => r.indicator.code)).toContain(connectivity.code);
    expect(pillar.map((r) => r.indicator.code)).not.toContain(heading.code);
  });

  it("give a stock its baseline plus what was added after the baseline year", async () => {
    // a level counted from the ledger: sister-city activities added to a baseline of 103
    const sister = await makeIndicator({ measure: "stock", unit: "对", baselineValue: 103, targetValue: 115, counting: defaultCounting({ types: ["sister_city"] }) });
    const h1 = await period("2024-H1");
    const before = await indicatorProgress(db, sister, h1);
    // two demo sister-city activities of Xishuangbanna in 2023 (completed and ongoing)
    expect((await indicatorProgress(db, sister, await period("2023-H1"))).actualToDate).toBe(105);
    await logActivity({ unit: "yn-bs", type: "sister_city", primary: "5.4", startDate: "2024-05-20", endDate: "2024-05-20" });
    const after = await indicatorProgress(db, sister, h1);
    expect(after.actualToDate).toBe(before.actualToDate! + 1);
    expect(after.actualInPeriod).toBe(before.actualInPeriod! + 1);
    expect(after.percent).toBeCloseTo(((after.actualToDate! - 103) / (115 - 103)) * 100);
    const bs = await indicatorProgress(db, sister, h1, { organizationPath: await unitPath("yn-bs") });
    expect(bs.actualToDate).toBe(104);
    expect(bs.actualInPeriod).toBe(1);
  });

  it("follow an activity logged through the form onto the indicators page", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const url = `/indicators?period=2024-H1&unit=${await unitId("yn-xsbn")}`;
    const people = async () => {
      const page = await jsonOf(await call(indicatorList.loader, url, { cookie }));
      return page.groups.flatMap((g: any) => g.rows).find((r: any) => r.indicator.code === "outbound-participants").progress;
    };
    const before = await people();
    const form = await validActivityForm("yn-xsbn-mengla", { participants_count: "6", primary_plan_item: "5.4", plan_items: [] });
    expect((await call(newActivity.action, "/activities/new", { cookie, form })).status).toBe(302);
    const after = await people();
    expect(after.actualInPeriod - before.actualInPeriod).toBe(6);
    expect(after.actualToDate - before.actualToDate).toBe(6);
  });
});

describe("values entered by units", () => {
  const enter = async (username: string, code: string, fields: Record<string, string>) => {
    const ind = await indicator(code);
    return call(indicatorPage.action, `/indicators/${ind.id}`, {
      cookie: await sessionCookieFor(username),
      params: { id: String(ind.id) },
      form: { source_note: "州外办友城工作台账", ...fields },
    });
  };

  it("make an entered stock's level its baseline plus the additions units enter per period", async () => {
    const ind = await indicator("border-villages");
    const xsbn = String(await unitId("yn-xsbn"));
    const mengla = String(await unitId("yn-xsbn-mengla"));
    const km = String(await unitId("yn-km"));
    for (const [user, unit, p, value] of [
      ["xsbn", xsbn, "2023-H2", "5"],
      ["xsbn_leader", mengla, "2024-H1", "2"],
      ["kunming", km, "2023-H2", "3"],
      ["kunming", km, "2024-H1", "1"],
    ] as const) {
      const response = await enter(user, "border-villages", { organization_id: unit, period: p, value });
      expect(response.status, await response.clone().text()).toBe(302);
    }
    // nothing entered yet: no actual, rather than the bare baseline pretending to be one
    expect((await indicatorProgress(db, ind, await period("2023-H1"))).actualToDate).toBeNull();
    const h2023 = await indicatorProgress(db, ind, await period("2023-H2"));
    expect(h2023.actualToDate).toBe(23 + 5 + 3);
    expect(h2023.actualInPeriod).toBe(8);
    const h2024 = await indicatorProgress(db, ind, await period("2024-H1"));
    expect(h2024.actualToDate).toBe(23 + 8 + 3);
    expect(h2024.actualInPeriod).toBe(3);
    // the % follows the level formula against the indicator's own baseline and target
    expect(h2024.percent).toBeCloseTo(((34 - 23) / (30 - 23)) * 100);
    expect((await indicatorProgress(db, ind, await period("2024-H1"), { organizationPath: await unitPath("yn-xsbn") })).actualToDate).toBe(23 + 7);
  });

  it("add up a flow over the periods of the same kind only, and correct a value in place", async () => {
    const flow = await makeIndicator({ source: "entered", computation: null, measure: "flow", unit: "人次", targetValue: 200 });
    const km = String(await unitId("yn-km"));
    const cookie = await sessionCookieFor("kunming");
    const enterFlow = (_username: "kunming", fields: Record<string, string>) =>
      call(indicatorPage.action, `/indicators/${flow.id}`, {
        cookie,
        params: { id: String(flow.id) },
        form: { organization_id: km, source_note: "市外办培训台账", ...fields },
      });
    await generatePeriods(db, { kind: "year", fromYear: 2024, toYear: 2024, dueDays: 30 }, null);
    expect((await enterFlow("kunming", { period: "2023-H2", value: "30" })).status).toBe(302);
    expect((await enterFlow("kunming", { period: "2024-H1", value: "20" })).status).toBe(302);
    expect((await enterFlow("kunming", { period: "2024", value: "500" })).status).toBe(302);
    let p = await indicatorProgress(db, flow, await period("2024-H1"));
    expect(p.actualToDate).toBe(50);
    expect(p.actualInPeriod).toBe(20);
    expect(p.percent).toBeCloseTo(25);
    // the year's own total is not mixed with the halves
    expect((await indicatorProgress(db, flow, await period("2024"))).actualToDate).toBe(500);

    const audits = await count("audit_log");
    expect((await enterFlow("kunming", { period: "2024-H1", value: "25", source_note: "更正：补录5人次" })).status).toBe(302);
    p = await indicatorProgress(db, flow, await period("2024-H1"));
    expect(p.actualInPeriod).toBe(25);
    const rows = await db.selectFrom("indicator_values").selectAll().where("indicator_id", "=", flow.id).execute();
    expect(rows).toHaveLength(3);
    expect(await count("audit_log")).toBe(audits + 1);
    const audit = await db.selectFrom("audit_log").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.action).toBe("indicator.value");
    expect(JSON.parse(audit.changes_json).value).toEqual([20, 25]);
  });

  const invalid: [string, Record<string, string | string[]>, string, string][] = [
    ["letters in the value", { value: "12abc" }, "value", "indicators.errors.number"],
    ["an exponent", { value: "1e5" }, "value", "indicators.errors.number"],
    ["Infinity", { value: "Infinity" }, "value", "indicators.errors.number"],
    ["a negative value", { value: "-1" }, "value", "errors.negative"],
    ["no value", { value: "" }, "value", "errors.required"],
    ["no source note", { source_note: "  " }, "source_note", "errors.required"],
    ["HTML in the note", { source_note: "<script>x</script>" }, "source_note", "errors.html"],
    ["a 501-character note", { source_note: "长".repeat(501) }, "source_note", "errors.too_long"],
    ["an unknown period", { period: "2031-H1" }, "period", "indicators.errors.period"],
  ];
  for (const [name, overrides, field, message] of invalid) {
    it(`refuses ${name} with 400 and a message beside the field, writing nothing`, async () => {
      const before = await count("indicator_values");
      const response = await enter("xsbn", "border-villages", {
        organization_id: String(await unitId("yn-xsbn")),
        period: "2024-H2",
        value: "6",
        ...overrides,
      });
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).errors[field]).toBe(message);
      expect(await count("indicator_values")).toBe(before);
    });
  }

  it("refuses a period that has not started yet", async () => {
    await generatePeriods(db, { kind: "year", fromYear: 2099, toYear: 2099, dueDays: 30 }, null);
    const before = await count("indicator_values");
    const response = await enter("xsbn", "border-villages", { organization_id: String(await unitId("yn-xsbn")), period: "2099", value: "6" });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.period).toBe("indicators.errors.period_not_started");
    expect(await count("indicator_values")).toBe(before);
  });

  it("refuses a closed period and a period whose report was approved, and a computed indicator", async () => {
    const xsbn = await unitId("yn-xsbn");
    const admin = (await db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirstOrThrow()).id;
    const closed = await period("2025-H1");
    await setPeriodClosed(db, closed.id, true, "测试关闭", admin);
    let response = await enter("xsbn", "border-villages", { organization_id: String(xsbn), period: "2025-H1", value: "6" });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.period).toBe("indicators.errors.period_closed");
    await setPeriodClosed(db, closed.id, false, "测试重开", admin);

    const approved = await period("2023-H1");
    const now = new Date().toISOString();
    const report = await db
      .selectFrom("period_reports")
      .select("id")
      .where("organization_id", "=", xsbn)
      .where("period_id", "=", approved.id)
      .executeTakeFirst();
    if (report) await db.updateTable("period_reports").set({ status: "approved", reviewed_at: now }).where("id", "=", report.id).execute();
    else {
      await db
        .insertInto("period_reports")
        .values({ organization_id: xsbn, period_id: approved.id, status: "approved", version: 1, created_at: now, updated_at: now, reviewed_at: now })
        .execute();
    }
    response = await enter("xsbn", "border-villages", { organization_id: String(await unitId("yn-xsbn-mengla")), period: "2023-H1", value: "6" });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.period).toBe("indicators.errors.frozen");

    response = await enter("xsbn", "sister-cities", { organization_id: String(xsbn), period: "2024-H2", value: "6" });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).errors.form).toBe("indicators.errors.not_entered");
  });

  it("shows reporters their own unit's entries and the secretariat everyone's", async () => {
    const ind = await indicator("border-villages");
    const path = `/indicators/${ind.id}`;
    const mine = await jsonOf(await call(indicatorPage.loader, path, { cookie: await sessionCookieFor("kunming"), params: { id: String(ind.id) } }));
    expect(mine.values.length).toBeGreaterThan(0);
    expect(mine.values.every((v: any) => v.organization_name_zh === "昆明市")).toBe(true);
    expect(mine.canEnter).toBe(true);
    const all = await jsonOf(await call(indicatorPage.loader, path, { cookie: await sessionCookieFor("reviewer"), params: { id: String(ind.id) } }));
    expect(new Set(all.values.map((v: any) => v.organization_name_zh))).toEqual(new Set(["西双版纳傣族自治州", "勐腊县", "昆明市"]));
    expect(all.canEnter).toBe(false);
    expect(all.rows.map((r: any) => r.period.code)).toContain("2024-H1");
  });
});

describe("the definition form", () => {
  const valid = (overrides: Record<string, string | string[]> = {}) => ({
    code: "test-form-indicator",
    name_zh: "农业技术培训（人次）",
    name_en: "Agricultural technology training (person-times)",
    plan_item: "4.2.5",
    unit: "人次",
    baseline_value: "150",
    baseline_year: "2022",
    target_value: "50",
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "sum_participants",
    activity_types: ["training"],
    statuses: ["completed", "ongoing"],
    item_scope: "any",
    item_codes: "",
    period_kind: "half",
    "target_2024-H1": "3",
    "target_2024-H2": "4",
    ...overrides,
  });

  it("adds an indicator whose plan target stays its own, and edits it with a history entry", async () => {
    const cookie = await sessionCookieFor("admin");
    const response = await call(newIndicator.action, "/indicators/new", { cookie, form: valid() });
    expect(response.status, await response.clone().text()).toBe(302);
    const ind = await indicator("test-form-indicator");
    expect(response.headers.get("Location")).toBe(`/indicators/${ind.id}?notice=created`);
    expect(ind).toMatchObject({ target_value: 50, baseline_value: 150, computation: "sum_participants", counting: defaultCounting({ types: ["training"] }) });
    const h1 = await indicatorProgress(db, ind, await period("2024-H1"));
    expect(h1.target).toBe(50);
    expect(h1.periodTarget).toBe(3);
    expect((await indicatorProgress(db, ind, await period("2025-H1"))).periodTarget).toBeNull();

    const edit = await call(editIndicator.action, `/indicators/${ind.id}/edit`, {
      cookie,
      params: { id: String(ind.id) },
      form: valid({ code: "renamed-code", target_value: "60", "target_2024-H1": "", source: "entered" }),
    });
    expect(edit.status, await edit.clone().text()).toBe(302);
    const edited = await indicator("test-form-indicator");
    expect(edited).toMatchObject({ target_value: 60, source: "entered", computation: null, counting: defaultCounting() });
    expect((await indicatorProgress(db, edited, await period("2024-H1"))).periodTarget).toBeNull();
    expect((await indicatorProgress(db, edited, await period("2024-H2"))).periodTarget).toBe(4);
    const audit = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "indicator")
      .where("entity_id", "=", ind.id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["indicator.create", "indicator.update"]);
    expect(JSON.parse(audit[1]!.changes_json)).toMatchObject({ target_value: [50, 60], "target 2024-H1": [3, null] });

    const form = await jsonOf(await call(editIndicator.loader, `/indicators/${ind.id}/edit`, { cookie, params: { id: String(ind.id) } }));
    expect(form.values["target_2024-H2"]).toBe("4");
    expect(form.options.periods.map((p: any) => p.code)).toContain("2027-H2");
  });

  const invalid: [string, Record<string, string | string[]>, string, string][] = [
    ["a missing name", { name_zh: " " }, "name_zh", "errors.required"],
    ["HTML in the name", { name_en: "<b>x</b>" }, "name_en", "errors.html"],
    ["a 201-character name", { name_zh: "长".repeat(201) }, "name_zh", "errors.too_long"],
    ["letters in the baseline", { baseline_value: "150abc" }, "baseline_value", "indicators.errors.number"],
    ["an exponent in the target", { target_value: "1e3" }, "target_value", "indicators.errors.number"],
    ["Infinity as target", { target_value: "Infinity" }, "target_value", "indicators.errors.number"],
    ["a negative baseline", { baseline_value: "-5" }, "baseline_value", "errors.negative"],
    ["a baseline year 1989", { baseline_year: "1989" }, "baseline_year", "indicators.errors.year"],
    ["a baseline year 2028", { baseline_year: "2028" }, "baseline_year", "indicators.errors.year"],
    ["a baseline year with letters", { baseline_year: "20x2" }, "baseline_year", "indicators.errors.year"],
    ["an unknown plan item", { plan_item: "4.9.9" }, "plan_item", "errors.plan_item"],
    ["a heading as plan item", { plan_item: "4.2" }, "plan_item", "errors.plan_item_not_loggable"],
    ["a computed indicator without computation", { computation: "" }, "computation", "indicators.errors.computation_required"],
    ["an unknown computation", { computation: "average" }, "computation", "errors.choose"],
    ["an unknown unit", { unit: "kg" }, "unit", "errors.choose"],
    ["an unknown direction", { direction: "sideways" }, "direction", "errors.choose"],
    ["letters in a period target", { "target_2024-H1": "三" }, "target_2024-H1", "indicators.errors.number"],
    ["a bad code", { code: "Bad Code" }, "code", "indicators.errors.code"],
    ["a taken code", { code: "sister-cities" }, "code", "indicators.errors.code_taken"],
    ["a level target under its baseline", { measure: "stock", target_value: "100" }, "target_value", "indicators.errors.target_above_baseline"],
    ["a falling level with a higher target", { measure: "stock", direction: "down", target_value: "200" }, "target_value", "indicators.errors.target_below_baseline"],
    ["funding not in 万元", { computation: "sum_funding" }, "unit", "indicators.errors.unit_funding"],
    ["no status to count", { statuses: [] }, "statuses", "indicators.errors.statuses_required"],
    ["an unknown status", { statuses: ["done"] }, "statuses", "errors.choose"],
    ["an unknown activity type", { activity_types: ["party"] }, "activity_types", "errors.choose"],
    ["a plan-item list without items", { item_scope: "list" }, "item_codes", "indicators.errors.item_codes_required"],
    ["a plan-item list with an unknown item", { item_scope: "list", item_codes: "4.1.1 4.9.9" }, "item_codes", "errors.plan_item"],
    ["Taiwan as a counterpart country", { countries: ["LA", "TW"] }, "countries", "errors.country_part_of_china"],
  ];
  for (const [name, overrides, field, message] of invalid) {
    it(`refuses ${name} with 400 and a message beside the field, writing nothing`, async () => {
      const cookie = await sessionCookieFor("admin");
      const before = [await count("indicators"), await count("indicator_period_targets"), await count("audit_log")];
      const response = await call(newIndicator.action, "/indicators/new", { cookie, form: valid({ code: "test-invalid", ...overrides }) });
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.errors[field]).toBe(message);
      expect(body.values.name_en).toBe(overrides.name_en ?? "Agricultural technology training (person-times)");
      expect([await count("indicators"), await count("indicator_period_targets"), await count("audit_log")]).toEqual(before);
    });
  }

  it("answers an empty or garbage post with 400, never 500", async () => {
    const cookie = await sessionCookieFor("admin");
    const empty = await call(newIndicator.action, "/indicators/new", { cookie, form: { junk: "1" } });
    expect(empty.status).toBe(400);
    expect(Object.keys((await jsonOf(empty)).errors)).toEqual(
      expect.arrayContaining(["code", "name_zh", "name_en", "plan_item", "unit", "baseline_value", "target_value"]),
    );
    const ind = await indicator("sister-cities");
    const edit = await call(editIndicator.action, `/indicators/${ind.id}/edit`, {
      cookie,
      params: { id: String(ind.id) },
      form: valid({ plan_item: "'; drop table indicators; --", period_kind: "decade" }),
    });
    expect(edit.status).toBe(400);
    expect((await call(editIndicator.loader, "/indicators/999999/edit", { cookie, params: { id: "999999" } })).status).toBe(404);
    expect((await call(indicatorPage.loader, "/indicators/abc", { cookie, params: { id: "abc" } })).status).toBe(404);
  });
});

describe("the pages", () => {
  it("list every indicator grouped by pillar, with the latest ended period by default", async () => {
    const page = await jsonOf(await call(indicatorList.loader, "/indicators", { cookie: await sessionCookieFor("official") }));
    const periods = await db.selectFrom("reporting_periods").select(["code", "end_date"]).orderBy("end_date", "desc").execute();
    const today = new Date().toISOString().slice(0, 10);
    expect(page.period.code).toBe(periods.find((p) => p.end_date <= today)?.code ?? periods.at(-1)!.code);
    const groups = page.groups.map((g: any) => g.code);
    expect(groups).toEqual(expect.arrayContaining(["4.2", "4.3", "5"]));
    const codes = page.groups.flatMap((g: any) => g.rows.map((r: any) => r.indicator.code));
    for (const seed of indicatorSeeds) expect(codes).toContain(seed.code);
    expect(page.canEdit).toBe(false);
    const admin = await jsonOf(await call(indicatorList.loader, "/indicators", { cookie: await sessionCookieFor("admin") }));
    expect(admin.canEdit).toBe(true);
  });

  it("ignore an unknown period or unit with a message (400) and still show the page", async () => {
    const cookie = await sessionCookieFor("official");
    const response = await call(indicatorList.loader, "/indicators?period=2099-H9&unit=abc", { cookie });
    expect(response.status).toBe(400);
    const page = await jsonOf(response);
    expect(page.invalid).toEqual(["period", "unit"]);
    expect(page.groups.length).toBeGreaterThan(0);
  });

  it("list the same rows as the service", async () => {
    const rows = await listIndicatorsWithProgress(db, await period("2023-H2"));
    const page = await jsonOf(await call(indicatorList.loader, "/indicators?period=2023-H2", { cookie: await sessionCookieFor("official") }));
    expect(page.groups.flatMap((g: any) => g.rows).map((r: any) => r.indicator.code)).toEqual(rows.map((r) => r.indicator.code));
  });

  it("show a plan item's indicators on its page", async () => {
    const cookie = await sessionCookieFor("official");
    const page = await jsonOf(await call(planPage.loader, "/plan/5.4", { cookie, params: { code: "5.4" } }));
    expect(page.indicators.period).not.toBeNull();
    expect(page.indicators.rows.map((r: any) => r.indicator.code)).toEqual(
      expect.arrayContaining(["sister-cities", "outbound-delegations", "outbound-participants", "cooperation-documents"]),
    );
    const none = await jsonOf(await call(planPage.loader, "/plan/4.2.9", { cookie, params: { code: "4.2.9" } }));
    expect(none.indicators.rows).toEqual([]);
  });

  it("forms are for administrators only", async () => {
    for (const username of ["xsbn", "xsbn_leader", "reviewer", "official"]) {
      const cookie = await sessionCookieFor(username);
      expect((await call(newIndicator.loader, "/indicators/new", { cookie })).status, username).toBe(403);
    }
    const form = await jsonOf(await call(newIndicator.loader, "/indicators/new?kind=quarter&item=4.2.5", { cookie: await sessionCookieFor("admin") }));
    expect(form.options.periodKind).toBe("quarter");
    expect(form.values.plan_item).toBe("4.2.5");
  });
});

describe("the live count beside the definition", () => {
  const count = async (query: Record<string, string | string[]>, username = "admin") => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    return call(countRoute.loader, `/indicators/count?${params}`, { cookie: await sessionCookieFor(username) });
  };
  const outbound = async (extra: Record<string, string | string[]> = {}) => ({
    plan_item: "5.4",
    computation: "sum_delegations",
    activity_types: ["outbound_visit"],
    statuses: ["completed", "ongoing"],
    item_scope: "any",
    preview_unit: String(await unitId("yn-xsbn")),
    preview_period: "2023-H1",
    ...extra,
  });

  it("says what the 口径 counts for a unit and period: 西双版纳州 2023年上半年 计 10 批 47 人次", async () => {
    const response = await count(await outbound());
    expect(response.status).toBe(200);
    const { text } = await jsonOf(response);
    expect(text).toContain("西双版纳傣族自治州 2023年上半年");
    expect(text).toMatch(/10 批 47 人次/);
    expect(text).toContain("本指标取值 10");
    // narrowed to plan item 4.2.6 (where none of the visits was logged) it counts none
    expect((await jsonOf(await count(await outbound({ item_scope: "list", item_codes: "4.2.6" })))).text).toContain("计 0 项活动");
  });

  it("answers a definition that does not parse with its field errors, and only administrators", async () => {
    const bad = await count(await outbound({ statuses: [], countries: ["TW"] }));
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors).toMatchObject({ statuses: "indicators.errors.statuses_required", countries: "errors.country_part_of_china" });
    expect((await count(await outbound(), "official")).status).toBe(403);
  });
});
