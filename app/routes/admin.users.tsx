// Administrators manage accounts: the list (unit, role, status, last sign-in), creating one, disabling and
// enabling, and setting a temporary password. Disabling and a new password end the user's sessions at once.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { localName } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { listOrganizations, organizationDepth } from "~/models/organization.server";
import { listAuthEvents } from "~/models/audit-log.server";
import { getUserById, listUsersForAdmin } from "~/models/user.server";
import { type PasswordErrors, newPasswordSchema, parseNewUser } from "~/schemas/password";
import { createUserByAdmin, setTemporaryPassword, setUserEnabled } from "~/services/account-security.server";
import { notFound, requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { ROLES } from "../../db/schema";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "security.users.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "user.manage");
  const [users, units, signIns] = await Promise.all([listUsersForAdmin(db), listOrganizations(db), listAuthEvents(db)]);
  return json({
    selfId: admin.id,
    users,
    signIns,
    units: units
      .filter((u) => u.kind !== "foreign_body")
      .map((u) => ({ id: u.id, name_zh: u.name_zh, name_en: u.name_en, depth: organizationDepth(u.path) })),
  });
}

type ActionData = { errors: PasswordErrors; userId: number | null; values?: Record<string, string> };

const bad = (errors: PasswordErrors, userId: number | null, values?: Record<string, string>) =>
  json<ActionData>({ errors, userId, values }, { status: 400 });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "user.manage");
  const form = await request.formData();
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const intent = text("intent");

  if (intent === "create") {
    const values = { username: text("username"), display_name: text("display_name"), organization_id: text("organization_id"), role: text("role") };
    const parsed = parseNewUser({ ...values, password: text("password") });
    if (!parsed.ok) return bad(parsed.errors, null, values);
    const input = parsed.user;
    const units = await listOrganizations(db);
    if (!units.some((u) => u.id === input.organization_id && u.kind !== "foreign_body")) {
      return bad({ organization_id: "security.users.errors.unit" }, null, values);
    }
    const id = await createUserByAdmin(db, admin, {
      username: input.username,
      displayName: input.display_name,
      role: input.role,
      organizationId: input.organization_id,
      password: input.password,
    });
    if (id === null) return bad({ username: "security.users.errors.username_taken" }, null, values);
    return redirect(`/admin/users?notice=created&who=${encodeURIComponent(input.username)}`);
  }

  const userId = /^[1-9]\d{0,14}$/.test(text("user_id")) ? Number(text("user_id")) : null;
  const target = userId ? await getUserById(db, userId) : undefined;
  if (!target) throw notFound();
  const done = (notice: string) => redirect(`/admin/users?notice=${notice}&who=${encodeURIComponent(target.username)}`);

  if (intent === "disable" || intent === "enable") {
    // An administrator locking themselves out would leave nobody to undo it.
    if (intent === "disable" && target.id === admin.id) return bad({ status: "security.users.errors.self" }, target.id);
    await setUserEnabled(db, admin, target.id, intent === "enable");
    return done(intent === "disable" ? "disabled" : "enabled");
  }
  if (intent === "password") {
    const parsed = newPasswordSchema(target.username).safeParse(text("password"));
    if (!parsed.success) return bad({ password: parsed.error.issues[0]!.message }, target.id);
    await setTemporaryPassword(db, admin, target.id, parsed.data);
    return done("password");
  }
  return bad({ intent: "reports.errors.bad_intent" }, null);
}

const NOTICES: Record<string, string> = {
  created: "security.users.created",
  disabled: "security.users.saved.disabled",
  enabled: "security.users.saved.enabled",
  password: "security.users.saved.password",
};

