import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { DraftEditor } from "~/components/DraftEditor";
import { DraftSources } from "~/components/DraftSources";
import { FilterForm, FilterSelect } from "~/components/FilterForm";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import { loadDraftsPage } from "~/presenters/progress-draft.server";
import printStyles from "~/styles/print.css";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "drafts.title", data?.draft ? { zh: data.draft.unit.name_zh, en: data.draft.unit.name_en, after: data.draft.period.code } : undefined);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await loadDraftsPage(db, user, new URL(request.url).searchParams);
  return json(page, { status: page.status });
}

export default function DraftsPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const location = useLocation();
  const { draft } = data;
  return (
    <div className="page drafts">
      <h1>{t("drafts.title")}</h1>
      <p className="muted">{t("drafts.intro")}</p>
      <FilterForm submit={t("drafts.generate")} reset={t("drafts.reset")}>
        <FilterSelect
          label={t("drafts.unit")}
          name="unit"
          value={data.selected.unit}
          all={t("drafts.choose_unit")}
          invalid={data.invalid.includes("unit")}
          options={data.choices.units.map((u) => ({ value: u.id, label: localName(locale, u.name_zh, u.name_en), depth: u.depth }))}
        />
        <FilterSelect
          label={t("drafts.period")}
          name="period"
          value={data.selected.period}
          all={t("drafts.choose_period")}
          invalid={data.invalid.includes("period")}
          options={data.choices.periods.map((p) => ({ value: p.code, label: periodName(p, locale) }))}
        />
      </FilterForm>

      {draft ? (
        <div key={location.search}>
          <h2 className="draft-heading">
            {t("drafts.heading", { unit: localName(locale, draft.unit.name_zh, draft.unit.name_en), period: periodName(draft.period, locale) })}
          </h2>
          <div className="draft-links">
            <Link to={`/reports/${draft.unit.id}/${draft.period.code}`}>{t("drafts.links.report")}</Link>
            <Link to={`/reports/${draft.unit.id}/${draft.period.code}/print`}>{t("drafts.links.print_report")}</Link>
            <Link to={`/print/progress?period=${draft.period.code}`}>{t("drafts.links.print_progress")}</Link>
            <a href={`/exports/report.docx?unit=${draft.unit.id}&period=${draft.period.code}&lang=zh`} download id="draft-docx-zh">
              {t("drafts.docx.link")}
            </a>
            <a href={`/exports/report.docx?unit=${draft.unit.id}&period=${draft.period.code}&lang=en`} download id="draft-docx-en">
              {t("drafts.docx.link_en")}
            </a>
          </div>
          <p className="muted">{t("drafts.docx.hint")}</p>
          <p className="muted">{t("drafts.editing_hint")}</p>
          <div className="draft-pair">
            <DraftEditor id="draft-zh" heading={t("drafts.zh_version")} lang="zh-CN" generated={draft.zh.text} />
            <DraftEditor id="draft-en" heading={t("drafts.en_version")} lang="en" generated={draft.en.text} />
          </div>
          <DraftSources sources={draft.sources} approvedReports={draft.approvedReports} reportStatus={draft.reportStatus} />
        </div>
      ) : (
        <p className="empty" id="draft-choose">
          {t("drafts.choose")}
        </p>
      )}
    </div>
  );
}
