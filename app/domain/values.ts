// The forgiving value parsers a spreadsheet and the activity form share: dates as people write them (and Excel's
// day numbers), amounts in 万元 or 元, full-width digits, counts written with their unit ("47人次", "10批47人次"),
// countries by code or name. Plain (no .server): the activity form's schema reads its fields with them on both
// sides, so what a spreadsheet may say a form may say too, and the same text gives the same stored number.
import type { ImportMessage } from "~/schemas/activity-import";
import {
  MEKONG_COUNTRIES,
  NOT_COUNTRIES,
  type NotCountry,
  countryKey,
  countryNamesForMatching,
  isCountryCode,
  notCountry,
  resolveCountry,
} from "~/utils/countries";
import { fenToWanText, wanTextToFen } from "~/utils/money";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Dates the ledger takes: a real calendar day between 1950 and 2100. Called several times for every row of an
 * import, so it is arithmetic, without a Date.
 */
export function isoDateOk(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m || s < "1950-01-01" || s > "2100-12-31") return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0);
}

/** A cell as kept between preview and import: enough to write it back into the failed-rows workbook. */
export type RawCell = null | string | number | boolean | { d: string } | { t: string; u: string } | { e: string };

export function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** The text a cell shows, for the fields that take text. */
export function rawText(raw: RawCell): string {
  if (raw === null) return "";
  if (typeof raw === "string") return raw;
  if (typeof raw === "number") return numberText(raw);
  if (typeof raw === "boolean") return raw ? "TRUE" : "FALSE";
  if ("d" in raw) return raw.d.slice(0, 10);
  if ("u" in raw) return raw.t || raw.u;
  return raw.e;
}

export function isBlank(raw: RawCell): boolean {
  return raw === null || (typeof raw === "string" && raw.trim() === "");
}

// ── values ───────────────────────────────────────────────────────────────────────────────────────────────

export type Parsed<T> = { ok: true; value: T; warning?: Omit<ImportMessage, "field" | "column"> } | { ok: false; key: string; params?: Record<string, string | number> };

const pad = (n: number) => String(n).padStart(2, "0");
function ymd(y: number, m: number, d: number): string | null {
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  return isoDateOk(iso) ? iso : null;
}

/** Excel's day number (1900 system) → ISO date. */
export function excelSerialToIso(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86400_000)).toISOString().slice(0, 10);
}

function parseFullDateText(t: string): string | null | undefined {
  let m = /^(\d{4})[年.\/-](\d{1,2})[月.\/-](\d{1,2})[日号]?$/.exec(t);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  return undefined;
}

export interface DateCell {
  start: string;
  end?: string;
}

/**
 * A date as people write it: an Excel date, 2023年8月8日, 2023.8.8, 2023/8/8, 2023-08-08, 20230808; a month
 * (2023年8月 → its first day, with a warning); a range in one cell (2023年8月8日至10日, 2023.8.8-8.10).
 */
export function parseDateCell(raw: RawCell): Parsed<DateCell> {
  if (raw !== null && typeof raw === "object" && "d" in raw) {
    const iso = raw.d.slice(0, 10);
    return isoDateOk(iso) ? { ok: true, value: { start: iso } } : { ok: false, key: "imports.error.date", params: { value: iso } };
  }
  if (typeof raw === "number") {
    if (Number.isInteger(raw) && raw >= 19500101 && raw <= 21001231) {
      const iso = parseFullDateText(String(raw));
      if (iso) return { ok: true, value: { start: iso } };
    }
    // A day number in a cell formatted as a number: 45146 is 2023-08-08.
    if (raw >= 18264 && raw < 73416) {
      const iso = excelSerialToIso(Math.floor(raw));
      return { ok: true, value: { start: iso }, warning: { key: "imports.warn.date_serial", params: { value: numberText(raw), date: iso } } };
    }
  }
  const original = rawText(raw).trim();
  const t = original
    .normalize("NFKC")
    .replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, "")
    .replace(/\s+/g, "")
    .replace(/[(（][^)）]*[)）]$/, "");
  const bad = { ok: false as const, key: "imports.error.date", params: { value: original } };
  const full = parseFullDateText(t);
  if (full) return { ok: true, value: { start: full } };
  if (full === null) return bad;
  const month = /^(\d{4})[年.\/-](\d{1,2})月?$/.exec(t);
  if (month) {
    const iso = ymd(+month[1]!, +month[2]!, 1);
    if (!iso) return bad;
    return { ok: true, value: { start: iso }, warning: { key: "imports.warn.month_only", params: { value: original, date: iso } } };
  }
  if (/^\d{4}年?$/.test(t)) return { ok: false, key: "imports.error.date_year_only", params: { value: original } };

  // A range: "至", "到", "~", "—" split it; a "-" does where the left side is a whole date.
  const rightOf = (right: string, start: string): string | null => {
    const whole = parseFullDateText(right);
    if (whole !== undefined) return whole;
    const [y, m] = start.split("-").map(Number) as [number, number];
    let r = /^(\d{1,2})[月.\/-](\d{1,2})[日号]?$/.exec(right);
    if (r) return ymd(y, +r[1]!, +r[2]!);
    r = /^(\d{1,2})[日号]?$/.exec(right);
    if (r) return ymd(y, m, +r[1]!);
    return null;
  };
  for (let i = 1; i < t.length - 1; i++) {
    const sep = t[i]!;
    if (!"至到~—–-".includes(sep)) continue;
    const start = parseFullDateText(t.slice(0, i));
    if (!start) continue;
    const end = rightOf(t.slice(i + 1).replace(/^[-—]/, ""), start);
    if (end) return { ok: true, value: { start, end } };
  }
  return bad;
}