export default function AdminUsersPage() {
  const { users, units, selfId, signIns } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const { t, locale } = useI18n();
  const notice = params.get("notice") ?? "";
  const createErrors: PasswordErrors = data && data.userId === null ? data.errors : {};
  const { errId, aria } = useFieldErrorIds(createErrors);
  const rowError = (userId: number, field: string) =>
    data && data.userId === userId && data.errors[field] ? (
      <FieldError id={`user-${userId}-${field}-error`} error={data.errors[field]} />
    ) : null;
  const values = data?.values ?? {};
  return (
    <div className="page">
      <h1>{t("security.users.title")}</h1>
      {Object.hasOwn(NOTICES, notice) ? (
        <p className="notice" role="status">
          {t(NOTICES[notice]!, { username: params.get("who") ?? "" })}
        </p>
      ) : null}
      <p className="muted">{t("security.users.intro")}</p>
      <div className="table-wrap">
        <table className="ledger user-list">
          <thead>
            <tr>
              <th scope="col">{t("security.users.username")}</th>
              <th scope="col">{t("security.users.name")}</th>
              <th scope="col">{t("security.users.unit")}</th>
              <th scope="col">{t("security.users.role")}</th>
              <th scope="col">{t("security.users.status")}</th>
              <th scope="col">{t("security.users.last_sign_in")}</th>
              <th scope="col">{t("security.users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-username={u.username}>
                <td className="username-cell">{u.username}</td>
                <td className="name-cell">{u.display_name}</td>
                <td className="unit-cell">{localName(locale, u.organization_name_zh, u.organization_name_en)}</td>
                <td className="role-cell">{t(`role.${u.role}`)}</td>
                <td className="nowrap status-cell">
                  {u.disabled_at ? t("security.users.disabled") : t("security.users.active")}
                  {u.must_change_password ? <span className="tag">{t("security.users.temporary")}</span> : null}
                </td>
                <td className="sign-in-cell" data-label={t("security.users.last_sign_in")}>
                  {u.last_sign_in_at ? formatDateTime(u.last_sign_in_at, locale) : t("security.users.never")}
                </td>
                <td className="actions-cell">
                  {u.id === selfId ? null : (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="user_id" value={u.id} />
                      <button type="submit" name="intent" value={u.disabled_at ? "enable" : "disable"} className="small">
                        {u.disabled_at ? t("security.users.enable") : t("security.users.disable")}
                      </button>
                      {rowError(u.id, "status")}
                    </Form>
                  )}
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="password" />
                    <input type="hidden" name="user_id" value={u.id} />
                    <input
                      name="password"
                      type="password"
                      autoComplete="new-password"
                      aria-label={`${t("security.users.temp_password")} ${u.username}`}
                      placeholder={t("security.users.temp_password")}
                    />
                    <button type="submit" className="small">
                      {t("security.users.set_password")}
                    </button>
                    {rowError(u.id, "password")}
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t("security.users.create_title")}</h2>
      <Form method="post" className="card form" noValidate>
        <input type="hidden" name="intent" value="create" />
        <label>
          {t("security.users.username")}
          <input name="username" autoComplete="off" defaultValue={values.username} {...aria("username")} />
          <FieldError id={errId("username")} error={createErrors.username} />
        </label>
        <label>
          {t("security.users.name")}
          <input name="display_name" defaultValue={values.display_name} {...aria("display_name")} />
          <FieldError id={errId("display_name")} error={createErrors.display_name} />
        </label>
        <label>
          {t("security.users.unit")}
          <select name="organization_id" defaultValue={values.organization_id ?? ""} {...aria("organization_id")}>
            <option value="">—</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {"\u3000".repeat(u.depth)}
                {localName(locale, u.name_zh, u.name_en)}
              </option>
            ))}
          </select>
          <FieldError id={errId("organization_id")} error={createErrors.organization_id} />
        </label>
        <label>
          {t("security.users.role")}
          <select name="role" defaultValue={values.role ?? "reporter"} {...aria("role")}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <FieldError id={errId("role")} error={createErrors.role} />
        </label>
        <label>
          {t("security.users.password")}
          <input name="password" type="password" autoComplete="new-password" {...aria("password")} />
          <FieldError id={errId("password")} error={createErrors.password} />
        </label>
        <button type="submit" className="primary">
          {t("security.users.create")}
        </button>
      </Form>

      <h2 id="sign-ins">{t("security.sign_ins.title")}</h2>
      <p className="muted">{t("security.sign_ins.intro")}</p>
      {signIns.length === 0 ? (
        <p className="empty">{t("security.sign_ins.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ledger" aria-labelledby="sign-ins">
            <thead>
              <tr>
                <th scope="col">{t("security.sign_ins.at")}</th>
                <th scope="col">{t("security.sign_ins.event")}</th>
                <th scope="col">{t("security.users.username")}</th>
                <th scope="col">{t("security.sign_ins.address")}</th>
              </tr>
            </thead>
            <tbody>
              {signIns.map((e) => (
                <tr key={e.id} className={e.action === "auth.sign_in" || e.action === "auth.sign_out" ? undefined : "row-warning"}>
                  <td>{formatDateTime(e.at, locale)}</td>
                  <td>{t(`security.sign_ins.${e.action.replace("auth.", "")}`)}</td>
                  <td>{e.username ?? "—"}</td>
                  <td>{e.address ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
