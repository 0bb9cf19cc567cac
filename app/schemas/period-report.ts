// The period report form: narratives per plan item, the accounts of last period's commitments, review reasons.
// Messages are i18n keys shown beside the fields.
import { z } from "zod";
import type { Rating, ReportStatus } from "../../db/schema";
import { NARRATIVE_FIELDS } from "~/domain/reporting";
import { type FieldErrors, plainText } from "./form";

// Shared with the pages (these lists render choices in the browser, so they cannot live in .server modules).
export const REPORT_STATUSES: readonly ReportStatus[] = ["draft", "submitted", "returned", "approved"];
export type PeriodKind = "quarter" | "half" | "year";
export const PERIOD_KINDS: readonly PeriodKind[] = ["quarter", "half", "year"];
export const RATINGS: readonly Rating[] = ["green", "yellow", "red"];

const NARRATIVE_MAX = 5000;

/** Narratives, return and reopen reasons, rating comments: the one text rule (no markup, no hidden characters). */
export const narrativeText = plainText(NARRATIVE_MAX);

export const COMMITMENT_OUTCOMES = ["done", "carried_over", "dropped"] as const;


function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

function ids(form: FormData, name: string): number[] {
  return form
    .getAll(name)
    .map(String)
    .filter((v) => /^[1-9]\d{0,9}$/.test(v))
    .map(Number);
}

/** Reads the narratives and commitments; field names are "<field>_<planItemId>" and "outcome_<sourceItemId>". */
export function parseReportForm(form: FormData) {
  const errors: FieldErrors = {};
  const check = (name: string) => {
    const parsed = narrativeText.safeParse(text(form, name));
    if (!parsed.success) {
      errors[name] = parsed.error.issues[0]?.message ?? "errors.too_long";
      return "";
    }
    return parsed.data;
  };
  const narrative = (planItemId: number, suffix: string | number) => {
    const [progress, problems, nextSteps, coordination] = NARRATIVE_FIELDS.map((f) => check(`${f}_${suffix}`));
    return { planItemId, progress, problems, nextSteps, coordination };
  };
  const items = ids(form, "item_ids").map((id) => narrative(id, id));
  // An item the report adds (one with no activity this period) comes in the "_extra" fields.
  const extra = text(form, "extra_item");
  if (/^[1-9]\d{0,9}$/.test(extra) && !items.some((i) => i.planItemId === Number(extra))) {
    items.push(narrative(Number(extra), "extra"));
  }
  const commitments = ids(form, "commitment_ids").map((sourceItemId) => {
    const outcome = text(form, `outcome_${sourceItemId}`);
    if (outcome && !(COMMITMENT_OUTCOMES as readonly string[]).includes(outcome)) errors[`outcome_${sourceItemId}`] = "errors.choose";
    return {
      sourceItemId,
      outcome: (COMMITMENT_OUTCOMES as readonly string[]).includes(outcome) ? (outcome as (typeof COMMITMENT_OUTCOMES)[number]) : null,
      note: check(`note_${sourceItemId}`),
    };
  });
  return { items, commitments, errors };
}

/** The reviewer's reasons: one for the whole report and one per plan item ("return_<planItemId>"). */
export function parseReviewForm(form: FormData) {
  const errors: FieldErrors = {};
  const reasonParsed = narrativeText.safeParse(text(form, "reason"));
  if (!reasonParsed.success) errors.reason = reasonParsed.error.issues[0]?.message;
  const itemReasons = ids(form, "item_ids").map((planItemId) => {
    const parsed = narrativeText.safeParse(text(form, `return_${planItemId}`));
    if (!parsed.success) errors[`return_${planItemId}`] = parsed.error.issues[0]?.message;
    return { planItemId, reason: parsed.success ? parsed.data : "" };
  });
  return { reason: reasonParsed.success ? reasonParsed.data : "", itemReasons, errors };
}
