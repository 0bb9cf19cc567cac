// The grouped aggregates behind the dashboard and the indicator pages, checked against the ledger read row by row:
// on a varied ledger (units of several subtrees, every status, deleted rows, activities linked to up to three plan
// items, several types and countries), every computed indicator's actuals — counted per plan node and activity
// type in one grouped query — and the charts' totals per pillar and priority area — counted per set of linked
// items — equal what a plain walk over the activities gives, for several units, periods and filters.
import { beforeAll, describe, expect, it } from "vitest";
import { isRegisterMeasure } from "~/domain/sister-cities";
import { type ActivityInput, createActivity, deleteActivity } from "~/models/activity.server";
import { createIndicator, listIndicators } from "~/models/indicator.server";
import { type IndicatorCounting, defaultCounting } from "~/schemas/indicator-counting";
import { listPlanItemIdsByPriorityArea, listPlanItems, listPriorityAreas } from "~/models/plan-item.server";
import { PLAN_START, listPeriods } from "~/models/reporting-period.server";
import { activityCharts, pillarGroups } from "~/presenters/dashboard.server";
import { indicatorsProgressByPeriod, listIndicatorsWithProgress } from "~/services/indicator-progress.server";
import { db } from "~/utils/db.server";
import { unitId } from "../helpers";

const UNITS = ["yn-xsbn", "yn-xsbn-mengla", "yn-xsbn-jinghong", "yn-km", "yn-pe"];
const ITEMS = ["4.1.1", "4.1.3.2", "4.2.5", "4.2.6", "4.3.3", "4.3.7", "5.2", "5.4"];
const TYPES = ["agreement", "outbound_visit", "inbound_visit", "aid_project", "sister_city", "training", "meeting"];
const STATUSES = ["completed", "completed", "ongoing", "planned", "cancelled"] as const;
const COUNTRIES = ["LA", "TH", "MM", "KR"];

// a small deterministic generator (mulberry32), so a failure can be replayed
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function planId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}
async function unitPath(code: string) {
  return (await db.selectFrom("organizations").select("path").where("code", "=", code).executeTakeFirstOrThrow()).path;
}

beforeAll(async () => {
  const next = random(20231);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const maybe = (n: number) => (next() < 0.25 ? null : Math.floor(next() * n) + 1);
  const userId = (await db.selectFrom("users").select("id").where("username", "=", "admin").executeTakeFirstOrThrow()).id;
  for (let n = 0; n < 90; n++) {
    const primary = pick(ITEMS);
    const others = [...new Set([pick(ITEMS), pick(ITEMS)])].filter((c) => c !== primary).slice(0, Math.floor(next() * 3));
    const start = `${2023 + Math.floor(next() * 4)}-${String(1 + Math.floor(next() * 12)).padStart(2, "0")}-${String(1 + Math.floor(next() * 28)).padStart(2, "0")}`;
    const input: ActivityInput = {
      organizationId: await unitId(pick(UNITS)),
      title: `汇总核对活动 ${n}`,
      type: pick(TYPES),
      startDate: start,
      endDate: start,
      status: pick(STATUSES),
      primaryPlanItemId: await planId(primary),
      otherPlanItemIds: await Promise.all(others.map(planId)),
      countries: COUNTRIES.filter(() => next() < 0.35),
      counterpartBody: "",
      location: "",
      delegationsCount: maybe(4),
      participantsCount: maybe(60),
      fundingCnyFen: next() < 0.3 ? null : Math.floor(next() * 50_000_000) * 7,
      fundingSource: "",
      outcome: "",
      evidence: [],
    };
    const id = await createActivity(db, input, null);
    if (n % 13 === 5) await deleteActivity(db, id, userId);
  }
  // indicators on nodes with items below them, so that an activity linked to two of a node's items must count once
  const base = { unit: "项", baselineValue: 0, baselineYear: 2022, targetValue: 100, direction: "up" as const, source: "computed" as const, periodTargets: [] };
  // and with every kind of 口径: item subtrees, a list of items, counterpart countries, statuses, several types
  const under = (types: IndicatorCounting["types"] = []) => defaultCounting({ types, items: { scope: "subtree", codes: [] } });
  await createIndicator(db, { ...base, code: "check-4.2-all", planItemId: await planId("4.2"), nameZh: "4.2 活动", nameEn: "4.2 activities", measure: "flow", computation: "count", counting: under() }, null);
  await createIndicator(db, { ...base, code: "check-4-agreements", planItemId: await planId("4"), nameZh: "协议", nameEn: "Agreements", measure: "stock", baselineValue: 5, baselineYear: 2023, computation: "count", counting: under(["agreement"]) }, null);
  await createIndicator(db, { ...base, code: "check-4-funding", planItemId: await planId("4"), nameZh: "资金", nameEn: "Funding", unit: "万元", measure: "flow", computation: "sum_funding", counting: under() }, null);
  await createIndicator(db, { ...base, code: "check-4.1-training", planItemId: await planId("4.1"), nameZh: "培训人次", nameEn: "Trainees", unit: "人次", measure: "flow", computation: "sum_participants", counting: under(["training"]) }, null);
  await createIndicator(db, { ...base, code: "check-list-mekong", planItemId: await planId("5.4"), nameZh: "湄公河国家交流", nameEn: "Mekong exchanges", unit: "批", measure: "flow", computation: "sum_delegations", counting: defaultCounting({ types: ["outbound_visit", "inbound_visit"], items: { scope: "list", codes: ["4.1", "4.3.1"] }, countries: ["KH", "LA", "MM", "TH", "VN"] }) }, null);
  await createIndicator(db, { ...base, code: "check-own-item-planned", planItemId: await planId("4.2.5"), nameZh: "计划中的活动", nameEn: "Planned", measure: "flow", computation: "count", counting: defaultCounting({ statuses: ["planned", "ongoing"], items: { scope: "item", codes: [] } }) }, null);
  await createIndicator(db, { ...base, code: "check-any-laos", planItemId: await planId("5.4"), nameZh: "老挝", nameEn: "Laos", unit: "人次", measure: "flow", computation: "sum_participants", counting: defaultCounting({ countries: ["LA"] }) }, null);
});

