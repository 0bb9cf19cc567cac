// Closes a selection of planned activities whose dates have passed (the list's checkboxes), as 已完成 or 取消, in
// one action. A POST-only route; the list is where the selection is made.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { CLOSE_MAX, isClosingStatus } from "~/domain/closing";
import { closeActivities } from "~/services/activity-closing.server";
import { badRequest, notFound, requireCan, requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { safeRedirect } from "~/utils/safe-redirect";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.edit", { organization_path: user.organization_path });
  const form = await request.formData();
  const status = form.get("status");
  const values = form.getAll("activity").map(String);
  if (!isClosingStatus(status)) throw badRequest("choose_status");
  if (values.length === 0 || values.length > CLOSE_MAX || !values.every((v) => /^[1-9]\d{0,9}$/.test(v))) throw badRequest("bad_selection");
  const ids = [...new Set(values.map(Number))];
  if (ids.length !== values.length) throw badRequest("bad_selection");
  const count = await closeActivities(db, user, ids, status, todayInChina());
  const back = safeRedirect(form.get("back"), "/activities");
  const target = new URL(back === "/activities" || back.startsWith("/activities?") ? back : "/activities", "http://lmc.invalid");
  target.searchParams.set("notice", status === "completed" ? "closed_completed" : "closed_cancelled");
  target.searchParams.set("closed", String(count));
  return redirect(`${target.pathname}${target.search}`);
}

export async function loader() {
  throw notFound();
}
