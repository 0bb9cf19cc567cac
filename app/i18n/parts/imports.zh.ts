// 简体中文 strings of the imports pages and files; keys start with "imports.".
export const importsZh = {
} as const;