/** Every activity with its unit's path, its linked items' paths and its countries, read row by row. */
async function ledger() {
  const activities = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select(["a.id", "a.type", "a.status", "a.start_date", "a.deleted_at", "a.participants_count", "a.delegations_count", "a.funding_cny_fen", "o.path as unit_path"])
    .execute();
  const links = await db.selectFrom("activity_plan_items as l").innerJoin("plan_items as p", "p.id", "l.plan_item_id").select(["l.activity_id", "p.id", "p.path"]).execute();
  const countries = await db.selectFrom("activity_countries").select(["activity_id", "country_code"]).execute();
  return activities
    .filter((a) => a.deleted_at === null)
    .map((a) => ({
      ...a,
      items: links.filter((l) => l.activity_id === a.id),
      countries: countries.filter((c) => c.activity_id === a.id).map((c) => c.country_code),
    }));
}

const SCOPES = [undefined, "yn-xsbn", "yn-xsbn-mengla", "yn-km"];

describe("indicator actuals from the ledger", () => {
  it("equal, for every computed indicator, unit and period, the activities of its node counted one by one", async () => {
    const live = await ledger();
    const periods = await listPeriods(db);
    // the indicators counting the ledger; those counting the sister-city register are tests/integration/sister-cities.test.ts's
    const indicators = (await listIndicators(db)).filter((i) => i.source === "computed" && !isRegisterMeasure(i.computation));
    const planItems = await listPlanItems(db);
    const nodePath = new Map(planItems.map((p) => [p.id, p.path]));
    const pathOfCode = new Map(planItems.map((p) => [p.code, p.path]));
    let nonZero = 0;
    for (const unit of SCOPES) {
      const organizationPath = unit ? await unitPath(unit) : undefined;
      const series = await indicatorsProgressByPeriod(db, indicators, periods, { organizationPath });
      for (const { indicator, byPeriod } of series) {
        const { types, statuses, items, countries } = indicator.counting;
        const own = nodePath.get(indicator.plan_item_id)!;
        const servesItems = (a: (typeof live)[number]) =>
          items.scope === "any"
            ? true
            : items.scope === "item"
              ? a.items.some((l) => l.id === indicator.plan_item_id)
              : items.scope === "subtree"
                ? a.items.some((l) => l.path.startsWith(own))
                : a.items.some((l) => items.codes.some((code) => l.path.startsWith(pathOfCode.get(code)!)));
        const counted = live.filter(
          (a) =>
            (!organizationPath || a.unit_path.startsWith(organizationPath)) &&
            (statuses as readonly string[]).includes(a.status) &&
            (types.length === 0 || (types as readonly string[]).includes(a.type)) &&
            (countries.length === 0 || a.countries.some((c) => countries.includes(c))) &&
            servesItems(a),
        );
        const value = (a: (typeof counted)[number]) =>
          indicator.computation === "sum_participants"
            ? a.participants_count ?? 0
            : indicator.computation === "sum_delegations"
              ? a.delegations_count ?? 0
              : indicator.computation === "sum_funding"
                ? (a.funding_cny_fen ?? 0) / 1_000_000
                : 1;
        const from = indicator.measure === "flow" ? PLAN_START : `${indicator.baseline_year + 1}-01-01`;
        for (const { period, progress } of byPeriod) {
          const inFrom = period.start_date > from ? period.start_date : from;
          const sum = (start: string) =>
            counted.filter((a) => a.start_date >= start && a.start_date <= period.end_date).reduce((s, a) => s + value(a), 0);
          const toDate = (indicator.measure === "stock" ? indicator.baseline_value : 0) + sum(from);
          expect(progress.actualToDate, `${indicator.code} ${unit ?? "all"} ${period.code}`).toBeCloseTo(toDate, 6);
          expect(progress.actualInPeriod, `${indicator.code} ${unit ?? "all"} ${period.code} in period`).toBeCloseTo(sum(inFrom), 6);
          if (sum(inFrom) !== 0) nonZero++;
        }
      }
    }
    expect(nonZero).toBeGreaterThan(50);
  });

  it("are the same on the indicator list as in the trend of each indicator", async () => {
    const periods = (await listPeriods(db)).filter((p) => p.kind === "half");
    const xsbn = await unitPath("yn-xsbn");
    const indicators = await listIndicators(db);
    const trend = await indicatorsProgressByPeriod(db, indicators, periods, { organizationPath: xsbn });
    for (const [n, period] of periods.entries()) {
      const list = await listIndicatorsWithProgress(db, period, { organizationPath: xsbn });
      expect(list.map((r) => r.progress)).toEqual(trend.map((t) => t.byPeriod[n]!.progress));
    }
  });
});

