// 简体中文 strings of the indicators pages; keys start with "indicators.".
export const indicatorsZh = {
} as const;
