// When a period report is due, overdue, on time or late: the rules the monitoring matrix, the inbox, the report
// pages, the drafts and the evaluation workbook all apply. A plain module (no .server), so pages can explain them.
//
// Definitions (the page explains them in words; the inbox uses the same ones):
//   due passed      — today > the period's due date. A report is on time on the due date itself.
//   submitted       — the report's current status is submitted or approved. A returned or reopened report is not.
//   逾期 overdue     — the due date has passed and the report is not submitted now: no report row, a draft, or a
//                     returned report (returned before or after the due date) that has not been resubmitted.
//   逾期报送         — the report's first submission came after the due date (whatever its status now).
//   on time         — the first submission came on or before the due date (even if it was returned later).
//   completeness    — periods with due passed whose report is submitted now ÷ periods with due passed.
//   timeliness      — periods with due passed first submitted on time ÷ periods with due passed.
//   late unit       — a unit with at least one overdue period (in the matrix: among the periods it shows; in
//                     listLateUnits, used by the inbox: among all periods of every kind).
// Submission times are stored as UTC timestamps; they are compared with due dates as dates in China time.
import type { ReportStatus } from "../../db/schema";
import { chinaDateOf } from "~/utils/china-time";

/** The kinds of unit expected to send period reports. */
export const REPORTING_UNIT_KINDS = ["prefecture", "county"] as const;

export type CellStatus = "none" | ReportStatus;

export interface CellState {
  status: CellStatus;
  duePassed: boolean;
  overdue: boolean;
  lateSubmission: boolean;
  onTime: boolean;
  /** the China date of the first submission */
  firstSubmittedOn: string | null;
}

/** One unit's report for one period, classified as of `today` (see the definitions at the top). */
export function classifyReport(
  report: { status: ReportStatus; first_submitted_at: string | null } | undefined,
  period: { due_date: string },
  today: string,
): CellState {
  const status: CellStatus = report?.status ?? "none";
  const duePassed = today > period.due_date;
  const submitted = status === "submitted" || status === "approved";
  const firstSubmittedOn = report?.first_submitted_at ? chinaDateOf(report.first_submitted_at) : null;
  return {
    status,
    duePassed,
    overdue: duePassed && !submitted,
    lateSubmission: firstSubmittedOn !== null && firstSubmittedOn > period.due_date,
    onTime: firstSubmittedOn !== null && firstSubmittedOn <= period.due_date,
    firstSubmittedOn,
  };
}

/** The narrative fields of a report item, in the order the page, the ledger and the comparison show them. */
export const NARRATIVE_FIELDS = ["progress", "problems", "next_steps", "coordination"] as const;
export type NarrativeField = (typeof NARRATIVE_FIELDS)[number];

/**
 * What keeps a report from being signed off (提交审签 or 签发报送): a report with no activity in the period and no
 * narrative or account of last period's commitments is empty; every plan item that activities of the period serve as their main item needs its
 * 进展情况. A period not yet ended may still be signed off, once the leader confirms an early submission.
 */
export function signOffGaps(input: {
  /** the codes of the plan items the period's activities serve as their main item */
  activityItems: Iterable<string>;
  narratives: { code: string; progress: string; problems: string; next_steps: string; coordination: string }[];
  /** how many of last period's commitments the report accounts for (an account is content too) */
  accounts?: number;
}): { empty: boolean; missingProgress: string[] } {
  const codes = [...new Set(input.activityItems)];
  const written = input.narratives.filter((n) => NARRATIVE_FIELDS.some((f) => n[f].trim() !== ""));
  const missingProgress = codes.filter((code) => !input.narratives.some((n) => n.code === code && n.progress.trim() !== ""));
  return { empty: codes.length === 0 && written.length === 0 && !input.accounts, missingProgress };
}

/** Has the period not ended yet on `today` (a China date)? Signing off then needs a confirmed early submission. */
export function periodNotEnded(period: { end_date: string }, today: string): boolean {
  return today <= period.end_date;
}
