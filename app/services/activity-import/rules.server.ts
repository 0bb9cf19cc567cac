// 5. The database's rules: checked at preview, and again inside the import's transaction.
import type { ActivityInput } from "~/models/activity.server";
import { findImportedFingerprints, listActivitiesChangedSince, listActivitiesOnDates } from "~/models/activity-batch.server";
import { type CounterpartRef, loadCounterpartMatcher } from "~/models/counterpart.server";
import { type CounterpartMatcher, bodyFullName, guessLevel } from "~/domain/counterparts";
import { activityFormSchema, crossFieldErrors, fieldErrors, isoDateOk } from "~/schemas/activity";
import type { ImportField, ImportMessage } from "~/schemas/activity-import";
import { type SessionUser, withinUnit } from "~/utils/auth.server";
import { countryName, isCountryCode } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { EMPTY_VALUES, type ImportRow, activityFingerprint } from "./row.server";

const FORM_FIELD_TO_IMPORT: Record<string, ImportField> = {
  organization_id: "organization",
  partner_units: "partners",
  partner_departments: "partners",
  evidence_url: "evidence",
  evidence_label: "evidence",
};

export interface RuleData {
  planByCode: Map<string, { id: number; loggable: number }>;
  unitById: Map<number, { path: string }>;
  approved: { start_date: string; end_date: string; path: string }[];
  counterparts: CounterpartMatcher;
}

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

function isFrozen(approved: RuleData["approved"], unitPath: string, start: string): boolean {
  return approved.some((r) => unitPath.startsWith(r.path) && r.start_date <= start && r.end_date >= start);
}

export async function loadRuleData(db: DB): Promise<RuleData> {
  const [plan, units, approved, counterparts] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "code", "loggable"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
    approvedReports(db),
    loadCounterpartMatcher(db),
  ]);
  return {
    planByCode: new Map(plan.map((p) => [p.code, p])),
    unitById: new Map(units.map((u) => [u.id, u])),
    approved,
    counterparts,
  };
}

/**
 * The bodies of the counterpart register a row's 对方机构 text names, read the forgiving way: a registered body (by
 * any spelling) is linked; a name the register does not know is registered at import, announced on the preview
 * ("将新建对方机构 X"), when its country can be told (written before the name, or the row's one counterpart country);
 * otherwise, and for a name several bodies share, the words are kept and the preview says why. Never an error.
 */
function rowCounterparts(matcher: CounterpartMatcher, text: string, countries: string[]) {
  const refs: CounterpartRef[] = [];
  const warnings: { key: string; params: ImportMessage["params"] }[] = [];
  const names = (ids: number[], locale: "zh-CN" | "en") =>
    ids.map((id) => bodyFullName(matcher.entry(id)!, locale)).join(locale === "en" ? ", " : "、");
  for (const r of matcher.resolveText(text)) {
    if (r.kind === "body") refs.push({ id: r.id });
    else if (r.kind === "ambiguous") {
      warnings.push({ key: "imports.warn.counterpart_ambiguous", params: { value: r.name, candidates_zh: names(r.ids, "zh-CN"), candidates_en: names(r.ids, "en") } });
    } else if (r.kind === "unknown") {
      const country = r.country ?? (countries.length === 1 ? countries[0]! : null);
      if (r.refused) warnings.push({ key: "imports.warn.counterpart_china", params: { value: r.name } });
      else if (!country) warnings.push({ key: "imports.warn.counterpart_no_country", params: { value: r.name } });
      else {
        const level = guessLevel(r.bare);
        refs.push({ create: { nameZh: r.name, countryCode: country, level } });
        const about = { value: r.name, country_zh: countryName(country, "zh-CN"), country_en: countryName(country, "en"), level_key: `counterparts.level.${level}` };
        // a likely misspelling of a registered name is said; a department of a registered province is not one
        const similar = matcher.similar(r.bare, country, { closeOnly: true });
        warnings.push(
          similar.length
            ? { key: "imports.warn.counterpart_new_similar", params: { ...about, similar_zh: names(similar, "zh-CN"), similar_en: names(similar, "en") } }
            : { key: "imports.warn.counterpart_new", params: about },
        );
      }
    }
  }
  return { refs, warnings };
}

/**
 * The activity form's rules and the database's on every row: sets each row's rule messages, fingerprint and
 * outcome, and returns the ActivityInput of every row that is ready. `firstRow` (each fingerprint's first row,
 * kept across calls) lets rows checked a chunk at a time recognise a repeat of a row of an earlier chunk; `data`,
 * the database's plan, units, approvals and register read once for all the chunks.
 */
