import type { exportsZh } from "./exports.zh";

export const exportsEn: Record<keyof typeof exportsZh, string> = {
};
