// Shapes a counterpart body's page: its names and spellings, the timeline of the activities naming it (visits both
// ways, agreements, projects, other; newest first), the units of ours that work with it, the last contact, its
// change history, and — for a reviewer — the entries of the same country that could be merged into it.
import { TIMELINE_CATEGORIES, type TimelineCategory, bodyFullName, timelineCategory } from "~/domain/counterparts";
import { isCounted } from "~/domain/counting";
import { type Locale, localName } from "~/i18n";
import { listPartners } from "~/models/activity.server";
import { listAuditForEntity } from "~/models/audit-log.server";
import { counterpartNamesById, getCounterpart, listCounterpartActivities, loadRegisterEntries } from "~/models/counterpart.server";
import type { SessionUser } from "~/utils/auth.server";
import { countryName } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { can } from "~/utils/permissions";

export type CounterpartPage =
  | { kind: "not_found" }
  | { kind: "merged"; into: number }
  | ({ kind: "page" } & Awaited<ReturnType<typeof pageData>>);

export async function loadCounterpartPage(db: DB, id: number, user: SessionUser, locale: Locale): Promise<CounterpartPage> {
  const body = await getCounterpart(db, id);
  if (!body) return { kind: "not_found" };
  if (body.merged_into !== null) return { kind: "merged", into: body.merged_into };
  return { kind: "page", ...(await pageData(db, body, user, locale)) };
}

async function pageData(db: DB, body: NonNullable<Awaited<ReturnType<typeof getCounterpart>>>, user: SessionUser, locale: Locale) {
  const activities = await listCounterpartActivities(db, body.id);
  const partners = await listPartners(
    db,
    activities.map((a) => a.id),
  );

  const counts = Object.fromEntries(TIMELINE_CATEGORIES.map((c) => [c, 0])) as Record<TimelineCategory, number>;
  const timeline = activities.map((a) => {
    const category = timelineCategory(a.type);
    counts[category]++;
    return {
      id: a.id,
      title: a.title,
      type: a.type,
      status: a.status,
      start_date: a.start_date,
      end_date: a.end_date,
      category,
      unit: localName(locale, a.organization_name_zh, a.organization_name_en),
    };
  });

  // our units: those leading its activities, and the units of our tree co-operating on them
  const units = new Map<number, { id: number; name: string; lead: number; partner: number; latest: string }>();
  const unit = (orgId: number, name: string) => {
    let u = units.get(orgId);
    if (!u) units.set(orgId, (u = { id: orgId, name, lead: 0, partner: 0, latest: "" }));
    return u;
  };
  for (const a of activities) {
    const u = unit(a.organization_id, localName(locale, a.organization_name_zh, a.organization_name_en));
    u.lead++;
    if (a.start_date > u.latest) u.latest = a.start_date;
  }
  for (const p of partners) {
    if (p.organization_id === null) continue;
    const a = activities.find((x) => x.id === p.activity_id)!;
    const u = unit(p.organization_id, localName(locale, p.name_zh, p.name_en));
    u.partner++;
    if (a.start_date > u.latest) u.latest = a.start_date;
  }

  const last = activities.find((a) => isCounted(a.status));
  const history = await listAuditForEntity(db, "counterpart", body.id);
  // bodies a history entry names (one merged in, or the one it was merged into)
  const named = await counterpartNamesById(
    db,
    history.flatMap((h) => [h.changes.merged, h.changes.merged_into].map((b) => (b as { id?: unknown } | undefined)?.id).filter((v): v is number => typeof v === "number")),
  );
  const mergeCandidates = can(user, "counterpart.merge")
    ? (await loadRegisterEntries(db))
        .filter((e) => e.id !== body.id && e.country_code === body.country_code)
        .map((e) => ({ id: e.id, label: bodyFullName(e, locale) }))
        .sort((a, b) => a.label.localeCompare(b.label, locale === "en" ? "en" : "zh-CN"))
    : [];

  return {
    body: {
      id: body.id,
      code: body.code,
      country: countryName(body.country_code, locale),
      country_code: body.country_code,
      level: body.level,
      name_zh: body.name_zh,
      name_en: body.name_en,
      name_local: body.name_local,
      fullName: bodyFullName(body, locale),
      aliases: body.aliases.map((a) => a.name),
    },
    timeline,
    counts,
    units: [...units.values()].sort((a, b) => b.lead + b.partner - (a.lead + a.partner) || b.latest.localeCompare(a.latest)),
    lastContact: last ? { id: last.id, title: last.title, date: last.start_date } : null,
    history: history.map((h) => ({ id: h.id, at: h.at, action: h.action, user_name: h.user_name, changes: h.changes })),
    bodyNames: Object.fromEntries(named.map((n) => [n.id, bodyFullName(n, locale)])),
    mergeCandidates,
    canEdit: can(user, "counterpart.edit"),
    canMerge: can(user, "counterpart.merge"),
  };
}
