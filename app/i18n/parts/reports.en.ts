import type { reportsZh } from "./reports.zh";

export const reportsEn: Record<keyof typeof reportsZh, string> = {
};
