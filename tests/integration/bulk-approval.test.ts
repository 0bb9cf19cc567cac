// Approving several submitted reports from the monitoring matrix with one confirmation, through the real routes
// with real sessions: the confirmation is the server's to check, each report goes through the one approval (its
// snapshot, the freeze, the audit line), and one report that cannot be approved approves none.
// authz-covers: monitoring.approve.tsx
import { describe, expect, it } from "vitest";
import * as approveRoute from "~/routes/monitoring.approve";
import * as monitoringRoute from "~/routes/monitoring._index";
import * as newActivity from "~/routes/activities.new";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";

async function periodId(code: string) {
  return (await db.selectFrom("reporting_periods").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

/** A report of the unit for the period, in the state "submitted" (as after its leader's sign-off). */
async function submittedReport(unitCode: string, period: string): Promise<{ unit: number; cell: string }> {
  const unit = await unitId(unitCode);
  const pid = await periodId(period);
  const now = new Date().toISOString();
  await db.deleteFrom("period_reports").where("organization_id", "=", unit).where("period_id", "=", pid).execute();
  await db
    .insertInto("period_reports")
    .values({
      organization_id: unit,
      period_id: pid,
      status: "submitted",
      version: 3,
      first_submitted_at: now,
      submitted_at: now,
      submitted_by: null,
      reviewed_at: null,
      reviewed_by: null,
      return_reason: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { unit, cell: `${unit}:${period}` };
}

async function statusOf(cell: string) {
  const [unit, period] = cell.split(":");
  const row = await db
    .selectFrom("period_reports")
    .select(["id", "status", "version"])
    .where("organization_id", "=", Number(unit))
    .where("period_id", "=", await periodId(period!))
    .executeTakeFirstOrThrow();
  const snapshots = await db.selectFrom("report_snapshots").select("id").where("report_id", "=", row.id).execute();
  const audits = await db
    .selectFrom("audit_log")
    .select("id")
    .where("entity_type", "=", "period_report")
    .where("entity_id", "=", row.id)
    .where("action", "=", "report.approve")
    .execute();
  return { status: row.status, snapshots: snapshots.length, audits: audits.length };
}

async function confirmationOf(username: string, cells: string[]) {
  const query = new URLSearchParams(cells.map((c) => ["report", c]));
  query.set("back", "/monitoring?kind=half&year=2026");
  return call(approveRoute.loader, `/monitoring/approve?${query}`, { cookie: await sessionCookieFor(username) });
}

async function approve(username: string, form: Record<string, string | string[]>) {
  return call(approveRoute.action, "/monitoring/approve", { cookie: await sessionCookieFor(username), form });
}

describe("approving several reports from the monitoring matrix", () => {
  it("offers the reviewer a checkbox per submitted cell, lists the choice once, and approves all with one confirmation", async () => {
    const xsbn = await submittedReport("yn-xsbn", "2026-H1");
    const km = await submittedReport("yn-km", "2026-H1");

    const matrix = await jsonOf(await call(monitoringRoute.loader, "/monitoring?kind=half&year=2026", { cookie: await sessionCookieFor("reviewer") }));
    expect(matrix.canApprove).toBe(true);
    expect(matrix.submitted).toBeGreaterThanOrEqual(2);
    // an official sees the matrix, without the approval
    const asOfficial = await jsonOf(await call(monitoringRoute.loader, "/monitoring?kind=half&year=2026", { cookie: await sessionCookieFor("official") }));
    expect(asOfficial.canApprove).toBe(false);

    const page = await confirmationOf("reviewer", [xsbn.cell, km.cell]);
    expect(page.status).toBe(200);
    const { reports, back } = await jsonOf(page);
    expect(back).toBe("/monitoring?kind=half&year=2026");
    expect(reports.map((r: { value: string; approvable: boolean }) => [r.value, r.approvable])).toEqual([
      [`${xsbn.cell}:3`, true],
      [`${km.cell}:3`, true],
    ]);

    // without the confirmation the server approves nothing, whatever the client sent
    const unconfirmed = await approve("reviewer", { report: [`${xsbn.cell}:3`, `${km.cell}:3`], count: "2" });
    expect(unconfirmed.status).toBe(400);
    expect((await jsonOf(unconfirmed)).error).toBe("bulk.approve.errors.confirm");
    const miscounted = await approve("reviewer", { report: [`${xsbn.cell}:3`, `${km.cell}:3`], count: "1", confirm: "yes" });
    expect(miscounted.status).toBe(400);
    expect((await statusOf(xsbn.cell)).status).toBe("submitted");

    const done = await approve("reviewer", { report: [`${xsbn.cell}:3`, `${km.cell}:3`], count: "2", confirm: "yes", back });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/monitoring?kind=half&year=2026&notice=bulk_approved&approved=2");
    for (const cell of [xsbn.cell, km.cell]) {
      expect(await statusOf(cell)).toEqual({ status: "approved", snapshots: 1, audits: 1 });
    }

    // approval froze the period, exactly as a single approval does
    const frozen = await call(newActivity.action, "/activities/new", {
      cookie: await sessionCookieFor("xsbn"),
      form: await validActivityForm("yn-xsbn", { title: "批量通过后补登的活动", start_date: "2026-03-02", end_date: "2026-03-02" }),
    });
    expect(frozen.status).toBe(409);
  });

  it("refuses users who may not review, and they change nothing", async () => {
    const xsbn = await submittedReport("yn-xsbn", "2026-H2");
    for (const username of ["xsbn", "xsbn_leader", "official", "admin"]) {
      expect((await confirmationOf(username, [xsbn.cell])).status).toBe(403);
      const refused = await approve(username, { report: [`${xsbn.cell}:3`], count: "1", confirm: "yes" });
      expect(refused.status).toBe(403);
    }
    expect(await statusOf(xsbn.cell)).toEqual({ status: "submitted", snapshots: 0, audits: 0 });
  });

  it("approves none when one report changed after the reviewer confirmed, or is not awaiting review", async () => {
    const xsbn = await submittedReport("yn-xsbn", "2027-H1");
    const km = await submittedReport("yn-km", "2027-H1");
    // meanwhile another reviewer returned 昆明's report: its version moved on
    await db
      .updateTable("period_reports")
      .set({ status: "returned", version: 4, return_reason: "请补充数据" })
      .where("organization_id", "=", km.unit)
      .where("period_id", "=", await periodId("2027-H1"))
      .execute();
    const stale = await approve("reviewer", { report: [`${xsbn.cell}:3`, `${km.cell}:3`], count: "2", confirm: "yes" });
    expect(stale.status).toBe(409);
    expect((await jsonOf(stale)).error).toBe("bulk.approve.errors.stale");
    expect(await statusOf(xsbn.cell)).toEqual({ status: "submitted", snapshots: 0, audits: 0 });

    // posting the returned report's current version does not pass either: it is not awaiting review
    const returned = await approve("reviewer", { report: [`${xsbn.cell}:3`, `${km.cell}:4`], count: "2", confirm: "yes" });
    expect(returned.status).toBe(409);
    expect((await jsonOf(returned)).error).toBe("bulk.approve.errors.not_submitted");
    expect(await statusOf(xsbn.cell)).toEqual({ status: "submitted", snapshots: 0, audits: 0 });
    expect((await statusOf(km.cell)).status).toBe("returned");

    // the confirmation page shows which one is left out
    const { reports } = await jsonOf(await confirmationOf("reviewer", [xsbn.cell, km.cell]));
    expect(reports.map((r: { approvable: boolean }) => r.approvable)).toEqual([true, false]);
  });

  it("answers hostile selections with 400 or 404, never a 500", async () => {
    for (const cells of [["abc"], ["1:2026-H1", "1:2026-H1"], ["1:2026-H1:x"], Array.from({ length: 201 }, (_, i) => `${i + 1}:2026-H1`)]) {
      expect((await confirmationOf("reviewer", cells)).status).toBe(400);
      expect((await approve("reviewer", { report: cells, count: String(cells.length), confirm: "yes" })).status).toBe(400);
    }
    expect((await confirmationOf("reviewer", ["999999:2026-H1"])).status).toBe(404);
    expect((await confirmationOf("reviewer", [`${await unitId("yn-xsbn")}:1999-H1`])).status).toBe(404);
    expect((await approve("reviewer", { report: ["999999:2026-H1:3"], count: "1", confirm: "yes" })).status).toBe(404);
    expect((await approve("reviewer", { count: "0", confirm: "yes" })).status).toBe(400);
  });
});
