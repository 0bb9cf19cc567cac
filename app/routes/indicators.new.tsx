import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { IndicatorForm } from "~/components/IndicatorForm";
import { createIndicator } from "~/models/indicator.server";
import { indicatorFormOptions, newIndicatorFormValues, parseIndicatorForm, periodKindFrom } from "~/services/indicator-form.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "indicators.new");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "indicator.define");
  const url = new URL(request.url);
  const kind = periodKindFrom(url.searchParams.get("kind"));
  const item = url.searchParams.get("item") ?? "";
  return json({
    options: await indicatorFormOptions(db, kind),
    values: newIndicatorFormValues(item),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "indicator.define");
  const form = await parseIndicatorForm(db, await request.formData());
  if (!form.ok) {
    return json(
      { errors: form.errors, values: form.values, options: await indicatorFormOptions(db, periodKindFrom(form.values.period_kind)) },
      { status: 400 },
    );
  }
  const id = await createIndicator(db, form.input, user.id);
  return redirect(`/indicators/${id}?notice=created`);
}

export default function NewIndicatorPage() {
  const { options, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="page narrow">
      <h1>{t("indicators.new")}</h1>
      {actionData?.errors ? (
        <p className="form-error" role="alert">
          {t("indicators.form_errors")}
        </p>
      ) : null}
      <IndicatorForm
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        options={actionData?.options ?? options}
        editing={false}
        submitLabel={t("indicators.save")}
      />
      <p>
        <Link to="/indicators">{t("indicators.cancel")}</Link>
      </p>
    </div>
  );
}
