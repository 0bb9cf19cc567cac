// Proposed 红黄绿 ratings with reasons, the reviewer's rating rules, and the reporting periods' administration.
import { describe, expect, it } from "vitest";
import * as evaluation from "~/routes/evaluation.$period";
import * as periods from "~/routes/admin.periods";
import * as reportRoute from "~/routes/reports.$unit.$period";
import { getPeriodByCode, listPeriods, periodsOfYear, planElapsed } from "~/models/reporting-period.server";
import { type IndicatorSignal, proposeFromSignals } from "~/services/rating-proposal.server";
import { translator } from "~/i18n/translator.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

describe("the proposed rating", () => {
  const none = { activitiesToDate: 0, activitiesInPeriod: 0, plannedOverdue: 0, indicators: [] };
  it("is red where nothing has been done at all, yellow where nothing was done this period, green otherwise", () => {
    expect(proposeFromSignals(none).rating).toBe("red");
    expect(proposeFromSignals({ ...none, activitiesToDate: 4 }).rating).toBe("yellow");
    expect(proposeFromSignals({ ...none, activitiesToDate: 4, activitiesInPeriod: 2 }).rating).toBe("green");
  });

  it("turns yellow for planned activities past their date, and says how many", () => {
    const p = proposeFromSignals({ ...none, activitiesToDate: 4, activitiesInPeriod: 2, plannedOverdue: 3 });
    expect(p.rating).toBe("yellow");
    expect(p.reasons).toContainEqual({ key: "evaluation.reason.planned_overdue", params: { count: 3 }, rating: "yellow" });
  });

  const signal = (over: Partial<IndicatorSignal>): IndicatorSignal => ({
    name: "出访批次",
    name_en: "Delegations sent abroad",
    unit: "批",
    unit_en: "delegations",
    actualToDate: 24,
    target: 100,
    actualInPeriod: 4,
    periodTarget: null,
    percent: 24,
    periodPercent: null,
    expected: 0.5,
    ...over,
  });

  it("weighs indicator progress against the time elapsed, quoting the figures it rests on", () => {
    const active = { ...none, activitiesToDate: 4, activitiesInPeriod: 2 };
    const at = (percent: number) => proposeFromSignals({ ...active, indicators: [signal({ percent, actualToDate: percent })] });
    expect(at(50).rating).toBe("green"); // on schedule
    expect(at(40).rating).toBe("green"); // 80% of expected
    expect(at(39).rating).toBe("yellow");
    expect(at(24).rating).toBe("red"); // under half of expected
    expect(at(24).reasons.at(-1)).toEqual({
      key: "evaluation.reason.indicator_behind",
      params: {
        name: "出访批次",
        name_en: "Delegations sent abroad",
        unit: "批",
        unit_en: "delegations",
        actual: "24",
        target: "100",
        period_actual: "4",
        period_target: "—",
        percent: 24,
        expected: 50,
      },
      rating: "red",
    });
    expect(translator("zh-CN")(at(24).reasons.at(-1)!.key, at(24).reasons.at(-1)!.params)).toBe(
      "指标“出访批次”累计 24批，为计划目标 100批 的 24%，时间进度 50%，明显滞后。",
    );
    expect(translator("en")(at(24).reasons.at(-1)!.key, at(24).reasons.at(-1)!.params)).toBe(
      "Indicator “Delegations sent abroad”: 24 delegations to date, 24% of the plan target of 100 delegations, against 50% of the time elapsed: well behind.",
    );
    // an indicator whose % cannot be said does not sway the proposal
    expect(proposeFromSignals({ ...active, indicators: [signal({ percent: null })] }).rating).toBe("green");
  });

  it("never proposes yellow or red for an indicator whose period or plan target is met", () => {
    const active = { ...none, activitiesToDate: 4, activitiesInPeriod: 2 };
    // 10 批 in 2023 H1 against a period target of 10: met, though only 10% of the plan target at 10% of the time
    const periodMet = proposeFromSignals({ ...active, indicators: [signal({ percent: 10, expected: 0.5, actualInPeriod: 10, periodTarget: 10, periodPercent: 100 })] });
    expect(periodMet.rating).toBe("green");
    expect(periodMet.reasons.at(-1)!.key).toBe("evaluation.reason.indicator_period_met");
    const planMet = proposeFromSignals({ ...active, indicators: [signal({ percent: 104, expected: 0.9 })] });
    expect(planMet.rating).toBe("green");
    expect(planMet.reasons.at(-1)!.key).toBe("evaluation.reason.indicator_plan_met");
    // a period target missed still counts against the time elapsed
    expect(proposeFromSignals({ ...active, indicators: [signal({ percent: 10, expected: 0.5, periodTarget: 10, periodPercent: 40 })] }).rating).toBe("red");
  });

  it("is computed from the ledger for each plan item of a period", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const data = await jsonOf(await call(evaluation.loader, "/evaluation/2023-H1", { cookie, params: { period: "2023-H1" } }));
    const row = (code: string) => data.rows.find((r: any) => r.code === code);
    // 西双版纳州 reported 4.2.6 aid projects in 2023 H1 (the water reservoir, the 30万元 house)
    expect(row("4.2.6").proposal.reasons[0].key).toBe("evaluation.reason.activity_period");
    // nothing in the demo ledger serves 4.2.9 (state-owned enterprises)
    expect(row("4.2.9").proposal.rating).toBe("red");
    expect(row("4.2.9").proposal.reasons[0].key).toBe("evaluation.reason.no_activity_ever");
  });
});