const AMOUNT_UNITS: Record<string, number> = { 亿元: 10, 亿: 10, 万元: 6, 万: 6, 千元: 5, 元: 2, 块: 2 };

/**
 * An amount in 万元 (the ledger's unit) from 30, "30万元", "300000元" (→ 30), "1.5亿", "３０", "1,234.5";
 * a bare number is in `defaultUnit` (万元 unless the header says 元). Exact to the fen.
 */
export function parseFunding(raw: RawCell, defaultUnit: "wan" | "yuan" = "wan"): Parsed<number> {
  const original = rawText(raw).trim();
  let text = original.normalize("NFKC").replace(/[\s,，]/g, "").replace(/^(人民币|rmb|cny|¥|￥)/i, "").replace(/(人民币|rmb|cny)$/i, "");
  if (typeof raw === "number") text = numberText(raw);
  let warning: Omit<ImportMessage, "field" | "column"> | undefined;
  if (/^(约|大约|约合|近)/.test(text)) {
    text = text.replace(/^(约|大约|约合|近)/, "");
    warning = { key: "imports.warn.approximate", params: { value: original } };
  }
  if (/美元|usd|us\$|\$|欧元|eur|€|泰铢|thb|基普|lak|缅币|mmk|瑞尔|khr|越南盾|vnd|日元|jpy/i.test(text)) {
    return { ok: false, key: "imports.error.funding_currency", params: { value: original } };
  }
  if (text.startsWith("-")) return { ok: false, key: "errors.negative" };
  const m = /^(\d+)(?:\.(\d+))?(亿元|亿|万元|万|千元|元|块)?$/.exec(text);
  if (!m) return { ok: false, key: "imports.error.funding", params: { value: original } };
  const digits = AMOUNT_UNITS[m[3] ?? (defaultUnit === "yuan" ? "元" : "万元")]!;
  const whole = m[1]!.replace(/^0+(?=\d)/, "");
  const fraction = m[2] ?? "";
  if (fraction.slice(digits).replace(/0/g, "") !== "") {
    return { ok: false, key: "imports.error.funding_precision", params: { value: original } };
  }
  if (whole.length + digits > 15) return { ok: false, key: "errors.too_large" };
  const fen = Number(whole) * 10 ** digits + Number(fraction.slice(0, digits).padEnd(digits, "0"));
  if (wanTextToFen(fenToWanText(fen)) !== fen) return { ok: false, key: "errors.too_large" };
  if (!warning && !m[3] && fen > 100_000 * 1_000_000 && defaultUnit === "wan") {
    warning = { key: "imports.warn.funding_large", params: { value: original } };
  }
  return { ok: true, value: fen, warning };
}

/** A count from 47, "47人次", "10批", "1,200", "约50人" (a warning). */
export function parseCount(raw: RawCell): Parsed<number> {
  const original = rawText(raw).trim();
  if (typeof raw === "number") {
    if (!Number.isInteger(raw)) return { ok: false, key: "imports.error.whole_number", params: { value: original } };
    if (raw < 0) return { ok: false, key: "errors.negative" };
    return { ok: true, value: raw };
  }
  const text = original.normalize("NFKC").replace(/[\s,，]/g, "");
  const m = /^(约|大约|近)?(-?\d+)(余|多|\+)?(人次|人|名|位|批次|批|个|团|场|次|期)?(余|多)?$/.exec(text);
  if (!m) return { ok: false, key: "imports.error.whole_number", params: { value: original } };
  const n = Number(m[2]);
  if (n < 0) return { ok: false, key: "errors.negative" };
  const approximate = Boolean(m[1] || m[3] || m[5]);
  return { ok: true, value: n, warning: approximate ? { key: "imports.warn.approximate", params: { value: original } } : undefined };
}

