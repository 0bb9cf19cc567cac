// The monitoring loop on a unit's period report: draft → submit → return (with reasons) → fix → resubmit →
// approve (freezes) → reopen, through the real route actions with real sessions.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import * as reportRoute from "~/routes/reports.$unit.$period";
import * as reportsIndex from "~/routes/reports._index";
import * as editActivity from "~/routes/activities.$id.edit";
import * as newActivity from "~/routes/activities.new";
import * as deleteActivity from "~/routes/activities.$id.delete";
import * as activityDetail from "~/routes/activities.$id._index";
import { createActivity } from "~/models/activity.server";
import * as ledgerRoute from "~/routes/exports.ledger[.]xlsx";
import { REPORT_SNAPSHOT_VERSION, parseReportSnapshot } from "~/schemas/report-snapshot";
import { readReportSnapshot } from "~/services/report-workflow.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";

async function planItemId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function logActivity(unitCode: string, startDate: string, title: string, primary = "4.3.1") {
  return createActivity(
    db,
    {
      organizationId: await unitId(unitCode),
      title,
      type: "festival",
      startDate,
      endDate: startDate,
      status: "completed",
      primaryPlanItemId: await planItemId(primary),
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: "老挝万象市",
      location: "昆明",
      delegationsCount: 1,
      participantsCount: 12,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [],
    },
    null,
  );
}

const path = (unit: number, period: string) => `/reports/${unit}/${period}`;

async function page(cookie: string, unit: number, period: string) {
  const response = await call(reportRoute.loader, path(unit, period), { cookie, params: { unit: String(unit), period } });
  expect(response.status).toBe(200);
  return jsonOf(response);
}

async function post(username: string, unit: number, period: string, form: Record<string, string | string[]>) {
  const cookie = await sessionCookieFor(username);
  return call(reportRoute.action, path(unit, period), { cookie, params: { unit: String(unit), period }, form });
}

