import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PlanTree } from "~/components/PlanTree";
import { localName } from "~/i18n";
import { formatNumber } from "~/i18n/format";
import { loadPlanTree } from "~/presenters/plan-tree.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.plan");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json(await loadPlanTree(db));
}

export default function PlanPage() {
  const { roots, areas } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const areaNames = Object.fromEntries(areas.map((a) => [a.code, localName(locale, a.name_zh, a.name_en)]));
  return (
    <div className="page">
      <h1>{t("plan.title")}</h1>
      <p className="muted">{t("home.plan_intro")}</p>
      <section aria-labelledby="areas-heading">
        <h2 id="areas-heading">{t("plan.areas")}</h2>
        <ul className="area-cards">
          {areas.map((area) => (
            <li key={area.code} className="card">
              <Link to={`/areas/${area.code}`}>
                {locale === "en" ? (
                  <>
                    <strong>{area.name_en}</strong> <span lang="zh-CN">{area.name_zh}</span>
                  </>
                ) : (
                  <>
                    <strong>{area.name_zh}</strong> <span lang="en">{area.name_en}</span>
                  </>
                )}
              </Link>
              <div className="muted">
                {area.items.map((i) => `${i.code} ${localName(locale, i.title_zh, i.title_en)}`).join(locale === "en" ? "; " : "；")}
              </div>
              <div>
                {t("plan.count", { count: formatNumber(area.count, locale) })}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="tree-heading">
        <h2 id="tree-heading">{t("plan.tree")}</h2>
        <p className="unofficial-note">
          <span className="unofficial">*</span> {t("plan.unofficial_note")}
        </p>
        <PlanTree nodes={roots} areaNames={areaNames} />
      </section>
    </div>
  );
}
