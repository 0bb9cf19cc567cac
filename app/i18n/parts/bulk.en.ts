import type { bulkZh } from "./bulk.zh";

export const bulkEn: Record<keyof typeof bulkZh, string> = {
  "bulk.approve.title": "Approve several reports",
  "bulk.approve.hint": "{count} submitted reports on this page await review: tick their cells, then approve them all with one confirmation.",
  "bulk.approve.open": "Approve selected reports…",
  "bulk.approve.select": "Select the report of {unit}, {period}",
  "bulk.approve.intro": "These {count} reports will each be approved exactly as a single approval: the activities of their periods are frozen and each approval is in the audit log.",
  "bulk.approve.status": "Status now",
  "bulk.approve.submitted_at": "Submitted",
  "bulk.approve.not_approvable": "(not awaiting review; will not be approved)",
  "bulk.approve.blocked_hint": "{count} of the selected reports are not awaiting review and are left out.",
  "bulk.approve.freeze_hint": "If any of these reports is returned or changed meanwhile, none is approved; go back and select again.",
  "bulk.approve.confirm": "Approve these {count} reports",
  "bulk.approve.cancel": "Back",
  "bulk.approve.none_selected": "No report selected. Tick the cells marked “Submitted” in the submissions table.",
  "bulk.approve.done": "{count} reports approved.",
  "bulk.approve.errors.none": "No report selected.",
  "bulk.approve.errors.bad_selection": "The selection is not valid; go back and select again.",
  "bulk.approve.errors.confirm": "Check the selected reports on the confirmation page, then choose “Approve”.",
  "bulk.approve.errors.not_found": "A unit or period of the selection does not exist.",
  "bulk.approve.errors.stale": "A selected report changed or was handled before you confirmed; none was approved. Go back and select again.",
  "bulk.approve.errors.not_submitted": "A selected report is not awaiting review; none was approved.",
} as const;