/** "10批47人次", "10批/47人次", "10/47": delegations and people written in one cell. */
export function parseDelegationsParticipants(raw: RawCell): { delegations?: Parsed<number>; participants?: Parsed<number> } {
  const text = rawText(raw).normalize("NFKC").replace(/\s/g, "");
  const batches = /(\d+)(?:个)?(?:批次|批|团组|团)/.exec(text);
  const people = /(\d+)(?:人次|人|名)/.exec(text);
  if (batches || people) {
    return {
      delegations: batches ? parseCount(batches[1]!) : undefined,
      participants: people ? parseCount(people[1]!) : undefined,
    };
  }
  const pair = /^(\d+)[\/、,;](\d+)$/.exec(text);
  if (pair) return { delegations: parseCount(pair[1]!), participants: parseCount(pair[2]!) };
  return { participants: { ok: false, key: "imports.error.whole_number", params: { value: rawText(raw) } } };
}

/** Names folded for matching (full-width forms, case, spaces and punctuation do not matter): the country list's rule. */
export const nameKey = countryKey;

/**
 * Splits "老挝、泰国", "LA, TH", "Laos; Viet Nam", "4.2.5 4.3.1" into the things they name. Pieces are joined
 * again when only together they name one thing ("Sri Lanka", "执法、司法合作", "Trinidad and Tobago").
 */
export function splitList<T>(
  text: string,
  resolve: (piece: string) => T | null,
): { found: T[]; unknown: string[] } {
  const tokens = text.split(/([、,，;；\/／\n\r\t ]+|(?<=[\u4e00-\u9fff])(?:和|及|与)(?=[\u4e00-\u9fff])|\s+and\s+|&)/i);
  const pieces: { text: string; sep: string }[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const piece = tokens[i]!.trim();
    if (piece) pieces.push({ text: piece, sep: tokens[i + 1] ?? "" });
    else if (pieces.length) pieces[pieces.length - 1]!.sep += tokens[i + 1] ?? "";
  }
  const found: T[] = [];
  const unknown: string[] = [];
  let i = 0;
  while (i < pieces.length) {
    let matched = false;
    for (let j = pieces.length - 1; j >= i; j--) {
      let candidate = "";
      for (let k = i; k <= j; k++) candidate += pieces[k]!.text + (k < j ? pieces[k]!.sep : "");
      const value = resolve(candidate.trim());
      if (value !== null) {
        found.push(value);
        i = j + 1;
        matched = true;
        break;
      }
    }
    if (!matched) {
      unknown.push(pieces[i]!.text);
      i++;
    }
  }
  return { found, unknown };
}

// Countries: codes and names from the one country list (utils/countries), and the words for "the five Mekong
// countries". China and its parts (台湾, 香港, 澳门) resolve to nothing: they are refused with the reason.
const MEKONG_WORDS = ["湄公河五国", "湄公河国家", "湄公河流域国家", "澜湄五国", "湄公河各国", "mekongcountries", "fivemekongcountries"];

function resolveCountryPiece(piece: string): string[] | null {
  if (MEKONG_WORDS.includes(nameKey(piece))) return [...MEKONG_COUNTRIES];
  const code = resolveCountry(piece) ?? notCountry(piece);
  return code ? [code] : null;
}

/** Countries from codes or names in either language, separated by 、,，;／/ or spaces. */
export function parseCountries(text: string): { codes: string[]; unknown: string[]; refused: NotCountry[]; mekong: boolean } {
  const { found, unknown } = splitList(text, resolveCountryPiece);
  const all = [...new Set(found.flat())];
  const refused = all.filter((c): c is NotCountry => (NOT_COUNTRIES as readonly string[]).includes(c));
  const codes = all.filter((c) => isCountryCode(c));
  const mekong = found.some((f) => f.length > 1);
  return { codes, unknown, refused, mekong };
}

let bodyNames: { code: string; zh: string; en: RegExp | null }[] | null = null;

/**
 * Countries named at the start of "老挝琅勃拉邦省" or "Luang Prabang, Laos": what a 对方国家/机构 cell implies. The
 * longest Chinese name wins (几内亚比绍 is not also 几内亚); 中非 alone is not read as a country at the start of a
 * body, because "中非…" there is far more often China–Africa than the Central African Republic.
 */
export function countriesInBody(text: string): string[] {
  bodyNames ??= countryNamesForMatching().map(({ code, zh, en }) => ({
    code,
    zh: zh === "中非" ? "中非共和国" : zh.normalize("NFKC"),
    en: en.length >= 4 ? new RegExp(`\\b${en.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i") : null,
  }));
  const codes = new Set<string>();
  const folded = text.normalize("NFKC");
  for (const part of folded.split(/[、,，;；\/\n]+/)) {
    const p = part.trim();
    let prefix: { code: string; length: number } | null = null;
    for (const { code, zh, en } of bodyNames) {
      if (zh.length >= 2 && p.startsWith(zh) && zh.length > (prefix?.length ?? 0)) prefix = { code, length: zh.length };
      else if (en?.test(p)) codes.add(code);
    }
    if (prefix) codes.add(prefix.code);
  }
  return [...codes];
}
