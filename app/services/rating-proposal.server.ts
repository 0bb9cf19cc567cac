// The system's proposed 红黄绿 rating of each plan item for a period, with its reasons: from activity (none at
// all, none this period), planned activities past their date, and indicator progress against time elapsed.
// The reviewer decides; a rating other than the proposal needs a reason.
import type { Rating } from "../../db/schema";
import { COUNTED_STATUSES } from "~/domain/counting";
import { type Translate } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import { countActivitiesInPlan, listPlanItems } from "~/models/plan-item.server";
import { listRatings, saveRatings } from "~/models/rating.server";
import type { PeriodRow } from "~/models/reporting-period.server";
import { type IndicatorUnit, UNIT_KEYS } from "~/schemas/indicator";
import type { DB } from "~/utils/db.server";
import { listIndicatorsWithProgress } from "./indicator-progress.server";

const SEVERITY: Record<Rating, number> = { green: 0, yellow: 1, red: 2 };

export interface ProposalReason {
  key: string;
  params?: Record<string, string | number>;
  rating: Rating;
}

export interface Proposal {
  rating: Rating;
  reasons: ProposalReason[];
}

export interface IndicatorSignal {
  /** the indicator's name in each language: a reason quotes it in the reader's */
  name: string;
  name_en: string;
  /** the unit as the catalogs name it ("批" / "delegations") */
  unit: string;
  unit_en: string;
  /** the figures the proposal rests on, quoted in its reason */
  actualToDate: number | null;
  target: number;
  actualInPeriod: number | null;
  periodTarget: number | null;
  /** % of the plan target achieved, or null when it cannot be said */
  percent: number | null;
  /** % of the period's target achieved, or null when the period has none */
  periodPercent: number | null;
  /** share of the plan's time elapsed at the period's end, 0..1 */
  expected: number;
}

