// The list's keyset pages and the batched reader of "every row": in the list's order for every sort (ties on the
// sorted column included), never cut short — a report reads all 2,600 of its period's activities, more than a
// batch — and equal to the offset pages the list page shows.
import { beforeAll, describe, expect, it } from "vitest";
import { type ActivityInput, LIST_READ_BATCH, activityBatches, listActivities, listActivitiesAfter, listAllActivities } from "~/models/activity.server";
import { insertActivitiesBatch } from "~/models/activity-batch.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { ACTIVITY_SORTS } from "~/schemas/activity-filter";
import { reportActivities } from "~/services/report-workflow.server";
import { db } from "~/utils/db.server";

const MANY = 2_600;
let unit: { id: number; path: string; name_zh: string; name_en: string };

beforeAll(async () => {
  unit = await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", "yn-pe").executeTakeFirstOrThrow();
  const item = await db.selectFrom("plan_items").select("id").where("loggable", "=", 1).executeTakeFirstOrThrow();
  const inputs: ActivityInput[] = Array.from({ length: MANY }, (_, i) => ({
    organizationId: unit.id,
    title: `批量活动 ${i % 97}`,
    type: "meeting",
    // 40 activities a day: the sorted column ties everywhere, and the id decides
    startDate: `2025-01-${String(1 + Math.floor(i / 100)).padStart(2, "0")}`,
    endDate: "2025-02-01",
    status: i % 5 === 0 ? "planned" : "completed",
    primaryPlanItemId: item.id,
    otherPlanItemIds: [],
    countries: i % 2 ? ["LA"] : [],
    counterpartBody: "",
    location: "",
    delegationsCount: null,
    participantsCount: i % 3 ? i % 7 : null,
    fundingCnyFen: i % 4 ? (i % 11) * 10_000 : null,
    fundingSource: "",
    outcome: "",
    evidence: [],
  }));
  await db.transaction().execute((trx) => insertActivitiesBatch(trx, inputs.map((input) => ({ input, fingerprint: null })), null, { action: "activity.create" }));
}, 60_000);

describe("the list read a page after another, and every row of it", () => {
  it("gives the offset pages' rows in the same order for every sort", async () => {
    const filter = { organizationPath: unit.path };
    for (const sort of ACTIVITY_SORTS) {
      const offsetIds: number[] = [];
      for (let page = 1; page <= 4; page++) offsetIds.push(...(await listActivities(db, filter, { sort, page, pageSize: 50 })).rows.map((r) => r.id));
      const keysetIds: number[] = [];
      let afterId: number | undefined;
      for (let page = 1; page <= 4; page++) {
        const rows = await listActivitiesAfter(db, filter, { sort, afterId, pageSize: 50 });
        keysetIds.push(...rows.map((r) => r.id));
        afterId = rows.at(-1)?.id;
      }
      expect([sort, keysetIds]).toEqual([sort, offsetIds]);
    }
  });

  it("reads every row in batches, however many, in the list's order", async () => {
    const batches: number[] = [];
    const ids: number[] = [];
    for await (const batch of activityBatches(db, { organizationPath: unit.path }, "start_asc")) {
      batches.push(batch.length);
      ids.push(...batch.map((r) => r.id));
    }
    expect(ids.length).toBeGreaterThanOrEqual(MANY);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.max(...batches)).toBeLessThanOrEqual(LIST_READ_BATCH);
    const all = await listAllActivities(db, { organizationPath: unit.path }, "start_asc");
    expect(all.map((r) => r.id)).toEqual(ids);
    expect(all.filter((r) => r.title.startsWith("批量活动")).every((r) => r.planItems.length === 1 && r.planItems[0]!.primary)).toBe(true);
    expect(all.filter((r) => r.countries.includes("LA")).length).toBeGreaterThanOrEqual(MANY / 2);
  });

  it("gives a report every activity of its period", async () => {
    const period = (await getPeriodByCode(db, "2025-H1"))!;
    const rows = await reportActivities(db, unit, period);
    expect(rows.filter((r) => r.title.startsWith("批量活动")).length).toBe(MANY);
  });
});
