// 5. The database's rules: checked at preview, and again inside the import's transaction. The rules themselves are
//    plain (check.server.ts); this reads what they need.
import type { ActivityInput } from "~/models/activity.server";
import { findImportedFingerprints, listActivitiesOnDates } from "~/models/activity-batch.server";
import { loadRegisterEntries } from "~/models/counterpart.server";
import type { ImportField } from "~/schemas/activity-import";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { type RuleData, RowChecker, markPresent } from "./check.server";
import { type ImportRow, activityFingerprint } from "./row.server";

export async function loadRuleData(db: DB): Promise<RuleData> {
  const [plan, units, approved, register] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "code", "loggable"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
    // The approved reports that freeze their period (freeze.server.ts asks the same of one date at a time).
    db
      .selectFrom("period_reports as r")
      .innerJoin("organizations as o", "o.id", "r.organization_id")
      .innerJoin("reporting_periods as p", "p.id", "r.period_id")
      .select(["p.start_date", "p.end_date", "o.path"])
      .where("r.status", "=", "approved")
      .execute(),
    loadRegisterEntries(db),
  ]);
  return { plan, units, approved, register };
}

/** The fingerprints of the given rows' activities that the ledger already holds. */
export async function presentFingerprints(db: DB, inputs: { fingerprint: string; input: ActivityInput }[]): Promise<Set<string>> {
  const imported = await findImportedFingerprints(db, inputs.map((r) => r.fingerprint));
  const existing = await listActivitiesOnDates(
    db,
    inputs.map((r) => r.input.organizationId),
    inputs.map((r) => r.input.startDate),
  );
  return new Set([...imported, ...existing.map((a) => activityFingerprint(a.organization_id, a.title, a.start_date, a.type))]);
}

/**
 * The activity form's rules and the database's on every row: sets each row's rule messages, fingerprint and
 * outcome, and returns the ActivityInput of every row that is ready.
 */
export async function applyRules(
  db: DB,
  user: Pick<SessionUser, "organization_path">,
  columns: Partial<Record<ImportField, string>>,
  rows: ImportRow[],
): Promise<Map<number, ActivityInput>> {
  const checker = new RowChecker(await loadRuleData(db), user, columns);
  const inputs = new Map<number, ActivityInput>();
  rows.forEach((row, index) => {
    const input = checker.check(row);
    if (input) inputs.set(index, input);
  });
  const candidates = rows.flatMap((row, index) => {
    const input = inputs.get(index);
    return input ? [{ fingerprint: row.fingerprint!, input }] : [];
  });
  const present = await presentFingerprints(db, candidates);
  rows.forEach((row, index) => {
    if (markPresent(row, present, columns)) inputs.delete(index);
  });
  return inputs;
}
