// The dashboards: known activities in a unit subtree and a date range in, known numbers out — by pillar, by
// priority area, per month, by country, the totals — and zeros (not errors) where nothing happened; the 红黄绿
// chart, the reporting ranking, a unit's home page; every role's loaders.
import { beforeAll, describe, expect, it } from "vitest";
import { type ActivityInput, createActivity, deleteActivity } from "~/models/activity.server";
import { saveRating } from "~/models/rating.server";
import { getPeriodByCode, listPeriods, planElapsed } from "~/models/reporting-period.server";
import {
  activityCharts,
  currentPeriod,
  loadDashboard,
  planItemIndicatorTrend,
  plannedPastEnd,
  ratingChart,
  unitRanking,
} from "~/presenters/dashboard.server";
import * as home from "~/routes/_index";
import * as dashboard from "~/routes/dashboard";
import * as planItem from "~/routes/plan.$code";
import { indicatorProgressByPeriod } from "~/services/indicator-progress.server";
import { returnReport, saveReport, submitReport } from "~/services/report-workflow.server";
import { getOrganization } from "~/models/organization.server";
import { getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, makeRequest, sessionCookieFor, unitId } from "../helpers";

const RANGE = { from: "2027-02-01", to: "2027-03-31" };
const options = { today: "2026-11-30", locale: "zh-CN" as const };

async function planId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}
async function unitPath(code: string) {
  return (await db.selectFrom("organizations").select("path").where("code", "=", code).executeTakeFirstOrThrow()).path;
}

async function activity(unit: string, fields: Partial<ActivityInput> & { primary: string; others?: string[] }) {
  const { primary, others = [], ...rest } = fields;
  const input: ActivityInput = {
    organizationId: await unitId(unit),
    title: `看板测试活动 ${unit} ${fields.startDate}`,
    type: "meeting",
    startDate: "2027-02-10",
    endDate: "2027-02-10",
    status: "completed",
    primaryPlanItemId: await planId(primary),
    otherPlanItemIds: await Promise.all(others.map(planId)),
    countries: [],
    counterpartBody: "",
    location: "",
    delegationsCount: null,
    participantsCount: null,
    fundingCnyFen: null,
    fundingSource: "",
    outcome: "",
    evidence: [],
    ...rest,
  };
  return createActivity(db, input, null);
}

let xsbnPath: string;
let xsbnId: number;

beforeAll(async () => {
  xsbnPath = await unitPath("yn-xsbn");
  xsbnId = await unitId("yn-xsbn");
  // A1 勐腊县: one pillar (4.2) and one priority area (农业和减贫) through two of its items: counts once in each
  await activity("yn-xsbn-mengla", {
    primary: "4.2.5",
    others: ["4.2.6"],
    startDate: "2027-02-10",
    endDate: "2027-02-12",
    countries: ["LA", "TH"],
    participantsCount: 10,
    delegationsCount: 1,
    fundingCnyFen: 1_500_000,
  });
  // A2 景洪市, under way: two pillars (4.2 connectivity, 4.3)
  await activity("yn-xsbn-jinghong", {
    primary: "4.2.1",
    others: ["4.3.1"],
    status: "ongoing",
    startDate: "2027-03-05",
    endDate: "2027-04-30",
    countries: ["MM"],
    participantsCount: 20,
    delegationsCount: 2,
  });
  // A3 西双版纳州 itself: 支撑体系 (5.4), 223.36万元
  await activity("yn-xsbn", {
    primary: "5.4",
    startDate: "2027-03-20",
    endDate: "2027-03-21",
    countries: ["LA", "KR"],
    fundingCnyFen: 223_360_000,
  });
  // not counted: planned, cancelled, deleted, outside the unit, outside the dates
  await activity("yn-xsbn", { primary: "4.2.5", status: "planned", startDate: "2027-03-25", endDate: "2027-03-26", participantsCount: 99 });
  await activity("yn-xsbn", { primary: "4.2.5", status: "cancelled", startDate: "2027-02-15", endDate: "2027-02-15", participantsCount: 99 });
  const deleted = await activity("yn-xsbn-mengla", { primary: "4.1.1", startDate: "2027-02-20", endDate: "2027-02-20", participantsCount: 99 });
  await deleteActivity(db, deleted, (await db.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow()).id);
  await activity("yn-km", { primary: "4.2.5", startDate: "2027-02-12", endDate: "2027-02-12", countries: ["LA"], participantsCount: 5 });
  await activity("yn-xsbn-mengla", { primary: "4.2.5", startDate: "2027-04-02", endDate: "2027-04-02", participantsCount: 99 });
});

