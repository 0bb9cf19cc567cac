// 简体中文 strings of the monitoring pages; keys start with "monitoring.".
export const monitoringZh = {
} as const;