describe("the charts' totals per pillar and priority area", () => {
  it("count each activity once in every group it touches, as counted one by one, for several units, dates and countries", async () => {
    const live = await ledger();
    const items = await listPlanItems(db);
    const [areas, areaItems] = await Promise.all([listPriorityAreas(db), listPlanItemIdsByPriorityArea(db)]);
    const pathOf = new Map(items.map((i) => [i.id, i.path]));
    const pillars = pillarGroups(items).map((g) => ({ code: g.code, paths: [g.path] }));
    const byArea = areas.map((a) => ({ code: a.code, paths: (areaItems.get(a.id) ?? []).map((id) => pathOf.get(id)!) }));
    let nonZero = 0;
    for (const unit of SCOPES) {
      const organizationPath = unit ? await unitPath(unit) : undefined;
      for (const [from, to] of [["2023-01-01", "2027-12-31"], ["2024-01-01", "2024-06-30"], ["2025-07-01", "2026-12-31"]] as const) {
        for (const country of [undefined, "LA"]) {
          const charts = await activityCharts(db, { from, to, organizationPath, country }, { today: "2026-11-30", locale: "zh-CN" });
          const scoped = live.filter(
            (a) =>
              (a.status === "completed" || a.status === "ongoing") &&
              a.start_date >= from &&
              a.start_date <= to &&
              (!organizationPath || a.unit_path.startsWith(organizationPath)) &&
              (!country || a.countries.includes(country)),
          );
          const expected = (paths: string[]) => {
            const touched = scoped.filter((a) => a.items.some((l) => paths.some((p) => l.path.startsWith(p))));
            return {
              activities: touched.length,
              people: touched.reduce((s, a) => s + (a.participants_count ?? 0), 0),
              delegations: touched.reduce((s, a) => s + (a.delegations_count ?? 0), 0),
              fundingFen: touched.reduce((s, a) => s + (a.funding_cny_fen ?? 0), 0),
            };
          };
          const label = `${unit ?? "all"} ${from}–${to} ${country ?? ""}`;
          expect(charts.byPillar.map((g) => ({ code: g.code, activities: g.activities, people: g.people, delegations: g.delegations, fundingFen: g.fundingFen })), label).toEqual(
            pillars.map((g) => ({ code: g.code, ...expected(g.paths) })),
          );
          expect(charts.byArea.map((g) => ({ code: g.code, activities: g.activities, people: g.people, delegations: g.delegations, fundingFen: g.fundingFen })), label).toEqual(
            byArea.map((g) => ({ code: g.code, ...expected(g.paths) })),
          );
          // the areas' total counts each activity of any area once
          const { activities, people, delegations, fundingFen } = charts.areaTotals;
          expect({ activities, people, delegations, fundingFen }, label).toEqual(expected(byArea.flatMap((g) => g.paths)));
          // the pillars cover the whole plan: their distinct total is the headline
          expect(expected(pillars.flatMap((g) => g.paths)).activities, label).toBe(charts.totals.activities);
          nonZero += charts.byPillar.filter((g) => g.activities > 0).length;
        }
      }
    }
    expect(nonZero).toBeGreaterThan(20);
  });
});
