// Every user's in-app inbox, computed from the reports and periods as they stand (no table of its own), so it is
// never out of date and needs no clean-up.
//
// Reporters and leaders see the units they act for: their own unit and the units below it (the same scope in
// which reportPermissions lets them draft and submit), limited to the kinds of unit that report (prefecture,
// county). For each such unit and period, at most one item, the first that applies:
//   returned  — the report was returned (or reopened) and waits to be fixed, with the reasons; once the reporter
//               has fixed it and handed it over (提交审签), the leader sees it as to_submit, 已修改待签发, and the
//               reporter no longer sees it;
//   to_submit — (leaders) a draft the reporter handed over for sign-off (提交审签), whatever its due date; a draft
//               merely saved does not wait for the leader;
//   overdue   — an open period past its due date whose report is not submitted (none or a draft), newest first,
//               with the secretariat's latest reminder (催报) of it, if any;
//   deadline  — an open period due within 7 days (7, 3, 1 and 0 days left) whose report is not submitted;
//   approved  — a report approved within the last 30 days (已通过).
// Reviewers see the submitted reports waiting for review, oldest first, and how many units are late; officials
// and administrators see how many units are late. "Late" is the monitoring page's definition (listLateUnits).
// Days are counted on China dates; `today` is passed in so the answer does not depend on the server clock.
import type { ReportStatus } from "../../db/schema";
import { DEFAULT_LOCALE, type Locale, localName } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import { formatDate, formatNumber, joinList } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { REPORTING_UNIT_KINDS } from "~/domain/reporting";
import { listLateUnits } from "~/models/period-report.server";
import { chinaDateOf, daysBetween } from "~/utils/china-time";
import type { SessionUser } from "~/utils/auth.server";
import { can } from "~/utils/permissions";
import type { DB } from "~/utils/db.server";

export const INBOX_KINDS = ["returned", "to_submit", "overdue", "deadline", "approved", "to_review", "late_units"] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** Deadline reminders start this many days before the due date. */
export const REMINDER_DAYS = 7;
/** The reminder steps: an item is at step 7, 3 or 1 when its days left are at most that. */
export const REMINDER_STEPS = [7, 3, 1] as const;
/** How long an approval stays in the unit's inbox. */
export const APPROVED_SHOWN_DAYS = 30;

export interface InboxItem {
  /** stable within one inbox, for React keys */
  key: string;
  kind: InboxKind;
  message: string;
  link: string;
  /** an ISO date (China time): the due date, or when the report was returned or submitted */
  date: string;
  /** for reports of open periods: days until the due date (negative when past it) */
  daysLeft: number | null;
  /** 7, 3 or 1: the tightest reminder step reached, or 0 on the due date itself; null when not in the window */
  step: number | null;
  /** the unit and period the item is about (null for the late-units summary) */
  unitId: number | null;
  periodCode: string | null;
  /** for overdue items: the unit's and the period's names, so the page can group them per unit */
  unitName: string | null;
  periodName: string | null;
  /** for overdue items: the China date of the secretariat's latest reminder (催报), if any */
  remindedOn: string | null;
}

interface RawItem extends Omit<InboxItem, "message" | "key" | "unitName" | "periodName" | "remindedOn"> {
  unitName?: (locale: Locale) => string;
  periodName?: (locale: Locale) => string;
  remindedOn?: string | null;
  describe: (locale: Locale) => string;
}

function stepOf(daysLeft: number): number | null {
  if (daysLeft < 0 || daysLeft > REMINDER_DAYS) return null;
  if (daysLeft === 0) return 0;
  return [...REMINDER_STEPS].reverse().find((s) => daysLeft <= s) ?? null;
}

function reportLink(unitId: number, periodCode: string): string {
  return `/reports/${unitId}/${encodeURIComponent(periodCode)}`;
}

type Period = { id: number; code: string; kind: string; year: number; seq: number; due_date: string; closed_at: string | null };
type Unit = { id: number; name_zh: string; name_en: string };

/** "还剩 3 天" / "今天截止" / "已逾期 5 天": how the items speak of the time left. */
function timeLeft(locale: Locale, daysLeft: number): string {
  const t = translator(locale);
  const days = formatNumber(Math.abs(daysLeft), locale);
  if (daysLeft === 0) return t("inbox.due_today");
  if (daysLeft > 0) return t(daysLeft === 1 ? "inbox.days_left_one" : "inbox.days_left", { days });
  return t(daysLeft === -1 ? "inbox.days_overdue_one" : "inbox.days_overdue", { days });
}

