// The activity form's rules, shared by the action (authoritative) and the form (field names, limits).
// Error messages are i18n keys; the form translates them beside each field.
import { z } from "zod";
import { isoDateOk, parseCount, parseDateCell, parseFunding } from "~/domain/values";
import { isCountryCode, notCountry, notCountryMessage } from "~/utils/countries";
import { type FieldErrors, plainText } from "./form";

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

function text(max: number, required = false) {
  const base = plainText(max);
  return required ? base.refine((s) => s.length > 0, "errors.required") : base;
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

const isoDate = z
  .string()
  .trim()
  .min(1, "errors.required")
  .transform((s, ctx) => {
    const day = formDate(s);
    if (day === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.date" });
      return z.NEVER;
    }
    return day;
  });

const optionalCount = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === "") return null;
    const parsed = parseCount(s);
    if (!parsed.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: formKey(parsed.key, "errors.whole_number") });
      return z.NEVER;
    }
    if (parsed.value > LIMITS.count) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.too_large" });
      return z.NEVER;
    }
    return parsed.value;
  });

/** 万元 unless the text says 元 (or 亿); integer fen. */
const fundingWan = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s.replace(/[,，\s]/g, "") === "") return null;
    const parsed = parseFunding(s, "wan");
    if (!parsed.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: formKey(parsed.key, "errors.funding_number") });
      return z.NEVER;
    }
    return parsed.value;
  });

const planCode = z.string().trim().regex(/^\d+(\.\d+){0,3}$/, "errors.plan_item");

/** A counterpart country's code; China and its parts are refused with the reason, not as an unknown code. */
export const countryCode = z
  .string()
  .trim()
  .superRefine((code, ctx) => {
    if (isCountryCode(code)) return;
    const part = notCountry(code);
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: part ? notCountryMessage(part) : "errors.country" });
  });

export const activityFormSchema = z
  .object({
    organization_id: z.coerce.number({ invalid_type_error: "errors.required" }).int().positive("errors.required"),
    title: text(LIMITS.title, true),
    type: z.enum(ACTIVITY_TYPES, { errorMap: () => ({ message: "errors.choose" }) }),
    start_date: isoDate,
    end_date: isoDate,
    status: z.enum(ACTIVITY_STATUSES, { errorMap: () => ({ message: "errors.choose" }) }),
    primary_plan_item: z.string().trim().min(1, "errors.required").pipe(planCode),
    plan_items: z.array(planCode).max(60, "errors.too_many"),
    countries: z.array(countryCode).max(60, "errors.too_many"),
    counterpart_body: text(LIMITS.counterpartBody),
    location: text(LIMITS.location),
    delegations_count: optionalCount,
    participants_count: optionalCount,
    funding_wan: fundingWan,
    funding_source: text(LIMITS.fundingSource),
    outcome: text(LIMITS.outcome),
    evidence_url: z.array(z.string().trim().max(LIMITS.evidenceUrl, "errors.too_long")).max(LIMITS.evidenceRows),
    evidence_label: z.array(text(LIMITS.evidenceLabel)).max(LIMITS.evidenceRows),
    partner_units: z.array(z.string().trim().regex(/^\d{1,9}$/, "errors.partner_unit").transform(Number)).max(LIMITS.partnerUnits, "errors.too_many"),
    partner_departments: text(LIMITS.partnerName * LIMITS.partnerDepartments).transform(splitDepartments),
  });

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

export type ActivityForm = z.infer<typeof activityFormSchema>;

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
