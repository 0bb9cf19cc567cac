import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ActivityHistory } from "~/components/ActivityHistory";
import { EvidenceFiles } from "~/components/EvidenceFiles";
import { Notice } from "~/components/Notice";
import { localName } from "~/i18n";
import { formatDate, formatDateRange, formatDateTime, formatNumber, formatWan, joinList } from "~/i18n/format";
import { getActivity } from "~/models/activity.server";
import { listAuditForEntity } from "~/models/audit-log.server";
import { listActivityFiles } from "~/models/evidence-file.server";
import { counterpartNamesById, loadCounterpartMatcher } from "~/models/counterpart.server";
import { bodyFullName } from "~/domain/counterparts";
import { listOrganizations } from "~/models/organization.server";
import { countryChoices } from "~/presenters/countries.server";
import { frozenBy } from "~/services/freeze.server";
import { can, notFound, requireUser, withinUnit } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";
import { requireId } from "~/utils/params.server";
import { isHttpUrl } from "~/schemas/activity";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, undefined, data?.activity.title);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = requireId(params.id);
  const activity = await getActivity(db, id);
  if (!activity) throw notFound();
  const locale = await getLocale(request, user);
  const deleted = activity.deleted_at !== null;
  const frozen = await frozenBy(db, activity.organization_path, [activity.start_date]);
  const history = await listAuditForEntity(db, "activity", id);
  const files = await listActivityFiles(db, id);
  const units = await listOrganizations(db);
  // the register's bodies the text names, and whether the text says more than them (a group, an unregistered name)
  const linked = new Set(activity.counterparts.map((c) => c.id));
  const saysMore =
    /等|[（(]/.test(activity.counterpart_body) ||
    (await loadCounterpartMatcher(db)).resolveText(activity.counterpart_body).some((r) => r.kind !== "body" || !linked.has(r.id));
  const historyBodies = history.flatMap((h) => [h.changes.counterparts].flat(2).filter((v): v is number => typeof v === "number"));
  return json({
    counterparts: activity.counterparts.map((c) => ({ id: c.id, label: bodyFullName(c, locale) })),
    counterpartSaysMore: saysMore,
    counterpartNames: Object.fromEntries((await counterpartNamesById(db, historyBodies)).map((c) => [c.id, bodyFullName(c, locale)])),
    activity,
    history,
    unitNames: Object.fromEntries(units.map((u) => [u.id, localName(locale, u.name_zh, u.name_en)])),
    countryNames: countryChoices(locale).countryNames,
    frozen: frozen && { period: frozen.period_code, unit: localName(locale, frozen.organization_name_zh, frozen.organization_name_en) },
    /** the user's unit co-operates on the activity without leading it: it sees it, its lead keeps it */
    partnerOf: withinUnit(user, activity.organization_path)
      ? null
      : (activity.partners.find((p) => p.organization_path !== null && withinUnit(user, p.organization_path)) ?? null),
    canEdit: !deleted && !frozen && can(user, "activity.edit", activity),
    files: files.map((f) => ({ id: f.id, name: f.name, content_type: f.content_type, size_bytes: f.size_bytes })),
    /** why the files cannot change now, for the one who could otherwise change them */
    filesNote: can(user, "activity.edit", activity) && (deleted || frozen) ? ("evidence.frozen_note" as const) : null,
    canRestore: deleted && !frozen && can(user, "activity.restore", activity),
    // "copy as new": anyone who logs activities may start from any activity they can read
    canCopy: !deleted && can(user, "activity.create"),
  });
}

