import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getActivity, restoreActivity } from "~/models/activity.server";
import { frozenResponse, unlessFrozen } from "~/services/freeze.server";
import { notFound, requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireId } from "~/utils/params.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const activity = await getActivity(db, requireId(params.id));
  if (!activity) throw notFound();
  requireCan(user, "activity.restore", activity);
  const done = await unlessFrozen([{ organizationPath: activity.organization_path, dates: [activity.start_date] }], (guard) =>
    restoreActivity(db, activity.id, user.id, guard),
  );
  if (done.frozen) throw frozenResponse(done.frozen);
  if (!done.result) return redirect(`/activities/${activity.id}`);
  return redirect(`/activities/${activity.id}?notice=restored`);
}

export async function loader() {
  throw notFound();
}
