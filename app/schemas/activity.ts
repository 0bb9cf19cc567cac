// The activity form's rules, shared by the action (authoritative) and the form (field names, limits).
// Error messages are i18n keys; the form translates them beside each field.
import { z } from "zod";
import { isoDateOk, parseCount, parseDateCell, parseFunding } from "~/domain/values";
import { isCountryCode, notCountry, notCountryMessage } from "~/utils/countries";
import { type FieldErrors, plainTextProblems } from "./form";

export const ACTIVITY_TYPES = [
  "outbound_visit",
  "inbound_visit",
  "meeting",
  "agreement",
  "sister_city",
  "aid_project",
  "training",
  "festival",
  "other",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ACTIVITY_STATUSES = ["planned", "ongoing", "completed", "cancelled"] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const LIMITS = {
  title: 200,
  counterpartBody: 300,
  location: 200,
  fundingSource: 200,
  outcome: 5000,
  evidenceUrl: 2000,
  evidenceLabel: 200,
  evidenceRows: 20,
  partnerUnits: 30,
  partnerDepartments: 20,
  partnerName: 100,
  count: 1_000_000,
} as const;

export { isoDateOk };

/** One field's rule on what was sent: the value the form keeps, or the field's problems (i18n keys, first shown). */
export type Checked<T> = { ok: true; value: T } | { ok: false; keys: string[] };
const fine = <T>(value: T): Checked<T> => ({ ok: true, value });
const problem = (...keys: string[]): Checked<never> => ({ ok: false, keys });

/** Free text (form.ts's one rule), trimmed, optionally required. */
function textRule(max: number, required = false) {
  return (s: string): Checked<string> => {
    const trimmed = s.trim();
    const problems = plainTextProblems(trimmed, max);
    if (required && trimmed.length === 0) problems.push("errors.required");
    return problems.length ? { ok: false, keys: problems } : fine(trimmed);
  };
}

// Dates, counts and amounts are read by the import's own forgiving parsers (domain/values), so the form takes what a
// spreadsheet may say — "2025年3月5日", "47人次", "３０", "30万元", "300000元" — and stores the same number for it.
// A parser's message names the cell's text; beside a form field the field's own message says it.
const FORM_KEYS: Record<string, string> = {
  "imports.error.funding_currency": "errors.funding_currency",
};
function formKey(key: string, fallback: string): string {
  return key.startsWith("errors.") ? key : (FORM_KEYS[key] ?? fallback);
}

/** One day as people write it; a range ("3月5日至8日") is two fields in the form, so it is not a date here. */
export function formDate(text: string): string | null {
  const parsed = parseDateCell(text.trim());
  return parsed.ok && !parsed.value.end ? parsed.value.start : null;
}

function dateRule(s: string): Checked<string> {
  const trimmed = s.trim();
  if (trimmed.length < 1) return problem("errors.required");
  const day = formDate(trimmed);
  return day === null ? problem("errors.date") : fine(day);
}

function optionalCountRule(s: string): Checked<number | null> {
  const trimmed = s.trim();
  if (trimmed === "") return fine(null);
  const parsed = parseCount(trimmed);
  if (!parsed.ok) return problem(formKey(parsed.key, "errors.whole_number"));
  if (parsed.value > LIMITS.count) return problem("errors.too_large");
  return fine(parsed.value);
}

/** 万元 unless the text says 元 (or 亿); integer fen. */
function fundingWanRule(s: string): Checked<number | null> {
  const trimmed = s.trim();
  if (trimmed.replace(/[,，\s]/g, "") === "") return fine(null);
  const parsed = parseFunding(trimmed, "wan");
  return parsed.ok ? fine(parsed.value) : problem(formKey(parsed.key, "errors.funding_number"));
}

const PLAN_CODE = /^\d+(\.\d+){0,3}$/;
function planCodeRule(s: string): Checked<string> {
  const trimmed = s.trim();
  return PLAN_CODE.test(trimmed) ? fine(trimmed) : problem("errors.plan_item");
}

/** A counterpart country's code; China and its parts are refused with the reason, not as an unknown code. */
function countryCodeRule(s: string): Checked<string> {
  const code = s.trim();
  if (isCountryCode(code)) return fine(code);
  const part = notCountry(code);
  return problem(part ? notCountryMessage(part) : "errors.country");
}

function choiceRule<T extends string>(choices: readonly T[]) {
  return (s: string): Checked<T> => ((choices as readonly string[]).includes(s) ? fine(s as T) : problem("errors.choose"));
}

/**
 * A list: at most `max` items ("too many" first, as the form always said it), then each item's rule, the first
 * item's problem shown. `tooMany` is the message.
 */
function listRule<T>(max: number, tooMany: string, item: (s: string) => Checked<T>) {
  return (items: string[]): Checked<T[]> => {
    const keys: string[] = items.length > max ? [tooMany] : [];
    const values: T[] = [];
    for (const s of items) {
      const checked = item(s);
      if (checked.ok) values.push(checked.value);
      else keys.push(...checked.keys);
    }
    return keys.length ? { ok: false, keys } : fine(values);
  };
}

/** A unit's id: a whole number above 0 (as zod's coerced positive int said, every failure is "required"). */
function organizationRule(value: unknown): Checked<number> {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? fine(n) : problem("errors.required");
}

function primaryPlanItemRule(s: string): Checked<string> {
  if (s.trim().length < 1) return problem("errors.required");
  return planCodeRule(s);
}

const departmentsText = textRule(LIMITS.partnerName * LIMITS.partnerDepartments);
function partnerDepartmentsRule(s: string): Checked<string[]> {
  const checked = departmentsText(s);
  return checked.ok ? fine(splitDepartments(checked.value)) : checked;
}

const PARTNER_UNIT = /^\d{1,9}$/;
function partnerUnitRule(s: string): Checked<number> {
  const trimmed = s.trim();
  return PARTNER_UNIT.test(trimmed) ? fine(Number(trimmed)) : problem("errors.partner_unit");
}

/**
 * The activity form's rules, one per field, on what a browser sends (text, or a list of texts for the list
 * fields). activityFormSchema is made from them for zod's users, and checkActivityForm runs them directly: the
 * import checks every row of a big file with them, where zod's own machinery cost more than the rules.
 */
const FIELD_RULES = {
  organization_id: { kind: "any", check: organizationRule },
  title: { kind: "text", check: textRule(LIMITS.title, true) },
  type: { kind: "text", check: choiceRule(ACTIVITY_TYPES) },
  start_date: { kind: "text", check: dateRule },
  end_date: { kind: "text", check: dateRule },
  status: { kind: "text", check: choiceRule(ACTIVITY_STATUSES) },
  primary_plan_item: { kind: "text", check: primaryPlanItemRule },
  plan_items: { kind: "list", check: listRule(60, "errors.too_many", planCodeRule) },
  countries: { kind: "list", check: listRule(60, "errors.too_many", countryCodeRule) },
  counterpart_body: { kind: "text", check: textRule(LIMITS.counterpartBody) },
  location: { kind: "text", check: textRule(LIMITS.location) },
  delegations_count: { kind: "text", check: optionalCountRule },
  participants_count: { kind: "text", check: optionalCountRule },
  funding_wan: { kind: "text", check: fundingWanRule },
  funding_source: { kind: "text", check: textRule(LIMITS.fundingSource) },
  outcome: { kind: "text", check: textRule(LIMITS.outcome) },
  evidence_url: {
    kind: "list",
    check: listRule(LIMITS.evidenceRows, "errors.too_many_evidence", (s) => {
      const trimmed = s.trim();
      return trimmed.length > LIMITS.evidenceUrl ? problem("errors.too_long") : fine(trimmed);
    }),
  },
  evidence_label: { kind: "list", check: listRule(LIMITS.evidenceRows, "errors.too_many_evidence", textRule(LIMITS.evidenceLabel)) },
  partner_units: { kind: "list", check: listRule(LIMITS.partnerUnits, "errors.too_many", partnerUnitRule) },
  partner_departments: { kind: "text", check: partnerDepartmentsRule },
} as const satisfies Record<
  string,
  | { kind: "any"; check: (value: unknown) => Checked<unknown> }
  | { kind: "text"; check: (s: string) => Checked<unknown> }
  | { kind: "list"; check: (items: string[]) => Checked<unknown> }
>;
type Rules = typeof FIELD_RULES;
type ValueOf<R> = R extends { check: (input: never) => Checked<infer T> } ? T : never;
export type ActivityForm = { [K in keyof Rules]: ValueOf<Rules[K]> };

function addProblems(keys: string[], ctx: z.RefinementCtx) {
  for (const message of keys) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  return z.NEVER;
}

/** One rule as a zod schema: zod checks the kind of input (text, list of texts), the rule the rest. */
function zodField<T>(rule: { kind: "any"; check: (value: unknown) => Checked<T> }): z.ZodType<T, z.ZodTypeDef, unknown>;
function zodField<T>(rule: { kind: "text"; check: (s: string) => Checked<T> }): z.ZodType<T, z.ZodTypeDef, string>;
function zodField<T>(rule: { kind: "list"; check: (items: string[]) => Checked<T> }): z.ZodType<T, z.ZodTypeDef, string[]>;
function zodField(rule: { kind: string; check: (input: never) => Checked<unknown> }): z.ZodTypeAny {
  const base = rule.kind === "any" ? z.unknown() : rule.kind === "text" ? z.string() : z.array(z.string());
  return base.transform((input, ctx) => {
    const checked = (rule.check as (input: unknown) => Checked<unknown>)(input);
    return checked.ok ? checked.value : addProblems(checked.keys, ctx);
  });
}

export const activityFormSchema = z.object({
  organization_id: zodField(FIELD_RULES.organization_id),
  title: zodField(FIELD_RULES.title),
  type: zodField(FIELD_RULES.type),
  start_date: zodField(FIELD_RULES.start_date),
  end_date: zodField(FIELD_RULES.end_date),
  status: zodField(FIELD_RULES.status),
  primary_plan_item: zodField(FIELD_RULES.primary_plan_item),
  plan_items: zodField(FIELD_RULES.plan_items),
  countries: zodField(FIELD_RULES.countries),
  counterpart_body: zodField(FIELD_RULES.counterpart_body),
  location: zodField(FIELD_RULES.location),
  delegations_count: zodField(FIELD_RULES.delegations_count),
  participants_count: zodField(FIELD_RULES.participants_count),
  funding_wan: zodField(FIELD_RULES.funding_wan),
  funding_source: zodField(FIELD_RULES.funding_source),
  outcome: zodField(FIELD_RULES.outcome),
  evidence_url: zodField(FIELD_RULES.evidence_url),
  evidence_label: zodField(FIELD_RULES.evidence_label),
  partner_units: zodField(FIELD_RULES.partner_units),
  partner_departments: zodField(FIELD_RULES.partner_departments),
} satisfies Record<keyof Rules, z.ZodTypeAny>);

/** A counterpart country's code as a zod schema (the counterpart register's form, the indicators). */
export const countryCode = zodField({ kind: "text", check: countryCodeRule });

export type ActivityFormCheck = { success: true; data: ActivityForm } | { success: false; errors: FieldErrors };

/**
 * The form's rules on some values (activityFormValues, or an import row's): the values the form keeps, or the
 * first problem of each field — what activityFormSchema.safeParse and fieldErrors answer, without zod's cost.
 * Values of another kind than a browser sends (a missing field, a number) go through the schema, which says so.
 */
export function checkActivityForm(values: Record<string, unknown>): ActivityFormCheck {
  const data: Record<string, unknown> = {};
  let errors: FieldErrors | null = null;
  for (const field in FIELD_RULES) {
    const rule = FIELD_RULES[field as keyof Rules] as { kind: string; check: (input: unknown) => Checked<unknown> };
    const value = values[field];
    if (rule.kind === "text" ? typeof value !== "string" : rule.kind === "list" ? !isTextList(value) : false) return schemaCheck(values);
    const checked = rule.check(value);
    if (checked.ok) data[field] = checked.value;
    else (errors ??= {})[field] = checked.keys[0];
  }
  return errors ? { success: false, errors } : { success: true, data: data as ActivityForm };
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function schemaCheck(values: Record<string, unknown>): ActivityFormCheck {
  const parsed = activityFormSchema.safeParse(values);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, errors: fieldErrors(parsed.error) };
}

/**
 * 配合部门 typed in one box, as offices write them in a ledger cell: "州商务局、州文化和旅游局". Commas,
 * semicolons and line breaks separate too; repeated names count once.
 */
export function splitDepartments(text: string): string[] {
  return [...new Set(text.split(/[、,，;；\n\r]+/).map((s) => s.trim()).filter(Boolean))];
}

/** A web link (http or https) — the only evidence a page or a spreadsheet turns into a link. */
export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Checks that span fields or lists. They run on the raw values beside the schema (not after it), so the user
 * sees every problem in one round, not the cross-field ones only after the others are fixed.
 */
export function crossFieldErrors(values: Record<string, string | string[]>): FieldErrors {
  const errors: FieldErrors = {};
  const start = formDate(String(values.start_date ?? ""));
  const end = formDate(String(values.end_date ?? ""));
  if (start && end && end < start) errors.end_date = "errors.end_before_start";
  const urls = Array.isArray(values.evidence_url) ? values.evidence_url : [];
  if (urls.some((u) => u.trim() !== "" && !isHttpUrl(u.trim()))) errors.evidence_url = "errors.url";
  const partnerUnits = Array.isArray(values.partner_units) ? values.partner_units.map((id) => id.trim()) : [];
  const lead = String(values.organization_id ?? "").trim();
  if (lead && partnerUnits.includes(lead)) errors.partner_units = "errors.partner_is_lead";
  const departments = splitDepartments(String(values.partner_departments ?? ""));
  if (departments.length > LIMITS.partnerDepartments) errors.partner_departments = "errors.too_many";
  else if (departments.some((name) => name.length > LIMITS.partnerName)) errors.partner_departments = "errors.partner_name_too_long";
  return errors;
}

export const ARRAY_FIELDS = ["plan_items", "countries", "evidence_url", "evidence_label", "partner_units"] as const;

/** FormData → the plain object the schema reads (repeated fields become arrays, missing ones empty strings). */
export function activityFormValues(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const key of Object.keys(activityFormSchema.shape)) {
    if ((ARRAY_FIELDS as readonly string[]).includes(key)) {
      values[key] = formData.getAll(key).map(String);
    } else {
      const v = formData.get(key);
      values[key] = typeof v === "string" ? v : "";
    }
  }
  return values;
}

/** The first error per field, as i18n keys. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}
