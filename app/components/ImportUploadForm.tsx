// The upload form of the import page: a plain multipart <Form> (works without JavaScript), the template link,
// and what the import understands.
import { Form, useNavigation } from "@remix-run/react";
import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, importMessageText } from "~/schemas/activity-import";
import { useI18n } from "~/utils/i18n-hooks";

export function ImportUploadForm({ error }: { error?: { key: string; params?: Record<string, string | number> } }) {
  const { t, locale } = useI18n();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <p className="muted">{t("imports.intro")}</p>
      <p>
        <a className="button" href="/imports/template.xlsx" download>
          {t("imports.template_link")}
        </a>{" "}
        <span className="muted">{t("imports.template_hint")}</span>
      </p>
      {error ? (
        <div className="form-error" role="alert">
          <strong>{t("imports.refused_title")}</strong> {importMessageText(t, locale, error)}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="form card">
        <label>
          {t("imports.file")}
          <input
            name="file"
            type="file"
            required
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby="import-file-hint"
            aria-invalid={error ? true : undefined}
          />
          <span id="import-file-hint" className="field-hint">
            {t("imports.file_hint", {
              max_mb: IMPORT_MAX_BYTES / 1024 / 1024,
              max_rows: IMPORT_MAX_ROWS.toLocaleString(locale === "en" ? "en" : "zh-CN"),
            })}
          </span>
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("imports.busy") : t("imports.upload")}
          </button>
        </div>
      </Form>
      <h2>{t("imports.accepts_title")}</h2>
      <ul>
        {(["headers", "dates", "amounts", "counts", "codes", "counterparts", "blank"] as const).map((key) => (
          <li key={key}>{t(`imports.accepts.${key}`)}</li>
        ))}
      </ul>
    </>
  );
}
