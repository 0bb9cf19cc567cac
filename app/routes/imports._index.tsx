import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  MaxPartSizeExceededError,
  json,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ImportPreviewView } from "~/components/ImportPreview";
import { ImportProgress } from "~/components/ImportProgress";
import { ImportRecentUploads, type RecentUpload } from "~/components/ImportRecentUploads";
import { ImportUploadForm } from "~/components/ImportUploadForm";
import { failStaleUploadJobs, type ImportRowFilter, listRecentUploads } from "~/models/activity-import.server";
import { IMPORT_MAX_BYTES, IMPORT_PREVIEW_PAGE_SIZE, IMPORT_UPLOAD_TTL_HOURS } from "~/schemas/activity-import";
import { loadImportJob, loadPreview } from "~/services/activity-import/preview.server";
import { enqueueUpload, importUpload } from "~/services/activity-import/workflow.server";
import { notFound, requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "imports.title");

type ActionData = { error: { key: string; params?: Record<string, string | number> } };

function parseId(value: string | null): number | null {
  return value && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}

async function requireReporter(request: Request) {
  const user = await requireUser(request);
  // Only reporters write the ledger, for their own unit and the units below it (checked again on every row).
  requireCan(user, "activity.import", { organization_path: user.organization_path });
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireReporter(request);
  const url = new URL(request.url);
  const uploadParam = url.searchParams.get("upload");
  if (uploadParam === null) {
    await failStaleUploadJobs(db);
    const recent: RecentUpload[] = (await listRecentUploads(db, user.id)).map((u) => ({
      id: u.id,
      fileName: u.file_name,
      state: u.state,
      rows: u.state === "ready" || u.state === "imported" ? u.row_count : null,
      createdAt: u.created_at,
    }));
    return json({ preview: null, job: null, recent, missing: false });
  }
  const uploadId = parseId(uploadParam);
  const page = parseId(url.searchParams.get("page")) ?? 1;
  const viewParam = url.searchParams.get("view");
  const view: ImportRowFilter = viewParam === "all" || viewParam === "errors" || viewParam === "warnings" ? viewParam : "problems";
  const job = uploadId ? await loadImportJob(db, user, uploadId) : null;
  // Someone else's upload, an expired one or a made-up id all look the same: not found.
  if (!job) return json({ preview: null, job: null, recent: [], missing: true }, { status: 404 });
  if (job.state !== "ready" && job.state !== "imported") return json({ preview: null, job, recent: [], missing: false });
  const preview = await loadPreview(db, user, job.id, { view, page, pageSize: IMPORT_PREVIEW_PAGE_SIZE });
  if (!preview) return json({ preview: null, job: null, recent: [], missing: true }, { status: 404 });
  return json({ preview, job, recent: [], missing: false });
}

const refused = (key: string, params?: Record<string, string | number>) =>
  json<ActionData>({ error: { key, params } }, { status: 400 });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireReporter(request);
  const contentType = request.headers.get("Content-Type") ?? "";

  if (contentType.startsWith("multipart/form-data")) {
    // Refuse an oversized upload before reading it; the upload handler enforces the same cap while streaming.
    const declared = Number(request.headers.get("Content-Length") ?? "0");
    const maxMb = IMPORT_MAX_BYTES / 1024 / 1024;
    if (declared > IMPORT_MAX_BYTES + 64 * 1024) return refused("imports.refused.too_large", { max_mb: maxMb });
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(
        request,
        // Only the file field is kept in memory; any other part is read past, never stored.
        unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_MAX_BYTES, filter: ({ name }) => name === "file" }),
      );
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return refused("imports.refused.too_large", { max_mb: maxMb });
      return refused("imports.refused.upload_failed");
    }
    const file = form.get("file");
    if (!(file instanceof Blob) || file.size === 0) return refused("imports.refused.no_file");
    const name = "name" in file && typeof file.name === "string" ? file.name : "upload.xlsx";
    // Stored as a job and read by a worker thread: the answer comes at once, the page shows the progress.
    const id = await enqueueUpload(db, user, { name, bytes: Buffer.from(await file.arrayBuffer()) });
    return redirect(`/imports?upload=${id}`);
  }

  const form = await request.formData();
  const uploadId = parseId(String(form.get("upload_id") ?? ""));
  const mode = form.get("mode");
  if (!uploadId) throw notFound();
  if (mode !== "all" && mode !== "valid") return refused("imports.import.bad_mode");
  const outcome = await importUpload(db, user, uploadId, mode);
  switch (outcome.status) {
    case "not_found":
      throw notFound();
    case "not_ready":
      return refused("imports.job.not_ready");
    case "has_errors":
      return json<ActionData>({ error: { key: "imports.import.has_errors", params: { count: outcome.errors } } }, { status: 400 });
    case "busy":
      return json<ActionData>({ error: { key: "imports.import.busy" } }, { status: 503, headers: { "Retry-After": "60" } });
    case "failed":
      return json<ActionData>({ error: { key: "imports.import.failed" } }, { status: 500 });
    case "ok":
      return redirect(`/imports?upload=${uploadId}`);
  }
}

export default function ImportsPage() {
  const { preview, job, recent, missing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t("imports.title")}</h1>
      {missing ? (
        <p className="warning" role="alert">
          {t("imports.missing", { hours: IMPORT_UPLOAD_TTL_HOURS })}
        </p>
      ) : null}
      {preview ? (
        <ImportPreviewView preview={preview} error={actionData?.error} />
      ) : job ? (
        <ImportProgress job={job} />
      ) : (
        <>
          <ImportUploadForm error={actionData?.error} />
          <ImportRecentUploads uploads={recent} />
        </>
      )}
    </div>
  );
}