/** A figure as a reason quotes it: whole numbers as they are, others to two decimals. */
function figure(n: number | null): string {
  if (n === null) return "—";
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** Below these shares of the expected progress an indicator is lagging (yellow) or behind (red). */
export const LAGGING = 0.8;
export const BEHIND = 0.5;

export function proposeFromSignals(signals: {
  activitiesToDate: number;
  activitiesInPeriod: number;
  plannedOverdue: number;
  indicators: IndicatorSignal[];
}): Proposal {
  const reasons: ProposalReason[] = [];
  if (signals.activitiesToDate === 0) reasons.push({ key: "evaluation.reason.no_activity_ever", rating: "red" });
  else if (signals.activitiesInPeriod === 0)
    reasons.push({ key: "evaluation.reason.no_activity_period", params: { count: signals.activitiesToDate }, rating: "yellow" });
  else reasons.push({ key: "evaluation.reason.activity_period", params: { count: signals.activitiesInPeriod }, rating: "green" });
  if (signals.plannedOverdue > 0)
    reasons.push({ key: "evaluation.reason.planned_overdue", params: { count: signals.plannedOverdue }, rating: "yellow" });
  for (const indicator of signals.indicators) {
    const params = {
      name: indicator.name,
      name_en: indicator.name_en,
      unit: indicator.unit,
      unit_en: indicator.unit_en,
      actual: figure(indicator.actualToDate),
      target: figure(indicator.target),
      period_actual: figure(indicator.actualInPeriod),
      period_target: figure(indicator.periodTarget),
      percent: indicator.percent === null ? "—" : Math.round(indicator.percent),
      expected: Math.round(indicator.expected * 100),
    };
    // A target met — the plan's, or this period's — is never a reason for yellow or red.
    if ((indicator.periodPercent !== null && indicator.periodPercent >= 100) || (indicator.percent !== null && indicator.percent >= 100)) {
      const key = indicator.periodPercent !== null && indicator.periodPercent >= 100 ? "indicator_period_met" : "indicator_plan_met";
      reasons.push({ key: `evaluation.reason.${key}`, params, rating: "green" });
      continue;
    }
    if (indicator.percent === null || indicator.expected <= 0) continue;
    const ratio = indicator.percent / 100 / indicator.expected;
    const rating: Rating = ratio < BEHIND ? "red" : ratio < LAGGING ? "yellow" : "green";
    const key = rating === "red" ? "behind" : rating === "yellow" ? "lagging" : "on_track";
    reasons.push({ key: `evaluation.reason.indicator_${key}`, params, rating });
  }
  const rating = reasons.reduce<Rating>((worst, r) => (SEVERITY[r.rating] > SEVERITY[worst] ? r.rating : worst), "green");
  return { rating, reasons };
}

/** Activity signals for every plan node at once, for a period (counts include each node's descendants). */
export async function activitySignals(db: DB, period: PeriodRow) {
  const [toDate, inPeriod, overdue] = await Promise.all([
    countActivitiesInPlan(db, { statuses: COUNTED_STATUSES, startTo: period.end_date }),
    countActivitiesInPlan(db, { statuses: COUNTED_STATUSES, startFrom: period.start_date, startTo: period.end_date }),
    countActivitiesInPlan(db, { statuses: ["planned"], endBefore: period.end_date }),
  ]).then((counts) => counts.map((c) => c.byNode));
  return (planItemId: number) => ({
    activitiesToDate: toDate.get(planItemId) ?? 0,
    activitiesInPeriod: inPeriod.get(planItemId) ?? 0,
    plannedOverdue: overdue.get(planItemId) ?? 0,
  });
}

// ── the proposals of a period, from the ledger and the indicators ─────────────────────────────────

const zh = translator("zh-CN");
const en = translator("en");
const unitName = (unit: string, t: Translate) => t(`indicators.unit.${UNIT_KEYS[unit as IndicatorUnit] ?? "items"}`);

/** Every loggable plan item's proposal for the period (the evaluation page, the ledger's 预警, approval snapshots). */
export async function proposalsFor(db: DB, period: PeriodRow) {
  // every indicator's progress at once (one read of the ledger's totals), each item taking those at or below it
  const [items, signalsOf, everyIndicator] = await Promise.all([listPlanItems(db), activitySignals(db, period), listIndicatorsWithProgress(db, period)]);
  const loggable = items.filter((p) => p.loggable === 1);
  const proposals = new Map<number, Proposal>();
  for (const item of loggable) {
    const progress = everyIndicator.filter(({ indicator }) => indicator.plan_item_path.startsWith(item.path));
    const indicators: IndicatorSignal[] = progress.map(({ indicator, progress: p }) => ({
      name: indicator.name_zh,
      name_en: indicator.name_en,
      unit: unitName(indicator.unit, zh),
      unit_en: unitName(indicator.unit, en),
      actualToDate: p.actualToDate,
      target: p.target,
      actualInPeriod: p.actualInPeriod,
      periodTarget: p.periodTarget,
      percent: p.percent,
      periodPercent: p.periodPercent,
      expected: p.expected,
    }));
    proposals.set(item.id, proposeFromSignals({ ...signalsOf(item.id), indicators }));
  }
  return { items, loggable, proposals };
}

/**
 * The reviewer accepts every proposal of the period at once: each item not yet rated gets the proposed rating,
 * with the proposal it rests on and a comment saying it was accepted; items already rated stay as rated. All or
 * nothing, one audit entry per item. Returns how many were rated.
 */
export async function acceptAllProposals(db: DB, period: PeriodRow, actorId: number, comment: string): Promise<number> {
  const [{ loggable, proposals }, ratings] = await Promise.all([proposalsFor(db, period), listRatings(db, period.id)]);
  const rated = new Set(ratings.map((r) => r.plan_item_id));
  const inputs = loggable
    .filter((item) => !rated.has(item.id))
    .map((item) => {
      const proposal = proposals.get(item.id)!;
      return {
        periodId: period.id,
        planItemId: item.id,
        rating: proposal.rating,
        proposedRating: proposal.rating,
        proposalJson: JSON.stringify(proposal),
        comment,
        overrideReason: "",
      };
    });
  await saveRatings(db, inputs, actorId);
  return inputs.length;
}
