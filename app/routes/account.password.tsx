// The signed-in user changes their own password: current, new, new again. Success ends every other session of
// the user and gives this browser a fresh session id.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { Notice } from "~/components/Notice";
import { type PasswordErrors, parseNewPassword } from "~/schemas/password";
import { changeOwnPassword } from "~/services/account-security.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { rotateSession } from "~/utils/session.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "security.password.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ username: user.username, mustChange: user.must_change_password === 1 });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const current = form.get("current_password");
  const errors: PasswordErrors = {};
  if (typeof current !== "string" || !current) errors.current_password = "errors.required";
  const parsed = parseNewPassword(form, user.username);
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  if (!parsed.ok || typeof current !== "string" || !current) return json({ errors, seconds: 0 }, { status: 400 });

  const result = await changeOwnPassword(db, user, current, parsed.password);
  if (result.status === "throttled") {
    return json(
      { errors: { current_password: "login.throttled" } as PasswordErrors, seconds: result.retryAfterSeconds },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  if (result.status === "wrong_current") {
    return json({ errors: { current_password: "security.password.wrong_current" } as PasswordErrors, seconds: 0 }, { status: 400 });
  }
  if (result.status === "same_as_current") {
    return json({ errors: { new_password: "security.password.same_as_current" } as PasswordErrors, seconds: 0 }, { status: 400 });
  }
  return redirect("/account/password?notice=changed", {
    headers: { "Set-Cookie": await rotateSession(request, user.id) },
  });
}

const NOTICES = { changed: "security.password.changed" } as const;

export default function ChangePasswordPage() {
  const { username, mustChange } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: PasswordErrors = data?.errors ?? {};
  const { t } = useI18n();
  const { errId, aria } = useFieldErrorIds(errors);
  const busy = useNavigation().state !== "idle";
  const error = (field: string) =>
    errors[field] ? <FieldError id={errId(field)} error={t(errors[field]!, { seconds: data?.seconds ?? 0 })} /> : null;
  return (
    <div className="page">
      <h1>{t("security.password.title")}</h1>
      <Notice messages={NOTICES} />
      {mustChange ? (
        <p className="warning" role="alert">
          {t("security.password.must_change")}
        </p>
      ) : null}
      <p className="muted">{t("security.password.intro")}</p>
      <Form method="post" className="card form" noValidate>
        {/* for password managers: which account this password belongs to */}
        <input type="hidden" name="username" value={username} autoComplete="username" />
        <label>
          {t("security.password.current")}
          <input name="current_password" type="password" autoComplete="current-password" required {...aria("current_password")} />
          {error("current_password")}
        </label>
        <label>
          {t("security.password.new")}
          <input name="new_password" type="password" autoComplete="new-password" required minLength={10} {...aria("new_password")} />
          {error("new_password")}
        </label>
        <label>
          {t("security.password.repeat")}
          <input name="repeat_password" type="password" autoComplete="new-password" required {...aria("repeat_password")} />
          {error("repeat_password")}
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {t("security.password.submit")}
        </button>
      </Form>
    </div>
  );
}