describe("the activity charts of a unit subtree and a date range", () => {
  it("add up the live activities of the unit and the units below it that start in the range", async () => {
    const charts = await activityCharts(db, { ...RANGE, organizationPath: xsbnPath }, options);
    expect(charts.totals).toEqual({ activities: 3, people: 30, delegations: 3, fundingFen: 224_860_000 });
  });

  it("count an activity once per pillar it touches, and sum its people and money there", async () => {
    const { byPillar } = await activityCharts(db, { ...RANGE, organizationPath: xsbnPath }, options);
    expect(byPillar.map((g) => g.code)).toEqual(["4.1", "4.2", "4.3", "5"]);
    const pillar = (code: string) => byPillar.find((g) => g.code === code)!;
    expect(pillar("4.1")).toMatchObject({ activities: 0, people: 0, fundingFen: 0 });
    // A1 (linked twice under 4.2) and A2
    expect(pillar("4.2")).toMatchObject({ activities: 2, people: 30, delegations: 3, fundingFen: 1_500_000 });
    expect(pillar("4.3")).toMatchObject({ activities: 1, people: 20, fundingFen: 0 });
    expect(pillar("5")).toMatchObject({ activities: 1, people: 0, fundingFen: 223_360_000 });
  });

  it("count an activity once per priority area, even when linked to two of its items", async () => {
    const { byArea } = await activityCharts(db, { ...RANGE, organizationPath: xsbnPath }, options);
    const area = (code: string) => byArea.find((a) => a.code === code)!;
    expect(byArea).toHaveLength(5);
    expect(area("agriculture-poverty")).toMatchObject({ activities: 1, people: 10, fundingFen: 1_500_000 });
    expect(area("connectivity")).toMatchObject({ activities: 1, people: 20 });
    expect(area("water-resources")).toMatchObject({ activities: 0, people: 0, fundingFen: 0 });
  });

  it("count activities per month of their start, every month of the range listed", async () => {
    const { time } = await activityCharts(db, { ...RANGE, organizationPath: xsbnPath }, options);
    expect(time.bucket).toBe("month");
    expect(time.rows.map((r) => [r.key, r.activities])).toEqual([
      ["2027-02", 1],
      ["2027-03", 2],
    ]);
  });

  it("count activities per counterpart country, the five Mekong countries always first", async () => {
    const { byCountry } = await activityCharts(db, { ...RANGE, organizationPath: xsbnPath }, options);
    expect(byCountry.map((c) => [c.code, c.activities])).toEqual([
      ["KH", 0],
      ["LA", 2],
      ["MM", 1],
      ["TH", 1],
      ["VN", 0],
      ["KR", 1],
    ]);
    expect(byCountry.find((c) => c.code === "LA")!.name).toBe("老挝");
  });

  it("narrow to a counterpart country, and widen to every unit without a unit", async () => {
    const laos = await activityCharts(db, { ...RANGE, organizationPath: xsbnPath, country: "LA" }, options);
    expect(laos.totals).toEqual({ activities: 2, people: 10, delegations: 1, fundingFen: 224_860_000 });
    const everywhere = await activityCharts(db, { ...RANGE }, options);
    // 昆明市's activity joins in
    expect(everywhere.totals.activities).toBe(4);
    expect(everywhere.totals.people).toBe(35);
  });

  it("give zeros and empty months, not errors, for a unit with no activity and for an empty period", async () => {
    const none = await activityCharts(db, { ...RANGE, organizationPath: await unitPath("yn-lc-shuangjiang") }, options);
    expect(none.totals).toEqual({ activities: 0, people: 0, delegations: 0, fundingFen: 0 });
    expect(none.byPillar.every((g) => g.activities === 0 && g.people === 0 && g.fundingFen === 0)).toBe(true);
    expect(none.byArea.every((a) => a.activities === 0)).toBe(true);
    expect(none.time.rows).toEqual([
      { key: "2027-02", activities: 0, people: 0, delegations: 0, fundingFen: 0 },
      { key: "2027-03", activities: 0, people: 0, delegations: 0, fundingFen: 0 },
    ]);
    expect(none.byCountry.map((c) => c.activities)).toEqual([0, 0, 0, 0, 0]);

    // months of a range still to come are listed, empty
    const future = await activityCharts(db, { from: "2028-01-01", to: "2028-02-29" }, options);
    expect(future.time.rows.map((r) => [r.key, r.activities])).toEqual([
      ["2028-01", 0],
      ["2028-02", 0],
    ]);

    const noDates = await activityCharts(db, { organizationPath: await unitPath("yn-lc-shuangjiang") }, options);
    expect(noDates.time.rows).toEqual([]);
    expect(noDates.totals.activities).toBe(0);
  });

  it("counts per year when the range is longer than six years", async () => {
    const { time } = await activityCharts(db, { from: "2011-01-01", to: "2027-12-31" }, options);
    expect(time.bucket).toBe("year");
    expect(time.rows[0]!.key).toBe("2011");
    expect(time.rows.at(-1)!.key).toBe("2027");
    expect(time.rows.find((r) => r.key === "2027")!.activities).toBe(5);
    expect(time.rows.find((r) => r.key === "2025")!.activities).toBe(0);
  });
});

