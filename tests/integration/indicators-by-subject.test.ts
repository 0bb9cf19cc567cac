// A ledger kept as offices keep it — five 出访 tagged by their subject (4.1.1, 4.3.1, 4.1.3.2), none of them 5.4 —
// and the figures the evaluation rests on: the indicators of 5.4 (地方支撑) count them all, the proposal for 5.4
// quotes those figures and is not red for a target that was met, and the 工作台账's 预警 says the same.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import * as evaluation from "~/routes/evaluation.$period";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import { createActivity, deleteActivity } from "~/models/activity.server";
import { getIndicatorByCode } from "~/models/indicator.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { indicatorProgress } from "~/services/indicator-progress.server";
import { LEDGER_WARNING_COLUMN } from "~/services/ledger-export.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const PERIOD = "2024-H1";
// 昆明市's hand-kept ledger of the half-year: 10 批, 47 人次, 50.5 万元
const LEDGER = [
  { title: "昆明市代表团赴老挝万象市开展友好交流", item: "4.1.1", country: "LA", start: "2024-02-20", delegations: 2, people: 10, wan: 10 },
  { title: "赴泰国清迈参加澜湄文化交流周", item: "4.3.1", country: "TH", start: "2024-03-12", delegations: 2, people: 9, wan: 10.5 },
  { title: "赴缅甸曼德勒开展禁毒执法合作交流", item: "4.1.3.2", country: "MM", start: "2024-04-08", delegations: 2, people: 10, wan: 10 },
  { title: "赴越南河内开展地方政府交流", item: "4.1.1", country: "VN", start: "2024-05-15", delegations: 2, people: 9, wan: 10 },
  { title: "赴柬埔寨金边开展教育合作交流", item: "4.3.1", country: "KH", start: "2024-06-03", delegations: 2, people: 9, wan: 10 },
];

