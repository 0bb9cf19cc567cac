// Seeds the plan's indicators (see seeds/data/indicators.ts). Idempotent: found by code, inserted with their
// period targets only when missing; an indicator that exists is left exactly as an administrator left it.
import type { DB } from "~/utils/db.server";
import { createIndicator } from "~/models/indicator.server";
import { defaultCounting } from "~/schemas/indicator-counting";
import { indicatorSeeds } from "./data/indicators";

export async function seedIndicators(db: DB): Promise<void> {
  const existing = new Set((await db.selectFrom("indicators").select("code").execute()).map((r) => r.code));
  const planIds = new Map(
    (await db.selectFrom("plan_items").select(["id", "code", "loggable"]).execute()).map((r) => [r.code, r]),
  );
  const periodIds = new Map((await db.selectFrom("reporting_periods").select(["id", "code"]).execute()).map((r) => [r.code, r.id]));
  for (const seed of indicatorSeeds) {
    if (existing.has(seed.code)) continue;
    const item = planIds.get(seed.planCode);
    if (!item || item.loggable !== 1) throw new Error(`indicator ${seed.code}: plan item ${seed.planCode} missing or not loggable`);
    await createIndicator(
      db,
      {
        code: seed.code,
        planItemId: item.id,
        nameZh: seed.nameZh,
        nameEn: seed.nameEn,
        unit: seed.unit,
        baselineValue: seed.baselineValue,
        baselineYear: seed.baselineYear,
        targetValue: seed.targetValue,
        direction: seed.direction,
        measure: seed.measure,
        source: seed.source,
        computation: seed.computation,
        counting: defaultCounting({ types: seed.activityTypes }),
        // targets of periods that do not exist (yet) are skipped rather than failing the seed
        periodTargets: Object.entries(seed.periodTargets)
          .filter(([code]) => periodIds.has(code))
          .map(([code, targetValue]) => ({ periodId: periodIds.get(code)!, targetValue })),
      },
      null,
      { action: "indicator.seed" },
    );
  }
}