describe("the plan-wide dashboard", () => {
  it("takes its filters from the URL: a period sets the range, a unit takes its subtree", async () => {
    const params = new URLSearchParams({ from: RANGE.from, to: RANGE.to, unit: String(xsbnId), country: "LA" });
    const data = await loadDashboard(db, params, options);
    expect(data.status).toBe(200);
    expect(data.params).toEqual({ period: null, from: RANGE.from, to: RANGE.to, unit: xsbnId, country: "LA" });
    expect(data.range).toEqual({ from: RANGE.from, to: RANGE.to, planPeriod: false });
    expect(data.activities.totals.activities).toBe(2);

    const byPeriod = await loadDashboard(db, new URLSearchParams({ period: "2023-H1" }), options);
    expect(byPeriod.range).toMatchObject({ from: "2023-01-01", to: "2023-06-30" });
    expect(byPeriod.indicators.period?.code).toBe("2023-H1");
    expect(byPeriod.ratings.period?.code).toBe("2023-H1");
    expect(byPeriod.indicators.elapsed).toBeCloseTo(planElapsed("2023-06-30"), 10);
  });

  it("covers the plan period when no dates are given", async () => {
    const data = await loadDashboard(db, new URLSearchParams(), options);
    expect(data.range).toEqual({ from: "2023-01-01", to: "2027-12-31", planPeriod: true });
    // the time series stops at the later of today and the last activity
    expect(data.activities.time.rows[0]!.key).toBe("2023-01");
    expect(data.activities.time.rows.at(-1)!.key).toBe("2027-04");
    // indicators and ratings: the latest period ended by today
    expect(data.indicators.period?.code).toBe("2026-H1");
    expect(data.indicators.rows.length).toBeGreaterThan(0);
  });

  it("names each filter it ignored and answers 400, still with every chart", async () => {
    const bad = await loadDashboard(db, new URLSearchParams({ period: "2099-H1", unit: "999999", country: "XX" }), options);
    expect(bad.status).toBe(400);
    expect(bad.invalid.sort()).toEqual(["country", "period", "unit"]);
    expect(bad.activities.byPillar).toHaveLength(4);
    const backwards = await loadDashboard(db, new URLSearchParams({ from: "2027-03-01", to: "2027-02-01" }), options);
    expect(backwards.invalid).toEqual(["to"]);
    expect(backwards.range).toMatchObject({ from: "2027-03-01", to: null });
  });
});

