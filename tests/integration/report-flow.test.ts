// Issue #16, sign-off and review, reminders and the inbox, through the real route actions with real sessions on
// the seeded database: the reporter hands the draft to the leader (提交审签); sign-off refuses an empty or
// incomplete report and runs only once confirmed (an early submission confirmed too); approval and return are
// confirmed on the server; after a return and a fix the leader sees 已修改待签发, the reviewer a field-by-field
// comparison, the unit 已通过; the reviewer reminds every late unit of a period at once.
import { describe, expect, it } from "vitest";
import { createActivity } from "~/models/activity.server";
import { listLatePeriods } from "~/models/period-report.server";
import * as inboxRoute from "~/routes/inbox";
import * as reportRoute from "~/routes/reports.$unit.$period";
import * as reportsIndex from "~/routes/reports._index";
import { inboxFor } from "~/services/inbox.server";
import { type SessionUser, getUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { call, jsonOf, makeRequest, sessionCookieFor, unitId } from "../helpers";

async function planItemId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function sessionUser(username: string): Promise<SessionUser> {
  return (await getUser(makeRequest("/", { cookie: await sessionCookieFor(username) })))!;
}

async function logActivity(unitCode: string, date: string, title: string, primary: string, status: "completed" | "planned" = "completed") {
  return createActivity(
    db,
    {
      organizationId: await unitId(unitCode),
      title,
      type: "training",
      startDate: date,
      endDate: date,
      status,
      primaryPlanItemId: await planItemId(primary),
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: "老挝琅南塔省",
      location: "勐腊",
      delegationsCount: 1,
      participantsCount: 30,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
    },
    null,
  );
}

const path = (unit: number, period: string) => `/reports/${unit}/${period}`;

async function page(username: string, unit: number, period: string) {
  const response = await call(reportRoute.loader, path(unit, period), { cookie: await sessionCookieFor(username), params: { unit: String(unit), period } });
  expect(response.status).toBe(200);
  return jsonOf(response);
}

async function post(username: string, unit: number, period: string, form: Record<string, string | string[]>) {
  return call(reportRoute.action, path(unit, period), { cookie: await sessionCookieFor(username), params: { unit: String(unit), period }, form });
}

async function reportRow(unit: number, period: string) {
  return db
    .selectFrom("period_reports as r")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .selectAll("r")
    .where("r.organization_id", "=", unit)
    .where("p.code", "=", period)
    .executeTakeFirst();
}

async function auditActions(reportId: number) {
  return (await db.selectFrom("audit_log").select("action").where("entity_type", "=", "period_report").where("entity_id", "=", reportId).orderBy("id").execute()).map((a) => a.action);
}

describe("signing off a period report", () => {
  it("refuses to sign off or hand over an empty report", async () => {
    const menghai = await unitId("yn-xsbn-menghai");
    expect((await page("xsbn_leader", menghai, "2025-H2")).activityCount).toBe(0);
    const signed = await post("xsbn_leader", menghai, "2025-H2", { intent: "submit", confirm: "yes", version: "0" });
    expect(signed.status).toBe(400);
    expect((await jsonOf(signed)).error).toBe("reports.errors.empty");
    const handed = await post("xsbn", menghai, "2025-H2", { intent: "handover", version: "0" });
    expect(handed.status).toBe(400);
    expect((await jsonOf(handed)).error).toBe("reports.errors.empty");
    const row = await reportRow(menghai, "2025-H2");
    expect(row?.status ?? "none").not.toBe("submitted");
    expect(row?.ready_at ?? null).toBeNull();
  });

  it("needs 进展情况 for every item with activities, a confirmation, and the confirmed version", async () => {
    const mengla = await unitId("yn-xsbn-mengla");
    const item = await planItemId("4.3.1");
    await logActivity("yn-xsbn-mengla", "2025-03-10", "勐腊县中老边境农业技术培训班", "4.3.1");
    let data = await page("xsbn", mengla, "2025-H1");
    const codes: string[] = data.sections.filter((s: any) => s.activities.length).map((s: any) => s.code);
    expect(codes).toContain("4.3.1");
    const ids = await Promise.all(codes.map(planItemId));

    // handed over with the 4.3.1 progress missing: refused, the field named
    const incomplete = await post("xsbn", mengla, "2025-H1", { intent: "handover", version: "0", item_ids: ids.map(String), [`problems_${item}`]: "培训场地不足。" });
    expect(incomplete.status).toBe(400);
    const refusal = await jsonOf(incomplete);
    expect(refusal.error).toBe("reports.errors.incomplete");
    expect(refusal.missing).toContain("4.3.1");
    expect(refusal.errors[`progress_${item}`]).toBe("reports.errors.progress_required");
    // what was written is kept (saved before the check), but nothing waits for the leader
    expect((await reportRow(mengla, "2025-H1"))?.ready_at).toBeNull();
    expect((await inboxFor(db, await sessionUser("xsbn_leader"), todayInChina())).some((i) => i.kind === "to_submit" && i.link === path(mengla, "2025-H1"))).toBe(false);

    // complete: handed over, and the leader sees it ready
    data = await page("xsbn", mengla, "2025-H1");
    const progress = Object.fromEntries(ids.map((id) => [`progress_${id}`, "举办农业技术培训班一期，老方学员30人。"]));
    const handed = await post("xsbn", mengla, "2025-H1", { intent: "handover", version: String(data.report.version), item_ids: ids.map(String), ...progress });
    expect(handed.status).toBe(302);
    expect(handed.headers.get("Location")).toContain("notice=handed_over");
    const leaderInbox = await inboxFor(db, await sessionUser("xsbn_leader"), todayInChina());
    const ready = leaderInbox.find((i) => i.kind === "to_submit" && i.link === path(mengla, "2025-H1"));
    expect(ready?.message).toContain("待您审签报送");
    expect((await page("xsbn_leader", mengla, "2025-H1")).readyAt).not.toBeNull();

    // the leader's first press asks to confirm and submits nothing
    data = await page("xsbn_leader", mengla, "2025-H1");
    const asked = await post("xsbn_leader", mengla, "2025-H1", { intent: "submit", version: String(data.report.version) });
    expect(asked.status).toBe(200);
    const question = await jsonOf(asked);
    expect(question.confirm).toMatchObject({ kind: "submit", early: false });
    expect((await reportRow(mengla, "2025-H1"))?.status).toBe("draft");
    // a confirmation of a version that has changed since is refused
    expect((await post("xsbn_leader", mengla, "2025-H1", { intent: "submit", confirm: "yes", version: String(question.confirm.version - 1) })).status).toBe(409);
    const confirmed = await post("xsbn_leader", mengla, "2025-H1", { intent: "submit", confirm: "yes", version: String(question.confirm.version) });
    expect(confirmed.status, await confirmed.clone().text()).toBe(302);
    const row = (await reportRow(mengla, "2025-H1"))!;
    expect(row.status).toBe("submitted");
    expect(row.ready_at).toBeNull();
    expect(await auditActions(row.id)).toEqual(["report.save", "report.save", "report.handover", "report.submit"]);
  });

  it("asks the leader to confirm an early submission before the period has ended", async () => {
    const jinghong = await unitId("yn-xsbn-jinghong");
    await logActivity("yn-xsbn-jinghong", "2027-08-20", "景洪市澜湄职业教育培训（计划）", "4.3.1", "planned");
    const item = await planItemId("4.3.1");
    const form = { intent: "submit", confirm: "yes", version: "0", item_ids: [String(item)], [`progress_${item}`]: "筹备澜湄职业教育培训。" };
    const asked = await post("xsbn_leader", jinghong, "2027-H2", form);
    expect(asked.status).toBe(200);
    const question = await jsonOf(asked);
    expect(question.error).toBe("reports.confirm.early_needed");
    expect(question.confirm).toMatchObject({ kind: "submit", early: true });
    expect((await reportRow(jinghong, "2027-H2"))?.status).toBe("draft");
    const confirmed = await post("xsbn_leader", jinghong, "2027-H2", { intent: "submit", confirm: "yes", confirm_early: "yes", version: String(question.confirm.version) });
    expect(confirmed.status).toBe(302);
    expect((await reportRow(jinghong, "2027-H2"))?.status).toBe("submitted");
  });
});

describe("review: confirmations, the comparison with the returned version, 已修改待签发 and 已通过", () => {
  it("returns and approves only once confirmed, and shows every step to the right person", async () => {
    const mengla = await unitId("yn-xsbn-mengla");
    const item = await planItemId("4.3.1");
    expect((await reportRow(mengla, "2025-H1"))?.status).toBe("submitted");

    // approve and return, unconfirmed: asked, nothing changes
    const approveAsked = await post("reviewer", mengla, "2025-H1", { intent: "approve" });
    expect(approveAsked.status).toBe(200);
    expect((await jsonOf(approveAsked)).confirm).toMatchObject({ kind: "approve" });
    const returnAsked = await post("reviewer", mengla, "2025-H1", { intent: "return", item_ids: [String(item)], reason: "", [`return_${item}`]: "请写明培训的天数和成果。" });
    expect(returnAsked.status).toBe(200);
    const question = await jsonOf(returnAsked);
    expect(question.confirm.kind).toBe("return");
    // the panel posts the reasons again
    expect(question.confirm.fields).toContainEqual([`return_${item}`, "请写明培训的天数和成果。"]);
    const before = (await reportRow(mengla, "2025-H1"))!;
    expect(before.status).toBe("submitted");
    expect(await auditActions(before.id)).not.toContain("report.approve");

    // confirmed return, with the reason on the item
    const returned = await post("reviewer", mengla, "2025-H1", Object.fromEntries([["intent", "return"], ["confirm", "yes"], ...question.confirm.fields]));
    expect(returned.status).toBe(302);
    let reporterInbox = await inboxFor(db, await sessionUser("xsbn"), todayInChina());
    expect(reporterInbox.find((i) => i.link === path(mengla, "2025-H1"))?.kind).toBe("returned");

    // 流转记录 names the item each reason is about
    const history = (await page("reviewer", mengla, "2025-H1")).history;
    const ret = history.find((h: any) => h.action === "report.return");
    expect(ret.itemReasons).toEqual([expect.objectContaining({ code: "4.3.1", reason: "请写明培训的天数和成果。", title_zh: expect.any(String) })]);

    // the reporter fixes and hands it over: the leader sees 已修改待签发, no longer "被退回…请修改后重新报送"
    let data = await page("xsbn", mengla, "2025-H1");
    const ids: number[] = data.sections.filter((s: any) => s.activities.length || s.progress).map((s: any) => s.planItemId);
    const fields: Record<string, string | string[]> = { intent: "handover", version: String(data.report.version), item_ids: ids.map(String) };
    for (const s of data.sections) if (ids.includes(s.planItemId)) fields[`progress_${s.planItemId}`] = s.progress;
    fields[`progress_${item}`] = "举办农业技术培训班一期（5天），老方学员30人，编印双语教材1册。";
    expect((await post("xsbn", mengla, "2025-H1", fields)).status).toBe(302);
    const leaderInbox = await inboxFor(db, await sessionUser("xsbn_leader"), todayInChina());
    const about = leaderInbox.filter((i) => i.link === path(mengla, "2025-H1"));
    expect(about).toHaveLength(1);
    expect(about[0]!.kind).toBe("to_submit");
    expect(about[0]!.message).toContain("已修改待签发");
    expect(about[0]!.message).not.toContain("请修改后重新报送");
    reporterInbox = await inboxFor(db, await sessionUser("xsbn"), todayInChina());
    expect(reporterInbox.filter((i) => i.link === path(mengla, "2025-H1"))).toEqual([]);

    // the leader signs off again (confirmed); the reviewer sees what changed, field by field
    data = await page("xsbn_leader", mengla, "2025-H1");
    expect(data.readyAt).not.toBeNull();
    expect((await post("xsbn_leader", mengla, "2025-H1", { intent: "submit", confirm: "yes", version: String(data.report.version) })).status).toBe(302);
    const review = await page("reviewer", mengla, "2025-H1");
    expect(review.comparison.items).toEqual([
      expect.objectContaining({
        code: "4.3.1",
        changes: [{ field: "progress", before: "举办农业技术培训班一期，老方学员30人。", after: "举办农业技术培训班一期（5天），老方学员30人，编印双语教材1册。" }],
      }),
    ]);

    // approved once confirmed; the unit is told in its inbox
    expect((await post("reviewer", mengla, "2025-H1", { intent: "approve", confirm: "yes" })).status).toBe(302);
    expect((await reportRow(mengla, "2025-H1"))?.status).toBe("approved");
    for (const name of ["xsbn", "xsbn_leader"]) {
      const approved = (await inboxFor(db, await sessionUser(name), todayInChina())).find((i) => i.kind === "approved" && i.link === path(mengla, "2025-H1"));
      expect(approved?.message, name).toContain("已通过");
    }
  });
});

describe("reminders (催报)", () => {
  it("reminds every late unit of a period in one action: a notice each in its inbox, with the due date, and an audit row each", async () => {
    const today = todayInChina();
    const late = (await listLatePeriods(db, today)).find((p) => p.code === "2025-H2")!;
    expect(late.units.length).toBeGreaterThan(1);
    const auditBefore = Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "report.remind").executeTakeFirstOrThrow()).n);

    // not a reviewer's: refused, nothing written
    expect((await call(inboxRoute.action, "/inbox", { cookie: await sessionCookieFor("xsbn"), form: { intent: "remind", period: "2025-H2" } })).status).toBe(403);
    expect((await call(inboxRoute.action, "/inbox", { cookie: await sessionCookieFor("reviewer"), form: { intent: "remind", period: "1999-H1" } })).status).toBe(404);
    // a period nobody is late for yet: nothing to remind
    expect((await call(inboxRoute.action, "/inbox", { cookie: await sessionCookieFor("reviewer"), form: { intent: "remind", period: "2027-H2" } })).status).toBe(400);
    expect(await db.selectFrom("report_reminders").selectAll().execute()).toEqual([]);

    const reminded = await call(inboxRoute.action, "/inbox", { cookie: await sessionCookieFor("reviewer"), form: { intent: "remind", period: "2025-H2" } });
    expect(reminded.status).toBe(302);
    expect(reminded.headers.get("Location")).toContain(`units=${late.units.length}`);
    const rows = await db.selectFrom("report_reminders").selectAll().execute();
    expect(rows.map((r) => r.organization_id).sort()).toEqual(late.units.map((u) => u.id).sort());
    const audit = await db.selectFrom("audit_log").select(["action", "entity_id", "changes_json"]).where("action", "=", "report.remind").execute();
    expect(audit.length - auditBefore).toBe(late.units.length);
    expect(audit.map((a) => JSON.parse(a.changes_json).organization_id).sort()).toEqual(late.units.map((u) => u.id).sort());

    // the late unit sees the reminder beside its overdue report, with the due date
    const menghai = await unitId("yn-xsbn-menghai");
    const inbox = await inboxFor(db, await sessionUser("xsbn"), today);
    const overdue = inbox.find((i) => i.kind === "overdue" && i.link === path(menghai, "2025-H2"))!;
    expect(overdue.remindedOn).toBe(today);
    expect(overdue.message).toContain("催报");
    expect(overdue.message).toContain(`截止 ${late.due_date.slice(0, 4)}年`);
    // the reviewer's list says when the period was last reminded
    const page = await jsonOf(await call(inboxRoute.loader, "/inbox", { cookie: await sessionCookieFor("reviewer") }));
    expect(page.latePeriods.find((p: any) => p.code === "2025-H2").lastRemindedAt).not.toBeNull();
  });

  it("groups a unit's overdue reports, newest first", async () => {
    const items = (await inboxFor(db, await sessionUser("xsbn"), todayInChina())).filter((i) => i.kind === "overdue");
    const dates = items.map((i) => i.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(items.every((i) => i.unitName)).toBe(true);
  });
});

describe("定期报告 for a reporter covering counties", () => {
  it("lists every reporting unit below the user's, period by period", async () => {
    const list = await jsonOf(await call(reportsIndex.loader, "/reports", { cookie: await sessionCookieFor("xsbn") }));
    const names = list.unitsBelow.map((u: any) => u.name_zh);
    expect(names).toEqual(expect.arrayContaining(["勐腊县", "景洪市", "勐海县"]));
    const mengla = await unitId("yn-xsbn-mengla");
    const h1 = list.belowPeriods.find((p: any) => p.code === "2025-H1");
    expect(h1.cells.find((c: any) => c.unitId === mengla).status).toBe("approved");
  });
});
