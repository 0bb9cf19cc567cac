// The user's recent uploads with their state: where a preview left behind while it was being read is found again.
import { Link } from "@remix-run/react";
import { formatDateTime, formatNumber } from "~/i18n/format";
import type { ImportJobView } from "~/services/activity-import/preview-types";
import { useI18n } from "~/utils/i18n-hooks";

export interface RecentUpload {
  id: number;
  fileName: string;
  state: ImportJobView["state"];
  rows: number | null;
  createdAt: string;
}

const STATE_CLASS: Record<ImportJobView["state"], string> = {
  queued: "status status-planned",
  reading: "status status-ongoing",
  checking: "status status-ongoing",
  ready: "status status-completed",
  imported: "status status-completed",
  failed: "status status-cancelled",
};

export function ImportRecentUploads({ uploads }: { uploads: RecentUpload[] }) {
  const { t, locale } = useI18n();
  if (uploads.length === 0) return null;
  return (
    <section aria-labelledby="recent-uploads">
      <h2 id="recent-uploads">{t("imports.recent.title")}</h2>
      <div className="table-wrap">
        <table className="import-recent">
          <thead>
            <tr>
              <th scope="col">{t("imports.recent.file")}</th>
              <th scope="col">{t("imports.recent.uploaded_at")}</th>
              <th scope="col">{t("imports.recent.state")}</th>
              <th scope="col" className="num">
                {t("imports.recent.rows")}
              </th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((u) => (
              <tr key={u.id} data-upload={u.id} data-state={u.state}>
                <td>
                  <Link to={`/imports?upload=${u.id}`}>{u.fileName}</Link>
                </td>
                <td>{formatDateTime(u.createdAt, locale)}</td>
                <td>
                  <span className={STATE_CLASS[u.state]}>{t(`imports.state.${u.state}`)}</span>
                </td>
                <td className="num">{u.rows === null ? "" : formatNumber(u.rows, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
