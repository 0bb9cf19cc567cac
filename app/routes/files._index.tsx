// /files?activity=<id> or /files?unit=<id>&period=<code>: the evidence files (佐证材料) of an activity or of a
// unit's period report, and where they are uploaded (POST, multipart, one file of up to 20 MB) — the activity and
// report pages carry the same list and form, and a refused upload comes back here with its reason beside the form.
// POST intent=delete|restore with file=<id> moves a file to the recycle bin or back. The upload's target is in the
// URL, so who may upload is known before a byte of the body is read; the body is streamed with a hard size limit.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, UploadHandler } from "@remix-run/node";
import { MaxPartSizeExceededError, json, redirect, unstable_parseMultipartFormData } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { EvidenceFiles } from "~/components/EvidenceFiles";
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_MB } from "~/domain/evidence-files";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import { getActivity } from "~/models/activity.server";
import { getEvidenceFile, listActivityFiles, listReportFiles } from "~/models/evidence-file.server";
import { getOrganization } from "~/models/organization.server";
import { getPeriod, getPeriodByCode } from "~/models/reporting-period.server";
import {
  type EvidenceRefusal,
  type EvidenceTarget,
  addEvidenceFile,
  changeEvidenceFile,
  mayUpload,
  targetOwner,
} from "~/services/evidence-files.server";
import { notFound, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "evidence.title");

type ActionData = { error: { key: string; params?: Record<string, string | number> }; back: string | null };

const ID = /^[1-9]\d{0,14}$/;

/** The upload's target from the URL; null when it names none (or a malformed one). */
function targetOf(url: URL): EvidenceTarget | null {
  const activity = url.searchParams.get("activity");
  if (activity !== null) return ID.test(activity) ? { kind: "activity", activityId: Number(activity) } : null;
  const unit = url.searchParams.get("unit");
  const period = url.searchParams.get("period");
  if (unit !== null && period !== null && ID.test(unit) && /^[\dA-Z-]{4,10}$/.test(period)) {
    return { kind: "report", unitId: Number(unit), periodCode: period };
  }
  return null;
}

/** The target of the page: from the URL, or the owner of the file named by ?file= (a delete or restore posts there). */
async function pageTarget(url: URL): Promise<EvidenceTarget | null> {
  const file = url.searchParams.get("file");
  if (file === null) return targetOf(url);
  if (!ID.test(file)) return null;
  const row = await getEvidenceFile(db, Number(file));
  if (!row) return null;
  if (row.activity_id !== null) return { kind: "activity", activityId: row.activity_id };
  const period = await getPeriod(db, row.period_id!);
  return period ? { kind: "report", unitId: row.organization_id!, periodCode: period.code } : null;
}