describe("rating a plan item", () => {
  it("needs a comment, and a reason where it differs from the proposal; the proposal is recomputed on the server", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.9").executeTakeFirstOrThrow()).id;
    const rate = (form: Record<string, string>) =>
      call(evaluation.action, "/evaluation/2023-H1", { cookie, params: { period: "2023-H1" }, form: { plan_item_id: String(item), ...form } });
    const noComment = await rate({ rating: "red", comment: "" });
    expect(noComment.status).toBe(400);
    expect((await jsonOf(noComment)).errors.comment).toBe("evaluation.errors.comment");
    const override = await rate({ rating: "green", comment: "有进展" });
    expect(override.status).toBe(400);
    expect((await jsonOf(override)).errors.override_reason).toBe("evaluation.errors.override");
    expect((await rate({ rating: "yellow", comment: "有进展", override_reason: "已列入下半年计划" })).status).toBe(302);
    const saved = await db.selectFrom("plan_item_ratings").selectAll().where("plan_item_id", "=", item).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ rating: "yellow", proposed_rating: "red", override_reason: "已列入下半年计划", comment: "有进展" });
    const data = await jsonOf(await call(evaluation.loader, "/evaluation/2023-H1", { cookie, params: { period: "2023-H1" } }));
    expect(data.summary.yellow).toBe(1);
    expect(data.rows.find((r: any) => r.code === "4.2.9").rating.ratedBy).toBe("秘书处云南联络办公室 审核员");
    expect((await rate({ rating: "purple", comment: "x" })).status).toBe(400);
  });
});

describe("accepting every proposal of a period", () => {
  it("asks for a confirmation, rates each unrated item as proposed with an audit entry each, and keeps what was rated", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const at = { cookie, params: { period: "2024-H2" } };
    const ratingsCount = async () =>
      Number((await db.selectFrom("plan_item_ratings as r").innerJoin("reporting_periods as p", "p.id", "r.period_id").select((eb) => eb.fn.countAll<number>().as("n")).where("p.code", "=", "2024-H2").executeTakeFirstOrThrow()).n);
    const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.9").executeTakeFirstOrThrow()).id;
    const before = await jsonOf(await call(evaluation.loader, "/evaluation/2024-H2", at));
    const proposed49 = before.rows.find((r: any) => r.code === "4.2.9").proposal.rating;
    const other = proposed49 === "red" ? "yellow" : "red";
    // one item rated by hand first, differently from its proposal
    expect((await call(evaluation.action, "/evaluation/2024-H2", { ...at, form: { plan_item_id: String(item), rating: other, comment: "人工评级", override_reason: "已核实" } })).status).toBe(302);

    const unconfirmed = await call(evaluation.action, "/evaluation/2024-H2", { ...at, form: { intent: "accept_all" } });
    expect(unconfirmed.status).toBe(400);
    expect((await jsonOf(unconfirmed)).errors.confirm).toBe("evaluation.errors.confirm");
    expect(await ratingsCount()).toBe(1);

    const auditBefore = Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "rating.save").executeTakeFirstOrThrow()).n);
    const accepted = await call(evaluation.action, "/evaluation/2024-H2", { ...at, form: { intent: "accept_all", confirm: "yes" } });
    expect(accepted.status).toBe(302);
    const rows: any[] = before.rows;
    expect(accepted.headers.get("Location")).toBe(`/evaluation/2024-H2?accepted=${rows.length - 1}`);
    const after = await jsonOf(await call(evaluation.loader, "/evaluation/2024-H2", at));
    for (const row of after.rows) {
      if (row.code === "4.2.9") expect(row.rating).toMatchObject({ rating: other, comment: "人工评级" });
      else expect(row.rating, row.code).toMatchObject({ rating: row.proposal.rating, comment: "采纳系统建议。", overrideReason: "" });
    }
    const auditAfter = Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "rating.save").executeTakeFirstOrThrow()).n);
    expect(auditAfter - auditBefore).toBe(rows.length - 1);
    // any item can still be changed afterwards
    const first = after.rows.find((r: any) => r.code !== "4.2.9");
    const changed = first.proposal.rating === "green" ? "yellow" : "green";
    expect((await call(evaluation.action, "/evaluation/2024-H2", { ...at, form: { plan_item_id: String(first.id), rating: changed, comment: "复核后调整", override_reason: "复核" } })).status).toBe(302);
    // only reviewers may
    const official = await call(evaluation.action, "/evaluation/2024-H2", { cookie: await sessionCookieFor("official"), params: { period: "2024-H2" }, form: { intent: "accept_all", confirm: "yes" } });
    expect(official.status).toBe(403);
  });
});

