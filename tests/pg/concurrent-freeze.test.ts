// An activity saved at the very moment its unit's report is approved: on PostgreSQL the two really run at once
// (here, on two connections of the pool). The edit must either land before the approval's snapshot (and be in
// it) or be refused as frozen; never saved after the snapshot, where the approved report would no longer match.
import { describe, expect, it } from "vitest";
import * as editRoute from "~/routes/activities.$id.edit";
import * as newRoute from "~/routes/activities.new";
import * as reportRoute from "~/routes/reports.$unit.$period";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";

const ROUNDS: [period: string, date: string][] = [
  ["2024-H1", "2024-03-05"],
  ["2024-H2", "2024-09-05"],
  ["2025-H1", "2025-03-05"],
  ["2025-H2", "2025-09-05"],
];

describe("an activity edited while its report is approved", () => {
  it("is in the approved snapshot or refused, never saved after it", async () => {
    const km = await unitId("yn-km");
    const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.1").executeTakeFirstOrThrow()).id;
    const outcomes: number[] = [];
    for (const [period, date] of ROUNDS) {
      const created = await call(newRoute.action, "/activities/new", {
        cookie: await sessionCookieFor("kunming"),
        form: await validActivityForm("yn-km", { title: `昆明市${period}交流活动`, start_date: date, end_date: date }),
      });
      expect(created.status).toBe(302);
      const id = Number(created.headers.get("Location")!.match(/\/activities\/(\d+)/)![1]);
      // sign-off needs the 进展情况 of every plan item with activities in the period (the seeded ones too)
      const draft = await jsonOf(await call(reportRoute.loader, `/reports/${km}/${period}`, { cookie: await sessionCookieFor("kunming_leader"), params: { unit: String(km), period } }));
      const ids: string[] = [...new Set([String(item), ...draft.sections.filter((s: any) => s.activities.length).map((s: any) => String(s.planItemId))])];
      const submitted = await call(reportRoute.action, `/reports/${km}/${period}`, {
        cookie: await sessionCookieFor("kunming_leader"),
        params: { unit: String(km), period },
        form: { intent: "submit", confirm: "yes", version: "0", item_ids: ids, ...Object.fromEntries(ids.map((id) => [`progress_${id}`, "完成。"])) },
      });
      expect(submitted.status).toBe(302);

      const editedTitle = `昆明市${period}交流活动（修改）`;
      const [edit, approve] = await Promise.all([
        call(editRoute.action, `/activities/${id}/edit`, {
          cookie: await sessionCookieFor("kunming"),
          params: { id: String(id) },
          form: { ...(await validActivityForm("yn-km", { title: editedTitle, start_date: date, end_date: date })), version: "1" },
        }),
        call(reportRoute.action, `/reports/${km}/${period}`, {
          cookie: await sessionCookieFor("reviewer"),
          params: { unit: String(km), period },
          form: { intent: "approve", confirm: "yes", item_ids: [String(item)] },
        }),
      ]);
      expect(approve.status).toBe(302);
      expect([302, 409]).toContain(edit.status);
      outcomes.push(edit.status);

      const activity = await db.selectFrom("activities").select(["title", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
      const snapshot = await db
        .selectFrom("report_snapshots as s")
        .innerJoin("period_reports as r", "r.id", "s.report_id")
        .innerJoin("reporting_periods as p", "p.id", "r.period_id")
        .select("s.snapshot_json")
        .where("r.organization_id", "=", km)
        .where("p.code", "=", period)
        .executeTakeFirstOrThrow();
      const frozen = (JSON.parse(snapshot.snapshot_json).activities as { id: number; title: string }[]).find((a) => a.id === id);
      // what the approved report shows is what the ledger holds
      expect(frozen?.title).toBe(activity.title);
      expect(activity.title).toBe(edit.status === 302 ? editedTitle : `昆明市${period}交流活动`);
    }
    console.log(`edit during approval: ${outcomes.map((s) => (s === 302 ? "saved before" : "refused")).join(", ")}`);
  });
});