async function unitItems(db: DB, user: SessionUser, today: string): Promise<RawItem[]> {
  const units = await db
    .selectFrom("organizations")
    .select(["id", "name_zh", "name_en", "path as organization_path"])
    .where("path", "like", `${user.organization_path}%`)
    .where("kind", "in", [...REPORTING_UNIT_KINDS])
    .orderBy("sort_order")
    .execute();
  if (!units.length) return [];
  const unitIds = units.map((u) => u.id);
  const horizon = new Date(Date.parse(`${today}T00:00:00Z`) + REMINDER_DAYS * 86_400_000).toISOString().slice(0, 10);
  // open periods due within the reminder window or already past due, and the units' reports in them
  const periods: Period[] = await db
    .selectFrom("reporting_periods")
    .select(["id", "code", "kind", "year", "seq", "due_date", "closed_at"])
    .where("closed_at", "is", null)
    .where("due_date", "<=", horizon)
    .orderBy("due_date")
    .execute();
  const returned = await db
    .selectFrom("period_reports as r")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .select(["r.id", "r.organization_id", "r.period_id", "r.reviewed_at", "r.updated_at", "r.return_reason", "r.ready_at"])
    .select(["p.code", "p.kind", "p.year", "p.seq", "p.due_date", "p.closed_at"])
    .where("r.status", "=", "returned")
    .where("r.organization_id", "in", unitIds)
    .execute();
  const reports = periods.length
    ? await db
        .selectFrom("period_reports")
        .select(["organization_id", "period_id", "status", "ready_at"])
        .where("organization_id", "in", unitIds)
        .where("period_id", "in", periods.map((p) => p.id))
        .execute()
    : [];
  const signsOff = (unit: { organization_path: string }) => can(user, "report.submit", unit);
  // drafts handed over for sign-off, whatever their due date, and the approvals of the last days
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - APPROVED_SHOWN_DAYS * 86_400_000).toISOString();
  const [handedOver, approved, reminders] = await Promise.all([
    db
      .selectFrom("period_reports as r")
      .innerJoin("reporting_periods as p", "p.id", "r.period_id")
      .select(["r.organization_id", "r.ready_at", "p.id as period_id", "p.code", "p.kind", "p.year", "p.seq", "p.due_date", "p.closed_at"])
      .where("r.status", "=", "draft")
      .where("r.ready_at", "is not", null)
      .where("p.closed_at", "is", null)
      .where("r.organization_id", "in", unitIds)
      .execute(),
    db
      .selectFrom("period_reports as r")
      .innerJoin("reporting_periods as p", "p.id", "r.period_id")
      .select(["r.organization_id", "r.reviewed_at", "p.code", "p.kind", "p.year", "p.seq"])
      .where("r.status", "=", "approved")
      .where("r.reviewed_at", ">=", since)
      .where("r.organization_id", "in", unitIds)
      .execute(),
    periods.length ? latestReminders(db, unitIds, periods.map((p) => p.id)) : Promise.resolve(new Map<string, string>()),
  ]);
  const itemReasons = returned.length
    ? await db
        .selectFrom("report_items as ri")
        .innerJoin("plan_items as pi", "pi.id", "ri.plan_item_id")
        .select(["ri.report_id", "pi.code", "ri.return_reason"])
        .where("ri.report_id", "in", returned.map((r) => r.id))
        .where("ri.return_reason", "is not", null)
        .orderBy("pi.sort_order")
        .execute()
    : [];

  const unitById = new Map<number, Unit>(units.map((u) => [u.id, u]));
  const statusOf = new Map<string, ReportStatus>(reports.map((r) => [`${r.organization_id}:${r.period_id}`, r.status]));
  const items: RawItem[] = [];
  const unitName = (unit: Unit, locale: Locale) => localName(locale, unit.name_zh, unit.name_en);

  for (const r of returned) {
    const unit = unitById.get(r.organization_id)!;
    const period = { kind: r.kind, year: r.year, seq: r.seq };
    const daysLeft = r.closed_at === null ? daysBetween(today, r.due_date) : null;
    const reasons = itemReasons.filter((i) => i.report_id === r.id);
    if (r.ready_at) {
      // fixed and handed over: the leader's to sign off again; nothing left for the reporter
      if (!signsOff(units.find((u) => u.id === unit.id)!)) continue;
      items.push({
        kind: "to_submit",
        unitId: unit.id,
        periodCode: r.code,
        link: reportLink(unit.id, r.code),
        date: chinaDateOf(r.ready_at),
        daysLeft,
        step: null,
        describe: (locale) =>
          translator(locale)("inbox.msg.fixed", {
            unit: unitName(unit, locale),
            period: periodName(period, locale),
            date: formatDate(chinaDateOf(r.ready_at!), locale),
          }),
      });
      continue;
    }
    items.push({
      kind: "returned",
      unitId: unit.id,
      periodCode: r.code,
      link: reportLink(unit.id, r.code),
      date: chinaDateOf(r.reviewed_at ?? r.updated_at),
      daysLeft,
      step: null,
      describe: (locale) => {
        const t = translator(locale);
        const reason = r.return_reason
          ? r.return_reason
          : t("inbox.item_reasons", {
              items: joinList(reasons.map((i) => i.code), locale),
              reason: reasons[0]?.return_reason ?? "",
            });
        return t("inbox.msg.returned", {
          unit: unitName(unit, locale),
          period: periodName(period, locale),
          reason,
          when: daysLeft === null ? t("inbox.period_closed") : timeLeft(locale, daysLeft),
        });
      },
    });
  }

  const handedOverKeys = new Set<string>();
  for (const r of handedOver) {
    const unit = units.find((u) => u.id === r.organization_id)!;
    handedOverKeys.add(`${unit.id}:${r.period_id}`);
    if (!signsOff(unit)) continue;
    const daysLeft = daysBetween(today, r.due_date);
    items.push({
      kind: "to_submit",
      unitId: unit.id,
      periodCode: r.code,
      link: reportLink(unit.id, r.code),
      date: r.due_date,
      daysLeft,
      step: stepOf(daysLeft),
      describe: (locale) =>
        translator(locale)("inbox.msg.to_submit", {
          unit: unitName(unit, locale),
          period: periodName(r, locale),
          due: formatDate(r.due_date, locale),
          when: timeLeft(locale, daysLeft),
        }),
    });
  }

  for (const period of periods) {
    const daysLeft = daysBetween(today, period.due_date);
    for (const unit of units) {
      const status = statusOf.get(`${unit.id}:${period.id}`) ?? null;
      if (status === "submitted" || status === "approved" || status === "returned") continue;
      if (handedOverKeys.has(`${unit.id}:${period.id}`) && signsOff(unit)) continue;
      const kind: InboxKind = daysLeft < 0 ? "overdue" : "deadline";
      const remindedOn = kind === "overdue" ? (reminders.get(`${unit.id}:${period.id}`) ?? null) : null;
      items.push({
        kind,
        unitId: unit.id,
        periodCode: period.code,
        link: reportLink(unit.id, period.code),
        date: period.due_date,
        daysLeft,
        step: stepOf(daysLeft),
        unitName: (locale) => unitName(unit, locale),
        periodName: (locale) => periodName(period, locale),
        remindedOn,
        describe: (locale) => {
          const t = translator(locale);
          const message = t(`inbox.msg.${kind}`, {
            unit: unitName(unit, locale),
            period: periodName(period, locale),
            due: formatDate(period.due_date, locale),
            when: timeLeft(locale, daysLeft),
          });
          return remindedOn ? `${message}${t("inbox.reminded", { date: formatDate(remindedOn, locale), due: formatDate(period.due_date, locale) })}` : message;
        },
      });
    }
  }

  for (const r of approved) {
    const unit = unitById.get(r.organization_id)!;
    const on = chinaDateOf(r.reviewed_at!);
    items.push({
      kind: "approved",
      unitId: unit.id,
      periodCode: r.code,
      link: reportLink(unit.id, r.code),
      date: on,
      daysLeft: null,
      step: null,
      describe: (locale) => translator(locale)("inbox.msg.approved", { unit: unitName(unit, locale), period: periodName(r, locale), date: formatDate(on, locale) }),
    });
  }
  return items;
}

