// Closing the plan's loose ends: an activity logged as 计划 (planned) whose dates have passed either happened or
// did not. Its reporter closes a selection of them at once, as 已完成 or 取消. The rule lives here so the list can
// offer exactly the rows the server will accept.

/** What a planned activity whose dates have passed can be closed as. */
export const CLOSING_STATUSES = ["completed", "cancelled"] as const;
export type ClosingStatus = (typeof CLOSING_STATUSES)[number];

/** At most this many activities closed in one action (a list page shows 25). */
export const CLOSE_MAX = 100;

/** Planned, and its last day is before today (China): it can be closed. */
export function isClosable(activity: { status: string; end_date: string; deleted_at?: string | null }, today: string): boolean {
  return activity.status === "planned" && activity.end_date < today && !activity.deleted_at;
}

export function isClosingStatus(value: unknown): value is ClosingStatus {
  return (CLOSING_STATUSES as readonly unknown[]).includes(value);
}
