import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { deleteActivity, getActivity } from "~/models/activity.server";
import { frozenResponse, unlessFrozen } from "~/services/freeze.server";
import { notFound, requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireId } from "~/utils/params.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const activity = await getActivity(db, requireId(params.id));
  if (!activity) throw notFound();
  requireCan(user, "activity.delete", activity);
  const done = await unlessFrozen([{ organizationPath: activity.organization_path, dates: [activity.start_date] }], (guard) =>
    deleteActivity(db, activity.id, user.id, guard),
  );
  if (done.frozen) throw frozenResponse(done.frozen);
  // Already in the recycle bin (deleted meanwhile, or a second click): nothing happened, so no confirmation.
  if (!done.result) return redirect(`/activities/${activity.id}`);
  return redirect("/activities?notice=deleted");
}

export async function loader() {
  throw notFound();
}
