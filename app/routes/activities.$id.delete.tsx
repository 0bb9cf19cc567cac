import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { deleteActivity, getActivity } from "~/models/activity.server";
import { requireNotFrozen } from "~/services/freeze.server";
import { notFound, requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireId } from "~/utils/params.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const activity = await getActivity(db, requireId(params.id));
  if (!activity) throw notFound();
  requireCan(user, "delete", activity);
  await requireNotFrozen(db, activity.organization_path, [activity.start_date]);
  // Already in the recycle bin (deleted meanwhile, or a second click): nothing happened, so no confirmation.
  if (!(await deleteActivity(db, activity.id, user.id))) return redirect(`/activities/${activity.id}`);
  return redirect("/activities?notice=deleted");
}

export async function loader() {
  throw notFound();
}
