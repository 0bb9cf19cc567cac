// One error page for every route, in the user's language: 400, 403, 404 get their own words; anything else is
// a 500 without details (the details go to the server log, never to the page).
import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useI18n } from "~/utils/i18n-hooks";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  let status = 500;
  let detail: string | null = null;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const data = error.data as { reason?: string; param?: string; max_mb?: number } | undefined;
    if (data?.reason === "bad_filter" && data.param) detail = t("error.bad_filter", { param: data.param });
    if (data?.reason === "frozen") detail = t("reports.frozen");
    if (data?.reason === "cross_site") detail = t("security.cross_site");
    if (data?.reason === "too_large") detail = t("security.too_large", { max_mb: data.max_mb ?? 1 });
  } else if (typeof document === "undefined") {
    console.error(error);
  }
  const key = status === 400 || status === 403 || status === 404 || status === 409 || status === 411 || status === 413 ? `error.${status}` : "error.500";
  return (
    <div className="error-page" role="alert">
      <h1>
        {status} · {t("error.title")}
      </h1>
      <p>{t(key)}</p>
      {detail ? <p>{detail}</p> : null}
      <p>
        <Link to="/">{t("error.home")}</Link>
      </p>
    </div>
  );
}
