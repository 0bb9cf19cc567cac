// 简体中文 strings of the reports pages; keys start with "reports.".
export const reportsZh = {
} as const;
