// Every write of the monitoring loop × every role × own unit / another unit: refused ones get 403 and change
// nothing.
//
// authz-covers: reports.$unit.$period.tsx
// authz-covers: evaluation.$period.tsx
// authz-covers: admin.periods.tsx
import { describe, expect, it } from "vitest";
import * as reportRoute from "~/routes/reports.$unit.$period";
import * as evaluation from "~/routes/evaluation.$period";
import * as periods from "~/routes/admin.periods";
import { getUserById } from "~/models/user.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { approveReport, saveReport, submitReport } from "~/services/report-workflow.server";
import { db } from "~/utils/db.server";
import { call, sessionCookieFor, unitId } from "../helpers";

const ACTORS = ["xsbn", "xsbn_leader", "kunming", "kunming_leader", "reviewer", "official", "admin"] as const;
const PERIOD = "2026-H2";

async function user(username: string) {
  const row = await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
  return (await getUserById(db, row.id))!;
}

/** Puts 昆明市's report for PERIOD into the given state, from scratch. */
async function prepare(state: "none" | "draft" | "submitted" | "approved") {
  const unit = (await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", "yn-km").executeTakeFirstOrThrow());
  const period = (await getPeriodByCode(db, PERIOD))!;
  const existing = await db.selectFrom("period_reports").select("id").where("organization_id", "=", unit.id).where("period_id", "=", period.id).execute();
  for (const r of existing) {
    await db.deleteFrom("report_items").where("report_id", "=", r.id).execute();
    await db.deleteFrom("report_commitments").where("report_id", "=", r.id).execute();
    await db.deleteFrom("report_snapshots").where("report_id", "=", r.id).execute();
    await db.deleteFrom("period_reports").where("id", "=", r.id).execute();
  }
  if (state === "none") return;
  const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.2").executeTakeFirstOrThrow()).id;
  await saveReport(db, await user("kunming"), unit, period, { version: 0, items: [{ planItemId: item, progress: "进展", problems: "", nextSteps: "", coordination: "" }], commitments: [] });
  if (state === "draft") return;
  await submitReport(db, await user("kunming_leader"), unit, period);
  if (state === "submitted") return;
  await approveReport(db, await user("reviewer"), unit, period);
}

async function state() {
  const reports = await db.selectFrom("period_reports").selectAll().orderBy("id").execute();
  const items = await db.selectFrom("report_items").selectAll().orderBy("id").execute();
  const ratings = await db.selectFrom("plan_item_ratings").selectAll().orderBy("id").execute();
  const periodsRows = await db.selectFrom("reporting_periods").selectAll().orderBy("id").execute();
  const audit = Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { reports, items, ratings, periodsRows, audit };
}

const INTENTS = {
  save: { state: "draft", allowed: ["kunming", "kunming_leader"] },
  handover: { state: "draft", allowed: ["kunming"] },
  submit: { state: "draft", allowed: ["kunming_leader"] },
  return: { state: "submitted", allowed: ["reviewer"] },
  approve: { state: "submitted", allowed: ["reviewer"] },
  reopen: { state: "approved", allowed: ["reviewer"] },
} as const;

describe("authorization of the report workflow", () => {
  for (const [intent, rule] of Object.entries(INTENTS)) {
    for (const actor of ACTORS) {
      const allowed = (rule.allowed as readonly string[]).includes(actor);
      it(`reports: ${intent} on 昆明市's report by ${actor} → ${allowed ? "done" : "403, nothing changed"}`, async () => {
        await prepare(rule.state);
        const km = await unitId("yn-km");
        const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.2").executeTakeFirstOrThrow()).id;
        const report = await db.selectFrom("period_reports").select("version").where("organization_id", "=", km).executeTakeFirst();
        const before = await state();
        const response = await call(reportRoute.action, `/reports/${km}/${PERIOD}`, {
          cookie: await sessionCookieFor(actor),
          params: { unit: String(km), period: PERIOD },
          form: {
            intent,
            version: String(report?.version ?? 0),
            item_ids: [String(item)],
            [`progress_${item}`]: "进展（修改）",
            reason: "请补充",
            reopen_reason: "需更正",
            confirm: "yes",
            confirm_early: "yes",
          },
        });
        if (allowed) {
          expect(response.status, await response.clone().text()).toBe(302);
          expect(await state()).not.toEqual(before);
        } else {
          expect(response.status).toBe(403);
          expect(await state()).toEqual(before);
        }
      });
    }
  }

  it("reports: an intent named after an Object property (constructor, __proto__, toString) → 400, nothing changed", async () => {
    await prepare("approved");
    const km = await unitId("yn-km");
    for (const intent of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const before = await state();
      const response = await call(reportRoute.action, `/reports/${km}/${PERIOD}`, {
        cookie: await sessionCookieFor("reviewer"),
        params: { unit: String(km), period: PERIOD },
        form: { intent, reopen_reason: "借道重新打开" },
      });
      expect(response.status, intent).toBe(400);
      expect(await state()).toEqual(before);
    }
  });

  it("reports: a cross-site post with the leader's valid session → 403, nothing changed", async () => {
    await prepare("draft");
    const km = await unitId("yn-km");
    const before = await state();
    const response = await call(reportRoute.action, `/reports/${km}/${PERIOD}`, {
      cookie: await sessionCookieFor("kunming_leader"),
      params: { unit: String(km), period: PERIOD },
      form: { intent: "submit", version: "2" },
      origin: "https://evil.example",
    });
    expect(response.status).toBe(403);
    expect(await state()).toEqual(before);
  });

  for (const actor of ACTORS) {
    const allowed = actor === "reviewer";
    it(`evaluation: rating a plan item by ${actor} → ${allowed ? "saved" : "403, nothing changed"}`, async () => {
      const item = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.1").executeTakeFirstOrThrow()).id;
      const before = await state();
      const response = await call(evaluation.action, "/evaluation/2024-H1", {
        cookie: await sessionCookieFor(actor),
        params: { period: "2024-H1" },
        form: { plan_item_id: String(item), rating: "red", comment: `评估意见 ${actor}`, override_reason: "与建议不同的理由" },
      });
      if (allowed) {
        expect(response.status, await response.clone().text()).toBe(302);
        expect(await state()).not.toEqual(before);
      } else {
        expect(response.status).toBe(403);
        expect(await state()).toEqual(before);
      }
    });

    const admin = actor === "admin";
    it(`periods: closing a period by ${actor} → ${admin ? "closed" : "403, nothing changed"}`, async () => {
      const period = (await getPeriodByCode(db, "2027-H2"))!;
      await db.updateTable("reporting_periods").set({ closed_at: null }).where("id", "=", period.id).execute();
      const before = await state();
      const response = await call(periods.action, "/admin/periods", {
        cookie: await sessionCookieFor(actor),
        form: { intent: "close", period_id: String(period.id), reason: "测试关闭" },
      });
      if (admin) {
        expect(response.status).toBe(302);
        expect(await state()).not.toEqual(before);
      } else {
        expect(response.status).toBe(403);
        expect(await state()).toEqual(before);
      }
    });
  }
});
