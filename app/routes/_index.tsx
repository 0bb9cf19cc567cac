import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityTable } from "~/components/ActivityTable";
import { localName } from "~/i18n";
import { listActivities } from "~/models/activity.server";
import { countryChoices } from "~/presenters/countries.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const ownUnit = user.role === "reporter";
  const recent = await listActivities(
    db,
    ownUnit ? { organizationPath: user.organization_path } : {},
    { sort: "updated", pageSize: 10 },
  );
  return json({
    user: { name: user.display_name, unitZh: user.organization_name_zh, unitEn: user.organization_name_en },
    ownUnit,
    unitId: user.organization_id,
    recent: recent.rows,
    countryNames: countryChoices(locale).countryNames,
  });
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <div className="page">
      <h1>{t("home.welcome", { name: data.user.name })}</h1>
      <p>{t("home.unit", { unit: localName(locale, data.user.unitZh, data.user.unitEn) })}</p>
      <p className="muted">{t("home.plan_intro")}</p>
      <p>
        <Link to="/plan" className="button">
          {t("nav.plan")}
        </Link>{" "}
        <Link to="/activities" className="button">
          {t("nav.activities")}
        </Link>
      </p>
      <h2>{data.ownUnit ? t("home.recent") : t("home.all_recent")}</h2>
      <ActivityTable rows={data.recent} countryNames={data.countryNames} />
      <p>
        <Link to={data.ownUnit ? `/activities?unit=${data.unitId}` : "/activities"}>{t("home.see_all")}</Link>
      </p>
    </div>
  );
}
