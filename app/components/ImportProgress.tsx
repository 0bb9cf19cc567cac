// An upload's job while it is read and checked: where it stands (queued with its place, reading, checking N of
// about M rows) or why it failed. Without JavaScript the page reloads itself every two seconds (the <noscript>
// refresh); with it, the page's data is revalidated as often, so the preview appears in place when ready.
import { Link, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { formatNumber } from "~/i18n/format";
import { importMessageText } from "~/schemas/activity-import";
import type { ImportJobView } from "~/services/activity-import/preview-types";
import { useI18n } from "~/utils/i18n-hooks";

export const UNFINISHED = new Set<ImportJobView["state"]>(["queued", "reading", "checking"]);

export function ImportProgress({ job }: { job: ImportJobView }) {
  const { t, locale } = useI18n();
  const revalidator = useRevalidator();
  const running = UNFINISHED.has(job.state);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const n = (value: number) => formatNumber(value, locale);

  if (job.state === "failed") {
    return (
      <section aria-labelledby="job-title">
        <h2 id="job-title">{t("imports.job.failed_title")}</h2>
        <p>{t("imports.job.file", { file: job.fileName })}</p>
        <p className="form-error" role="alert">
          {job.refusal ? importMessageText(t, locale, job.refusal) : t("imports.job.failed")}
        </p>
        <p>
          <Link className="button" to="/imports">
            {t("imports.action.upload_again")}
          </Link>
        </p>
      </section>
    );
  }

  const total = job.rowsEstimate ?? 0;
  return (
    <section aria-labelledby="job-title" className="import-job" data-state={job.state}>
      {running ? (
        <noscript>
          <meta httpEquiv="refresh" content="2" />
        </noscript>
      ) : null}
      <h2 id="job-title">{t("imports.job.title")}</h2>
      <p>{t("imports.job.file", { file: job.fileName })}</p>
      <div className="card" role="status" aria-live="polite">
        <p>
          {job.state === "queued"
            ? t("imports.job.queued", { position: n(job.position ?? 1) })
            : job.state === "checking" && total > 0
              ? t("imports.job.checking", { done: n(job.rowsRead), total: n(total) })
              : t("imports.job.reading")}
        </p>
        {job.state === "checking" && total > 0 ? (
          <progress max={total} value={job.rowsRead} aria-label={t("imports.job.progress_label")} className="import-progress">
            {Math.round((job.rowsRead / total) * 100)}%
          </progress>
        ) : (
          <progress aria-label={t("imports.job.progress_label")} className="import-progress" />
        )}
      </div>
      <p className="muted">{t("imports.job.wait_hint")}</p>
    </section>
  );
}
