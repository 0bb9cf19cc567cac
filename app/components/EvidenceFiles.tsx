// 佐证材料 files of an activity or a period report: each a download link (images with a thumbnail), a delete
// button where the user may remove it, and the upload form. Plain forms: uploading and deleting work without JS.
import { Form } from "@remix-run/react";
import { EVIDENCE_ACCEPT, EVIDENCE_MAX_MB, isImageType } from "~/domain/evidence-files";
import { formatFileSize } from "~/i18n/format";
import type { MessageKey } from "~/i18n";
import { useI18n } from "~/utils/i18n-hooks";

export interface EvidenceFileItem {
  id: number;
  name: string;
  content_type: string;
  size_bytes: number;
}

export function EvidenceFiles({
  files,
  uploadAction,
  mayChange,
  note,
}: {
  files: EvidenceFileItem[];
  /** where the upload form posts (/files?activity=…), or null when the user may not add files here now */
  uploadAction: string | null;
  /** whether each file gets a delete button */
  mayChange: boolean;
  /** why nothing can be changed (frozen), shown under the list */
  note?: MessageKey | null;
}) {
  const { t, locale } = useI18n();
  return (
    <div className="evidence-files">
      {files.length === 0 ? (
        <p className="muted">{t("evidence.none")}</p>
      ) : (
        <ul className="evidence-list">
          {files.map((f) => (
            <li key={f.id}>
              {isImageType(f.content_type) ? (
                <a href={`/files/${f.id}`} download={f.name} className="evidence-thumb">
                  <img src={`/files/${f.id}?inline=1`} alt={t("evidence.thumbnail_alt", { name: f.name })} loading="lazy" width={96} height={72} />
                </a>
              ) : null}
              <span className="evidence-name">
                <a href={`/files/${f.id}`} download={f.name}>
                  {f.name}
                </a>{" "}
                <span className="muted nowrap">{formatFileSize(f.size_bytes, locale)}</span>
              </span>
              {mayChange ? (
                <Form
                  method="post"
                  action={`/files?file=${f.id}`}
                  onSubmit={(e) => {
                    if (!confirm(t("evidence.delete_confirm"))) e.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="delete" />
                  <button type="submit" className="small danger">
                    {t("evidence.delete")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {note ? <p className="muted">{t(note)}</p> : null}
      {uploadAction ? (
        <Form method="post" action={uploadAction} encType="multipart/form-data" className="evidence-upload">
          <label>
            {t("evidence.choose")}
            <input type="file" name="file" accept={EVIDENCE_ACCEPT} required />
          </label>
          <button type="submit">{t("evidence.upload")}</button>
          <p className="hint">{t("evidence.hint", { max_mb: EVIDENCE_MAX_MB })}</p>
        </Form>
      ) : null}
    </div>
  );
}