const planId = async (code: string) => (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
const unitPath = async (code: string) => (await db.selectFrom("organizations").select("path").where("code", "=", code).executeTakeFirstOrThrow()).path;

/** Row by row: the live outbound visits (completed or under way) of a subtree starting in the period. */
async function outboundRows(organizationPath: string | undefined, period: { start_date: string; end_date: string }) {
  let query = db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select(["a.delegations_count", "a.participants_count"])
    .where("a.deleted_at", "is", null)
    .where("a.type", "=", "outbound_visit")
    .where("a.status", "in", ["completed", "ongoing"])
    .where("a.start_date", ">=", period.start_date)
    .where("a.start_date", "<=", period.end_date);
  if (organizationPath) query = query.where("o.path", "like", `${organizationPath}%`);
  const rows = await query.execute();
  return {
    delegations: rows.reduce((s, r) => s + (r.delegations_count ?? 0), 0),
    people: rows.reduce((s, r) => s + (r.participants_count ?? 0), 0),
  };
}

beforeAll(async () => {
  const period = (await getPeriodByCode(db, PERIOD))!;
  const km = await unitPath("yn-km");
  const reporter = (await db.selectFrom("users").select("id").where("username", "=", "kunming").executeTakeFirstOrThrow()).id;
  // The unit's half-year is exactly this ledger: whatever outbound visit the demo data holds for it goes first.
  const earlier = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select("a.id")
    .where("o.path", "like", `${km}%`)
    .where("a.type", "=", "outbound_visit")
    .where("a.deleted_at", "is", null)
    .where("a.start_date", ">=", period.start_date)
    .where("a.start_date", "<=", period.end_date)
    .execute();
  for (const { id } of earlier) await deleteActivity(db, id, reporter);
  for (const row of LEDGER) {
    await createActivity(
      db,
      {
        organizationId: await unitId("yn-km"),
        title: row.title,
        type: "outbound_visit",
        startDate: row.start,
        endDate: row.start,
        status: "completed",
        primaryPlanItemId: await planId(row.item),
        otherPlanItemIds: [],
        countries: [row.country],
        counterpartBody: "",
        location: "",
        delegationsCount: row.delegations,
        participantsCount: row.people,
        fundingCnyFen: Math.round(row.wan * 1_000_000),
        fundingSource: "市级财政",
        outcome: "",
        evidence: [],
      },
      reporter,
    );
  }
});

describe("indicators of 5.4 over a ledger tagged by subject", () => {
  it("count the unit's 10 批 47 人次 whatever items the visits were tagged with", async () => {
    const period = (await getPeriodByCode(db, PERIOD))!;
    const scope = { organizationPath: await unitPath("yn-km") };
    const delegations = await indicatorProgress(db, (await getIndicatorByCode(db, "outbound-delegations"))!, period, scope);
    const people = await indicatorProgress(db, (await getIndicatorByCode(db, "outbound-participants"))!, period, scope);
    expect(delegations.actualInPeriod).toBe(10);
    expect(people.actualInPeriod).toBe(47);
    expect(delegations.periodPercent).toBe(100);
    // and province-wide, the rows counted one by one
    const province = await outboundRows(undefined, period);
    expect((await indicatorProgress(db, (await getIndicatorByCode(db, "outbound-delegations"))!, period)).actualInPeriod).toBe(province.delegations);
    expect(province.delegations).toBeGreaterThanOrEqual(10);
  });

  it("give 5.4 a proposal that quotes those figures and is not red for a target met", async () => {
    const period = (await getPeriodByCode(db, PERIOD))!;
    const province = await outboundRows(undefined, period);
    const data = await jsonOf(await call(evaluation.loader, `/evaluation/${PERIOD}`, { cookie: await sessionCookieFor("reviewer"), params: { period: PERIOD } }));
    const local = data.rows.find((r: { code: string }) => r.code === "5.4");
    const reason = local.proposal.reasons.find((r: { params?: { name?: string } }) => r.params?.name === "出访团组（批次）");
    expect(reason).toMatchObject({ key: "evaluation.reason.indicator_period_met", rating: "green" });
    expect(reason.params).toMatchObject({ period_actual: String(province.delegations), period_target: "10", unit: "批" });
    const people = local.proposal.reasons.find((r: { params?: { name?: string } }) => r.params?.name === "出访人员（人次）");
    expect(people).toMatchObject({ key: "evaluation.reason.indicator_period_met", rating: "green" });
    expect(people.params.period_actual).toBe(String(province.people));
    // what is still red is red for another indicator, and says which (来访团组: none received against a target of 5)
    for (const r of local.proposal.reasons.filter((r: { rating: string }) => r.rating === "red")) {
      expect(["出访团组（批次）", "出访人员（人次）"]).not.toContain(r.params?.name);
    }
  });

  it("mark every item in the unit's 工作台账 as its proposal does", async () => {
    const data = await jsonOf(await call(evaluation.loader, `/evaluation/${PERIOD}`, { cookie: await sessionCookieFor("reviewer"), params: { period: PERIOD } }));
    const proposed = new Map<string, string>(data.rows.map((r: { code: string; proposal: { rating: string } }) => [r.code, r.proposal.rating]));
    const response = await call(ledgerRoute.loader, `/exports/ledger.xlsx?unit=${await unitId("yn-km")}&period=${PERIOD}`, { cookie: await sessionCookieFor("kunming") });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const warnings = new Map<string, string>();
    workbook.worksheets[0]!.eachRow((row) => {
      const item = String(row.getCell(2).value ?? "");
      const warning = row.getCell(LEDGER_WARNING_COLUMN + 1).value;
      if (/^\d/.test(item) && warning) warnings.set(item.split(" ")[0]!, String(warning));
    });
    const label: Record<string, string> = { green: "绿灯", yellow: "黄灯", red: "红灯" };
    // the visits' own items are in the ledger, each marked as its proposal says
    for (const code of ["4.1.1", "4.3.1", "4.1.3.2"]) expect(warnings.get(code), code).toBe(`${label[proposed.get(code)!]}（建议）`);
    for (const [code, warning] of warnings) expect(warning, code).toBe(`${label[proposed.get(code)!]}（建议）`);
  });
});

describe("an indicator's definition edited by the administrator", () => {
  it("changes what it counts at once, and keeps its published baseline and targets", async () => {
    const editRoute = await import("~/routes/indicators.$id.edit");
    const period = (await getPeriodByCode(db, PERIOD))!;
    const scope = { organizationPath: await unitPath("yn-km") };
    const before = (await getIndicatorByCode(db, "outbound-delegations"))!;
    expect((await indicatorProgress(db, before, period, scope)).actualInPeriod).toBe(10);
    const cookie = await sessionCookieFor("admin");
    const edit = async (extra: Record<string, string | string[]>) => {
      const form = await jsonOf(await call(editRoute.loader, `/indicators/${before.id}/edit`, { cookie, params: { id: String(before.id) } }));
      const values: Record<string, string | string[]> = { ...form.values, ...extra };
      for (const key of ["activity_types", "statuses", "countries"]) if (typeof values[key] === "string") values[key] = (values[key] as string).split(",").filter(Boolean);
      const response = await call(editRoute.action, `/indicators/${before.id}/edit`, { cookie, params: { id: String(before.id) }, form: values });
      expect(response.status, await response.clone().text()).toBe(302);
      return (await getIndicatorByCode(db, "outbound-delegations"))!;
    };
    // only the visits to Laos and Viet Nam: 2 + 2 批
    const mekong = await edit({ countries: ["LA", "VN"] });
    expect((await indicatorProgress(db, mekong, period, scope)).actualInPeriod).toBe(4);
    // only those tagged 4.1.1 (Laos and Viet Nam again) or 4.3.1 (Thailand, Cambodia): all but the 4.1.3.2 one
    const items = await edit({ countries: [], item_scope: "list", item_codes: "4.1.1 4.3.1" });
    expect((await indicatorProgress(db, items, period, scope)).actualInPeriod).toBe(8);
    expect(items).toMatchObject({ baseline_value: before.baseline_value, baseline_year: before.baseline_year, target_value: before.target_value });
    expect((await indicatorProgress(db, items, period, scope)).periodTarget).toBe(10);
    // and back: every matching activity of the unit
    const back = await edit({ item_scope: "any", item_codes: "" });
    expect((await indicatorProgress(db, back, period, scope)).actualInPeriod).toBe(10);
    const history = await db.selectFrom("audit_log").select("changes_json").where("entity_type", "=", "indicator").where("entity_id", "=", before.id).where("action", "=", "indicator.update").orderBy("id").execute();
    expect(history).toHaveLength(3);
    expect(history[0]!.changes_json).toContain("counting_json");
  });
});
