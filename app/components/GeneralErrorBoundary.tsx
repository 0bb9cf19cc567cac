// One error page for every route, in the user's language: 400, 403, 404 and the refusals get their own words
// (utils/error-text); anything else is a 500 without details (the details go to the server log, never to the page).
import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { type ErrorData, errorText } from "~/utils/error-text";
import { useI18n } from "~/utils/i18n-hooks";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  let status = 500;
  let data: ErrorData | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    data = error.data as ErrorData | undefined;
  } else if (typeof document === "undefined") {
    console.error(error);
  }
  const { message, detail } = errorText(t, status, data);
  return (
    <div className="error-page" role="alert">
      <h1>
        {status} · {t("error.title")}
      </h1>
      <p>{message}</p>
      {detail ? <p>{detail}</p> : null}
      <p>
        <Link to="/">{t("error.home")}</Link>
      </p>
    </div>
  );
}
