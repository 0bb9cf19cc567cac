// The sister-city register's rules (docs/decisions/015-sister-city-register.md): the stages of a relationship,
// dates at the precision a document gives them, which relationships are formal pairs, how a formal pair is
// classified from the ledger (强化 / 激活), which bodies are candidates to open one with (开辟), and how the register
// moves the sister-city indicators. A plain module: the pages explain the rules they show with it.
import { isSoutheastAsian } from "~/utils/countries";

/** 共识 → 意向书 → 正式缔结. */
export const SISTER_CITY_STAGES = ["consensus", "letter_of_intent", "established"] as const;
export type SisterCityStage = (typeof SISTER_CITY_STAGES)[number];

export function isSisterCityStage(value: string): value is SisterCityStage {
  return (SISTER_CITY_STAGES as readonly string[]).includes(value);
}

/** The stages up to and including `stage`, in order. */
export function stagesUpTo(stage: SisterCityStage): SisterCityStage[] {
  return SISTER_CITY_STAGES.slice(0, SISTER_CITY_STAGES.indexOf(stage) + 1);
}

/** Our units that hold sister-city relationships: the province, its prefectures and its counties. */
export const SISTER_CITY_UNIT_KINDS = ["province", "prefecture", "county"] as const;

/**
 * The levels of foreign body a sister-city relationship is made with: provinces and states, cities, districts.
 * Ministries and organisations are not sister cities; twinned border villages have their own indicator.
 */
export const SISTER_CITY_BODY_LEVELS = ["province", "city", "district"] as const;

export function isSisterCityBodyLevel(level: string): boolean {
  return (SISTER_CITY_BODY_LEVELS as readonly string[]).includes(level);
}

// ── dates at a document's precision ─────────────────────────────────────────────────────────────

/** "2003" (a year), "2003-06" (a month) or "2003-06-15" (a day): ISO 8601 at the precision a document gives. */
export type PartialDate = string;
export type DatePrecision = "year" | "month" | "day";

const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function isPartialDate(text: string): boolean {
  const m = PARTIAL.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  if (year < 1900 || year > 2100) return false;
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  return day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function precisionOf(date: PartialDate): DatePrecision {
  return date.length === 4 ? "year" : date.length === 7 ? "month" : "day";
}

/**
 * The last day a partial date can mean ("2003" → "2003-12-31"): the day by which the event had certainly happened.
 * Counting and ordering use it, so a pair known only by its year counts from the end of that year, never earlier.
 */
export function lastDayOf(date: PartialDate): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number | undefined, number | undefined];
  const month = m ?? 12;
  const day = d ?? daysInMonth(y, month);
  return `${y}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The month ("YYYY-MM") a partial date counts in: the month of its last day. */
export function countingMonthOf(date: PartialDate): string {
  return lastDayOf(date).slice(0, 7);
}

// ── formal pairs ────────────────────────────────────────────────────────────────────────────────

export interface RelationshipState {
  stage: string;
  ended_on: string | null;
}

/** A formal pair (正式缔结) that has not ended: what the register's counts and the classification are about. */
export function isFormal(r: RelationshipState): boolean {
  return r.stage === "established" && r.ended_on === null;
}

// ── classification from the ledger: 强化 / 激活 / 开辟 ─────────────────────────────────────────

/** How far back an exchange keeps a relationship active, and counts towards a candidate. */
export const EXCHANGE_YEARS = 3;
/** Exchanges in those years that make a body without a relationship a candidate (开辟). */
export const CANDIDATE_MIN_EXCHANGES = 2;

/** active: 强化 (exchanges in the last three years); dormant: 激活 (none). */
export const CLASSIFICATIONS = ["active", "dormant"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * The first day of the exchange window ending `today` (China time, "YYYY-MM-DD"): the same day three years
 * earlier (29 February → 28 February). An exchange is an activity of the ledger that counts (completed or under
 * way, domain/counting.ts) starting in [windowStart, today].
 */
export function exchangeWindowStart(today: string): string {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const year = y - EXCHANGE_YEARS;
  const day = Math.min(d, daysInMonth(year, m));
  return `${year}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * A formal pair is active (强化) when the ledger holds an exchange of our unit (or a unit below it) with the body
 * in the last three years, else dormant (激活). `lastExchange` is the latest start date of such an activity up to
 * today (any year), or null.
 */
