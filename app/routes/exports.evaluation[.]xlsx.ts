// GET /exports/evaluation.xlsx?period=2023-H1: the evaluation workbook of a reporting period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportEvaluation } from "~/services/evaluation-workbook.server";
import { XLSX_CONTENT_TYPE, downloadResponse } from "~/services/excel-format.server";
import { resolveExportScope, scopeError } from "~/services/ledger-export.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requestTranslator } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { locale, t } = await requestTranslator(request, user);
  const resolved = await resolveExportScope(db, new URL(request.url).searchParams, { allowUnit: false, requirePeriod: true });
  if (!resolved.ok) return scopeError(resolved, t);
  const file = await exportEvaluation(db, { period: resolved.scope.period!, locale, t });
  return downloadResponse(file.body, XLSX_CONTENT_TYPE, file.fileName, file.asciiName);
}
