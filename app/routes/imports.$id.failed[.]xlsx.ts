// GET /imports/:id/failed.xlsx — the rows of one's own upload that cannot be imported, with what to fix.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUploadOf } from "~/models/activity-import.server";
import { buildFailedRowsWorkbook, failedRowsFileName, xlsxDownload } from "~/services/import-template.server";
import { notFound, requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";
import { requireId } from "~/utils/params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.import", { organization_path: user.organization_path });
  // Another user's upload is not found, exactly like one that never existed.
  const upload = await getUploadOf(db, user.id, requireId(params.id));
  // Nor is the list of failed rows of an upload still being read and checked: there is none yet.
  if (!upload || (upload.state !== "ready" && upload.state !== "imported")) throw notFound();
  const locale = await getLocale(request, user);
  const { buffer } = await buildFailedRowsWorkbook(db, upload, locale);
  return xlsxDownload(buffer, failedRowsFileName(upload, locale));
}