function uploadPath(target: EvidenceTarget): string {
  return target.kind === "activity"
    ? `/files?activity=${target.activityId}`
    : `/files?unit=${target.unitId}&period=${encodeURIComponent(target.periodCode)}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const target = await pageTarget(new URL(request.url));
  if (!target) throw notFound();
  const owner = await targetOwner(db, target);
  if (!owner) throw notFound();
  const locale = await getLocale(request, user);
  let heading: { key: "evidence.for_activity" | "evidence.for_report"; params: Record<string, string> };
  let files;
  if (target.kind === "activity") {
    const activity = (await getActivity(db, target.activityId))!;
    heading = { key: "evidence.for_activity", params: { title: activity.title } };
    files = await listActivityFiles(db, activity.id);
  } else {
    const [unit, period] = await Promise.all([getOrganization(db, target.unitId), getPeriodByCode(db, target.periodCode)]);
    heading = { key: "evidence.for_report", params: { unit: localName(locale, unit!.name_zh, unit!.name_en), period: periodName(period!, locale) } };
    files = await listReportFiles(db, unit!.id, period!.id);
  }
  const allowed = await mayUpload(db, user, target);
  const locked = "owner" in allowed ? await owner.locked(db) : null;
  return json({
    heading,
    back: owner.back,
    uploadAction: uploadPath(target),
    files,
    mayChange: "owner" in allowed && !locked,
    note: "refusal" in allowed ? ("evidence.readonly_note" as const) : locked ? ("evidence.frozen_note" as const) : null,
    lockedReason: locked,
  });
}

const refused = (refusal: EvidenceRefusal, back: string | null) =>
  json<ActionData>({ error: { key: refusal.key, params: refusal.params }, back }, { status: refusal.status });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) return changeFile(request, user);

  const target = targetOf(new URL(request.url));
  if (!target) throw notFound();
  const allowed = await mayUpload(db, user, target);
  if ("refusal" in allowed) return refused(allowed.refusal, null);
  const { owner } = allowed;
  // Refuse an oversized upload before reading it; the handler below enforces the same cap while streaming.
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  const tooLarge: EvidenceRefusal = { status: 413, key: "evidence.refused.too_large", params: { max_mb: EVIDENCE_MAX_MB } };
  if (declared > EVIDENCE_MAX_BYTES + 64 * 1024) return refused(tooLarge, owner.back);

  // The file's chunks are gathered once, as they arrive, and joined once: the upload is never held twice over.
  let received: { name: string; bytes: Buffer } | null = null;
  const keepFile: UploadHandler = async ({ name, filename, data }) => {
    if (name !== "file" || received) {
      for await (const _chunk of data); // any other part is read past, never stored
      return undefined;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > EVIDENCE_MAX_BYTES) throw new MaxPartSizeExceededError(name, EVIDENCE_MAX_BYTES);
      chunks.push(chunk);
    }
    received = { name: filename ?? "", bytes: Buffer.concat(chunks, size) };
    return filename ?? "";
  };
  try {
    await unstable_parseMultipartFormData(request, keepFile);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refused(tooLarge, owner.back);
    return refused({ status: 400, key: "evidence.refused.upload_failed" }, owner.back);
  }
  const upload = received as { name: string; bytes: Buffer } | null;
  if (!upload || upload.bytes.length === 0) return refused({ status: 400, key: "evidence.refused.no_file" }, owner.back);
  const outcome = await addEvidenceFile(db, user, owner, upload);
  if (!outcome.ok) return refused(outcome.refusal, outcome.back);
  return redirect(`${outcome.back}?notice=file_added#evidence`);
}

async function changeFile(request: Request, user: Awaited<ReturnType<typeof requireUser>>) {
  const form = await request.formData();
  const intent = form.get("intent");
  const file = new URL(request.url).searchParams.get("file") ?? String(form.get("file") ?? "");
  if (intent !== "delete" && intent !== "restore") return refused({ status: 400, key: "evidence.refused.bad_intent" }, null);
  if (!ID.test(file)) throw notFound();
  const outcome = await changeEvidenceFile(db, user, Number(file), intent);
  if (!outcome.ok) {
    if (outcome.refusal.status === 404) throw notFound();
    return refused(outcome.refusal, outcome.back);
  }
  // restored from the recycle bin: back there; removed from a page: back to that page
  if (intent === "restore") return redirect("/trash?notice=file_restored");
  return redirect(`${outcome.back}?notice=file_deleted#evidence`);
}

export default function EvidenceFilesPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useI18n();
  return (
    <div className="page narrow">
      <h1>{t("evidence.title")}</h1>
      <p>
        <Link to={data.back}>{t(data.heading.key, data.heading.params)}</Link>
      </p>
      {actionData?.error ? (
        <p className="form-error" role="alert" id="evidence-error">
          {t(actionData.error.key, actionData.error.params)}
        </p>
      ) : null}
      {data.lockedReason ? (
        <p className="warning" role="status">
          {t(data.lockedReason.key, data.lockedReason.params)}
        </p>
      ) : null}
      <EvidenceFiles files={data.files} uploadAction={data.mayChange ? data.uploadAction : null} mayChange={data.mayChange} note={data.lockedReason ? null : data.note} />
      <p>
        <Link to={data.back}>{t("evidence.back")}</Link>
      </p>
    </div>
  );
}
