// A one-line confirmation after a redirect ("?notice=saved"): stateless, and it survives a page without JS.
import { useSearchParams } from "@remix-run/react";
import { useI18n } from "~/utils/i18n-hooks";

const NOTICES = {
  created: "activities.created",
  saved: "activities.saved",
  deleted: "activities.deleted",
  restored: "activities.restored",
} as const;

export function Notice() {
  const [params] = useSearchParams();
  const { t } = useI18n();
  const key = NOTICES[params.get("notice") as keyof typeof NOTICES];
  if (!key) return null;
  return (
    <p className="notice" role="status">
      {t(key)}
    </p>
  );
}
