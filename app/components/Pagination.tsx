import { Link, useLocation } from "@remix-run/react";
import { useI18n } from "~/utils/i18n-hooks";

/** Previous/next links that keep every other parameter of the URL (the filters). */
export function Pagination({ page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const { t } = useI18n();
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    if (p === 1) params.delete("page");
    else params.set("page", String(p));
    const qs = params.toString();
    return qs ? `${location.pathname}?${qs}` : location.pathname;
  };
  return (
    <nav className="pagination" aria-label="pagination">
      {page > 1 ? <Link to={hrefFor(page - 1)} rel="prev">{t("page.prev")}</Link> : <span />}
      <span>{t("page.of", { page, pages })}</span>
      {page < pages ? <Link to={hrefFor(page + 1)} rel="next">{t("page.next")}</Link> : <span />}
    </nav>
  );
}