describe("a unit's period report, through the whole loop", () => {
  it("is drafted, submitted, returned with reasons, fixed, resubmitted, approved, and then frozen", async () => {
    const km = await unitId("yn-km");
    const activityId = await logActivity("yn-km", "2024-03-10", "昆明市与万象市青年交流周");
    const item = await planItemId("4.3.1");
    const reporter = await sessionCookieFor("kunming");

    // the draft gathers the unit's activities of the period, grouped by plan item
    let data = await page(reporter, km, "2024-H1");
    expect(data.report).toBeNull();
    expect(data.can).toMatchObject({ save: true, submit: false, approve: false });
    const section = data.sections.find((s: any) => s.code === "4.3.1");
    expect(section.activities.map((a: any) => a.id)).toContain(activityId);

    // the reporter saves the narratives; a reporter cannot submit
    expect((await post("kunming", km, "2024-H1", { intent: "save", version: "0", item_ids: [String(item)], [`progress_${item}`]: "举办青年交流周一次。", [`next_steps_${item}`]: "下半年举办第二届。" })).status).toBe(302);
    expect((await post("kunming", km, "2024-H1", { intent: "submit", version: "2", item_ids: [String(item)] })).status).toBe(403);

    // the leader signs off and submits
    data = await page(await sessionCookieFor("kunming_leader"), km, "2024-H1");
    expect(data.can.submit).toBe(true);
    // (the seeded 5.3 activity of the period needs its 进展情况 too: sign-off checks every item with activities)
    const other = await planItemId("5.3");
    const submit = await post("kunming_leader", km, "2024-H1", { intent: "submit", confirm: "yes", version: String(data.report.version), item_ids: [String(item), String(other)], [`progress_${other}`]: "与老挝开展经贸交流。", [`progress_${item}`]: "举办青年交流周一次。", [`next_steps_${item}`]: "下半年举办第二届。" });
    expect(submit.status, await submit.clone().text()).toBe(302);
    data = await page(reporter, km, "2024-H1");
    expect(data.report.status).toBe("submitted");
    expect(data.can.save).toBe(false);

    // the reviewer cannot return without a reason, then returns with one on the item
    expect((await post("reviewer", km, "2024-H1", { intent: "return", item_ids: [String(item)], reason: "" })).status).toBe(400);
    expect((await post("reviewer", km, "2024-H1", { intent: "return", confirm: "yes", item_ids: [String(item)], reason: "", [`return_${item}`]: "请补充参加人数和成果。" })).status).toBe(302);
    data = await page(reporter, km, "2024-H1");
    expect(data.report.status).toBe("returned");
    expect(data.sections.find((s: any) => s.code === "4.3.1").returnReason).toBe("请补充参加人数和成果。");
    expect(data.can.save).toBe(true);

    // the reporter fixes; the leader resubmits; the reasons are answered but stay in the history
    expect((await post("kunming", km, "2024-H1", { intent: "save", version: String(data.report.version), item_ids: [String(item)], [`progress_${item}`]: "举办青年交流周一次，中老青年120人参加，签署交流纪要1份。", [`next_steps_${item}`]: "下半年举办第二届。" })).status).toBe(302);
    data = await page(reporter, km, "2024-H1");
    expect((await post("kunming_leader", km, "2024-H1", { intent: "submit", confirm: "yes", version: String(data.report.version), item_ids: [String(item)], [`progress_${item}`]: "举办青年交流周一次，中老青年120人参加，签署交流纪要1份。", [`next_steps_${item}`]: "下半年举办第二届。" })).status).toBe(302);
    data = await page(reporter, km, "2024-H1");
    expect(data.report.status).toBe("submitted");
    expect(data.sections.find((s: any) => s.code === "4.3.1").returnReason).toBeNull();
    expect(data.history.map((h: any) => h.action)).toEqual(expect.arrayContaining(["report.submit", "report.return", "report.resubmit"]));

    // the reviewer approves: the report is frozen
    expect((await post("reviewer", km, "2024-H1", { intent: "approve", confirm: "yes" })).status).toBe(302);
    const approved = await page(reporter, km, "2024-H1");
    expect(approved.report.status).toBe("approved");
    expect(approved.approvedAt).not.toBeNull();

    // later edits of its activities are refused with the specific message, and nothing changes
    const edit = await call(editActivity.action, `/activities/${activityId}/edit`, {
      cookie: reporter,
      params: { id: String(activityId) },
      form: { ...(await validActivityForm("yn-km", { title: "改过的标题", start_date: "2024-03-10", end_date: "2024-03-10" })), version: "1" },
    });
    expect(edit.status).toBe(409);
    expect((await jsonOf(edit)).errors.start_date).toBe("reports.frozen");
    const editPage = await call(editActivity.loader, `/activities/${activityId}/edit`, { cookie: reporter, params: { id: String(activityId) } });
    expect(editPage.status).toBe(409);
    expect((await jsonOf(editPage)).reason).toBe("frozen");
    expect((await call(deleteActivity.action, `/activities/${activityId}/delete`, { cookie: reporter, method: "POST", params: { id: String(activityId) } })).status).toBe(409);
    // nor can a new activity be slipped into the approved period
    const slipped = await call(newActivity.action, "/activities/new", { cookie: reporter, form: await validActivityForm("yn-km", { start_date: "2024-04-01", end_date: "2024-04-02" }) });
    expect(slipped.status).toBe(409);
    const detail = await jsonOf(await call(activityDetail.loader, `/activities/${activityId}`, { cookie: reporter, params: { id: String(activityId) } }));
    expect(detail.canEdit).toBe(false);
    expect(detail.frozen.period).toBe("2024-H1");

    // even if the data moves underneath (a direct change in the database), the approved report reads as approved
    await db.updateTable("activities").set({ title: "数据库里被改动的标题" }).where("id", "=", activityId).execute();
    const again = await page(reporter, km, "2024-H1");
    expect(again.sections).toEqual(approved.sections);
    expect(again.sections.find((s: any) => s.code === "4.3.1").activities[0].title).toBe("昆明市与万象市青年交流周");

    // the reviewer can reopen it, only with a reason; it goes back to the unit as returned
    expect((await post("reviewer", km, "2024-H1", { intent: "reopen", reopen_reason: "" })).status).toBe(400);
    expect((await post("reviewer", km, "2024-H1", { intent: "reopen", reopen_reason: "数据需更正" })).status).toBe(302);
    const reopened = await page(reporter, km, "2024-H1");
    expect(reopened.report.status).toBe("returned");
    expect(reopened.report.returnReason).toBe("数据需更正");
    const audit = await db.selectFrom("audit_log").select(["action", "changes_json"]).where("entity_type", "=", "period_report").where("entity_id", "=", reopened.report.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["report.save", "report.save", "report.submit", "report.return", "report.save", "report.save", "report.resubmit", "report.approve", "report.reopen"]);
  });

  it("brings the 下一步打算 of period N into period N+1 as commitments to account for before submitting", async () => {
    const km = await unitId("yn-km");
    const item = await planItemId("4.3.2");
    await logActivity("yn-km", "2025-02-10", "昆明国际友城旅游联盟年会", "4.3.2");
    await post("kunming", km, "2025-H1", { intent: "save", version: "0", item_ids: [String(item)], [`progress_${item}`]: "召开联盟年会。", [`next_steps_${item}`]: "9月推出跨境旅游线路。" });
    const v = (await page(await sessionCookieFor("kunming"), km, "2025-H1")).report.version;
    expect((await post("kunming_leader", km, "2025-H1", { intent: "submit", confirm: "yes", version: String(v), item_ids: [String(item)], [`progress_${item}`]: "召开联盟年会。", [`next_steps_${item}`]: "9月推出跨境旅游线路。" })).status).toBe(302);

    const next = await page(await sessionCookieFor("kunming_leader"), km, "2025-H2");
    expect(next.commitments).toHaveLength(1);
    expect(next.commitments[0].nextSteps).toBe("9月推出跨境旅游线路。");
    const source = next.commitments[0].sourceItemId;
    const blocked = await post("kunming_leader", km, "2025-H2", { intent: "submit", confirm: "yes", version: "0", commitment_ids: [String(source)] });
    expect(blocked.status).toBe(400);
    expect((await jsonOf(blocked)).error).toBe("reports.errors.commitments_open");
    const v2 = (await page(await sessionCookieFor("kunming"), km, "2025-H2")).report.version;
    const ok = await post("kunming_leader", km, "2025-H2", { intent: "submit", confirm: "yes", version: String(v2), commitment_ids: [String(source)], [`outcome_${source}`]: "carried_over", [`note_${source}`]: "线路踏勘推迟至明年。" });
    expect(ok.status).toBe(302);
    const done = await page(await sessionCookieFor("reviewer"), km, "2025-H2");
    expect(done.commitments[0]).toMatchObject({ outcome: "carried_over", note: "线路踏勘推迟至明年。" });
  });

  it("refuses a stale save, HTML in narratives, a heading as an added item, and answers 404 for unknown units and periods", async () => {
    const km = await unitId("yn-km");
    const item = await planItemId("4.3.3");
    expect((await post("kunming", km, "2026-H1", { intent: "save", version: "0", extra_item: String(item), progress_extra: "高校交流。" })).status).toBe(302);
    const stale = await post("kunming", km, "2026-H1", { intent: "save", version: "0", item_ids: [String(item)], [`progress_${item}`]: "旧版本" });
    expect(stale.status).toBe(409);
    expect((await jsonOf(stale)).error).toBe("reports.errors.stale");
    const html = await post("kunming", km, "2026-H1", { intent: "save", version: "2", item_ids: [String(item)], [`progress_${item}`]: "<script>x</script>" });
    expect(html.status).toBe(400);
    expect((await jsonOf(html)).errors[`progress_${item}`]).toBe("errors.html");
    const heading = await post("kunming", km, "2026-H1", { intent: "save", version: "2", extra_item: String(await planItemId("4.3")), progress_extra: "x" });
    expect(heading.status).toBe(400);
    const cookie = await sessionCookieFor("kunming");
    expect((await call(reportRoute.loader, "/reports/999999/2024-H1", { cookie, params: { unit: "999999", period: "2024-H1" } })).status).toBe(404);
    expect((await call(reportRoute.loader, `/reports/${km}/1999-H1`, { cookie, params: { unit: String(km), period: "1999-H1" } })).status).toBe(404);
    expect((await call(reportRoute.loader, `/reports/abc/x`, { cookie, params: { unit: "abc", period: "x" } })).status).toBe(404);
  });

  it("shows the seeded, approved 2023年上半年 report of 西双版纳州 as approved and frozen", async () => {
    const xsbn = await unitId("yn-xsbn");
    const data = await page(await sessionCookieFor("official"), xsbn, "2023-H1");
    expect(data.report.status).toBe("approved");
    expect(data.late).toBe(false);
    expect(data.sections.find((s: any) => s.code === "5.4").progress).toContain("10批47人次");
    const list = await jsonOf(await call(reportsIndex.loader, "/reports", { cookie: await sessionCookieFor("xsbn") }));
    expect(list.periods.find((p: any) => p.code === "2023-H1").status).toBe("approved");
  });
});

