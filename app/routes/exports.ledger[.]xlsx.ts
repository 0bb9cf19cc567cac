// GET /exports/ledger.xlsx?unit=<id>&period=2023-H1 (or &from=&to=): the 工作台账 of a unit and the units below
// it; without unit, of all units (the secretariat's roles only).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_CONTENT_TYPE, downloadResponse, exportError } from "~/services/excel-format.server";
import { exportLedger, mayExportAllUnits, resolveExportScope, scopeError } from "~/services/ledger-export.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requestTranslator } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { locale, t } = await requestTranslator(request, user);
  const resolved = await resolveExportScope(db, new URL(request.url).searchParams);
  if (!resolved.ok) return scopeError(resolved, t);
  if (!resolved.scope.unit && !mayExportAllUnits(user)) return exportError(403, "forbidden", t("exports.errors.all_units_forbidden"));
  const file = await exportLedger(db, { scope: resolved.scope, locale, t, origin: new URL(request.url).origin });
  return downloadResponse(file.body, XLSX_CONTENT_TYPE, file.fileName, file.asciiName);
}
