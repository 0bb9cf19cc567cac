// 5. The database's rules: checked at preview, and again inside the import's transaction. The rules themselves are
//    plain (check.server.ts); this reads what they need.
import type { ActivityInput } from "~/models/activity.server";
import { findImportedFingerprints, listActivitiesChangedSince, listActivitiesOnDates } from "~/models/activity-batch.server";
import { loadRegisterEntries } from "~/models/counterpart.server";
import type { ImportField } from "~/schemas/activity-import";
import { type SessionUser, withinUnit } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { type RuleData, isFrozen } from "./check.server";
import { activityFingerprint } from "./row.server";

// The approved reports that freeze their period (freeze.server.ts asks the same of one date at a time).
function approvedReports(db: DB) {
  return db
    .selectFrom("period_reports as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .select(["p.start_date", "p.end_date", "o.path"])
    .where("r.status", "=", "approved")
    .execute();
}

export async function loadRuleData(db: DB): Promise<RuleData> {
  const [plan, units, approved, register] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "code", "loggable"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
    approvedReports(db),
    loadRegisterEntries(db),
  ]);
  return { plan, units, approved, register };
}

/** The fingerprints of the given rows' activities that the ledger already holds. */
export async function presentFingerprints(db: DB, inputs: readonly { fingerprint: string; input: ActivityInput }[]): Promise<Set<string>> {
  const imported = await findImportedFingerprints(db, inputs.map((r) => r.fingerprint));
  const existing = await listActivitiesOnDates(
    db,
    inputs.map((r) => r.input.organizationId),
    inputs.map((r) => r.input.startDate),
  );
  return new Set([...imported, ...existing.map((a) => activityFingerprint(a.organization_id, a.title, a.start_date, a.type))]);
}

function fingerprintsOf(activities: Awaited<ReturnType<typeof listActivitiesChangedSince>>): Set<string> {
  const found = new Set<string>();
  for (const a of activities) {
    found.add(activityFingerprint(a.organization_id, a.title, a.start_date, a.type));
    if (a.import_fingerprint) found.add(a.import_fingerprint);
  }
  return found;
}

/**
 * The fingerprints of the live activities saved (created, edited, restored, imported) since a moment: what can
 * have made a row that was ready at preview present since.
 */
export async function fingerprintsChangedSince(db: DB, since: string): Promise<Set<string>> {
  return fingerprintsOf(await listActivitiesChangedSince(db, since));
}

/** What the last step found changed since a row was staged: a rule it now breaks, or its copy now in the ledger. */
export type StagedFinding = { field: ImportField; key: string } | { present: true };

/** What the import's last step must know of a row it staged. */
export interface StagedCheck {
  organizationId: number;
  startDate: string;
  planItemIds: number[];
  fingerprint: string;
}

/**
 * The database's rules again, at the import's last step, for rows checked and staged earlier: what others may have
 * changed meanwhile — a report approved over a row's period, a plan item no longer loggable, a unit gone, and a
 * copy of a row saved (or restored) since `since`. Per row, the finding, or null when the row still goes in.
 */
export async function recheckStaged(
  db: DB,
  user: Pick<SessionUser, "organization_path">,
  rows: StagedCheck[],
  since: string,
): Promise<(StagedFinding | null)[]> {
  const [plan, units, approved, changed] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "loggable"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
    approvedReports(db),
    listActivitiesChangedSince(db, since),
  ]);
  const loggable = new Set(plan.filter((p) => p.loggable === 1).map((p) => p.id));
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  const present = fingerprintsOf(changed);
  return rows.map((row) => {
    const path = pathOf.get(row.organizationId);
    if (path === undefined || !withinUnit(user, path)) return { field: "organization", key: "errors.unit_forbidden" };
    if (row.planItemIds.some((id) => !loggable.has(id))) return { field: "primary_plan_item", key: "errors.plan_item_not_loggable" };
    if (isFrozen(approved, path, row.startDate)) return { field: "start_date", key: "reports.frozen" };
    if (present.has(row.fingerprint)) return { present: true };
    return null;
  });
}
