import { Link, useLocation } from "@remix-run/react";
import { useI18n } from "~/utils/i18n-hooks";

/**
 * Previous/next links that keep every other parameter of the URL (the filters). With `cursors` (keyset paging) the
 * links name the row the next page starts after and the one the previous page ends before, beside the page's
 * number; the first page's link names neither.
 */
export function Pagination({
  page,
  pageSize,
  total,
  totalAtLeast = false,
  cursors,
}: {
  page: number;
  pageSize: number;
  total: number;
  /** the total is a lower bound (a search that stopped counting): there are more pages than it gives */
  totalAtLeast?: boolean;
  cursors?: { prevBefore: number | null; nextAfter: number | null };
}) {
  const { t } = useI18n();
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && !totalAtLeast) return null;
  const hrefFor = (p: number, cursor?: ["after" | "before", number | null]) => {
    const params = new URLSearchParams(location.search);
    params.delete("after");
    params.delete("before");
    if (p === 1) params.delete("page");
    else params.set("page", String(p));
    if (p > 1 && cursor && cursor[1] !== null) params.set(cursor[0], String(cursor[1]));
    const qs = params.toString();
    return qs ? `${location.pathname}?${qs}` : location.pathname;
  };
  const hasNext = cursors ? cursors.nextAfter !== null : page < pages;
  return (
    <nav className="pagination" aria-label="pagination">
      {page > 1 ? <Link to={hrefFor(page - 1, cursors && ["before", cursors.prevBefore])} rel="prev">{t("page.prev")}</Link> : <span />}
      <span>{t(totalAtLeast ? "page.of_at_least" : "page.of", { page, pages })}</span>
      {hasNext ? <Link to={hrefFor(page + 1, cursors && ["after", cursors.nextAfter])} rel="next">{t("page.next")}</Link> : <span />}
    </nav>
  );
}