describe("the snapshot an approval freezes", () => {
  async function xsbnReport() {
    const xsbn = await unitId("yn-xsbn");
    const period = await db.selectFrom("reporting_periods").select("id").where("code", "=", "2023-H1").executeTakeFirstOrThrow();
    return db.selectFrom("period_reports").select("id").where("organization_id", "=", xsbn).where("period_id", "=", period.id).executeTakeFirstOrThrow();
  }

  /** Every cell of every sheet of the unit's approved 工作台账, as values. */
  async function ledgerCells() {
    const response = await call(ledgerRoute.loader, `/exports/ledger.xlsx?unit=${await unitId("yn-xsbn")}&period=2023-H1`, { cookie: await sessionCookieFor("official") });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    return workbook.worksheets.map((sheet) => {
      const rows: unknown[] = [];
      sheet.eachRow((row) => rows.push(row.values));
      return rows;
    });
  }

  it("is written by today's code in the versioned format, with outcome, funding source and evidence", async () => {
    const report = await xsbnReport();
    const stored = await db.selectFrom("report_snapshots").select("snapshot_json").where("report_id", "=", report.id).orderBy("id", "desc").executeTakeFirstOrThrow();
    const raw = JSON.parse(stored.snapshot_json);
    expect(raw.version).toBe(REPORT_SNAPSHOT_VERSION);
    const snapshot = (await readReportSnapshot(db, report.id))!;
    expect(snapshot.complete).toBe(true);
    expect(snapshot.approvedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(snapshot.activities.length).toBeGreaterThanOrEqual(14);
    const house = snapshot.activities.find((a) => a.title === "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）")!;
    expect(house.outcome).toBe("向缅四特区曼回村民小组援建价值人民币30万元公用社房1幢。");
    expect(house).toHaveProperty("funding_source");
    expect(Array.isArray(house.evidence)).toBe(true);
    // exactly the schema's fields: a column the activity query gains does not slip into the stored format
    expect(Object.keys(raw.activities[0]).sort()).toEqual(Object.keys(house).sort());
    // a stored snapshot that fits no version is refused, never read unchecked
    expect(() => parseReportSnapshot({ version: 99, items: [], commitments: [], activities: [] })).toThrow();
    expect(() => parseReportSnapshot({ version: 2, items: [], commitments: [], activities: [{ id: "x" }] })).toThrow();
  });

  it("keeps every approved export as it was when the live rows change after approval", async () => {
    const before = await ledgerCells();
    const house = await db.selectFrom("activities").select("id").where("title", "=", "向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）").executeTakeFirstOrThrow();
    // a direct change underneath the approved report: every field an export shows
    await db
      .updateTable("activities")
      .set({ title: "改动", outcome: "改动的成果", funding_source: "改动的来源", funding_cny_fen: 1, participants_count: 999, counterpart_body: "改动的机构", location: "改动的地点", status: "planned" })
      .where("id", "=", house.id)
      .execute();
    await db.insertInto("activity_evidence").values({ activity_id: house.id, url: "https://example.org/after-approval", label: "审核后补充", sort_order: 9 }).execute();
    await db.deleteFrom("activity_countries").where("activity_id", "=", house.id).execute();
    expect(await ledgerCells()).toEqual(before);
  });

  it("reads a snapshot stored before the format had a version", async () => {
    const report = await xsbnReport();
    const current = (await readReportSnapshot(db, report.id))!;
    // the old shape: the report query's rows as they were, no version, no outcome, funding source nor evidence
    const old = {
      items: current.items,
      commitments: current.commitments,
      activities: current.activities.map(({ outcome: _o, funding_source: _f, evidence: _e, ...rest }) => rest),
    };
    expect(JSON.stringify(old)).not.toContain('"version"');
    const approver = await db.selectFrom("users").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow();
    await db.insertInto("report_snapshots").values({ report_id: report.id, approved_at: new Date().toISOString(), approved_by: approver.id, snapshot_json: JSON.stringify(old) }).execute();

    const read = (await readReportSnapshot(db, report.id))!;
    expect(read.version).toBe(REPORT_SNAPSHOT_VERSION);
    expect(read.complete).toBe(false);
    expect(read.activities.map((a) => a.title)).toEqual(current.activities.map((a) => a.title));
    expect(read.activities.every((a) => a.outcome === "" && a.evidence.length === 0)).toBe(true);
    expect(read.items).toEqual(current.items);
    // and the approved ledger still comes from it
    const sheets = await ledgerCells();
    expect(JSON.stringify(sheets[0])).toContain("向缅甸第四特区曼回村民小组援建公用社房1幢（30万元）");
  });
});
