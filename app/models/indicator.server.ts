// Indicators of the plan's items: their definitions, per-period targets and the values units enter. Progress
// (actuals and %) is computed in app/services/indicator-progress.server.ts.
import type { DB } from "~/utils/db.server";
import { type IndicatorCounting, defaultCounting, parseCounting } from "~/schemas/indicator-counting";
import type { IndicatorTable } from "../../db/schema";
import { diffFields, writeAudit } from "./audit-log.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";

export interface IndicatorInput {
  code: string;
  planItemId: number;
  nameZh: string;
  nameEn: string;
  unit: string;
  baselineValue: number;
  baselineYear: number;
  /** the target for the whole plan period: entered on its own, never the sum of the period targets */
  targetValue: number;
  direction: IndicatorTable["direction"];
  measure: IndicatorTable["measure"];
  source: IndicatorTable["source"];
  /** the measure of a computed indicator (count, sum_participants, sum_delegations, sum_funding) */
  computation: string | null;
  /** which activities a computed indicator counts; omitted: every activity of the unit completed or under way */
  counting?: IndicatorCounting;
  /** targets for the periods shown in the form: a number sets it, null removes it; other periods are kept */
  periodTargets: { periodId: number; targetValue: number | null }[];
}

const indicatorColumns = [
  "i.id",
  "i.code",
  "i.plan_item_id",
  "i.name_zh",
  "i.name_en",
  "i.unit",
  "i.baseline_value",
  "i.baseline_year",
  "i.target_value",
  "i.direction",
  "i.measure",
  "i.source",
  "i.computation",
  "i.counting_json",
  "i.created_at",
  "pi.code as plan_item_code",
  "pi.path as plan_item_path",
  "pi.title_zh as plan_item_title_zh",
  "pi.title_en as plan_item_title_en",
] as const;

function selectIndicators(db: DB) {
  return db.selectFrom("indicators as i").innerJoin("plan_items as pi", "pi.id", "i.plan_item_id").select(indicatorColumns);
}

type StoredIndicator = Awaited<ReturnType<ReturnType<typeof selectIndicators>["execute"]>>[number];

/** An indicator as the app reads it: its counting definition parsed from the stored, versioned JSON. */
export type IndicatorRow = Omit<StoredIndicator, "counting_json"> & { counting: IndicatorCounting };

function withCounting({ counting_json, ...row }: StoredIndicator): IndicatorRow {
  return { ...row, counting: counting_json ? parseCounting(counting_json) : defaultCounting() };
}

/** Indicators in plan order; with `planPath`, only those of that plan node and its descendants. */
export async function listIndicators(db: DB, filter: { planPath?: string } = {}): Promise<IndicatorRow[]> {
  let query = selectIndicators(db);
  if (filter.planPath) query = query.where("pi.path", "like", `${filter.planPath}%`);
  return (await query.orderBy("pi.sort_order").orderBy("i.id").execute()).map(withCounting);
}

export async function getIndicator(db: DB, id: number): Promise<IndicatorRow | undefined> {
  const row = await selectIndicators(db).where("i.id", "=", id).executeTakeFirst();
  return row && withCounting(row);
}

export async function getIndicatorByCode(db: DB, code: string): Promise<IndicatorRow | undefined> {
  const row = await selectIndicators(db).where("i.code", "=", code).executeTakeFirst();
  return row && withCounting(row);
}

