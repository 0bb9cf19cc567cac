// 5a. The activity form's rules and the register's on one row, from data read beforehand: plain work, so it runs in
//     the import's worker thread as well as inside the import's transaction (rules.server.ts reads the data).
import type { ActivityInput } from "~/models/activity.server";
import type { CounterpartRef } from "~/models/counterpart.server";
import { CounterpartMatcher, type RegisterEntry, bodyFullName, guessLevel } from "~/domain/counterparts";
import { checkActivityForm, crossFieldErrors, isoDateOk } from "~/schemas/activity";
import type { ImportField, ImportMessage } from "~/schemas/activity-import";
import { withinUnit } from "~/utils/permissions";
import { countryName, isCountryCode } from "~/utils/countries";
import { EMPTY_VALUES, type ImportRow, activityFingerprint } from "./row.server";

/** What the rules need from the database, as plain data a worker thread can be handed. */
export interface RuleData {
  plan: { id: number; code: string; loggable: number }[];
  units: { id: number; path: string }[];
  approved: { start_date: string; end_date: string; path: string }[];
  register: RegisterEntry[];
}

/** A start date in a period whose report on the unit (or a unit above it) is approved: frozen. */
export function isFrozen(approved: RuleData["approved"], unitPath: string, start: string): boolean {
  return approved.some((r) => unitPath.startsWith(r.path) && r.start_date <= start && r.end_date >= start);
}

const FORM_FIELD_TO_IMPORT: Record<string, ImportField> = {
  organization_id: "organization",
  partner_units: "partners",
  partner_departments: "partners",
  evidence_url: "evidence",
  evidence_label: "evidence",
};


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
 * Checks rows one batch at a time: sets each row's rule messages, fingerprint and outcome (ready, error, or
 * repeated when an earlier row of the same file is the same activity), and returns the ActivityInput of every row
 * that is ready. Rows already in the ledger are marked by markPresent, from fingerprints the database gives.
 */
export class RowChecker {
  private planByCode: Map<string, { id: number; loggable: number }>;
  private unitById: Map<number, { path: string }>;
  private counterparts: CounterpartMatcher;
  private firstRow = new Map<string, number>();
  private loggablePlanIds: Set<number>;

  constructor(
    private data: RuleData,
    private user: { organization_path: string },
    private columns: Partial<Record<ImportField, string>>,
  ) {
    this.planByCode = new Map(data.plan.map((p) => [p.code, p]));
    this.unitById = new Map(data.units.map((u) => [u.id, u]));
    this.counterparts = new CounterpartMatcher(data.register);
    this.loggablePlanIds = new Set(data.plan.filter((p) => p.loggable === 1).map((p) => p.id));
  }

  check(row: ImportRow): ActivityInput | null {
    const { user, columns } = this;
    const data = { planByCode: this.planByCode, unitById: this.unitById, approved: this.data.approved, counterparts: this.counterparts };
    const at = (field: ImportField) => ({ field, column: columns[field] ?? null });
    const errors: ImportMessage[] = [];
    const warnings: ImportMessage[] = [];
    const parsedFields = new Set(row.parse.errors.map((m) => m.field));
    const error = (field: ImportField, key: string, params?: ImportMessage["params"]) => {
      if (!parsedFields.has(field) && !errors.some((e) => e.field === field)) errors.push({ ...at(field), key, params });
    };
    // A preview stored before a field existed reads as that field left empty.
    const v = { ...EMPTY_VALUES(), ...row.values };
    const schema = checkActivityForm(v);
    const problems = { ...crossFieldErrors(v), ...(schema.success ? {} : schema.errors) };
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
    row.input = null;
    if (row.parse.errors.length || errors.length || !schema.success) {
      row.outcome = "error";
      return null;
    }
    const form = schema.data;
    row.fingerprint = activityFingerprint(form.organization_id, form.title, form.start_date, form.type);
    row.outcome = "ready";
    const input: ActivityInput = {
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
    };
    const fp = row.fingerprint;
    const first = this.firstRow.get(fp);
    if (first !== undefined) {
      dropRegistration(row);
      row.outcome = "repeated";
      row.rules.warnings.push({ field: "title", column: columns.title ?? null, key: "imports.warn.repeated", params: { row: first } });
      return null;
    }
    this.firstRow.set(fp, row.row);
    row.input = input;
    return input;
  }

  /**
   * A row that was ready at preview, from the activity kept then: the form's rules cannot have changed their
   * verdict, so only what the database may have changed since is checked again — its unit (still there, still the
   * user's), its plan items (still loggable), its period (not approved meanwhile) — and whether an earlier row of
   * the file now goes in as the same activity. True when it is still ready (it is then remembered for repeats);
   * false when anything changed: `check` then reads the row again, with the messages to show.
   */
  stillReady(sheetRow: number, fingerprint: string, input: ActivityInput): boolean {
    const unit = this.unitById.get(input.organizationId);
    if (!unit || !withinUnit(this.user, unit.path)) return false;
    for (const id of [input.primaryPlanItemId, ...input.otherPlanItemIds]) {
      if (!this.loggablePlanIds.has(id)) return false;
    }
    if (isFrozen(this.data.approved, unit.path, input.startDate)) return false;
    if (this.firstRow.has(fingerprint)) return false;
    this.firstRow.set(fingerprint, sheetRow);
    return true;
  }
}

// a row that is skipped registers no body: its "will be registered" notes would mislead
function dropRegistration(row: ImportRow) {
  row.rules.warnings = row.rules.warnings.filter((w) => !w.key.startsWith("imports.warn.counterpart_new"));
}

/**
 * A ready or repeated row whose activity is already in the ledger (imported before, or logged by hand with the
 * same unit, title, date and type) is present: recognised, reported, skipped. True when the row was marked.
 */
export function markPresent(row: ImportRow, present: { has(fingerprint: string): boolean }, columns: Partial<Record<ImportField, string>>): boolean {
  if (!row.fingerprint || (row.outcome !== "ready" && row.outcome !== "repeated") || !present.has(row.fingerprint)) return false;
  dropRegistration(row);
  row.rules.warnings = row.rules.warnings.filter((w) => w.key !== "imports.warn.repeated");
  row.outcome = "present";
  row.rules.warnings.push({ field: "title", column: columns.title ?? null, key: "imports.warn.present" });
  return true;
}
