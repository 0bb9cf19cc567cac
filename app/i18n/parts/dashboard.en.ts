import type { dashboardZh } from "./dashboard.zh";

export const dashboardEn: Record<keyof typeof dashboardZh, string> = {
};