/** The China date of the latest reminder (催报) of each unit × period, keyed "unitId:periodId". */
async function latestReminders(db: DB, unitIds: number[], periodIds: number[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom("report_reminders")
    .select(["organization_id", "period_id", (eb) => eb.fn.max("sent_at").as("sent_at")])
    .where("organization_id", "in", unitIds)
    .where("period_id", "in", periodIds)
    .groupBy(["organization_id", "period_id"])
    .execute();
  return new Map(rows.map((r) => [`${r.organization_id}:${r.period_id}`, chinaDateOf(String(r.sent_at))]));
}

async function reviewItems(db: DB): Promise<RawItem[]> {
  const rows = await db
    .selectFrom("period_reports as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .select(["r.organization_id", "r.submitted_at", "r.updated_at", "r.first_submitted_at", "o.name_zh", "o.name_en"])
    .select(["p.code", "p.kind", "p.year", "p.seq"])
    .where("r.status", "=", "submitted")
    .orderBy("r.submitted_at")
    .orderBy("r.id")
    .execute();
  return rows.map((r) => {
    const submittedOn = chinaDateOf(r.submitted_at ?? r.updated_at);
    const resubmitted = r.first_submitted_at !== null && r.first_submitted_at !== r.submitted_at;
    return {
      kind: "to_review" as const,
      unitId: r.organization_id,
      periodCode: r.code,
      link: reportLink(r.organization_id, r.code),
      date: submittedOn,
      daysLeft: null,
      step: null,
      describe: (locale: Locale) =>
        translator(locale)(resubmitted ? "inbox.msg.to_review_again" : "inbox.msg.to_review", {
          unit: localName(locale, r.name_zh, r.name_en),
          period: periodName(r, locale),
          date: formatDate(submittedOn, locale),
        }),
    };
  });
}

async function lateUnitsItem(db: DB, today: string): Promise<RawItem[]> {
  const late = await listLateUnits(db, today);
  if (!late.length) return [];
  return [
    {
      kind: "late_units",
      unitId: null,
      periodCode: null,
      link: "/monitoring",
      date: today,
      daysLeft: null,
      step: null,
      describe: (locale) => {
        const t = translator(locale);
        const names = late.slice(0, 5).map((u) => localName(locale, u.name_zh, u.name_en));
        return t(late.length === 1 ? "inbox.msg.late_units_one" : "inbox.msg.late_units", {
          count: formatNumber(late.length, locale),
          units: joinList(names, locale) + (late.length > names.length ? t("inbox.and_more") : ""),
        });
      },
    },
  ];
}

async function collect(db: DB, user: SessionUser, today: string): Promise<RawItem[]> {
  if (can(user, "report.own_units")) return unitItems(db, user, today);
  if (can(user, "report.review")) return [...(await reviewItems(db)), ...(await lateUnitsItem(db, today))];
  return lateUnitsItem(db, today);
}

/** Newest first for what is overdue and what was approved (the latest matters most), oldest first otherwise. */
const NEWEST_FIRST: ReadonlySet<InboxKind> = new Set(["overdue", "approved"]);

/**
 * The user's inbox as of `today` (a China date), in the user's language: grouped by kind in the order of
 * INBOX_KINDS; overdue reports and approvals newest first, the rest oldest first (the longest waiting for review).
 */
export async function inboxFor(db: DB, user: SessionUser, today: string, locale: Locale = DEFAULT_LOCALE): Promise<InboxItem[]> {
  const raw = await collect(db, user, today);
  const order = (k: InboxKind) => INBOX_KINDS.indexOf(k);
  // Array.prototype.sort is stable: the review queue keeps its oldest-first order on equal dates
  return raw
    .sort((a, b) => order(a.kind) - order(b.kind) || (NEWEST_FIRST.has(a.kind) ? b.date.localeCompare(a.date) : a.date.localeCompare(b.date)))
    .map(({ describe, unitName, periodName: periodNameOf, remindedOn, ...item }, i) => ({
      ...item,
      key: `${item.kind}:${item.unitId ?? ""}:${item.periodCode ?? ""}:${i}`,
      message: describe(locale),
      unitName: unitName ? unitName(locale) : null,
      periodName: periodNameOf ? periodNameOf(locale) : null,
      remindedOn: remindedOn ?? null,
    }));
}

/**
 * How many things the inbox asks of the user: the badge on the navigation's 待办 link. A unit's overdue reports
 * count once per unit, as the inbox shows them (one line per unit that opens to its periods).
 */
export async function inboxCount(db: DB, user: SessionUser, today: string): Promise<number> {
  const raw = await collect(db, user, today);
  const overdueUnits = new Set(raw.filter((i) => i.kind === "overdue").map((i) => i.unitId));
  return raw.filter((i) => i.kind !== "overdue" && i.kind !== "approved").length + overdueUnits.size;
}
