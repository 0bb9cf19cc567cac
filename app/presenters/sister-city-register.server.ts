// Shapes the sister-city register's pages: the list (filters, each relationship with its stage, dates,
// classification and last exchange; the headline figures; the 开辟 candidates) and one relationship's page (its
// stages with their documents, its history, the exchanges of the last three years). The rules are
// domain/sister-cities.ts; the figures are the indicators' own (services/indicator-progress.server.ts).
import { bodyFullName } from "~/domain/counterparts";
import {
  CANDIDATE_MIN_EXCHANGES,
  type Classification,
  EXCHANGE_YEARS,
  SISTER_CITY_STAGES,
  classify,
  exchangeWindowStart,
  isCandidate,
  isFormal,
  stagesUpTo,
  type SisterCityStage,
} from "~/domain/sister-cities";
import { type Locale, localName } from "~/i18n";
import { listAuditForEntity } from "~/models/audit-log.server";
import { inTreeOrder } from "~/models/organization.server";
import {
  type SisterCityRow,
  exchangeCountsByBody,
  exchangesByBodyAndUnit,
  getSisterCity,
  listBodies,
  listExchanges,
  listSisterCities,
  listSisterCityUnits,
} from "~/models/sister-city.server";
import { parseSisterCityFilter } from "~/schemas/sister-city";
import { registerIndicatorValues } from "~/services/indicator-progress.server";
import type { SessionUser } from "~/utils/auth.server";
import { countryName, isSoutheastAsian } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { canManageSisterCity } from "~/utils/permissions";

type Exchange = { counterpart_id: number; organization_path: string; last_exchange: string | null; recent: number | string | null };

/** The latest exchange and the number in the window of a unit's subtree with a body. */
function exchangesOf(row: Pick<SisterCityRow, "counterpart_id" | "organization_path">, exchanges: readonly Exchange[]) {
  let last: string | null = null;
  let recent = 0;
  for (const e of exchanges) {
    if (e.counterpart_id !== row.counterpart_id || !e.organization_path.startsWith(row.organization_path)) continue;
    if (e.last_exchange && (last === null || e.last_exchange > last)) last = e.last_exchange;
    recent += Number(e.recent ?? 0);
  }
  return { last, recent };
}

function relationshipView(row: SisterCityRow, exchanges: readonly Exchange[], today: string, locale: Locale) {
  const { last, recent } = exchangesOf(row, exchanges);
  const formal = isFormal(row);
  return {
    id: row.id,
    organization_id: row.organization_id,
    organization_path: row.organization_path,
    counterpart_id: row.counterpart_id,
    unit: localName(locale, row.unit_name_zh, row.unit_name_en),
    body: bodyFullName({ country_code: row.country_code, name_zh: row.body_name_zh, name_en: row.body_name_en }, locale),
    country_code: row.country_code,
    country: countryName(row.country_code, locale),
    stage: row.stage as SisterCityStage,
    ended_on: row.ended_on,
    /** the date of the stage reached (null where no document gives one) */
    stage_on: row.stage === "established" ? row.established_on : row.stage === "letter_of_intent" ? row.letter_of_intent_on : row.consensus_on,
    formal,
    classification: formal ? classify(last, today) : null,
    lastExchange: last,
    recentExchanges: recent,
  };
}

export type RelationshipView = ReturnType<typeof relationshipView>;

