import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { IndicatorForm } from "~/components/IndicatorForm";
import { getIndicator, updateIndicator } from "~/models/indicator.server";
import {
  indicatorFormOptions,
  indicatorToFormValues,
  parseIndicatorForm,
  periodKindFrom,
} from "~/services/indicator-form.server";
import { notFound, requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { requireId } from "~/utils/params.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "indicators.edit");

/** Administrators only, checked before anything about the indicator is looked up. */
async function requireEditable(request: Request, idParam: string | undefined) {
  const user = await requirePermission(request, "indicator.define");
  const indicator = await getIndicator(db, requireId(idParam));
  if (!indicator) throw notFound();
  return { user, indicator };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { indicator } = await requireEditable(request, params.id);
  const kind = periodKindFrom(new URL(request.url).searchParams.get("kind"));
  return json({
    id: indicator.id,
    values: await indicatorToFormValues(db, indicator, kind),
    options: await indicatorFormOptions(db, kind),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, indicator } = await requireEditable(request, params.id);
  const form = await parseIndicatorForm(db, await request.formData(), indicator);
  if (!form.ok) {
    return json(
      { errors: form.errors, values: form.values, options: await indicatorFormOptions(db, periodKindFrom(form.values.period_kind)) },
      { status: 400 },
    );
  }
  if (!(await updateIndicator(db, indicator.id, form.input, user.id))) throw notFound();
  return redirect(`/indicators/${indicator.id}?notice=saved`);
}

export default function EditIndicatorPage() {
  const { id, values, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="page narrow">
      <h1>{t("indicators.edit")}</h1>
      {actionData?.errors ? (
        <p className="form-error" role="alert">
          {t("indicators.form_errors")}
        </p>
      ) : null}
      <IndicatorForm
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        options={actionData?.options ?? options}
        editing
        submitLabel={t("indicators.save")}
      />
      <p>
        <Link to={`/indicators/${id}`}>{t("indicators.cancel")}</Link>
      </p>
    </div>
  );
}
