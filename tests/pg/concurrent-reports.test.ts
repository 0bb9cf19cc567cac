// A unit's period report changed from two places at the same moment (two tabs, two colleagues, two instances):
// on PostgreSQL the requests really run at once, and still only one of two saves from the same version wins,
// and a report is approved (and frozen into one snapshot) once.
import { describe, expect, it } from "vitest";
import * as reportRoute from "~/routes/reports.$unit.$period";
import { db } from "~/utils/db.server";
import { call, sessionCookieFor, unitId } from "../helpers";

async function post(username: string, unit: number, period: string, form: Record<string, string | string[]>) {
  const cookie = await sessionCookieFor(username);
  return call(reportRoute.action, `/reports/${unit}/${period}`, { cookie, params: { unit: String(unit), period }, form });
}

async function reportOf(unit: number, code: string) {
  return db
    .selectFrom("period_reports as r")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .select(["r.id", "r.status", "r.version"])
    .where("r.organization_id", "=", unit)
    .where("p.code", "=", code)
    .execute();
}

describe("a period report changed twice at the same moment", () => {
  it("keeps one of two saves made from the same version and refuses the other as stale", async () => {
    const km = await unitId("yn-km");
    const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.1").executeTakeFirstOrThrow()).id;
    const save = (text: string) =>
      post("kunming", km, "2024-H1", { intent: "save", version: "0", item_ids: [String(item)], [`progress_${item}`]: text });
    const responses = await Promise.all([save("第一份"), save("第二份"), save("第三份")]);
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409, 409]);
    const reports = await reportOf(km, "2024-H1");
    expect(reports).toHaveLength(1);
    expect(reports[0]!.version).toBe(2);
    const saves = await db.selectFrom("audit_log").select("id").where("action", "=", "report.save").where("entity_id", "=", reports[0]!.id).execute();
    expect(saves).toHaveLength(1);
  });

  it("approves a submitted report once, with one snapshot", async () => {
    const km = await unitId("yn-km");
    const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.1").executeTakeFirstOrThrow()).id;
    expect((await post("kunming_leader", km, "2024-H2", { intent: "submit", confirm: "yes", version: "0", item_ids: [String(item)], [`progress_${item}`]: "完成。" })).status).toBe(302);
    const approve = () => post("reviewer", km, "2024-H2", { intent: "approve", confirm: "yes", item_ids: [String(item)] });
    const responses = await Promise.all([approve(), approve()]);
    expect(responses.map((r) => r.status).sort()).toEqual([302, 409]);
    const [report] = await reportOf(km, "2024-H2");
    expect(report!.status).toBe("approved");
    const snapshots = await db.selectFrom("report_snapshots").select("id").where("report_id", "=", report!.id).execute();
    expect(snapshots).toHaveLength(1);
  });
});
