import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterForm, FilterSelect } from "~/components/FilterForm";
import { INDICATOR_NOTICES, Notice } from "~/components/Notice";
import { IndicatorProgressTable } from "~/components/IndicatorProgressTable";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import { listOrganizations, organizationDepth } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { listPeriods } from "~/models/reporting-period.server";
import { defaultProgressPeriod, listIndicatorsWithProgress } from "~/services/indicator-progress.server";
import { can, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "indicators.title");

/** The pillar an item belongs to ("4.2" for 4.2.6), or its section for the support system ("5" for 5.4). */
function groupCodeOf(path: string): string {
  const codes = path.split("/").filter(Boolean);
  return codes[0] === "4" && codes.length > 1 ? codes[1]! : codes[0]!;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const invalid: string[] = [];

  const [periods, organizations, planItems] = await Promise.all([listPeriods(db), listOrganizations(db), listPlanItems(db)]);
  const periodCode = params.get("period");
  let period = periodCode ? periods.find((p) => p.code === periodCode) : undefined;
  if (periodCode && !period) invalid.push("period");
  period ??= defaultProgressPeriod(periods);

  const unitParam = params.get("unit");
  const unit = unitParam && /^\d{1,9}$/.test(unitParam) ? organizations.find((o) => o.id === Number(unitParam)) : undefined;
  if (unitParam && !unit) invalid.push("unit");

  const rows = period ? await listIndicatorsWithProgress(db, period, { organizationPath: unit?.path }) : [];
  const groups: { code: string; title_zh: string; title_en: string; rows: typeof rows }[] = [];
  for (const row of rows) {
    const code = groupCodeOf(row.indicator.plan_item_path);
    let group = groups.find((g) => g.code === code);
    if (!group) {
      const node = planItems.find((p) => p.code === code);
      group = { code, title_zh: node?.title_zh ?? code, title_en: node?.title_en ?? code, rows: [] };
      groups.push(group);
    }
    group.rows.push(row);
  }

  return json(
    {
      period: period ? { code: period.code, kind: period.kind, year: period.year, seq: period.seq } : null,
      unitId: unit?.id ?? null,
      invalid,
      groups,
      periods: periods.map((p) => ({ code: p.code, kind: p.kind, year: p.year, seq: p.seq })),
      units: organizations.map((o) => ({ id: o.id, name_zh: o.name_zh, name_en: o.name_en, depth: organizationDepth(o.path) })),
      canEdit: can(user, "indicator.define"),
    },
    { status: invalid.length ? 400 : 200 },
  );
}

export default function IndicatorsPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("indicators.title")}</h1>
        {data.canEdit ? (
          <Link to="/indicators/new" className="button primary">
            {t("indicators.new")}
          </Link>
        ) : null}
      </div>
      <Notice messages={INDICATOR_NOTICES} />
      <p className="muted">{t("indicators.intro")}</p>
      <FilterForm>
        <FilterSelect
          label={t("indicators.filter.period")}
          name="period"
          value={data.period?.code}
          all={false}
          invalid={data.invalid.includes("period")}
          options={data.periods.map((p) => ({ value: p.code, label: periodName(p, locale) }))}
        />
        <FilterSelect
          label={t("indicators.filter.unit")}
          name="unit"
          value={data.unitId}
          all={t("indicators.filter.all_units")}
          invalid={data.invalid.includes("unit")}
          options={data.units.map((u) => ({ value: u.id, label: localName(locale, u.name_zh, u.name_en), depth: u.depth }))}
        />
      </FilterForm>
      {data.period ? (
        <p className="total">
          {t("indicators.showing_period", { period: periodName(data.period, locale) })}
          {data.unitId ? ` ${t("indicators.scope_note")}` : ""}
        </p>
      ) : null}
      {data.groups.length === 0 ? <p className="empty">{t("indicators.empty")}</p> : null}
      {data.groups.map((group) => (
        <section key={group.code}>
          <h2>
            <span className="code">{group.code}</span> {localName(locale, group.title_zh, group.title_en)}
          </h2>
          <IndicatorProgressTable rows={group.rows} canEdit={data.canEdit} />
        </section>
      ))}
      <p className="muted">{t("indicators.plan_target_note")}</p>
    </div>
  );
}
