import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { COUNTERPART_LEVELS, bodyFullName } from "~/domain/counterparts";
import { getCounterpart, loadRegisterEntries, nameConflicts, updateCounterpart } from "~/models/counterpart.server";
import { countryChoices } from "~/presenters/countries.server";
import { fieldErrors } from "~/schemas/activity";
import { COUNTERPART_LIMITS, counterpartEditSchema } from "~/schemas/counterpart";
import { type FieldErrors, repeatedFieldErrors } from "~/schemas/form";
import { notFound, requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { requireId } from "~/utils/params.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "counterparts.edit_title");

async function requireBody(request: Request, idParam: string | undefined) {
  const user = await requirePermission(request, "counterpart.edit");
  const body = await getCounterpart(db, requireId(idParam));
  if (!body) throw notFound();
  // an entry merged into another is edited there
  if (body.merged_into !== null) throw redirect(`/counterparts/${body.merged_into}/edit`);
  return { user, body };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, body } = await requireBody(request, params.id);
  const locale = await getLocale(request, user);
  return json({
    id: body.id,
    values: {
      name_zh: body.name_zh,
      name_en: body.name_en,
      name_local: body.name_local,
      country_code: body.country_code,
      level: body.level,
      aliases: body.aliases.map((a) => a.name).join("\n"),
    },
    countries: countryChoices(locale).countries,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, body } = await requireBody(request, params.id);
  const locale = await getLocale(request, user);
  const formData = await request.formData();
  const fields = ["name_zh", "name_en", "name_local", "country_code", "level", "aliases"] as const;
  const values = Object.fromEntries(fields.map((f) => [f, String(formData.get(f) ?? "")])) as Record<(typeof fields)[number], string>;
  const parsed = counterpartEditSchema.safeParse(values);
  const errors: FieldErrors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...repeatedFieldErrors(formData) };
  let conflicts: { name: string; other: string; otherId: number }[] = [];
  if (parsed.success) {
    const v = parsed.data;
    const found = await nameConflicts(db, body.id, { countryCode: v.country_code, nameZh: v.name_zh, nameEn: v.name_en, nameLocal: v.name_local, aliases: v.aliases });
    if (found.length) {
      const entries = new Map((await loadRegisterEntries(db)).map((e) => [e.id, e]));
      conflicts = found.map((c) => ({ name: c.name, otherId: c.otherId, other: bodyFullName(entries.get(c.otherId)!, locale) }));
      errors.aliases = "counterparts.edit.conflict";
    }
  }
  if (!parsed.success || Object.keys(errors).length) return json({ errors, values, conflicts }, { status: 400 });
  const v = parsed.data;
  const saved = await updateCounterpart(
    db,
    body.id,
    { countryCode: v.country_code, level: v.level, nameZh: v.name_zh, nameEn: v.name_en, nameLocal: v.name_local, aliases: v.aliases },
    user.id,
  );
  if (saved === "not_found") throw notFound();
  return redirect(`/counterparts/${body.id}?notice=saved`);
}

export default function EditCounterpartPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useI18n();
  const values = actionData?.values ?? data.values;
  const errors: FieldErrors = actionData?.errors ?? {};
  const { errId, aria } = useFieldErrorIds(errors);
  return (
    <div className="page narrow">
      <h1>{t("counterparts.edit_title")}</h1>
      {Object.keys(errors).length ? (
        <p className="form-error" role="alert">
          {t("counterparts.edit.errors")}
        </p>
      ) : null}
      <Form method="post" className="form card" noValidate>
        <label>
          {t("counterparts.name_zh")} *
          <input name="name_zh" defaultValue={values.name_zh} maxLength={COUNTERPART_LIMITS.name + 50} required {...aria("name_zh")} />
          <FieldError id={errId("name_zh")} error={errors.name_zh} />
        </label>
        <label>
          {t("counterparts.name_en")}
          <input name="name_en" lang="en" defaultValue={values.name_en} {...aria("name_en")} />
          <FieldError id={errId("name_en")} error={errors.name_en} />
        </label>
        <label>
          {t("counterparts.name_local")}
          <input name="name_local" defaultValue={values.name_local} {...aria("name_local")} />
          <FieldError id={errId("name_local")} error={errors.name_local} />
        </label>
        <label>
          {t("counterparts.country")} *
          <select name="country_code" defaultValue={values.country_code} {...aria("country_code")}>
            {data.countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          <FieldError id={errId("country_code")} error={errors.country_code} />
        </label>
        <label>
          {t("counterparts.level")} *
          <select name="level" defaultValue={values.level} {...aria("level")}>
            {COUNTERPART_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`counterparts.level.${level}`)}
              </option>
            ))}
          </select>
          <FieldError id={errId("level")} error={errors.level} />
        </label>
        <label>
          {t("counterparts.aliases")}
          <span className="muted field-hint">{t("counterparts.edit.aliases_hint")}</span>
          <textarea name="aliases" rows={5} defaultValue={values.aliases} {...aria("aliases")} />
          <FieldError id={errId("aliases")} error={errors.aliases} />
          {actionData?.conflicts?.length ? (
            <ul className="field-error">
              {actionData.conflicts.map((c) => (
                <li key={c.name}>
                  {c.name} → <Link to={`/counterparts/${c.otherId}`}>{c.other}</Link>
                </li>
              ))}
            </ul>
          ) : null}
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("counterparts.edit.save")}
          </button>
          <Link to={`/counterparts/${data.id}`}>{t("counterparts.edit.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