export function classify(lastExchange: string | null, today: string): Classification {
  return lastExchange !== null && lastExchange >= exchangeWindowStart(today) && lastExchange <= today ? "active" : "dormant";
}

/** A body is a candidate (开辟) with ≥ 2 exchanges of any of our units in the window and no relationship at all. */
export function isCandidate(body: { level: string; exchanges: number; hasRelationship: boolean }): boolean {
  return !body.hasRelationship && isSisterCityBodyLevel(body.level) && body.exchanges >= CANDIDATE_MIN_EXCHANGES;
}

// ── the register's indicators ───────────────────────────────────────────────────────────────────

/**
 * Indicator measures read from the register instead of the ledger: formal pairs, the countries they are in, and
 * the pairs in Southeast Asia (utils/countries.ts). Each is the published baseline plus what the register changed
 * after the baseline year.
 */
export const REGISTER_MEASURES = ["sister_city_pairs", "sister_city_countries", "sister_city_pairs_sea"] as const;
export type RegisterMeasure = (typeof REGISTER_MEASURES)[number];

export function isRegisterMeasure(computation: string | null | undefined): computation is RegisterMeasure {
  return (REGISTER_MEASURES as readonly (string | null | undefined)[]).includes(computation);
}

export interface CountedRelationship {
  stage: string;
  country_code: string;
  established_on: string | null;
  ended_on: string | null;
}

/** Is the relationship a formal pair in force at the end of `month` ("YYYY-MM")? Undated: before any baseline. */
function inForceAt(r: CountedRelationship, month: string): boolean {
  if (r.stage !== "established") return false;
  if (r.established_on !== null && countingMonthOf(r.established_on) > month) return false;
  return r.ended_on === null || countingMonthOf(r.ended_on) > month;
}

/**
 * How the register moved a measure after the baseline year, month by month ("YYYY-MM" → change), for the
 * indicator maths to add to the published baseline (which already holds what came before).
 * - pairs: formal pairs in force; a pair counts from the month it was established (a year alone: its December) and
 *   stops from the month it ended. An undated formal pair is one the baseline already holds.
 * - countries: the distinct countries with a formal pair in force. A country is added when its first pair in force
 *   comes after the baseline year, so a pair in a country the register already holds adds nothing — and a
 *   country among the baseline's whose old pair the register lacks would count as new until that pair is entered.
 * - Southeast Asia: pairs with a body of a Southeast Asian country.
 * `countries` narrows every measure to pairs with bodies of those countries (empty: any).
 */
export function registerLevelChanges(
  relationships: readonly CountedRelationship[],
  measure: RegisterMeasure,
  baselineYear: number,
  countries: readonly string[] = [],
): Map<string, number> {
  const counted = relationships.filter(
    (r) => (measure !== "sister_city_pairs_sea" || isSoutheastAsian(r.country_code)) && (!countries.length || countries.includes(r.country_code)),
  );
  const valueAt = (month: string) => {
    const live = counted.filter((r) => inForceAt(r, month));
    return measure === "sister_city_countries" ? new Set(live.map((r) => r.country_code)).size : live.length;
  };
  const reference = `${baselineYear}-12`;
  const events = [
    ...new Set(
      counted
        .flatMap((r) => [r.established_on, r.ended_on])
        .filter((d): d is string => d !== null)
        .map(countingMonthOf)
        .filter((m) => m > reference),
    ),
  ].sort();
  const changes = new Map<string, number>();
  let previous = valueAt(reference);
  for (const month of events) {
    const value = valueAt(month);
    if (value !== previous) changes.set(month, value - previous);
    previous = value;
  }
  return changes;
}
