// The preview of an upload: what was recognised, each row's outcome with its blocking errors and its notes kept
// apart (pinned to the row number Excel shows and the column as the file names it), and the two ways to import.
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { Pagination } from "~/components/Pagination";
import { formatDateTime, formatNumber } from "~/i18n/format";
import {
  type ImportMessage,
  type ImportOutcome,
  importFieldLabelKey,
  importMessageText,
  importMessageWithColumn,
} from "~/schemas/activity-import";
import type { ImportPreview } from "~/services/activity-import/preview-types";
import { useI18n } from "~/utils/i18n-hooks";

const OUTCOME_CLASS: Record<ImportOutcome, string> = {
  ready: "status status-completed",
  imported: "status status-completed",
  error: "status status-cancelled",
  present: "status status-planned",
  repeated: "status status-planned",
};

function Messages({ messages, className }: { messages: ImportMessage[]; className: string }) {
  const { t, locale } = useI18n();
  if (messages.length === 0) return null;
  return (
    <ul className={className}>
      {messages.map((m, i) => (
        <li key={i}>{importMessageWithColumn(t, locale, m)}</li>
      ))}
    </ul>
  );
}

export function ImportPreviewView({
  preview,
  error,
}: {
  preview: ImportPreview;
  error?: { key: string; params?: Record<string, string | number> };
}) {
  const { t, locale } = useI18n();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const { upload, counts } = preview;
  const n = (value: number) => formatNumber(value, locale);
  const viewHref = (view: ImportPreview["view"]) => {
    const next = new URLSearchParams(params);
    next.set("view", view);
    next.delete("page");
    return `/imports?${next.toString()}`;
  };
  const importable = counts.ready;
  const failedCount = counts.error;

  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t("imports.preview_title")}</h2>
      <p>{t("imports.preview_file", { file: upload.fileName, sheet: upload.sheetName, row: upload.headerRow })}</p>

      {upload.result ? (
        <p className="notice" role="status">
          {t("imports.result", {
            created: n(upload.result.created),
            present: n(upload.result.present),
            repeated: n(upload.result.repeated),
            errors: n(upload.result.skippedErrors),
          })}{" "}
          <Link to="/activities">{t("imports.result_link")}</Link>
        </p>
      ) : (
        <p className="muted">{t("imports.preview_nothing_written")}</p>
      )}
      {upload.earlierImportAt && !upload.result ? (
        <p className="warning">{t("imports.earlier_import", { date: formatDateTime(upload.earlierImportAt, locale) })}</p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {importMessageText(t, locale, error)}
        </p>
      ) : null}

      <dl className="details import-counts">
        {(["total", "ready", "warned", "error", "present", "repeated", "imported"] as const)
          .filter((key) => key === "total" || key === "ready" || key === "error" || counts[key] > 0)
          .map((key) => (
            <div key={key}>
              <dt>{t(`imports.count.${key}`)}</dt>
              <dd>{n(counts[key])}</dd>
            </div>
          ))}
      </dl>

      {!upload.result ? (
        <div className="card">
          {failedCount > 0 ? <p className="warning">{t("imports.all_blocked", { count: n(failedCount) })}</p> : null}
          <Form method="post" className="form-actions">
            <input type="hidden" name="upload_id" value={upload.id} />
            <button type="submit" name="mode" value="all" className="primary" disabled={busy || failedCount > 0 || importable === 0}>
              {t("imports.action.import_all", { count: n(importable) })}
            </button>
            <button type="submit" name="mode" value="valid" disabled={busy || importable === 0}>
              {t("imports.action.import_valid", { count: n(importable) })}
            </button>
          </Form>
          <p className="muted">{t("imports.import_hint")}</p>
        </div>
      ) : null}
      <p>
        {failedCount > 0 ? (
          <>
            <a className="button" href={`/imports/${upload.id}/failed.xlsx`} download>
              {t("imports.action.download_failed", { count: n(failedCount) })}
            </a>{" "}
          </>
        ) : null}
        <Link className="button" to="/imports">
          {t("imports.action.upload_again")}
        </Link>
      </p>

      {preview.notes.length ? (
        <>
          <h3>{t("imports.notes_title")}</h3>
          <Messages messages={preview.notes} className="import-notes" />
        </>
      ) : null}

      <h3>{t("imports.columns_title")}</h3>
      <ul className="import-columns">
        {preview.columns
          .filter((c) => c.header !== "")
          .map((c, i) => (
            <li key={i}>
              {c.header} →{" "}
              {c.fields.length ? (
                c.fields.map((f) => t(importFieldLabelKey(f))).join(" / ")
              ) : (
                <span className="muted">{t("imports.column_ignored")}</span>
              )}
            </li>
          ))}
      </ul>

      <nav className="mon-subnav" aria-label={t("imports.table.outcome")}>
        {(["problems", "errors", "warnings", "all"] as const).map((view) => (
          <span key={view}>
            <Link to={viewHref(view)} aria-current={preview.view === view ? "page" : undefined}>
              {t(`imports.view.${view}`)}
            </Link>{" "}
          </span>
        ))}
      </nav>
      {preview.listedTotal === 0 ? (
        <p className="empty">
          {preview.view === "problems"
            ? t(preview.upload.status === "imported" ? "imports.no_problems_imported" : "imports.no_problems")
            : preview.view === "errors"
              ? t("imports.no_errors")
              : preview.view === "warnings"
                ? t("imports.no_warnings")
                : t("imports.no_rows_listed")}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="import-rows">
            <thead>
              <tr>
                <th scope="col">{t("imports.table.row")}</th>
                <th scope="col">{t("imports.table.title")}</th>
                <th scope="col">{t("imports.table.outcome")}</th>
                <th scope="col">{t("imports.table.errors")}</th>
                <th scope="col">{t("imports.table.warnings")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row) => (
                <tr key={row.row} data-row={row.row} data-outcome={row.outcome}>
                  <td className="num">{row.row}</td>
                  <td>{row.title}</td>
                  <td>
                    <span className={OUTCOME_CLASS[row.outcome]}>{t(`imports.outcome.${row.outcome}`)}</span>
                  </td>
                  <td>
                    <Messages messages={row.errors} className="import-errors field-error" />
                  </td>
                  <td>
                    <Messages messages={row.warnings} className="import-warnings" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={preview.page} pageSize={preview.pageSize} total={preview.listedTotal} />
    </section>
  );
}
