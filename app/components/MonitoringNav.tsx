// The two monitoring views, side by side: who has reported, and where nothing has been done.
import { NavLink } from "@remix-run/react";
import { useI18n } from "~/utils/i18n-hooks";

export function MonitoringNav() {
  const { t } = useI18n();
  return (
    <nav className="mon-subnav" aria-label={t("monitoring.title")}>
      <NavLink to="/monitoring" end>
        {t("monitoring.tab.matrix")}
      </NavLink>
      <NavLink to="/monitoring/coverage">{t("monitoring.tab.coverage")}</NavLink>
    </nav>
  );
}