describe("reporting periods", () => {
  it("computes period dates and the share of the plan elapsed", () => {
    expect(periodsOfYear("quarter", 2024, 15).map((p) => [p.code, p.start_date, p.end_date, p.due_date])).toEqual([
      ["2024-Q1", "2024-01-01", "2024-03-31", "2024-04-15"],
      ["2024-Q2", "2024-04-01", "2024-06-30", "2024-07-15"],
      ["2024-Q3", "2024-07-01", "2024-09-30", "2024-10-15"],
      ["2024-Q4", "2024-10-01", "2024-12-31", "2025-01-15"],
    ]);
    expect(periodsOfYear("half", 2024, 0)[0]).toMatchObject({ code: "2024-H1", end_date: "2024-06-30", due_date: "2024-06-30" });
    expect(planElapsed("2027-12-31")).toBe(1);
    expect(planElapsed("2025-06-30")).toBeCloseTo(0.5, 2);
  });

  it("creates all periods of 2024-2027 for a cadence in one action, once", async () => {
    const cookie = await sessionCookieFor("admin");
    const generate = () => call(periods.action, "/admin/periods", { cookie, form: { intent: "generate", kind: "quarter", from_year: "2024", to_year: "2027", due_days: "10" } });
    const first = await generate();
    expect(first.headers.get("Location")).toBe("/admin/periods?created=16");
    expect((await generate()).headers.get("Location")).toBe("/admin/periods?created=0");
    expect((await listPeriods(db, "quarter")).map((p) => p.code)).toContain("2027-Q4");
    const bad = await call(periods.action, "/admin/periods", { cookie, form: { intent: "generate", kind: "quarter", from_year: "2027", to_year: "2024", due_days: "abc" } });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).errors).toMatchObject({ to_year: "periods.errors.years", due_days: "periods.errors.due_days" });
  });

  it("closes and reopens a period only with a reason, audited; a closed period takes no more reporting", async () => {
    const cookie = await sessionCookieFor("admin");
    const period = (await getPeriodByCode(db, "2025-H2"))!;
    const noReason = await call(periods.action, "/admin/periods", { cookie, form: { intent: "close", period_id: String(period.id), reason: " " } });
    expect(noReason.status).toBe(400);
    expect((await call(periods.action, "/admin/periods", { cookie, form: { intent: "close", period_id: String(period.id), reason: "年度评估已完成" } })).status).toBe(302);
    const km = await unitId("yn-km");
    const leader = await sessionCookieFor("kunming_leader");
    const page = await jsonOf(await call(reportRoute.loader, `/reports/${km}/2025-H2`, { cookie: leader, params: { unit: String(km), period: "2025-H2" } }));
    expect(page.can).toMatchObject({ save: false, submit: false });
    const refused = await call(reportRoute.action, `/reports/${km}/2025-H2`, { cookie: leader, params: { unit: String(km), period: "2025-H2" }, form: { intent: "submit", version: "0" } });
    expect(refused.status).toBe(409);
    expect((await call(periods.action, "/admin/periods", { cookie, form: { intent: "reopen", period_id: String(period.id), reason: "补报" } })).status).toBe(302);
    const audit = await db.selectFrom("audit_log").select(["action", "changes_json"]).where("entity_type", "=", "period").where("entity_id", "=", period.id).where("action", "in", ["period.close", "period.reopen"]).orderBy("id").execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.changes_json).reason])).toEqual([
      ["period.close", "年度评估已完成"],
      ["period.reopen", "补报"],
    ]);
    const due = await call(periods.action, "/admin/periods", { cookie, form: { intent: "due", period_id: String(period.id), due_date: "2025-12-01" } });
    expect(due.status).toBe(400);
    expect((await call(periods.action, "/admin/periods", { cookie, form: { intent: "due", period_id: "999999", due_date: "2026-01-20" } })).status).toBe(404);
  });
});
