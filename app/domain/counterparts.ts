// The counterpart register's rules (docs/decisions/014-counterpart-register.md): what a body's level is, how a name
// is folded for matching, how a 对方机构 text splits into the names it holds, and how a name resolves to one body.
// A plain module: the form's suggestion list runs the same folding in the browser as the server does on save.
import { allCountryNames, countryName, isCountryCode, notCountry, resolveCountry, type NotCountry } from "~/utils/countries";

export const COUNTERPART_LEVELS = ["national", "province", "city", "district", "village", "organization"] as const;
export type CounterpartLevel = (typeof COUNTERPART_LEVELS)[number];

export function isCounterpartLevel(value: string): value is CounterpartLevel {
  return (COUNTERPART_LEVELS as readonly string[]).includes(value);
}

/** What a body's page groups its timeline by: visits out and in, agreements, projects, other. */
export const TIMELINE_CATEGORIES = ["visit_out", "visit_in", "agreement", "project", "other"] as const;
export type TimelineCategory = (typeof TIMELINE_CATEGORIES)[number];

export function timelineCategory(type: string): TimelineCategory {
  switch (type) {
    case "outbound_visit":
      return "visit_out";
    case "inbound_visit":
      return "visit_in";
    case "agreement":
    case "sister_city":
      return "agreement";
    case "aid_project":
    case "training":
      return "project";
    default:
      return "other";
  }
}

/**
 * A name folded for matching: full-width forms, case, spaces, punctuation, symbols and Latin accents do not matter
 * ("Điện Biên" = "dien bien", "占巴塞省" = "占 巴 塞 省"). Marks of other scripts (Lao, Thai, Khmer, Burmese vowels)
 * are kept: they are letters there.
 */
export function counterpartKey(text: string): string {
  // an import folds the same few names thousands of times
  let key = folded.get(text);
  if (key !== undefined) return key;
  key = text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC")
    .replace(/đ/g, "d")
    .replace(/[\p{P}\p{S}\p{Z}\s]/gu, "");
  if (folded.size >= 20_000) folded.clear();
  folded.set(text, key);
  return key;
}
const folded = new Map<string, string>();

// ── names in a 对方机构 text ────────────────────────────────────────────────────────────────────────

const SEPARATORS = /[、,，;；\/／\n\r]+/;

/**
 * The names a 对方机构 text holds, as written: "老挝波乔省、老挝沙耶武里省等周边国家地方政府" → 老挝波乔省, 老挝沙耶武里省.
 * A "等…" tail closes a list; a bracketed remark is not part of a name.
 */
export function counterpartNames(text: string): string[] {
  const names: string[] = [];
  for (const part of text.split(SEPARATORS)) {
    let name = part.replace(/[（(][^）)]*[）)]/g, "").trim();
    const etc = name.indexOf("等");
    if (etc >= 2) name = name.slice(0, etc).trim();
    if (name && counterpartKey(name)) names.push(name);
  }
  return names;
}

// A piece that names a group, not one body: 周边国家, 老挝北部各省, 20余个国家, 澜湄合作成员国, 边民, 工商界团组.
const GROUP_ENDINGS = /(国家|各国|诸国|各方|成员国|各省|各市|各州|边民|群众|地方政府|友好城市|友城|团组|团体|各界|各部门|相关部门|有关部门|countries|partners|members)$/i;
const COUNT_OF = /\d+\s*(个|余个|多个|余|多)/;

/** A piece of the text that is a description (a country, a group), never asked about or registered as a body. */
export function isDescription(name: string): boolean {
  const plain = name.normalize("NFKC").trim();
  if (resolveCountry(plain) || notCountry(plain)) return true;
  return GROUP_ENDINGS.test(counterpartKey(plain)) || COUNT_OF.test(plain);
}

/** The level a new body's name suggests (the person confirming it can change it). */
export function guessLevel(name: string): CounterpartLevel {
  const n = name.normalize("NFKC").replace(/[（(][^）)]*[）)]/g, "").trim();
  if (/(村|村寨|寨|村民小组|村委会)$|\bvillage$/i.test(n)) return "village";
  if (/(?<!俱乐)部$|\bministry\b/i.test(n)) return "national";
  if (/(大学|学院|学校|医院|公司|集团|协会|商会|基金会|银行|中心|委员会|联合会|厅|局|署|办公室|外办|处|司|馆|所|院|会|社|团)$/.test(n)) return "organization";
  if (/\b(university|college|department|company|association|bank|council|office|hospital|institute|school|agency|chamber|society)\b/i.test(n)) {
    return "organization";
  }
  if (/(大区|自治区|省|府|州|邦|道)$|\b(province|state|prefecture|region|oblast)$/i.test(n)) return "province";
  if (/(特区|县|区|郡|镇|乡)$|\b(district|county|township)$/i.test(n)) return "district";
  if (/(市|城)$|\b(city|town|municipality)$/i.test(n)) return "city";
  return "organization";
}

