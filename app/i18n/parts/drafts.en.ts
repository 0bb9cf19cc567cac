import type { draftsZh } from "./drafts.zh";

export const draftsEn: Record<keyof typeof draftsZh, string> = {
};