describe("the 红黄绿 chart", () => {
  it("counts each pillar's rated items by colour, the rest as not rated", async () => {
    const period = (await getPeriodByCode(db, "2027-H1"))!;
    const reviewer = (await db.selectFrom("users").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow()).id;
    const rate = async (code: string, rating: "green" | "yellow" | "red") =>
      saveRating(db, { periodId: period.id, planItemId: await planId(code), rating, proposedRating: rating, proposalJson: "{}", comment: "看板测试", overrideReason: "" }, reviewer);
    await rate("4.2.5", "green");
    await rate("4.2.6", "red");
    await rate("4.3.1", "yellow");
    const loggableUnder = async (code: string) =>
      Number(
        (
          await db
            .selectFrom("plan_items")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("loggable", "=", 1)
            .where("path", "like", `${(await db.selectFrom("plan_items").select("path").where("code", "=", code).executeTakeFirstOrThrow()).path}%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const chart = await ratingChart(db, period);
    const row = (code: string) => chart.rows.find((r) => r.code === code)!;
    expect(row("4.2")).toEqual(expect.objectContaining({ green: 1, yellow: 0, red: 1, unrated: (await loggableUnder("4.2")) - 2 }));
    expect(row("4.3")).toEqual(expect.objectContaining({ green: 0, yellow: 1, red: 0, unrated: (await loggableUnder("4.3")) - 1 }));
    expect(row("5")).toEqual(expect.objectContaining({ green: 0, yellow: 0, red: 0, unrated: await loggableUnder("5") }));

    // a period nobody rated: everything unrated
    const empty = await ratingChart(db, (await getPeriodByCode(db, "2027-H2"))!);
    expect(empty.rows.every((r) => r.green + r.yellow + r.red === 0 && r.unrated === r.items)).toBe(true);
  });
});

describe("the reporting ranking", () => {
  it("ranks units by completeness then timeliness, over the periods due", async () => {
    // the seeded 西双版纳州 report for 2023 H1 was submitted on time and approved; nobody else reported
    const ranking = await unitRanking(db, { today: "2025-08-01", kind: "half" });
    expect(ranking.rows[0]).toMatchObject({ name_zh: "西双版纳傣族自治州", dueCount: 5, submittedCount: 1, completeness: 0.2, timeliness: 0.2 });
    expect(ranking.rows.slice(1).every((r) => r.completeness === 0)).toBe(true);
    // up to 2023 H1 only: 1 of 1
    const upTo = await unitRanking(db, { today: "2025-08-01", kind: "half", upTo: "2023-06-30", unitPath: xsbnPath });
    expect(upTo.rows.map((r) => r.name_zh)).toEqual(["西双版纳傣族自治州", "景洪市", "勐海县", "勐腊县"]);
    expect(upTo.rows[0]).toMatchObject({ completeness: 1, timeliness: 1 });
    // before anything is due: no rate at all (shown as —), not 0
    const early = await unitRanking(db, { today: "2023-03-01", kind: "half" });
    expect(early.rows.every((r) => r.completeness === null && r.timeliness === null)).toBe(true);
  });
});

describe("a unit's home page", () => {
  it("knows the period being reported now", async () => {
    const periods = await listPeriods(db);
    expect(currentPeriod(periods, "2025-07-10")?.code).toBe("2025-H1");
    expect(currentPeriod(periods, "2025-07-16")?.code).toBe("2025-H2");
    expect(currentPeriod(periods, "2030-01-01")?.code).toBe("2027-H2");
  });

  it("lists the activities still planned after their end date, with the days since", async () => {
    const path = await unitPath("yn-lc-shuangjiang");
    await activity("yn-lc-shuangjiang", { primary: "5.4", status: "planned", startDate: "2025-04-20", endDate: "2025-05-01" });
    await activity("yn-lc-shuangjiang", { primary: "5.4", status: "planned", startDate: "2025-09-01", endDate: "2025-09-01" });
    await activity("yn-lc-shuangjiang", { primary: "5.4", status: "completed", startDate: "2025-04-01", endDate: "2025-05-01" });
    const planned = await plannedPastEnd(db, path, "2025-08-01");
    expect(planned.total).toBe(1);
    expect(planned.rows[0]).toMatchObject({ end_date: "2025-05-01", daysPast: 92 });
    expect((await plannedPastEnd(db, await unitPath("yn-dq-shangri-la"), "2025-08-01")).total).toBe(0);
  });
});

describe("a plan item's indicators over the periods", () => {
  it("gives each indicator's % of target at the end of every period so far", async () => {
    const item = await db.selectFrom("plan_items").select(["id", "path"]).where("code", "=", "5.4").executeTakeFirstOrThrow();
    const trend = await planItemIndicatorTrend(db, item, "2024-08-01");
    expect(trend.periods.map((p) => p.code)).toEqual(["2023-H1", "2023-H2", "2024-H1", "2024-H2"]);
    expect(trend.periods[0]!.elapsed).toBeCloseTo(planElapsed("2023-06-30"), 10);
    expect(trend.series.length).toBeGreaterThan(1);
    const first = trend.series[0]!;
    const periods = (await listPeriods(db, "half")).filter((p) => p.start_date <= "2024-08-01");
    const expected = await indicatorProgressByPeriod(db, first.id, periods);
    expect(first.points.map((p) => p.percent)).toEqual(expected.map((e) => e.progress.percent));
  });

  it("is empty for an item without indicators", async () => {
    const item = await db.selectFrom("plan_items").select(["id", "path"]).where("code", "=", "4.2.9").executeTakeFirstOrThrow();
    expect(await planItemIndicatorTrend(db, item, "2025-08-01")).toEqual({ periods: [], series: [] });
  });
});

describe("the loaders", () => {
  const roles = ["xsbn", "xsbn_leader", "kunming", "reviewer", "official", "admin"];

  it("open the dashboard for every role, and send the signed-out to sign in", async () => {
    for (const username of roles) {
      const cookie = await sessionCookieFor(username);
      const response = await call(dashboard.loader, `/dashboard?unit=${xsbnId}&from=${RANGE.from}&to=${RANGE.to}`, { cookie });
      expect(response.status, username).toBe(200);
      const data = await jsonOf(response);
      expect(data.activities.totals.activities, username).toBe(3);
    }
    const anonymous = await call(dashboard.loader, "/dashboard?period=2023-H1");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/dashboard?period=2023-H1")}`);
  });

  it("answer 400 for a filter that does not parse, naming it", async () => {
    const cookie = await sessionCookieFor("official");
    const response = await call(dashboard.loader, "/dashboard?from=2027-13-45", { cookie });
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).invalid).toEqual(["from"]);
  });

  it("give reporters and leaders their unit's home, everyone else the plan-wide dashboard", async () => {
    for (const username of roles) {
      const response = await call(home.loader, "/", { cookie: await sessionCookieFor(username) });
      expect(response.status, username).toBe(200);
      const data = await jsonOf(response);
      const unitView = username === "xsbn" || username === "xsbn_leader" || username === "kunming";
      expect(data.view, username).toBe(unitView ? "unit" : "plan");
      if (unitView) {
        expect(data.current.period.kind).toBe("half");
        expect(Array.isArray(data.returned)).toBe(true);
        expect(data.planned.total).toBeGreaterThanOrEqual(0);
        expect(data.recent.length).toBeGreaterThan(0);
        expect(data.charts.byPillar).toHaveLength(4);
      } else {
        expect(data.dashboard.range.planPeriod).toBe(true);
        expect(data.dashboard.ranking.rows.length).toBeGreaterThan(0);
      }
    }
    const anonymous = await call(home.loader, "/");
    expect(anonymous.status).toBe(302);
  });

  it("the 西双版纳州 reporter's home shows the planned activities past their date, 西双版纳州's own", async () => {
    const data = await jsonOf(await call(home.loader, "/", { cookie: await sessionCookieFor("xsbn") }));
    // the seeded 下一步 items of 2023 are still planned, long after their dates
    expect(data.planned.total).toBeGreaterThan(0);
    expect(data.planned.rows.every((r: { organization_name_zh: string }) => /西双版纳|景洪|勐海|勐腊/.test(r.organization_name_zh))).toBe(true);
  });

  it("the reporter's home says which report was returned and why, and the state of this period's report", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const before = await jsonOf(await call(home.loader, "/", { cookie }));
    const period = (await getPeriodByCode(db, before.current.period.code))!;
    const unit = (await getOrganization(db, xsbnId))!;
    const person = async (username: string) => (await getUser(makeRequest("/", { cookie: await sessionCookieFor(username) })))!;
    const item = await planId("5.4");
    expect(
      await saveReport(db, await person("xsbn"), unit, period, {
        version: 0,
        items: [{ planItemId: item, progress: "开展友城交流。", problems: "", nextSteps: "", coordination: "" }],
        commitments: [],
      }),
    ).toMatchObject({ ok: true });
    expect(await submitReport(db, await person("xsbn_leader"), unit, period)).toMatchObject({ ok: true });
    expect(await returnReport(db, await person("reviewer"), unit, period, { reason: "请补充出访团组的人次。", itemReasons: [] })).toMatchObject({ ok: true });

    const after = await jsonOf(await call(home.loader, "/", { cookie }));
    expect(after.current).toMatchObject({ status: "returned", returnReason: "请补充出访团组的人次。", reports: true });
    expect(after.current.daysLeft).toBe(Math.round((Date.parse(period.due_date) - Date.parse(after.today)) / 86_400_000));
    const returned = after.returned.find((r: { link: string }) => r.link === `/reports/${xsbnId}/${period.code}`);
    expect(returned.message).toContain("请补充出访团组的人次。");
    expect(returned.message).toContain("西双版纳傣族自治州");
  });

  it("show a plan item's indicator trend on its page", async () => {
    const cookie = await sessionCookieFor("official");
    const data = await jsonOf(await call(planItem.loader, "/plan/5.4", { cookie, params: { code: "5.4" } }));
    expect(data.trend.series.length).toBeGreaterThan(1);
    expect(data.trend.periods[0].code).toBe("2023-H1");
  });
});