// ── a country at the start (老挝占巴塞省) or end (Champasak Province, Laos) of a name ─────────────────────

interface CountryName {
  code: string;
  notCountry: boolean;
}
let countryIndex: { leading: Map<string, CountryName>; trailing: Map<string, CountryName>; longest: number } | null = null;
/** Country names by their folded form: Chinese ones open a name (老挝…), Latin ones close it (…, Laos). */
function countryNameIndex() {
  if (countryIndex) return countryIndex;
  const leading = new Map<string, CountryName>();
  const trailing = new Map<string, CountryName>();
  let longest = 0;
  for (const { code, names, notCountry: not } of allCountryNames()) {
    for (const name of names) {
      const key = counterpartKey(name);
      if (key.length < 2) continue;
      longest = Math.max(longest, key.length);
      // "Lao Cai Province" does not open with Laos: an English name puts its country last
      if (/^[a-z0-9]/.test(key)) {
        if (key.length >= 4 && !trailing.has(key)) trailing.set(key, { code, notCountry: not });
      } else if (!leading.has(key)) leading.set(key, { code, notCountry: not });
    }
  }
  return (countryIndex = { leading, trailing, longest });
}

export interface CountrySplit {
  /** the counterpart country the name opens or closes with */
  country: string | null;
  /** China or a part of China named there: never a counterpart country */
  refused: NotCountry | null;
  /** the name without the country, as written (trimmed) */
  rest: string;
}

/** The country a name opens with in Chinese ("老挝占巴塞省") or closes with in English ("…, Laos"), and the rest. */
export function splitCountry(name: string): CountrySplit {
  const written = name.normalize("NFKC").trim();
  const key = counterpartKey(written);
  const { leading, trailing, longest } = countryNameIndex();
  const found = (c: CountryName, rest: string): CountrySplit =>
    c.notCountry ? { country: null, refused: c.code as NotCountry, rest } : { country: c.code, refused: null, rest };
  // the longest country name first (几内亚比绍 is not 几内亚)
  for (let length = Math.min(longest, key.length - 1); length >= 2; length--) {
    const c = leading.get(key.slice(0, length));
    const rest = c ? stripLeading(written, key.slice(0, length)) : "";
    if (c && rest) return found(c, rest);
  }
  for (let length = Math.min(longest, key.length - 1); length >= 4; length--) {
    const c = trailing.get(key.slice(key.length - length));
    const rest = c ? stripTrailing(written, key.slice(key.length - length)) : "";
    if (c && rest) return found(c, rest);
  }
  return { country: null, refused: null, rest: written };
}

/** The written text after the characters whose folded form is `prefixKey`. */
function stripLeading(written: string, prefixKey: string): string {
  for (let i = 1; i <= written.length; i++) {
    if (counterpartKey(written.slice(0, i)) === prefixKey) return written.slice(i).replace(/^[\s,，、·-]+/, "").trim();
  }
  return "";
}
function stripTrailing(written: string, suffixKey: string): string {
  for (let i = written.length - 1; i >= 0; i--) {
    if (counterpartKey(written.slice(i)) === suffixKey) return written.slice(0, i).replace(/[\s,，、·-]+$/, "").trim();
  }
  return "";
}

// ── resolving names against the register ─────────────────────────────────────────────────────────

/** What the matcher needs of a body: its country and every name it goes by. */
export interface RegisterEntry {
  id: number;
  country_code: string;
  name_zh: string;
  name_en: string;
  name_local: string;
  aliases: string[];
}

export type Resolution =
  | { kind: "body"; name: string; id: number }
  | { kind: "ambiguous"; name: string; ids: number[] }
  | {
      kind: "unknown";
      name: string;
      /** the name without its country, as a new body would be called */
      bare: string;
      country: string | null;
      refused: NotCountry | null;
      /** bodies whose names come close (a misspelling, a longer or shorter form) */
      similar: number[];
    }
  | { kind: "description"; name: string };

