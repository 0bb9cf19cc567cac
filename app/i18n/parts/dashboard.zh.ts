// 简体中文 strings of the dashboard pages; keys start with "dashboard.".
export const dashboardZh = {
} as const;
