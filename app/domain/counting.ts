// What the figures count: one home for the rule that every page, export, draft, indicator and rating applies.
// A plain module (no .server) so pages can explain the rule beside the figure they show.

/**
 * The statuses an activity is counted in: completed (已完成) and under way (进行中). Planned activities (计划) have
 * not happened and cancelled ones (取消) did not, so neither is counted in any total, indicator or rating.
 */
export const COUNTED_STATUSES = ["completed", "ongoing"] as const;

export function isCounted(status: string): boolean {
  return (COUNTED_STATUSES as readonly string[]).includes(status);
}

/** The message key of the note that says what the headline figures count ("已完成和进行中的活动，不含计划"). */
export const COUNTED_NOTE_KEY = "counting.note";
