// The evaluation page of a period: every loggable plan item with the system's proposal and the reviewer's rating.
import { listPlanItems } from "~/models/plan-item.server";
import { listRatings, saveRatings } from "~/models/rating.server";
import type { PeriodRow } from "~/models/reporting-period.server";
import { planItemIndicatorProgress } from "~/services/indicator-progress.server";
import { type IndicatorSignal, type Proposal, activitySignals, proposeFromSignals } from "~/services/rating-proposal.server";
import type { DB } from "~/utils/db.server";
import { type Translate, translator } from "~/i18n";
import { type IndicatorUnit, UNIT_KEYS } from "~/schemas/indicator";

const zh = translator("zh-CN");
const en = translator("en");
const unitName = (unit: string, t: Translate) => t(`indicators.unit.${UNIT_KEYS[unit as IndicatorUnit] ?? "items"}`);

export async function proposalsFor(db: DB, period: PeriodRow) {
  const [items, signalsOf] = await Promise.all([listPlanItems(db), activitySignals(db, period)]);
  const loggable = items.filter((p) => p.loggable === 1);
  const proposals = new Map<number, Proposal>();
  for (const item of loggable) {
    const progress = await planItemIndicatorProgress(db, item, period);
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

export async function loadEvaluation(db: DB, period: PeriodRow) {
  const [{ items, loggable, proposals }, ratings] = await Promise.all([proposalsFor(db, period), listRatings(db, period.id)]);
  const pillarOf = (path: string) => items.find((p) => p.kind === "pillar" && path.startsWith(p.path)) ?? items.find((p) => p.kind === "section" && path.startsWith(p.path));
  const rows = loggable.map((item) => {
    const rating = ratings.find((r) => r.plan_item_id === item.id);
    const group = pillarOf(item.path);
    return {
      id: item.id,
      code: item.code,
      title_zh: item.title_zh,
      title_en: item.title_en,
      group: group ? { code: group.code, title_zh: group.title_zh, title_en: group.title_en } : null,
      proposal: proposals.get(item.id)!,
      rating: rating
        ? {
            rating: rating.rating,
            proposed: rating.proposed_rating,
            comment: rating.comment,
            overrideReason: rating.override_reason,
            ratedAt: rating.rated_at,
            ratedBy: rating.rated_by_name,
          }
        : null,
    };
  });
  const count = (r: string) => rows.filter((row) => row.rating?.rating === r).length;
  return {
    rows,
    summary: { green: count("green"), yellow: count("yellow"), red: count("red"), none: rows.filter((r) => !r.rating).length },
  };
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
