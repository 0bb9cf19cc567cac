import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { isLocale } from "~/i18n";
import { writeAudit } from "~/models/audit-log.server";
import { clientAddress, signIn } from "~/services/sign-in.server";
import { getUserById, recordSignIn } from "~/models/user.server";
import { CHANGE_PASSWORD_PATH, assertAcceptableWrite, getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { localeCookie } from "~/utils/locale.server";
import { safeRedirect } from "~/utils/safe-redirect";
import { rotateSession } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

// A document POST keeps the action's Retry-After (a throttled sign-in without JavaScript).
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : loaderHeaders;
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) return redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertAcceptableWrite(request);
  const form = await request.formData();
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!username || !password) return json({ error: "login.required" as const, seconds: 0 }, { status: 400 });

  const result = await signIn(db, username, password, clientAddress(request, context));
  if (result.status === "throttled") {
    return json(
      { error: "login.throttled" as const, seconds: result.retryAfterSeconds },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (result.status === "invalid") return json({ error: "login.invalid" as const, seconds: 0 }, { status: 401 });

  await writeAudit(db, { userId: result.userId, action: "auth.sign_in", entityType: "user", entityId: result.userId });
  await recordSignIn(db, result.userId);
  // The user's saved language wins over whatever the last person on this browser chose.
  const headers = new Headers();
  // A new session id on every sign-in, and whatever session this browser carried before is deleted.
  headers.append("Set-Cookie", await rotateSession(request, result.userId));
  if (isLocale(result.locale)) headers.append("Set-Cookie", await localeCookie.serialize(result.locale));
  const user = await getUserById(db, result.userId);
  const to = user?.must_change_password ? CHANGE_PASSWORD_PATH : safeRedirect(form.get("redirectTo"));
  return redirect(to, { headers });
}

export default function LoginPage() {
  const { t } = useI18n();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="login">
      <h1>{t("app.title")}</h1>
      <Form method="post" className="card form">
        <h2>{t("login.title")}</h2>
        {data?.error ? (
          <p className="form-error" role="alert" id="login-error">
            {t(data.error, { seconds: data.seconds })}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <label>
          {t("login.username")}
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t("login.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
    </div>
  );
}