export default function ActivityPage() {
  const { activity: a, history, countryNames, unitNames, counterparts, counterpartSaysMore, counterpartNames, frozen, partnerOf, canEdit, canRestore, files, filesNote, canCopy } =
    useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const none = t("activity.none");
  const rows: [string, React.ReactNode][] = [
    [t("activity.organization"), localName(locale, a.organization_name_zh, a.organization_name_en)],
    [t("activity.partners"), joinList(a.partners.map((p) => localName(locale, p.name_zh, p.name_en)), locale) || none],
    [t("activity.type"), t(`activity.type.${a.type}`)],
    [t("activity.status"), t(`activity.status.${a.status}`)],
    [t("activity.dates"), formatDateRange(a.start_date, a.end_date, locale)],
    [
      t("activity.primary_plan_item"),
      a.planItems
        .filter((p) => p.primary)
        .map((p) => (
          <Link key={p.code} to={`/plan/${p.code}`}>
            {p.code} {localName(locale, p.title_zh, p.title_en)}
          </Link>
        )),
    ],
    [
      t("activity.plan_items"),
      a.planItems.filter((p) => !p.primary).length
        ? a.planItems
            .filter((p) => !p.primary)
            .map((p) => (
              <div key={p.code}>
                <Link to={`/plan/${p.code}`}>
                  {p.code} {localName(locale, p.title_zh, p.title_en)}
                </Link>
              </div>
            ))
        : none,
    ],
    [t("activity.countries"), joinList(a.countries.map((c) => countryNames[c] ?? c), locale) || none],
    [t("activity.counterpart_body"), <CounterpartText key="counterpart" text={a.counterpart_body} bodies={counterparts} saysMore={counterpartSaysMore} />],
    [t("activity.location"), a.location || none],
    [t("activity.delegations_count"), a.delegations_count !== null ? formatNumber(a.delegations_count, locale) : none],
    [t("activity.participants_count"), a.participants_count !== null ? formatNumber(a.participants_count, locale) : none],
    [t("activity.funding"), a.funding_cny_fen !== null ? formatWan(a.funding_cny_fen, locale) : none],
    [t("activity.funding_source"), a.funding_source || none],
    [t("activity.outcome"), a.outcome ? <p className="prewrap">{a.outcome}</p> : none],
    [
      t("activity.evidence"),
      a.evidence.length
        ? a.evidence.map((e, i) => (
            <div key={i}>
              {/* the form and the import only take web addresses; anything else that reached the row stays text */}
              {isHttpUrl(e.url) ? (
                <a href={e.url} target="_blank" rel="noopener noreferrer nofollow">
                  {e.label || e.url}
                </a>
              ) : (
                <span>{e.label ? `${e.label} (${e.url})` : e.url}</span>
              )}
            </div>
          ))
        : none,
    ],
    [
      t("evidence.files"),
      <div key="files" id="evidence">
        <EvidenceFiles
          files={files}
          uploadAction={canEdit ? `/files?activity=${a.id}` : null}
          mayChange={canEdit}
          note={a.deleted_at ? null : filesNote}
        />
      </div>,
    ],
    [
      t("activity.created"),
      `${formatDateTime(a.created_at, locale)} · ${a.created_by_name ?? t("activity.system")}`,
    ],
    [t("activity.updated"), `${formatDateTime(a.updated_at, locale)} · ${a.updated_by_name ?? t("activity.system")}`],
  ];
  return (
    <div className="page narrow">
      <Notice />
      {a.deleted_at ? (
        <p className="warning" role="status">
          {t("activity.deleted_notice", { date: formatDate(a.deleted_at, locale) })}
        </p>
      ) : null}
      {frozen ? (
        <p className="warning" role="status" id="frozen-notice">
          {t("reports.frozen_detail", frozen)} {t("reports.frozen")}
        </p>
      ) : null}
      {partnerOf ? (
        <p className="notice" role="status" id="partner-notice">
          {t("activity.partner_notice", {
            unit: localName(locale, partnerOf.name_zh, partnerOf.name_en),
            lead: localName(locale, a.organization_name_zh, a.organization_name_en),
          })}
        </p>
      ) : null}
      <div className="page-head">
        <h1>{a.title}</h1>
        <div className="actions">
          {canCopy ? (
            <Link to={`/activities/new?copy=${a.id}`} className="button">
              {t("entry.copy_as_new")}
            </Link>
          ) : null}
          {canEdit ? (
            <>
              <Link to={`/activities/${a.id}/edit`} className="button">
                {t("activities.edit_button")}
              </Link>
              <Form
                method="post"
                action={`/activities/${a.id}/delete`}
                onSubmit={(e) => {
                  if (!confirm(t("activities.delete_confirm"))) e.preventDefault();
                }}
              >
                <button type="submit" className="danger">
                  {t("activities.delete_button")}
                </button>
              </Form>
            </>
          ) : null}
          {canRestore ? (
            <Form method="post" action={`/activities/${a.id}/restore`}>
              <button type="submit" className="primary">
                {t("activities.restore_button")}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      <dl className="details">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{t("activity.history")}</h2>
      <ActivityHistory entries={history} countryNames={countryNames} unitNames={unitNames} counterpartNames={counterpartNames} />
    </div>
  );
}

/**
 * 对方机构: the text as written, and the register's bodies it names, each a link to its page. In English the
 * bodies' English names lead; the (Chinese) text follows only where it says more than them.
 */
function CounterpartText({ text, bodies, saysMore }: { text: string; bodies: { id: number; label: string }[]; saysMore: boolean }) {
  const { t, locale } = useI18n();
  if (!text) return <>{t("activity.none")}</>;
  const links = bodies.length ? (
    <span className="counterpart-links">
      {bodies.map((b, i) => (
        <span key={b.id}>
          {i > 0 ? t("counterparts.list_sep") : null}
          <Link to={`/counterparts/${b.id}`}>{b.label}</Link>
        </span>
      ))}
    </span>
  ) : null;
  if (locale === "en" && links) {
    return (
      <>
        {links}
        {saysMore ? <div className="muted">{t("counterparts.activity.as_written", { text })}</div> : null}
      </>
    );
  }
  return (
    <>
      {text}
      {links ? (
        <div className="muted">
          {t("counterparts.activity.register")} {links}
        </div>
      ) : null}
    </>
  );
}
