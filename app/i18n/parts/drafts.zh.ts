// 简体中文 strings of the drafts pages; keys start with "drafts.".
export const draftsZh = {
} as const;