export async function loadSisterCityRegister(db: DB, params: URLSearchParams, user: SessionUser, locale: Locale, today: string) {
  const { filter, invalid } = parseSisterCityFilter(params);
  const window = { from: exchangeWindowStart(today), today };
  const [rows, exchanges, counts, units, figures] = await Promise.all([
    listSisterCities(db),
    exchangesByBodyAndUnit(db, window),
    exchangeCountsByBody(db, window),
    listSisterCityUnits(db),
    registerIndicatorValues(db, today),
  ]);
  const all = rows.map((r) => relationshipView(r, exchanges, today, locale));

  const unitRow = filter.unit !== undefined ? units.find((u) => u.id === filter.unit) : undefined;
  const unitInvalid = filter.unit !== undefined && !unitRow;
  const shown = all.filter(
    (r) =>
      (!filter.stage || (filter.stage === "ended" ? r.ended_on !== null : r.ended_on === null && r.stage === filter.stage)) &&
      (!filter.country || r.country_code === filter.country) &&
      (!unitRow || r.organization_path.startsWith(unitRow.path)) &&
      (!filter.class || r.classification === filter.class),
  );

  // the register as it stands: formal pairs, their countries, those in Southeast Asia
  const formal = all.filter((r) => r.formal);
  const registered = {
    pairs: formal.length,
    countries: new Set(formal.map((r) => r.country_code)).size,
    southeastAsia: formal.filter((r) => isSoutheastAsian(r.country_code)).length,
  };
  const byClass: Record<Classification, number> = { active: 0, dormant: 0 };
  for (const r of formal) byClass[r.classification!]++;

  // 开辟: bodies with repeated exchanges and no relationship
  const related = new Set(all.filter((r) => r.ended_on === null).map((r) => r.counterpart_id));
  const busy = counts.filter((c) => Number(c.exchanges) >= CANDIDATE_MIN_EXCHANGES && !related.has(c.counterpart_id));
  const bodies = await listBodies(db, busy.map((c) => c.counterpart_id));
  const candidates = busy
    .flatMap((c) => {
      const body = bodies.find((b) => b.id === c.counterpart_id);
      if (!body || !isCandidate({ level: body.level, exchanges: Number(c.exchanges), hasRelationship: false })) return [];
      return [{ id: body.id, name: bodyFullName(body, locale), country: countryName(body.country_code, locale), level: body.level, exchanges: Number(c.exchanges), lastExchange: c.last_exchange }];
    })
    .sort((a, b) => b.exchanges - a.exchanges || (b.lastExchange ?? "").localeCompare(a.lastExchange ?? ""));

  return {
    filter,
    invalid: [...invalid, ...(unitInvalid ? ["unit"] : [])],
    rows: shown,
    total: all.length,
    registered,
    byClass,
    figures: figures.map(({ indicator, value }) => ({
      id: indicator.id,
      computation: indicator.computation!,
      name: localName(locale, indicator.name_zh, indicator.name_en),
      value,
      baseline: indicator.baseline_value,
      baselineYear: indicator.baseline_year,
    })),
    candidates,
    window,
    years: EXCHANGE_YEARS,
    minExchanges: CANDIDATE_MIN_EXCHANGES,
    units: inTreeOrder(units).map((u) => ({ id: u.id, name: localName(locale, u.name_zh, u.name_en), depth: u.depth })),
    countries: [...new Set(all.map((r) => r.country_code))]
      .map((code) => ({ code, name: countryName(code, locale) }))
      .sort((a, b) => a.name.localeCompare(b.name, locale === "en" ? "en" : "zh-CN")),
    canAdd: canManageSisterCity(user),
  };
}

export async function loadSisterCityPage(db: DB, id: number, user: SessionUser, locale: Locale, today: string) {
  const row = await getSisterCity(db, id);
  if (!row) return null;
  const window = { from: exchangeWindowStart(today), today };
  const [exchanges, recent, history] = await Promise.all([
    exchangesByBodyAndUnit(db, window, [row.counterpart_id]),
    listExchanges(db, row.counterpart_id, row.organization_path, window),
    listAuditForEntity(db, "sister_city", id),
  ]);
  const view = relationshipView(row, exchanges, today, locale);
  const reached = stagesUpTo(row.stage as SisterCityStage);
  return {
    relationship: view,
    stages: SISTER_CITY_STAGES.map((stage) => ({
      stage,
      reached: reached.includes(stage),
      date: row[`${stage}_on`],
      document: row[`${stage}_document`],
      url: row[`${stage}_url`],
    })),
    /** the stage form's values */
    values: {
      stage: row.stage,
      consensus_on: row.consensus_on ?? "",
      consensus_document: row.consensus_document,
      consensus_url: row.consensus_url,
      letter_of_intent_on: row.letter_of_intent_on ?? "",
      letter_of_intent_document: row.letter_of_intent_document,
      letter_of_intent_url: row.letter_of_intent_url,
      established_on: row.established_on ?? "",
      established_document: row.established_document,
      established_url: row.established_url,
      ended_on: row.ended_on ?? "",
      note: row.note,
    } as Record<string, string>,
    note: row.note,
    exchanges: recent.map((a) => ({ ...a, unit: localName(locale, a.unit_name_zh, a.unit_name_en) })),
    window,
    years: EXCHANGE_YEARS,
    history: history.map((h) => ({ id: h.id, at: h.at, action: h.action, user_name: h.user_name, changes: h.changes })),
    canManage: canManageSisterCity(user, { organization_path: row.organization_path }),
    organization_path: row.organization_path,
  };
}

/** A body's relationships with our units, for its page in the counterpart register. */
export async function relationshipsOfBody(db: DB, counterpartId: number, locale: Locale, today: string) {
  const rows = await listSisterCities(db, { counterpartId });
  if (!rows.length) return [];
  const exchanges = await exchangesByBodyAndUnit(db, { from: exchangeWindowStart(today), today }, [counterpartId]);
  return rows.map((r) => relationshipView(r, exchanges, today, locale));
}
