import type { indicatorsZh } from "./indicators.zh";

export const indicatorsEn: Record<keyof typeof indicatorsZh, string> = {
};