describe("a prefecture's dashboard within one country", () => {
  it("shows by pillar, by priority area and by country what a count of its activities gives", async () => {
    // in 2027-05, which no other test counts: 西双版纳州 and a county below it, with Laos and other countries
    await activity("yn-xsbn", { primary: "4.1.1", others: ["5.4"], countries: ["LA", "TH", "VN"], startDate: "2027-05-12", endDate: "2027-05-12", participantsCount: 12 });
    await activity("yn-xsbn-mengla", { primary: "4.3.1", countries: ["LA", "MM"], startDate: "2027-05-20", endDate: "2027-05-21", fundingCnyFen: 3_000_000 });
    await activity("yn-xsbn-mengla", { primary: "4.2.1", countries: ["TH"], startDate: "2027-05-03", endDate: "2027-05-03" });
    await activity("yn-km", { primary: "4.1.1", countries: ["LA", "KH"], startDate: "2027-05-08", endDate: "2027-05-08" });
    const scope = { organizationPath: xsbnPath, country: "LA" };
    // the whole month is read from the kept totals; a range short of the month's last day is counted row by row
    const kept = await activityCharts(db, { ...scope, from: "2027-05-01", to: "2027-05-31" }, options);
    const counted = await activityCharts(db, { ...scope, from: "2027-05-01", to: "2027-05-30" }, options);
    expect(kept.totals).toEqual({ activities: 2, people: 12, delegations: 0, fundingFen: 3_000_000 });
    expect(kept.totals).toEqual(counted.totals);
    expect(kept.byPillar).toEqual(counted.byPillar);
    expect(kept.byArea).toEqual(counted.byArea);
    expect(kept.areaTotals).toEqual(counted.areaTotals);
    expect(kept.byCountry).toEqual(counted.byCountry);
    expect(kept.byCountry.filter((c) => c.activities > 0).map((c) => [c.code, c.activities])).toEqual([
      ["LA", 2],
      ["MM", 1],
      ["TH", 1],
      ["VN", 1],
    ]);
  });
});
