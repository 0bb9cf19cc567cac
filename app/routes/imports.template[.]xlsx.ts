// GET /imports/template.xlsx — the import template in the user's language, with their units in its lists.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildImportTemplate, templateFileName, xlsxDownload } from "~/services/import-template.server";
import { requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { getLocale } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.import", { organization_path: user.organization_path });
  const locale = await getLocale(request, user);
  return xlsxDownload(await buildImportTemplate(db, user, locale), templateFileName(locale));
}
