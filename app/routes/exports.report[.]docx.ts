// GET /exports/report.docx?unit=<id>&period=2023-H1&lang=zh|en: the drafted 文字材料 of a unit and period as a Word
// file (a 公文 per GB/T 9704-2012 in Chinese; an ordinary A4 report in English). Everyone signed in reads it.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadReportDocx } from "~/presenters/progress-draft.server";
import { downloadResponse, exportError } from "~/services/excel-format.server";
import { DOCX_CONTENT_TYPE } from "~/services/report-docx.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requestTranslator } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await requestTranslator(request, user);
  const file = await loadReportDocx(db, new URL(request.url).searchParams, t);
  if (!file.ok) return exportError(file.status, file.reason, file.message);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(file.body));
      controller.close();
    },
  });
  return downloadResponse(body, DOCX_CONTENT_TYPE, file.fileName, file.asciiName);
}
