// The two monitoring views, side by side: who has reported, and where nothing has been done.
import { NavLink } from "@remix-run/react";
import { useRootData } from "~/root";
import { useI18n } from "~/utils/i18n-hooks";
import { can } from "~/utils/permissions";

export function MonitoringNav() {
  const { t } = useI18n();
  const user = useRootData()?.user;
  return (
    <nav className="mon-subnav" aria-label={t("monitoring.title")}>
      <NavLink to="/monitoring" end>
        {t("monitoring.tab.matrix")}
      </NavLink>
      <NavLink to="/monitoring/coverage">{t("monitoring.tab.coverage")}</NavLink>
      {user && can(user, "duplicates.resolve") ? <NavLink to="/monitoring/duplicates">{t("monitoring.tab.duplicates")}</NavLink> : null}
    </nav>
  );
}
