// Dates, numbers and money the way Chinese government documents write them (and plainly in English).
import { fenToWanFixed2 } from "~/utils/money";
import type { Locale } from "./index";

/** "2023-08-08" → "2023年8月8日" / "8 Aug 2023". */
export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  if (!y || !m || !d) return iso;
  if (locale === "zh-CN") return `${y}年${m}月${d}日`;
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return `${d} ${month} ${y}`;
}

/** A date range as the documents write it: "2023年1月1日至6月30日", or one date when both are the same. */
export function formatDateRange(start: string, end: string, locale: Locale): string {
  if (!end || start === end) return formatDate(start, locale);
  if (locale === "zh-CN") {
    const [ys, ms] = start.split("-").map(Number);
    const [ye, me, de] = end.split("-").map(Number);
    const tail = ye !== ys ? `${ye}年${me}月${de}日` : ms !== me ? `${me}月${de}日` : `${de}日`;
    return `${formatDate(start, locale)}至${tail}`;
  }
  return `${formatDate(start, locale)} – ${formatDate(end, locale)}`;
}

/** An ISO timestamp in local (China Standard) time: "2026年11月22日 18:45". */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${get("year")}-${get("month")}-${get("day")}`;
  return `${formatDate(day, locale)} ${get("hour")}:${get("minute")}`;
}

// Built once: exports format hundreds of thousands of numbers, and building a formatter is the costly part.
const NUMBER_FORMATS: Record<Locale, Intl.NumberFormat> = {
  "zh-CN": new Intl.NumberFormat("zh-CN"),
  en: new Intl.NumberFormat("en"),
};

export function formatNumber(n: number | null | undefined, locale: Locale): string {
  if (n === null || n === undefined) return "";
  return NUMBER_FORMATS[locale].format(n);
}

/** fen → "223.36万元" (two decimals, as the documents print it) / "CNY 2,233,600.00". */
export function formatWan(fen: number | null | undefined, locale: Locale): string {
  if (fen === null || fen === undefined) return "";
  if (locale === "en") {
    const yuan = NUMBER_FORMATS.en.format(Math.floor(fen / 100));
    return `CNY ${yuan}.${String(fen % 100).padStart(2, "0")}`;
  }
  const [whole, fraction] = fenToWanFixed2(fen).split(".");
  return `${NUMBER_FORMATS["zh-CN"].format(Number(whole))}.${fraction}万元`;
}

/** A list as the language writes it: 老挝、泰国 / Laos, Thailand. */
export function joinList(items: string[], locale: Locale): string {
  return items.join(locale === "en" ? ", " : "、");
}

/** A date at the precision a document gives it: "2003" → "2003年" / "2003"; "2003-06" → "2003年6月" / "Jun 2003". */
export function formatPartialDate(date: string | null | undefined, locale: Locale): string {
  if (!date) return "";
  if (date.length === 10) return formatDate(date, locale);
  const [y, m] = date.split("-").map(Number);
  if (!y) return date;
  if (!m) return locale === "zh-CN" ? `${y}年` : String(y);
  if (locale === "zh-CN") return `${y}年${m}月`;
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return `${month} ${y}`;
}

/** A file's size as people read it: "812 KB", "3.4 MB" (the same in both languages). */
export function formatFileSize(bytes: number, locale: Locale): string {
  if (bytes < 1024) return `${formatNumber(bytes, locale)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024), locale)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
