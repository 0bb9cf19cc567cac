// The words of an error page, from its status and the reason a refusal carries: one rule for the error boundary
// (pages Remix renders) and for the refusals server.ts answers before Remix runs. No .server: the boundary runs
// in the browser too.
import type { Translate } from "~/i18n";

export interface ErrorData {
  reason?: string;
  param?: string;
  max_mb?: number;
}

const OWN_WORDS = new Set([400, 403, 404, 409, 411, 413, 415, 503]);

/** The headline sentence for `status`, and a detail from the reason (or null). */
export function errorText(t: Translate, status: number, data: ErrorData | undefined): { message: string; detail: string | null } {
  let detail: string | null = null;
  if (data?.reason === "bad_filter" && data.param) detail = t("error.bad_filter", { param: data.param });
  if (data?.reason === "frozen") detail = t("reports.frozen");
  if (data?.reason === "cross_site") detail = t("security.cross_site");
  if (data?.reason === "too_large") detail = t("security.too_large", { max_mb: data.max_mb ?? 1 });
  if (data?.reason === "unsupported_media_type") detail = t("security.unsupported_media_type");
  return { message: t(OWN_WORDS.has(status) ? `error.${status}` : "error.500"), detail };
}
