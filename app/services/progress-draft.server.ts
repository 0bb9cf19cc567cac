// The drafted progress report (文字材料): for a unit (with the units below it) and a reporting period, the summary a
// government office writes, grouped by pillar and plan item, every figure computed from the data, in the register
// of the published local reports ("2023年上半年，……出访……共10批47人次……援建价值人民币30万元……"), and the same in
// plain English.
//
// Two halves: the queries gather the activities (from the frozen snapshot of an approved report where there is
// one, from the live ledger elsewhere, each row labelled with where it came from); the drafting is pure functions
// from those rows to paragraphs, tested with known data in and known text out.
//
// What a figure counts: activities that start within the period (the same rule a period report uses), completed
// or under way. Planned ones of the period are named but not counted; cancelled ones are left out. Activities that
// began before the period and still run in it are named as 跨期事项 and never counted in the period's figures.
import { type Locale, type Translate, localName } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import { formatDate } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { type ActivityListRow, listAllActivities } from "~/models/activity.server";
import { counterpartsOfActivities } from "~/models/counterpart.server";
import { listOrganizations } from "~/models/organization.server";
import { bodyFullName } from "~/domain/counterparts";
import { getReportFor, listReportItems } from "~/models/period-report.server";
import { listPlanItems } from "~/models/plan-item.server";
import { type PeriodRow, nextPeriodOf } from "~/models/reporting-period.server";
import { ACTIVITY_TYPES, type ActivityType } from "~/schemas/activity";
import type { ReadSnapshot, SnapshotActivity } from "~/schemas/report-snapshot";
import { readReportSnapshot, reportActivities } from "~/services/report-workflow.server";
import { chinaDateOf } from "~/utils/china-time";
import { MEKONG_COUNTRIES, countryName } from "~/utils/countries";
import { isCounted } from "~/domain/counting";
import type { DB } from "~/utils/db.server";
import { fenToWanFixed2 } from "~/utils/money";

// ── the data the drafting works from ─────────────────────────────────────────────────────────────

/** Where a row's figures come from: the frozen snapshot of an approved report, or the live (unreviewed) ledger. */
export type FigureSource = "approved" | "unreviewed";

export interface DraftActivity {
  id: number;
  title: string;
  type: string;
  status: string;
  start_date: string;
  end_date: string;
  counterpart_body: string;
  countries: string[];
  delegations_count: number | null;
  participants_count: number | null;
  funding_cny_fen: number | null;
  /** what came of it, as the reporter wrote it (the sentences the narrative is built from) */
  outcome: string;
  organization_path: string;
  /** the plan item it primarily serves */
  primaryCode: string | null;
  source: FigureSource;
}

export interface DraftPlanItem {
  code: string;
  path: string;
  kind: string;
  title_zh: string;
  title_en: string;
}

export interface DraftPeriod {
  code: string;
  kind: string;
  year: number;
  seq: number;
  start_date: string;
  end_date: string;
}

export interface DraftData {
  unit: { name_zh: string; name_en: string; hasSubunits: boolean };
  period: DraftPeriod;
  nextPeriod: DraftPeriod | null;
  /** the plan tree in document order (the drafting groups by pillar and item) */
  planItems: DraftPlanItem[];
  /** activities starting within the period */
  activities: DraftActivity[];
  /** activities that began before the period and still run in it */
  carried: DraftActivity[];
  /** planned activities starting in the next period */
  planned: DraftActivity[];
  /** the 进展情况 / 存在问题 / 下一步打算 of the unit's own report for the period, per plan item */
  reportTexts: ReportTexts[];
  /** where those texts come from: the approved report, a report not yet approved, or none */
  reportTextsSource: FigureSource | null;
  /** the date the document carries at its end: the day the unit's report was approved, else the day it is drafted */
  issuedOn: string;
  /** the approved reports whose snapshots gave the approved rows */
  approvedReports: { name_zh: string; name_en: string; approvedAt: string }[];
  /** the unit's own report status for the period ("none" when it has not started one) */
  reportStatus: string;
  /**
   * By activity id, the English names of the counterpart register's bodies it is linked to ("Luang Prabang Province,
   * Laos"); bodies without an English name are left out
   */
  counterpartsEn: Record<number, string[]>;
}

export interface ReportTexts {
  code: string;
  progress: string;
  problems: string;
  nextSteps: string;
}

// ── tallies: the figures ─────────────────────────────────────────────────────────────────────────

export interface TypeTally {
  count: number;
  delegations: number;
  participants: number;
  /** 批 logged on rows that have no 人次: said as such ("其中2批未填人次"), never read as 0 people */
  delegationsNoPeople: number;
  fundingFen: number;
  /** how many of them carry an amount */
  funded: number;
}

export interface Tally {
  count: number;
  fundingFen: number;
  byType: Record<ActivityType, TypeTally>;
}

export function emptyTally(): Tally {
  const byType = Object.fromEntries(
    ACTIVITY_TYPES.map((type) => [type, { count: 0, delegations: 0, participants: 0, delegationsNoPeople: 0, fundingFen: 0, funded: 0 }]),
  ) as Record<ActivityType, TypeTally>;
  return { count: 0, fundingFen: 0, byType };
}

function typeOf(type: string): ActivityType {
  return (ACTIVITY_TYPES as readonly string[]).includes(type) ? (type as ActivityType) : "other";
}