/** The per-period targets of some indicators (all periods, or one). */
export function listPeriodTargets(db: DB, indicatorIds: number[], periodId?: number) {
  if (indicatorIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom("indicator_period_targets as t")
    .innerJoin("reporting_periods as p", "p.id", "t.period_id")
    .select(["t.indicator_id", "t.period_id", "t.target_value", "p.code as period_code", "p.kind as period_kind"])
    .where("t.indicator_id", "in", indicatorIds);
  if (periodId !== undefined) query = query.where("t.period_id", "=", periodId);
  return query.orderBy("p.start_date").execute();
}

function columnsOf(input: IndicatorInput) {
  return {
    plan_item_id: input.planItemId,
    name_zh: input.nameZh,
    name_en: input.nameEn,
    unit: input.unit,
    baseline_value: input.baselineValue,
    baseline_year: input.baselineYear,
    target_value: input.targetValue,
    direction: input.direction,
    measure: input.measure,
    source: input.source,
    computation: input.source === "computed" ? input.computation : null,
    counting_json: JSON.stringify(input.source === "computed" ? (input.counting ?? defaultCounting()) : defaultCounting()),
  };
}

/** Sets or removes the targets of the given periods; returns { period code: [before, after] } for what changed. */
async function applyPeriodTargets(trx: DB, indicatorId: number, targets: IndicatorInput["periodTargets"]) {
  const changes: Record<string, [number | null, number | null]> = {};
  if (targets.length === 0) return changes;
  const periodIds = targets.map((t) => t.periodId);
  const [existing, periods] = await Promise.all([
    trx
      .selectFrom("indicator_period_targets")
      .select(["period_id", "target_value"])
      .where("indicator_id", "=", indicatorId)
      .where("period_id", "in", periodIds)
      .execute(),
    trx.selectFrom("reporting_periods").select(["id", "code"]).where("id", "in", periodIds).execute(),
  ]);
  const before = new Map(existing.map((e) => [e.period_id, e.target_value]));
  const codes = new Map(periods.map((p) => [p.id, p.code]));
  for (const { periodId, targetValue } of targets) {
    const old = before.get(periodId) ?? null;
    if (old === targetValue) continue;
    if (targetValue === null) {
      await trx
        .deleteFrom("indicator_period_targets")
        .where("indicator_id", "=", indicatorId)
        .where("period_id", "=", periodId)
        .execute();
    } else if (old === null) {
      await trx.insertInto("indicator_period_targets").values({ indicator_id: indicatorId, period_id: periodId, target_value: targetValue }).execute();
    } else {
      await trx
        .updateTable("indicator_period_targets")
        .set({ target_value: targetValue })
        .where("indicator_id", "=", indicatorId)
        .where("period_id", "=", periodId)
        .execute();
    }
    changes[`target ${codes.get(periodId) ?? periodId}`] = [old, targetValue];
  }
  return changes;
}

export async function createIndicator(
  db: DB,
  input: IndicatorInput,
  actorId: number | null,
  options: { action?: string } = {},
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = { code: input.code, ...columnsOf(input) };
    const { id } = await trx
      .insertInto("indicators")
      .values({ ...row, created_at: new Date().toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const targets = await applyPeriodTargets(trx, id, input.periodTargets);
    await writeAudit(trx, {
      userId: actorId,
      action: options.action ?? "indicator.create",
      entityType: "indicator",
      entityId: id,
      changes: { ...row, ...Object.fromEntries(Object.entries(targets).map(([k, [, after]]) => [k, after])) },
    });
    return id;
  });
}

/** Saves an edit of the definition (the code stays as it is). Returns false when the indicator does not exist. */
export async function updateIndicator(db: DB, id: number, input: IndicatorInput, actorId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("indicators")
      .select([
        "plan_item_id",
        "name_zh",
        "name_en",
        "unit",
        "baseline_value",
        "baseline_year",
        "target_value",
        "direction",
        "measure",
        "source",
        "computation",
        "counting_json",
      ])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!before) return false;
    const after = columnsOf(input);
    await trx.updateTable("indicators").set(after).where("id", "=", id).execute();
    const changes = { ...diffFields(before, after), ...(await applyPeriodTargets(trx, id, input.periodTargets)) };
    // A save that changes nothing leaves no history entry.
    if (Object.keys(changes).length > 0) {
      await writeAudit(trx, { userId: actorId, action: "indicator.update", entityType: "indicator", entityId: id, changes });
    }
    return true;
  });
}

/** The values units entered for an indicator, newest period first; with `organizationPath`, that subtree only. */
export function listIndicatorValues(db: DB, indicatorId: number, filter: { organizationPath?: string } = {}) {
  let query = db
    .selectFrom("indicator_values as v")
    .innerJoin("reporting_periods as p", "p.id", "v.period_id")
    .innerJoin("organizations as o", "o.id", "v.organization_id")
    .leftJoin("users as u", "u.id", "v.entered_by")
    .select([
      "v.id",
      "v.period_id",
      "v.organization_id",
      "v.value",
      "v.source_note",
      "v.entered_at",
      "p.code as period_code",
      "p.kind as period_kind",
      "p.year as period_year",
      "p.seq as period_seq",
      "o.name_zh as organization_name_zh",
      "o.name_en as organization_name_en",
      "u.display_name as entered_by_name",
    ])
    .where("v.indicator_id", "=", indicatorId);
  if (filter.organizationPath) query = query.where("o.path", "like", `${filter.organizationPath}%`);
  return query.orderBy("p.end_date", "desc").orderBy("o.sort_order").execute();
}

export type IndicatorValueRow = Awaited<ReturnType<typeof listIndicatorValues>>[number];

/** Enters (or corrects) a unit's value for a period: one row per indicator, period and unit; audited. */
export async function upsertIndicatorValue(
  db: DB,
  input: { indicatorId: number; periodId: number; organizationId: number; value: number; sourceNote: string },
  actorId: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Two entries of the same value at once: the second waits and corrects the row the first inserted.
    await lockUntilCommit(trx, `indicator-value:${input.indicatorId}:${input.periodId}:${input.organizationId}`);
    const now = new Date().toISOString();
    const existing = await trx
      .selectFrom("indicator_values")
      .select(["id", "value", "source_note"])
      .where("indicator_id", "=", input.indicatorId)
      .where("period_id", "=", input.periodId)
      .where("organization_id", "=", input.organizationId)
      .executeTakeFirst();
    if (existing && existing.value === input.value && existing.source_note === input.sourceNote) return;
    if (existing) {
      await trx
        .updateTable("indicator_values")
        .set({ value: input.value, source_note: input.sourceNote, entered_by: actorId, entered_at: now })
        .where("id", "=", existing.id)
        .execute();
    } else {
      await trx
        .insertInto("indicator_values")
        .values({
          indicator_id: input.indicatorId,
          period_id: input.periodId,
          organization_id: input.organizationId,
          value: input.value,
          source_note: input.sourceNote,
          entered_by: actorId,
          entered_at: now,
        })
        .execute();
    }
    await writeAudit(trx, {
      userId: actorId,
      action: "indicator.value",
      entityType: "indicator",
      entityId: input.indicatorId,
      changes: {
        period_id: input.periodId,
        organization_id: input.organizationId,
        value: [existing?.value ?? null, input.value],
        source_note: [existing?.source_note ?? null, input.sourceNote],
      },
    });
  });
}