/** The folded forms a name is found by: as written, and without its own country at the start or end. */
export function keysOfName(name: string, country: string): string[] {
  const keys = new Set<string>();
  const key = counterpartKey(name);
  if (key) keys.add(key);
  const split = splitCountry(name);
  if (split.country === country) {
    const bare = counterpartKey(split.rest);
    if (bare) keys.add(bare);
  }
  return [...keys];
}

function oneEditApart(a: string, b: string): boolean {
  if (a.length !== b.length || a.length < 3) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return diff === 1;
}

export class CounterpartMatcher {
  private byKey = new Map<string, number[]>();
  private entries = new Map<number, RegisterEntry>();

  constructor(entries: readonly RegisterEntry[]) {
    for (const e of entries) {
      this.entries.set(e.id, e);
      for (const name of [e.name_zh, e.name_en, e.name_local, ...e.aliases]) {
        if (!name) continue;
        for (const key of keysOfName(name, e.country_code)) {
          const ids = this.byKey.get(key) ?? [];
          if (!ids.includes(e.id)) this.byKey.set(key, [...ids, e.id]);
        }
      }
    }
  }

  entry(id: number): RegisterEntry | undefined {
    return this.entries.get(id);
  }

  /** The body one name is, as written or without its country ("占巴塞省", "老挝占巴色省", "Champasak Province, Laos"). */
  resolveName(name: string): Resolution {
    const split = splitCountry(name);
    const inCountry = (ids: number[]) => (split.country ? ids.filter((id) => this.entries.get(id)!.country_code === split.country) : ids);
    // the name as written first; its country only narrows a name two bodies share
    let ids = this.byKey.get(counterpartKey(name)) ?? [];
    if (ids.length > 1 && inCountry(ids).length > 0) ids = inCountry(ids);
    if (ids.length === 0 && split.country) ids = inCountry(this.byKey.get(counterpartKey(split.rest)) ?? []);
    if (ids.length === 1) return { kind: "body", name, id: ids[0]! };
    if (ids.length > 1) return { kind: "ambiguous", name, ids };
    if (isDescription(name)) return { kind: "description", name };
    return { kind: "unknown", name, bare: split.rest, country: split.country, refused: split.refused, similar: this.similar(split.rest, split.country) };
  }

  /** Every name of a 对方机构 text resolved; a body named twice counts once. */
  resolveText(text: string): Resolution[] {
    const out: Resolution[] = [];
    const seen = new Set<string>();
    for (const name of counterpartNames(text)) {
      const r = this.resolveName(name);
      const key = r.kind === "body" ? `#${r.id}` : counterpartKey(name);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
    return out;
  }

  /**
   * Bodies whose names contain the name, are contained in it, or differ from it by one character. `closeOnly`: not
   * those whose name it merely contains (南塔省 in 南塔省农林厅 is where the department is, not a misspelling).
   */
  similar(bare: string, country: string | null, options: { limit?: number; closeOnly?: boolean } = {}): number[] {
    const key = counterpartKey(bare);
    if (key.length < 2) return [];
    const found: number[] = [];
    for (const [k, ids] of this.byKey) {
      if (k.length < 2) continue;
      if (!(k.includes(key) || (!options.closeOnly && key.includes(k)) || oneEditApart(k, key))) continue;
      for (const id of ids) {
        if (found.includes(id)) continue;
        if (country && this.entries.get(id)!.country_code !== country) continue;
        found.push(id);
      }
    }
    return found.slice(0, options.limit ?? 5);
  }
}

// ── how a body is named on a page ───────────────────────────────────────────────────────────────

export interface NamedBody {
  country_code: string;
  name_zh: string;
  name_en: string;
}

/** A body's own name in the reader's language (Chinese where it has no English name). */
export function bodyName(body: NamedBody, locale: string): string {
  return locale === "en" && body.name_en ? body.name_en : body.name_zh;
}

/** A body with its country, as a ledger writes it: 老挝占巴塞省 / Champasak Province, Laos. */
export function bodyFullName(body: NamedBody, locale: string): string {
  const country = isCountryCode(body.country_code) ? countryName(body.country_code, locale) : "";
  if (locale === "en") {
    const own = body.name_en || body.name_zh;
    return country ? `${own}, ${country}` : own;
  }
  return `${country && !body.name_zh.startsWith(country) ? country : ""}${body.name_zh}`;
}