/** Adds a group of activities of one type (already summed, e.g. by SQL) to a tally. */
export function addToTally(tally: Tally, type: string, part: TypeTally): Tally {
  const t = tally.byType[typeOf(type)];
  t.count += part.count;
  t.delegations += part.delegations;
  t.participants += part.participants;
  t.delegationsNoPeople += part.delegationsNoPeople;
  t.fundingFen += part.fundingFen;
  t.funded += part.funded;
  tally.count += part.count;
  tally.fundingFen += part.fundingFen;
  return tally;
}

/**
 * The figures of some activities (distinct rows: loadDraftData keeps one row per activity). Delegations and people are summed as entered: a published total (10批47人次) is carried by one row and the visits
 * it covers have no counts, so the sum is exactly the published figure. Delegations logged without people are
 * kept apart, so the text can say so rather than count them as 0人次.
 */
export function tallyActivities(rows: readonly Pick<DraftActivity, "type" | "delegations_count" | "participants_count" | "funding_cny_fen">[]): Tally {
  const tally = emptyTally();
  for (const a of rows) {
    addToTally(tally, a.type, {
      count: 1,
      delegations: a.delegations_count ?? 0,
      participants: a.participants_count ?? 0,
      delegationsNoPeople: a.participants_count === null && a.delegations_count ? a.delegations_count : 0,
      fundingFen: a.funding_cny_fen ?? 0,
      funded: a.funding_cny_fen !== null && a.funding_cny_fen > 0 ? 1 : 0,
    });
  }
  return tally;
}

// ── numbers, dates and lists as the documents write them ─────────────────────────────────────────

/** Money in the documents' register: "30万元", "25.1万元", "223.36万元" (to the 0.01万元, no trailing zeros) / "CNY 300,000". */
export function formatAmount(fen: number, locale: Locale): string {
  if (locale === "en") {
    const yuan = new Intl.NumberFormat("en").format(Math.floor(fen / 100));
    const cents = fen % 100;
    return `CNY ${yuan}${cents ? `.${String(cents).padStart(2, "0")}` : ""}`;
  }
  return `${fenToWanFixed2(fen).replace(/\.?0+$/, "")}万元`;
}

/** A count: Chinese documents write plain Arabic numerals (47人次); English groups thousands. */
export function formatCount(n: number, locale: Locale): string {
  return locale === "en" ? new Intl.NumberFormat("en").format(n) : String(n);
}

