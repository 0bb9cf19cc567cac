import type { importsZh } from "./imports.zh";

export const importsEn: Record<keyof typeof importsZh, string> = {
};
