import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { SisterCityForm } from "~/components/SisterCityForm";
import { createSisterCity } from "~/models/sister-city.server";
import { parseSisterCityCreate, sisterCityFormOptions } from "~/services/sister-city-form.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { canManageSisterCity } from "~/utils/permissions";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sister_cities.new_title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!canManageSisterCity(user)) throw forbidden();
  const locale = await getLocale(request, user);
  const url = new URL(request.url);
  // "?body=": from a candidate (开辟) of the register, or a body's page
  const body = /^\d{1,9}$/.test(url.searchParams.get("body") ?? "") ? url.searchParams.get("body")! : "";
  const options = await sisterCityFormOptions(db, user, locale);
  const unit = options.units.length === 1 ? String(options.units[0]!.id) : "";
  return json({ options, values: { counterpart_id: body, organization_id: unit, stage: "consensus" } as Record<string, string> });
}

/** Adds a relationship. Reviewers and administrators for any unit; a reporter for their own unit and those below. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!canManageSisterCity(user)) throw forbidden();
  const parsed = await parseSisterCityCreate(db, await request.formData(), user, todayInChina());
  if (parsed.ok === "forbidden") throw forbidden();
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await createSisterCity(db, parsed.input, user.id);
  if (result.status === "exists") return json({ errors: { counterpart_id: "sister_cities.errors.exists" }, values: parsed.values }, { status: 400 });
  return redirect(`/sister-cities/${result.id}?notice=created`);
}

export default function NewSisterCityPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="page narrow">
      <p className="breadcrumb">
        <Link to="/sister-cities">{t("sister_cities.back")}</Link>
      </p>
      <h1>{t("sister_cities.new_title")}</h1>
      <p className="muted">{t("sister_cities.new_intro")}</p>
      {actionData?.errors ? (
        <p className="form-error" role="alert">
          {t("activities.form_errors")}
        </p>
      ) : null}
      <SisterCityForm
        values={actionData?.values ?? data.values}
        errors={actionData?.errors}
        options={data.options}
        submitLabel={t("sister_cities.save_new")}
        showEnd={false}
      />
    </div>
  );
}
