// GET /exports/activities.csv?<the activity list's query>: the list as shown, as UTF-8 CSV (with BOM) for Excel.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportActivityListCsv, resolveListExport } from "~/services/activity-export.server";
import { CSV_CONTENT_TYPE, downloadResponse, exportError } from "~/services/excel-format.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requestTranslator } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { locale, t } = await requestTranslator(request, user);
  const resolved = await resolveListExport(db, new URL(request.url).searchParams);
  if (!resolved.ok) return exportError(400, resolved.reason, t("exports.errors.bad_filter", { params: resolved.params.join(", ") }), { params: resolved.params });
  const file = await exportActivityListCsv(db, resolved, { locale, t });
  return downloadResponse(file.body, CSV_CONTENT_TYPE, file.fileName, file.asciiName);
}