export async function applyRules(
  db: DB,
  user: Pick<SessionUser, "organization_path">,
  columns: Partial<Record<ImportField, string>>,
  rows: ImportRow[],
  firstRow = new Map<string, number>(),
  preloaded?: RuleData,
): Promise<Map<number, ActivityInput>> {
  const data = preloaded ?? (await loadRuleData(db));
  const inputs = new Map<number, ActivityInput>();
  const at = (field: ImportField) => ({ field, column: columns[field] ?? null });

  rows.forEach((row, index) => {
    const errors: ImportMessage[] = [];
    const warnings: ImportMessage[] = [];
    const parsedFields = new Set(row.parse.errors.map((m) => m.field));
    const error = (field: ImportField, key: string, params?: ImportMessage["params"]) => {
      if (!parsedFields.has(field) && !errors.some((e) => e.field === field)) errors.push({ ...at(field), key, params });
    };
    // A preview stored before a field existed reads as that field left empty.
    const v = { ...EMPTY_VALUES(), ...row.values };
    const schema = activityFormSchema.safeParse(v);
    const problems = { ...crossFieldErrors(v), ...(schema.success ? {} : fieldErrors(schema.error)) };
    for (const [formField, key] of Object.entries(problems)) {
      // A blank end date stands in for the start date: when the start cannot be read, the end is not a second error.
      if (formField === "end_date" && v.end_date === "" && parsedFields.has("start_date")) continue;
      if (key) error(FORM_FIELD_TO_IMPORT[formField] ?? (formField as ImportField), key);
    }
    const check = (field: "primary_plan_item" | "plan_items", code: string) => {
      const item = data.planByCode.get(code);
      if (!item) error(field, "errors.plan_item");
      else if (item.loggable !== 1) error(field, "errors.plan_item_not_loggable");
    };
    if (v.primary_plan_item) check("primary_plan_item", String(v.primary_plan_item));
    for (const code of v.plan_items as string[]) check("plan_items", code);

    const unitId = Number(v.organization_id);
    const unit = data.unitById.get(unitId);
    if (v.organization_id !== "" && !unit) error("organization", "imports.error.unit_unknown", { value: String(v.organization_id) });
    else if (unit && !withinUnit(user, unit.path)) error("organization", "errors.unit_forbidden");
    const start = String(v.start_date);
    if (unit && isoDateOk(start)) {
      if (isFrozen(data.approved, unit.path, start)) error("start_date", "reports.frozen");
    }

    const counterparts =
      schema.success || !errors.some((e) => e.field === "counterpart_body")
        ? rowCounterparts(data.counterparts, String(v.counterpart_body).trim(), (v.countries as string[]).filter(isCountryCode))
        : { refs: [], warnings: [] };
    for (const w of counterparts.warnings) warnings.push({ ...at("counterpart_body"), ...w });

    row.rules = { errors, warnings };
    row.fingerprint = null;
    if (row.parse.errors.length || errors.length || !schema.success) {
      row.outcome = "error";
      return;
    }
    const form = schema.data;
    row.fingerprint = activityFingerprint(form.organization_id, form.title, form.start_date, form.type);
    row.outcome = "ready";
    inputs.set(index, {
      organizationId: form.organization_id,
      title: form.title,
      type: form.type,
      startDate: form.start_date,
      endDate: form.end_date,
      status: form.status,
      primaryPlanItemId: data.planByCode.get(form.primary_plan_item)!.id,
      otherPlanItemIds: form.plan_items.map((code) => data.planByCode.get(code)!.id),
      countries: form.countries,
      counterpartBody: form.counterpart_body,
      location: form.location,
      delegationsCount: form.delegations_count,
      participantsCount: form.participants_count,
      fundingCnyFen: form.funding_wan,
      fundingSource: form.funding_source,
      outcome: form.outcome,
      evidence: form.evidence_url.map((url, i) => ({ url, label: form.evidence_label[i] ?? "" })).filter((e) => e.url !== ""),
      partners: [...form.partner_units.map((organizationId) => ({ organizationId })), ...form.partner_departments.map((name) => ({ name }))],
      counterparts: counterparts.refs,
    });
  });

  // Rows already in the ledger (imported before, or logged by hand with the same unit, title, date and type),
  // and rows repeating an earlier row of the same file: recognised, reported, skipped.
  const ready = [...inputs.entries()];
  const imported = await findImportedFingerprints(db, ready.map(([i]) => rows[i]!.fingerprint!));
  const existing = await listActivitiesOnDates(
    db,
    ready.map(([, input]) => input.organizationId),
    ready.map(([, input]) => input.startDate),
  );
  const present = new Set([...imported, ...existing.map((a) => activityFingerprint(a.organization_id, a.title, a.start_date, a.type))]);
  for (const [index] of ready) {
    const row = rows[index]!;
    const fp = row.fingerprint!;
    // a row that is skipped registers no body: its "will be registered" notes would mislead
    const skip = () => (row.rules.warnings = row.rules.warnings.filter((w) => !w.key.startsWith("imports.warn.counterpart_new")));
    if (present.has(fp)) {
      skip();
      row.outcome = "present";
      row.rules.warnings.push({ field: "title", column: columns.title ?? null, key: "imports.warn.present" });
      inputs.delete(index);
    } else if (firstRow.has(fp)) {
      skip();
      row.outcome = "repeated";
      row.rules.warnings.push({ field: "title", column: columns.title ?? null, key: "imports.warn.repeated", params: { row: firstRow.get(fp)! } });
      inputs.delete(index);
    } else firstRow.set(fp, row.row);
  }
  return inputs;
}

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
): Promise<({ field: ImportField; key: string } | { present: true } | null)[]> {
  const [plan, units, approved, changed] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "loggable"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
    approvedReports(db),
    listActivitiesChangedSince(db, since),
  ]);
  const loggable = new Set(plan.filter((p) => p.loggable === 1).map((p) => p.id));
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  const present = new Set<string>();
  for (const a of changed) {
    present.add(activityFingerprint(a.organization_id, a.title, a.start_date, a.type));
    if (a.import_fingerprint) present.add(a.import_fingerprint);
  }
  return rows.map((row) => {
    const path = pathOf.get(row.organizationId);
    if (path === undefined || !withinUnit(user, path)) return { field: "organization", key: "errors.unit_forbidden" };
    if (row.planItemIds.some((id) => !loggable.has(id))) return { field: "primary_plan_item", key: "errors.plan_item_not_loggable" };
    if (isFrozen(approved, path, row.startDate)) return { field: "start_date", key: "reports.frozen" };
    if (present.has(row.fingerprint)) return { present: true };
    return null;
  });
}