const ZH_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (heading numbers up to 99). */
export function chineseNumeral(n: number): string {
  if (n < 10) return ZH_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : ZH_DIGITS[tens]}十${ones ? ZH_DIGITS[ones] : ""}`;
}

const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function ym(iso: string): [number, number] {
  const [y, m] = iso.split("-").map(Number);
  return [y!, m!];
}

/**
 * When something is planned, as the documents write it: "9月", "9月至12月", "2023年9月至2024年12月"; the year is left
 * out when it is the year of the period being planned for. English: "Sep 2023", "Sep–Dec 2023", "Sep 2023 – Dec 2024".
 */
export function formatMonths(start: string, end: string, locale: Locale, contextYear: number): string {
  const [ys, ms] = ym(start);
  const [ye, me] = ym(end || start);
  if (locale === "en") {
    if (ys === ye && ms === me) return `${MONTHS_EN[ms - 1]} ${ys}`;
    if (ys === ye) return `${MONTHS_EN[ms - 1]}–${MONTHS_EN[me - 1]} ${ys}`;
    return `${MONTHS_EN[ms - 1]} ${ys} – ${MONTHS_EN[me - 1]} ${ye}`;
  }
  const year = (y: number) => (y === contextYear ? "" : `${y}年`);
  if (ys === ye && ms === me) return `${year(ys)}${ms}月`;
  if (ys === ye) return `${year(ys)}${ms}月至${me}月`;
  return `${ys}年${ms}月至${ye}年${me}月`;
}

/** 老挝、缅甸和泰国 is written 老挝、缅甸、泰国 in the documents; English: "Laos, Myanmar and Thailand". */
export function proseList(items: readonly string[], locale: Locale): string {
  if (locale !== "en") return items.join("、");
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** The Mekong countries first, in their usual order, then the rest by code. */
export function orderCountries(codes: Iterable<string>): string[] {
  const mekong = MEKONG_COUNTRIES as readonly string[];
  return [...new Set(codes)].sort((a, b) => {
    const ia = mekong.indexOf(a);
    const ib = mekong.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a.localeCompare(b);
  });
}

// ── the drafted document ─────────────────────────────────────────────────────────────────────────

/** title; an editor's note 【…】 (not in the Word file); 一、 heading; （一） heading; paragraph; the unit and date at the end */
export type DraftBlockKind = "title" | "note" | "heading" | "subheading" | "paragraph" | "signature";

export interface DraftBlock {
  kind: DraftBlockKind;
  text: string;
  /** the run-in heading a paragraph starts with ("1.减贫（4.2.6）。", "（一）…"); `text` begins with it */
  lead?: string;
  leadKind?: "item" | "subheading";
  /** a title's lines as printed (their concatenation is `text`) */
  lines?: string[];
}

/** One plan item's paragraph, and where its figures come from (the page lists the unreviewed ones). */
export interface DraftSectionSource {
  code: string;
  title_zh: string;
  title_en: string;
  approved: number;
  unreviewed: { id: number; title: string }[];
  carried: { id: number; title: string }[];
}

export interface DraftDocument {
  locale: Locale;
  blocks: DraftBlock[];
  /** the whole draft as plain text, the way it goes into the editor */
  text: string;
}

export interface DraftSummary {
  /** activities of the period the figures count */
  counted: number;
  approved: number;
  unreviewed: number;
  sections: DraftSectionSource[];
}

function countedActivity(a: DraftActivity): boolean {
  return isCounted(a.status);
}

function byTypeThenDate(a: DraftActivity, b: DraftActivity): number {
  return (
    ACTIVITY_TYPES.indexOf(typeOf(a.type)) - ACTIVITY_TYPES.indexOf(typeOf(b.type)) ||
    a.start_date.localeCompare(b.start_date) ||
    a.id - b.id
  );
}

/** t() with a count: a key ending "_one" is used when the count is 1 (the English singular; 均 dropped in Chinese). */
function counted(t: Translate, locale: Locale, key: string, count: number, params: Record<string, string | number>): string {
  return t(count === 1 ? `${key}_one` : key, { ...params, count: formatCount(count, locale) });
}

/** The phrases of a tally by type: "出访10批47人次", "签署协议/备忘录1份", "援助/民生项目2个（其中1个金额30万元）". */
export function tallyPhrases(tally: Tally, locale: Locale, t: Translate = translator(locale)): string[] {
  const n = (v: number) => formatCount(v, locale);
  const out: string[] = [];
  for (const type of ACTIVITY_TYPES) {
    const x = tally.byType[type];
    if (x.count === 0) continue;
    if (type === "outbound_visit" || type === "inbound_visit") {
      const base = `drafts.part.${type}`;
      if (x.delegations > 0) {
        // 批 without 人次 are said, never read as 0人次: "出访12批47人次（其中2批未填人次）"
        const people = { delegations: n(x.delegations), participants: n(x.participants), missing: n(x.delegationsNoPeople) };
        out.push(
          x.participants === 0
            ? counted(t, locale, `${base}_no_people`, x.delegations, { delegations: n(x.delegations) })
            : x.delegationsNoPeople > 0
              ? t(`${base}_missing_people`, people)
              : counted(t, locale, base, x.delegations, people),
        );
      } else if (x.participants > 0) {
        out.push(counted(t, locale, `${base}_people_only`, x.count, { participants: n(x.participants) }));
      } else {
        // visits logged without counts (e.g. the visits a published total already covers): named, not re-counted
        out.push(counted(t, locale, `${base}_uncounted`, x.count, {}));
      }
    } else if (type === "training") {
      out.push(
        x.participants > 0
          ? counted(t, locale, "drafts.part.training", x.count, { participants: n(x.participants) })
          : counted(t, locale, "drafts.part.training_no_people", x.count, {}),
      );
    } else if (type === "aid_project") {
      if (x.funded === 0) out.push(counted(t, locale, "drafts.part.aid_project", x.count, {}));
      else if (x.funded === x.count)
        out.push(counted(t, locale, "drafts.part.aid_project_funded", x.count, { amount: formatAmount(x.fundingFen, locale) }));
      else
        out.push(
          counted(t, locale, "drafts.part.aid_project_some_funded", x.count, {
            funded: n(x.funded),
            amount: formatAmount(x.fundingFen, locale),
          }),
        );
    } else {
      out.push(counted(t, locale, `drafts.part.${type}`, x.count, {}));
    }
  }
  return out;
}

interface Context {
  data: DraftData;
  locale: Locale;
  t: Translate;
  countries: (codes: string[]) => string[];
}

/** An activity named as the documents name it: its title, and in brackets what the title does not already say. */
export function describeActivity(
  a: DraftActivity,
  ctx: Pick<Context, "locale" | "t" | "countries"> & { counterpartsEn: Record<number, string[]> },
  extra: string[] = [],
): string {
  const { locale, t } = ctx;
  const details: string[] = [];
  const countries = ctx.countries(a.countries);
  if (locale === "en") {
    // the title stays as logged (in Chinese); the brackets say in English who and where
    const bodies = ctx.counterpartsEn[a.id] ?? [];
    if (bodies.length) details.push(proseList(bodies, locale));
    else if (countries.length) details.push(proseList(countries, locale));
  } else if (a.counterpart_body && !a.title.includes(a.counterpart_body)) {
    details.push(a.counterpart_body);
  } else if (!a.counterpart_body && countries.length && !countries.some((c) => a.title.includes(c))) {
    details.push(countries.join("、"));
  }
  const d = a.delegations_count ?? 0;
  const p = a.participants_count ?? 0;
  if ((d > 0 || p > 0) && (locale === "en" || !(d > 0 ? a.title.includes(`${d}批`) : a.title.includes(`${p}人`)))) {
    if (d > 0 && p > 0) details.push(counted(t, locale, "drafts.detail.delegations_people", d, { delegations: formatCount(d, locale), people: formatCount(p, locale) }));
    else if (d > 0) details.push(counted(t, locale, "drafts.detail.delegations", d, {}));
    else details.push(counted(t, locale, "drafts.detail.people", p, {}));
  }
  if (a.funding_cny_fen) {
    const amount = formatAmount(a.funding_cny_fen, locale);
    if (locale === "en" || !a.title.includes(amount)) details.push(amount);
  }
  if (a.status === "ongoing") details.push(t("drafts.detail.ongoing"));
  details.push(...extra);
  return details.length ? `${a.title}${t("drafts.detail.brackets", { details: details.join(t("drafts.detail.sep")) })}` : a.title;
}

/** The month of an activity when it falls within one month (the documents date things by month); else nothing. */
function monthOf(a: DraftActivity, locale: Locale, year: number): string[] {
  const [ys, ms] = ym(a.start_date);
  const [ye, me] = ym(a.end_date || a.start_date);
  return ys === ye && ms === me ? [formatMonths(a.start_date, a.end_date, locale, year)] : [];
}

const NAMED_MAX = 12;

function namedList(rows: DraftActivity[], ctx: Context, describe: (a: DraftActivity) => string): { items: string; more: number } {
  const sep = ctx.t("drafts.item.sep");
  return { items: rows.slice(0, NAMED_MAX).map(describe).join(sep), more: rows.length > NAMED_MAX ? rows.length : 0 };
}

function note(ctx: Context, text: string): DraftBlock {
  return { kind: "note", text: ctx.t("drafts.note.wrap", { text }) };
}

/** A period as a sentence names it: 2023年上半年 / the first half of 2023. */
function periodProse(period: DraftPeriod, t: Translate): string {
  if (period.kind === "half") return t(`drafts.prose.half${period.seq === 1 ? 1 : 2}`, { year: period.year });
  if (period.kind === "quarter") return t(`drafts.prose.quarter${Math.min(4, Math.max(1, period.seq))}`, { year: period.year });
  return t("drafts.prose.year", { year: period.year });
}

function approvedReportsText(ctx: Context): string {
  const { data, locale, t } = ctx;
  const period = periodName(data.period, locale);
  return data.approvedReports
    .map((r) =>
      t("drafts.note.report", {
        unit: localName(locale, r.name_zh, r.name_en),
        period,
        date: formatDate(chinaDateOf(r.approvedAt), locale),
      }),
    )
    .join(t("drafts.item.sep"));
}

/** The note under a plan item's paragraph: where its figures and its 进展情况 come from. */
function sectionNote(ctx: Context, rows: DraftActivity[], carried: DraftActivity[], hasReportText: boolean): DraftBlock | null {
  const { t } = ctx;
  const parts: string[] = [];
  const approved = rows.filter((a) => a.source === "approved");
  const unreviewed = rows.filter((a) => a.source === "unreviewed");
  if (rows.length && unreviewed.length === 0) parts.push(t("drafts.note.section_approved"));
  else if (rows.length && approved.length === 0) parts.push(t("drafts.note.section_unreviewed"));
  else if (rows.length)
    parts.push(
      t("drafts.note.section_mixed", {
        approved: approved.length,
        unreviewed: unreviewed.length,
        titles: unreviewed.map((a) => a.title).join(t("drafts.item.sep")),
      }),
    );
  if (carried.length) parts.push(t("drafts.note.section_carried"));
  if (hasReportText && ctx.data.reportTextsSource)
    parts.push(t(ctx.data.reportTextsSource === "approved" ? "drafts.note.texts_approved" : "drafts.note.texts_unreviewed"));
  return parts.length ? note(ctx, t("drafts.note.section", { text: parts.join(t("drafts.item.sep")) })) : null;
}

/** The pillar (4.1, 4.2, 4.3) or section (5 支撑体系) a plan item belongs to. */
function groupOf(item: DraftPlanItem, items: readonly DraftPlanItem[]): DraftPlanItem | undefined {
  return (
    items.find((p) => p.kind === "pillar" && item.path.startsWith(p.path)) ??
    items.find((p) => p.kind === "section" && item.path.startsWith(p.path))
  );
}

/** A sentence as the documents end one: with 。 (or . in English) unless it already ends with a stop. */
function sentence(text: string, locale: Locale): string {
  const s = text.trim();
  if (!s) return "";
  if (locale === "en") return /[.!?。！？][”"')]?$/.test(s) ? s : `${s}.`;
  return /[。！？；]$/.test(s) ? s.replace(/；$/, "。") : `${s}。`;
}

/** The activities of a paragraph in the documents' register: what came of each (its 成果), else how it is named. */
function outcomesProse(rows: DraftActivity[], ctx: Context, describe: (a: DraftActivity) => string): string {
  const { locale } = ctx;
  if (locale === "en") return rows.map((a) => describe(a)).join(ctx.t("drafts.item.sep"));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of rows) {
    const text = a.outcome.trim() ? sentence(a.outcome, locale) : sentence(describe(a), locale);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out.join("");
}

const PUNCTUATION = /[\s，。、；：！？“”‘’《》（）【】「」·,.;:!?"'()[\]]/g;

/** The pairs of neighbouring characters of a text, punctuation left out: Chinese words are mostly pairs. */
function charPairs(text: string): Set<string> {
  const clean = text.replace(PUNCTUATION, "");
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < clean.length; i++) pairs.add(clean.slice(i, i + 2));
  return pairs;
}

/**
 * Whether the report's 进展情况 already tells of an activity: most (60%) of the character pairs of its title or of its
 * outcome are in it. An activity it does not tell of is added after it, so the paragraph leaves none out.
 */
export function tellsOf(progress: string, a: Pick<DraftActivity, "title" | "outcome">): boolean {
  const told = progress.replace(PUNCTUATION, "");
  const share = (text: string) => {
    const pairs = charPairs(text);
    if (!pairs.size) return 0;
    let found = 0;
    for (const pair of pairs) if (told.includes(pair)) found += 1;
    return found / pairs.size;
  };
  return Math.max(share(a.title), share(a.outcome)) >= 0.6;
}

/** Drafts the document in one language. Pure: the same data gives the same text, on any server. */
export function composeDraft(data: DraftData, locale: Locale): DraftDocument {
  const t = translator(locale);
  const en = locale === "en";
  const ctx: Context = {
    data,
    locale,
    t,
    countries: (codes) => orderCountries(codes).map((c) => countryName(c, locale)),
  };
  const describeCtx = { ...ctx, counterpartsEn: data.counterpartsEn };
  const unitName = localName(locale, data.unit.name_zh, data.unit.name_en);
  const scope = t(data.unit.hasSubunits ? "drafts.doc.scope_with_subunits" : "drafts.doc.scope", { unit: unitName });
  const period = periodProse(data.period, t);
  const numeral = (n: number) => (en ? String(n) : chineseNumeral(n));
  const sep = t("drafts.item.sep");
  const blocks: DraftBlock[] = [];

  const titleParams = { unit: unitName, period: periodName(data.period, locale) };
  // a printed title breaks where its sense does (GB/T 9704: 回行时要做到词意完整), not where the line is full
  blocks.push({
    kind: "title",
    text: t("drafts.doc.title", titleParams),
    lines: [t("drafts.doc.title_line1", titleParams), t("drafts.doc.title_line2", titleParams)].filter(Boolean),
  });

  // ── the editor's note: where the figures come from (left out of the Word file)
  const inPeriod = data.activities.filter(countedActivity);
  const approvedCount = inPeriod.filter((a) => a.source === "approved").length;
  const unreviewedCount = inPeriod.length - approvedCount;
  const reports = approvedReportsText(ctx);
  const status = t(`reports.status.${data.reportStatus}`);
  let summary: string;
  if (inPeriod.length === 0) summary = t("drafts.note.summary_empty", { status });
  else if (unreviewedCount === 0) summary = counted(t, locale, "drafts.note.summary_approved", inPeriod.length, { reports });
  else if (approvedCount === 0) summary = counted(t, locale, "drafts.note.summary_unreviewed", inPeriod.length, { status });
  else
    summary = counted(t, locale, "drafts.note.summary_mixed", inPeriod.length, {
      approved: formatCount(approvedCount, locale),
      unreviewed: formatCount(unreviewedCount, locale),
      reports,
    });
  const fromLedger = data.carried.length > 0 || data.planned.length > 0;
  blocks.push(note(ctx, fromLedger ? `${summary}${sep}${t("drafts.note.summary_ledger")}` : summary));

  // ── the opening paragraph: the whole period, its figures distinct totals (an activity counts once)
  const total = tallyActivities(inPeriod);
  if (total.count === 0) {
    blocks.push({ kind: "paragraph", text: t("drafts.doc.lead_empty", { period, scope }) });
  } else {
    const sentences = [
      counted(t, locale, "drafts.doc.lead", total.count, {
        period,
        scope,
        parts: proseList(tallyPhrases(total, locale, t), locale),
      }),
    ];
    const countries = ctx.countries(inPeriod.flatMap((a) => a.countries));
    if (countries.length)
      sentences.push(counted(t, locale, "drafts.doc.countries", countries.length, { countries: proseList(countries, locale) }));
    if (total.fundingFen > 0) sentences.push(t("drafts.doc.funding", { amount: formatAmount(total.fundingFen, locale) }));
    blocks.push({ kind: "paragraph", text: sentences.join(en ? " " : "") });
  }

  const nextYear = data.nextPeriod?.year ?? data.period.year;
  const byCode = (rows: DraftActivity[], code: string) => rows.filter((a) => a.primaryCode === code);
  const textsOf = (code: string) => data.reportTexts.find((r) => r.code === code);
  const itemName = (item: DraftPlanItem) => t("drafts.doc.item_name", { code: item.code, title: localName(locale, item.title_zh, item.title_en) });
  const planned = [...data.planned].sort(byTypeThenDate);
  const describePlanned = (a: DraftActivity) => {
    const when = formatMonths(a.start_date, a.end_date, locale, nextYear);
    // "9月计划邀请……", as the documents write it (without a second 计划 when the title starts with one)
    const key = !en && a.title.startsWith("计划") ? "drafts.item.planned_entry_plain" : "drafts.item.planned_entry";
    return t(key, { when, activity: describeActivity(a, describeCtx) });
  };

  // ── 一、主要工作及成效: per pillar （一）, per plan item 1. — the report's 进展情况, else what the activities achieved
  blocks.push({ kind: "heading", text: t("drafts.doc.pillar_heading", { n: numeral(1), title: t("drafts.doc.section_work") }) });
  const workItems = data.planItems.filter(
    (p) =>
      data.activities.some((a) => a.primaryCode === p.code && a.status !== "cancelled") ||
      data.carried.some((a) => a.primaryCode === p.code) ||
      Boolean(textsOf(p.code)?.progress.trim()),
  );
  let groupIndex = 0;
  let lastGroup: string | null = null;
  let itemIndex = 0;
  for (const item of workItems) {
    const group = groupOf(item, data.planItems);
    const groupCode = group?.code ?? item.code;
    if (groupCode !== lastGroup) {
      groupIndex += 1;
      itemIndex = 0;
      lastGroup = groupCode;
      const title = group ? localName(locale, group.title_zh, group.title_en) : localName(locale, item.title_zh, item.title_en);
      blocks.push({ kind: "subheading", text: t("drafts.doc.group_heading", { n: numeral(groupIndex), title }) });
    }
    itemIndex += 1;
    const rows = byCode(data.activities, item.code);
    const done = rows.filter(countedActivity).sort(byTypeThenDate);
    const stillPlanned = rows.filter((a) => a.status === "planned").sort(byTypeThenDate);
    const carried = byCode(data.carried, item.code).sort(byTypeThenDate);
    const progress = en ? "" : textsOf(item.code)?.progress.trim() ?? "";
    const describeDone = (a: DraftActivity) => describeActivity(a, describeCtx, monthOf(a, locale, data.period.year));
    const sentences: string[] = [];
    if (progress) {
      sentences.push(sentence(progress, locale));
      const untold = done.filter((a) => !tellsOf(progress, a));
      if (untold.length) sentences.push(t("drafts.item.also", { text: outcomesProse(untold, ctx, describeDone) }));
    } else if (done.length) {
      const named = namedList(done, ctx, describeDone);
      sentences.push(
        en
          ? t(named.more ? "drafts.item.done_more" : "drafts.item.done", { period, items: named.items, count: formatCount(named.more, locale) })
          : outcomesProse(done, ctx, describeDone),
      );
    }
    // the figures of the item, when there are several activities to sum (one activity's figures are in its own words)
    if (done.length > 1) {
      const parts = tallyPhrases(tallyActivities(done), locale, t);
      sentences.push(counted(t, locale, "drafts.item.figures", done.length, { parts: proseList(parts, locale) }));
    }
    if (stillPlanned.length) {
      const named = namedList(stillPlanned, ctx, describeDone);
      sentences.push(counted(t, locale, "drafts.item.still_planned", stillPlanned.length, { items: named.items }));
    }
    if (carried.length) {
      const named = namedList(carried, ctx, (a) =>
        describeActivity(a, describeCtx, [t("drafts.detail.since", { when: formatMonths(a.start_date, a.start_date, locale, -1) })]),
      );
      sentences.push(counted(t, locale, "drafts.item.carried", carried.length, { items: named.items }));
    }
    if (!sentences.length) sentences.push(t("drafts.item.none", { period }));
    const lead = t("drafts.doc.item_lead", { n: itemIndex, name: itemName(item) });
    blocks.push({ kind: "paragraph", lead, leadKind: "item", text: lead + sentences.join(en ? " " : "") });
    const sectionNoteBlock = sectionNote(ctx, done, carried, Boolean(textsOf(item.code)?.progress.trim()));
    if (sectionNoteBlock) blocks.push(sectionNoteBlock);
  }
  if (!workItems.length) blocks.push({ kind: "paragraph", text: t("drafts.item.none", { period }) });

  // ── 二、存在的问题: as the unit's report states them
  blocks.push({ kind: "heading", text: t("drafts.doc.pillar_heading", { n: numeral(2), title: t("drafts.doc.section_problems") }) });
  const problemItems = data.planItems.filter((p) => textsOf(p.code)?.problems.trim());
  if (!problemItems.length) blocks.push({ kind: "paragraph", text: t("drafts.doc.problems_none") });
  else if (en)
    blocks.push({
      kind: "paragraph",
      text: t("drafts.doc.problems_en", { items: proseList(problemItems.map(itemName), locale) }),
    });
  else
    problemItems.forEach((item, i) => {
      const lead = problemItems.length > 1 ? t("drafts.doc.group_heading", { n: numeral(i + 1), title: `${itemName(item)}。` }) : "";
      blocks.push({ kind: "paragraph", lead: lead || undefined, leadKind: lead ? "subheading" : undefined, text: lead + sentence(textsOf(item.code)!.problems, locale) });
    });

  // ── 三、下一步工作打算: the report's 下一步打算, and the next period's planned activities under items it does not cover
  blocks.push({ kind: "heading", text: t("drafts.doc.pillar_heading", { n: numeral(3), title: t("drafts.doc.section_next") }) });
  let nextIndex = 0;
  for (const item of data.planItems) {
    const own = textsOf(item.code)?.nextSteps.trim() ?? "";
    const here = data.nextPeriod ? planned.filter((a) => a.primaryCode === item.code) : [];
    if (!own && !here.length) continue;
    nextIndex += 1;
    const lead = t("drafts.doc.group_heading", { n: numeral(nextIndex), title: t("drafts.doc.next_lead", { name: itemName(item) }) });
    let body: string;
    if (own && !en) body = sentence(own, locale);
    else if (here.length) body = sentence(t("drafts.item.planned", { period: periodName(data.nextPeriod!, locale), items: namedList(here, ctx, describePlanned).items }), locale);
    else body = t("drafts.item.next_steps_in_zh");
    blocks.push({ kind: "paragraph", lead, leadKind: "subheading", text: lead + body });
  }
  if (!nextIndex) blocks.push({ kind: "paragraph", text: t("drafts.doc.next_none") });

  // ── the unit and the date, at the end
  blocks.push({ kind: "signature", text: unitName });
  blocks.push({ kind: "signature", text: formatDate(data.issuedOn, locale) });

  return { locale, blocks, text: draftText(blocks) };
}

/** The plain text of a draft: blank lines between paragraphs, none after a heading. */
export function draftText(blocks: readonly DraftBlock[]): string {
  let out = "";
  blocks.forEach((b, i) => {
    if (i > 0) out += blocks[i - 1]!.kind === "heading" || blocks[i - 1]!.kind === "subheading" ? "\n" : "\n\n";
    out += b.text;
  });
  return out;
}

/** What the page shows beside the drafts: how many figures are approved, and which rows are not. */
export function summarizeSources(data: DraftData): DraftSummary {
  const inPeriod = data.activities.filter(countedActivity);
  const approved = inPeriod.filter((a) => a.source === "approved").length;
  const sections = data.planItems
    .map((item) => {
      const rows = inPeriod.filter((a) => a.primaryCode === item.code);
      const carried = data.carried.filter((a) => a.primaryCode === item.code);
      return {
        code: item.code,
        title_zh: item.title_zh,
        title_en: item.title_en,
        approved: rows.filter((a) => a.source === "approved").length,
        unreviewed: rows.filter((a) => a.source === "unreviewed").map((a) => ({ id: a.id, title: a.title })),
        carried: carried.map((a) => ({ id: a.id, title: a.title })),
      };
    })
    .filter((s) => s.approved || s.unreviewed.length || s.carried.length);
  return { counted: inPeriod.length, approved, unreviewed: inPeriod.length - approved, sections };
}

// ── the queries ──────────────────────────────────────────────────────────────────────────────────

export interface DraftUnit {
  id: number;
  path: string;
  name_zh: string;
  name_en: string;
}

function toDraftActivity(row: ActivityListRow | SnapshotActivity, source: FigureSource): DraftActivity {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    status: row.status,
    start_date: row.start_date,
    end_date: row.end_date,
    counterpart_body: row.counterpart_body,
    countries: row.countries,
    delegations_count: row.delegations_count,
    participants_count: row.participants_count,
    funding_cny_fen: row.funding_cny_fen,
    // a snapshot (version 2) holds the outcome as approved; the ledger's list rows do not, withOutcomes reads it
    outcome: "outcome" in row && typeof row.outcome === "string" ? row.outcome : "",
    organization_path: row.organization_path,
    primaryCode: row.planItems.find((p) => p.primary)?.code ?? null,
    source,
  };
}

/** The approved reports of a period, with their units' paths (few: one per unit at most). */
export async function listApprovedReports(db: DB, periodId: number) {
  return db
    .selectFrom("period_reports as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .select(["r.id", "r.organization_id", "o.path", "o.name_zh", "o.name_en"])
    .where("r.period_id", "=", periodId)
    .where("r.status", "=", "approved")
    .execute();
}

type ApprovedReport = Awaited<ReturnType<typeof listApprovedReports>>[number];

/**
 * The approved reports whose frozen snapshots give the figures of the units at or below `path`: the nearest
 * approved report of the unit or a unit above it covers all of them; failing that, the topmost approved reports
 * of units below it cover their own subtrees. A unit's report covers its subtree (reportActivities), so no row is
 * taken twice.
 */
export function coveringReports(approved: readonly ApprovedReport[], path: string | null): ApprovedReport[] {
  if (path) {
    const above = approved.filter((r) => path.startsWith(r.path)).sort((a, b) => b.path.length - a.path.length)[0];
    if (above) return [above];
  }
  const below = approved.filter((r) => path === null || (r.path.startsWith(path) && r.path !== path));
  return below.filter((r) => !below.some((other) => other !== r && r.path.startsWith(other.path)));
}

/**
 * The activities of the unit and the units below it that start within the period, each from the frozen snapshot
 * of the approved report covering it, or from the live ledger (unreviewed) where no approved report does.
 */
export async function periodActivitiesWithSources(db: DB, unit: DraftUnit, period: PeriodRow) {
  const approved = await listApprovedReports(db, period.id);
  const covering = coveringReports(approved, unit.path);
  const fromSnapshots: DraftActivity[] = [];
  /** rows whose outcome the snapshot froze (version 2 on): never read again from the live ledger */
  const frozenOutcomes = new Set<number>();
  const used: { report: ApprovedReport; approvedAt: string; snapshot: ReadSnapshot }[] = [];
  for (const report of covering) {
    const snapshot = await readReportSnapshot(db, report.id);
    if (!snapshot) continue;
    used.push({ report, approvedAt: snapshot.approvedAt, snapshot });
    for (const row of snapshot.activities) {
      if (!row.organization_path.startsWith(unit.path)) continue;
      fromSnapshots.push(toDraftActivity(row, "approved"));
      if (snapshot.complete) frozenOutcomes.add(row.id);
    }
  }
  const coveredPaths = used.map((u) => u.report.path);
  const live = coveredPaths.some((p) => unit.path.startsWith(p))
    ? []
    : (await reportActivities(db, unit, period))
        .filter((row) => !coveredPaths.some((p) => row.organization_path.startsWith(p)))
        .map((row) => toDraftActivity(row, "unreviewed"));
  return { activities: [...fromSnapshots, ...live], used, frozenOutcomes };
}

/**
 * The outcomes (成果) of the rows that do not carry one: the live ledger's (its list query has no outcome) and those
 * of a snapshot written before the format held outcomes (version 1) — an activity such a report covers is frozen
 * (its writes are refused until the report is reopened), so what is read is what was approved.
 */
async function withOutcomes(db: DB, rows: DraftActivity[], frozen: ReadonlySet<number>): Promise<DraftActivity[]> {
  const ids = [...new Set(rows.filter((a) => !a.outcome && !frozen.has(a.id)).map((a) => a.id))];
  if (!ids.length) return rows;
  const found = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = await db.selectFrom("activities").select(["id", "outcome"]).where("id", "in", ids.slice(i, i + 500)).execute();
    for (const r of part) found.set(r.id, r.outcome ?? "");
  }
  return rows.map((a) => (a.outcome || frozen.has(a.id) ? a : { ...a, outcome: found.get(a.id) ?? "" }));
}

/** The English names of the register's bodies each activity is linked to (the rows of a snapshot too, by id). */
async function counterpartNamesEn(db: DB, rows: { id: number }[]): Promise<Record<number, string[]>> {
  const out: Record<number, string[]> = {};
  for (const link of await counterpartsOfActivities(db, rows.map((r) => r.id))) {
    if (link.name_en) (out[link.activity_id] ??= []).push(bodyFullName(link, "en"));
  }
  return out;
}

/** Everything the drafting needs for a unit and a period. */
export async function loadDraftData(db: DB, unit: DraftUnit, period: PeriodRow): Promise<DraftData> {
  const [{ activities: found, used, frozenOutcomes }, overlapping, next, planItems, organizations, report] = await Promise.all([
    periodActivitiesWithSources(db, unit, period),
    listAllActivities(db, { organizationPath: unit.path, from: period.start_date, to: period.end_date }, "start_asc"),
    nextPeriodOf(db, period),
    listPlanItems(db),
    listOrganizations(db),
    getReportFor(db, unit.id, period.id),
  ]);
  const activities = await withOutcomes(db, found, frozenOutcomes);
  const planned = next
    ? (
        await listAllActivities(
          db,
          { organizationPath: unit.path, startFrom: next.start_date, startTo: next.end_date, status: "planned" },
          "start_asc",
        )
      ).map((row) => toDraftActivity(row, "unreviewed"))
    : [];

  // the unit's own 下一步打算: as approved when its report is approved, else as the report stands now
  let reportTexts: ReportTexts[] = [];
  let reportTextsSource: FigureSource | null = null;
  let issuedOn = chinaDateOf(new Date().toISOString());
  if (report) {
    const own = used.find((u) => u.report.id === report.id);
    const snapshot = own?.snapshot ?? (report.status === "approved" ? await readReportSnapshot(db, report.id) : null);
    const items = snapshot ? snapshot.items : await listReportItems(db, report.id);
    reportTexts = items
      .filter((i) => i.progress.trim() || i.problems.trim() || i.next_steps.trim())
      .map((i) => ({ code: i.code, progress: i.progress, problems: i.problems, nextSteps: i.next_steps }));
    if (reportTexts.length) reportTextsSource = snapshot ? "approved" : "unreviewed";
    // an approved report's document keeps the date it was approved: the same file whenever it is downloaded
    const approvedAt = own?.approvedAt ?? (snapshot && "approvedAt" in snapshot ? String(snapshot.approvedAt) : null);
    if (report.status === "approved" && approvedAt) issuedOn = chinaDateOf(approvedAt);
  }

  const period_ = (p: PeriodRow): DraftPeriod => ({
    code: p.code,
    kind: p.kind,
    year: p.year,
    seq: p.seq,
    start_date: p.start_date,
    end_date: p.end_date,
  });
  return {
    unit: {
      name_zh: unit.name_zh,
      name_en: unit.name_en,
      hasSubunits: organizations.some((o) => o.path !== unit.path && o.path.startsWith(unit.path)),
    },
    period: period_(period),
    nextPeriod: next ? period_(next) : null,
    planItems: planItems
      .filter((p) => p.loggable === 1 || p.kind === "pillar" || p.kind === "section")
      .map((p) => ({ code: p.code, path: p.path, kind: p.kind, title_zh: p.title_zh, title_en: p.title_en })),
    // an activity counts once, however many ways it was reached
    activities: activities.filter((a, i) => a.status !== "cancelled" && activities.findIndex((b) => b.id === a.id) === i),
    carried: overlapping
      .filter((row) => row.start_date < period.start_date && isCounted(row.status))
      .map((row) => toDraftActivity(row, "unreviewed")),
    planned,
    reportTexts,
    reportTextsSource,
    issuedOn,
    approvedReports: used.map((u) => ({ name_zh: u.report.name_zh, name_en: u.report.name_en, approvedAt: u.approvedAt })),
    reportStatus: report?.status ?? "none",
    counterpartsEn: await counterpartNamesEn(db, [...activities, ...overlapping, ...planned]),
  };
}

/** The draft of a unit's period in both languages, with the account of its sources. */
export async function draftProgressReport(db: DB, unit: DraftUnit, period: PeriodRow) {
  const data = await loadDraftData(db, unit, period);
  return { zh: composeDraft(data, "zh-CN"), en: composeDraft(data, "en"), sources: summarizeSources(data), data };
}
