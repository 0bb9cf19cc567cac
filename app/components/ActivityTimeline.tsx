// Activities as a dated list, newest first as given: the counterpart body's timeline and a sister-city pair's
// exchanges. A category (visit out, visit in …) colours the row where the page has one.
import { Link } from "@remix-run/react";
import { formatDateRange } from "~/i18n/format";
import { useI18n } from "~/utils/i18n-hooks";

export interface TimelineActivity {
  id: number;
  start_date: string;
  end_date: string;
  type: string;
  title: string;
  status: string;
  /** the unit that logged it, in the reader's language */
  unit: string;
  category?: string;
}

export function ActivityTimeline({ activities, empty }: { activities: TimelineActivity[]; empty: string }) {
  const { t, locale } = useI18n();
  if (activities.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ol className="timeline">
      {activities.map((a) => (
        <li key={a.id} className={a.category ? `timeline-${a.category}` : undefined}>
          <span className="timeline-date">{formatDateRange(a.start_date, a.end_date, locale)}</span>
          <span className={a.category ? `timeline-tag timeline-${a.category}` : "timeline-tag"}>{t(`activity.type.${a.type}`)}</span>
          <Link to={`/activities/${a.id}`}>{a.title}</Link>
          <span className="muted">
            {" · "}
            {a.unit}
            {" · "}
            <span className={`status status-${a.status}`}>{t(`activity.status.${a.status}`)}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
