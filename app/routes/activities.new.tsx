import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm } from "~/components/ActivityForm";
import { createActivity } from "~/models/activity.server";
import { getOrganization } from "~/models/organization.server";
import { unlessFrozen } from "~/services/freeze.server";
import { activityFormOptions, parseActivityForm } from "~/services/activity-form.server";
import { requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import type { CounterpartQuestion } from "~/schemas/counterpart";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "activities.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.create", { organization_path: user.organization_path });
  const locale = await getLocale(request, user);
  const item = new URL(request.url).searchParams.get("item") ?? "";
  return json({
    options: await activityFormOptions(db, user, locale),
    values: { organization_id: String(user.organization_id), primary_plan_item: item, status: "completed" },
  });
}

const NO_QUESTIONS: CounterpartQuestion[] = [];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.create", { organization_path: user.organization_path });
  const form = await parseActivityForm(db, await request.formData(), user);
  if (!form.ok) return json({ errors: form.errors, values: form.values, questions: form.questions }, { status: 400 });
  const unit = (await getOrganization(db, form.input.organizationId))!;
  const created = await unlessFrozen([{ organizationPath: unit.path, dates: [form.input.startDate] }], (guard) =>
    createActivity(db, form.input, user.id, { guard }),
  );
  if (created.frozen) return json({ errors: { start_date: "reports.frozen" }, values: form.values, questions: NO_QUESTIONS }, { status: 409 });
  return redirect(`/activities/${created.result}?notice=created`);
}

export default function NewActivityPage() {
  const { options, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="page narrow">
      <h1>{t("activities.new")}</h1>
      {actionData?.errors ? (
        <p className="form-error" role="alert">
          {t("activities.form_errors")}
        </p>
      ) : null}
      <ActivityForm
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        questions={actionData?.questions}
        options={options}
        submitLabel={t("activities.save")}
      />
    </div>
  );
}
