import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DashboardDefinitions, DashboardFigures, ScopeLine } from "~/components/Dashboard";
import { DashboardFilters } from "~/components/DashboardFilters";
import { loadDashboard } from "~/presenters/dashboard.server";
import { todayInChina } from "~/presenters/monitoring.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "dashboard.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const data = await loadDashboard(db, new URL(request.url).searchParams, { today: todayInChina(), locale });
  return json(data, { status: data.status });
}

export default function DashboardPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <div className="page dashboard">
      <h1>{t("dashboard.title")}</h1>
      <p className="muted">{t("dashboard.intro")}</p>
      <DashboardFilters params={data.params} invalid={data.invalid} choices={data.choices} />
      <ScopeLine data={data} />
      <DashboardFigures data={data} />
      <DashboardDefinitions />
    </div>
  );
}
