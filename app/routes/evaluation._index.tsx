import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { listPeriods } from "~/models/reporting-period.server";
import { notFound, requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";

/** The evaluation of the latest period that has ended (or the first one, before any has). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const today = todayInChina();
  const periods = await listPeriods(db);
  const ended = periods.filter((p) => p.end_date < today);
  const period = ended[ended.length - 1] ?? periods[0];
  if (!period) throw notFound();
  return redirect(`/evaluation/${period.code}`);
}
