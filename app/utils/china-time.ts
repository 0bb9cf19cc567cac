// Deadlines are days in China: "today", and the date of a stored UTC timestamp, in Asia/Shanghai (UTC+8 all year).

/** Today's date in China, as "YYYY-MM-DD". */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The date in China of a UTC timestamp. */
export function chinaDateOf(timestamp: string): string {
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return timestamp.slice(0, 10);
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (ISO dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
