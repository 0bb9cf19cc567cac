// 简体中文 strings of the exports pages and files; keys start with "exports.".
export const exportsZh = {
} as const;
