import type { monitoringZh } from "./monitoring.zh";

export const monitoringEn: Record<keyof typeof monitoringZh, string> = {
};
