// A reporting period's name as documents write it: 2023年上半年, 2024年第一季度, 2025年度.
import type { Locale } from "./index";

const QUARTERS_ZH = ["一", "二", "三", "四"];

export function periodName(period: { kind: string; year: number; seq: number }, locale: Locale): string {
  if (locale === "en") {
    if (period.kind === "quarter") return `${period.year} Q${period.seq}`;
    if (period.kind === "half") return `${period.year} H${period.seq}`;
    return String(period.year);
  }
  if (period.kind === "quarter") return `${period.year}年第${QUARTERS_ZH[period.seq - 1]}季度`;
  if (period.kind === "half") return `${period.year}年${period.seq === 1 ? "上" : "下"}半年`;
  return `${period.year}年度`;
}
