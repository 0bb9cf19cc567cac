// A one-line confirmation after a redirect ("?notice=saved"): stateless, and it survives a page without JS.
import { useSearchParams } from "@remix-run/react";
import type { MessageKey } from "~/i18n";
import { useI18n } from "~/utils/i18n-hooks";

const ACTIVITY_NOTICES: Record<string, MessageKey> = {
  created: "activities.created",
  saved: "activities.saved",
  deleted: "activities.deleted",
  restored: "activities.restored",
  merged: "activities.merged",
  file_added: "evidence.added",
  file_deleted: "evidence.deleted",
  file_restored: "evidence.restored",
};

export const INDICATOR_NOTICES: Record<string, MessageKey> = {
  created: "indicators.created",
  saved: "indicators.saved",
  value_saved: "indicators.value_saved",
};

export function Notice({ messages = ACTIVITY_NOTICES }: { messages?: Record<string, MessageKey> }) {
  const [params] = useSearchParams();
  const { t } = useI18n();
  const notice = params.get("notice") ?? "";
  // own keys only: "?notice=__proto__" must not reach an inherited property
  const key = Object.hasOwn(messages, notice) ? messages[notice] : undefined;
  if (!key) return null;
  return (
    <p className="notice" role="status">
      {t(key)}
    </p>
  );
}
