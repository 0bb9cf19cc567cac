// When two logged activities are likely one event: two units logged the same delegation, meeting or agreement
// separately (typically after both imported their ledgers). The rule, in one place: the same type of activity,
// with the same counterpart body, on overlapping dates, logged by different units; neither cancelled.
// A plain module: the page that lists the pairs explains the rule it applies.
import { countryNamesForMatching } from "~/utils/countries";

export const DUPLICATE_RULE_KEY = "duplicates.rule";

/** Characters that do not tell two names apart: spaces, punctuation, symbols. */
const NOISE = /[\s\p{P}\p{S}]+/gu;
/** "万象市政府" is 万象市: the government of a place is the place as a counterpart. */
const GOVERNMENT = /(人民)?政府$/;
/** How a cell separates several bodies: "老挝波乔省、老挝沙耶武里省等周边国家地方政府". */
const SEPARATORS = /[、,，;；/／\n]+/;

let countryPrefixes: { names: Set<string>; lengths: number[] } | null = null;
/** The Chinese country name a body's name begins with ("老挝占巴塞省"), the longest if several; "" if none. */
function countryPrefix(name: string): string {
  if (!countryPrefixes) {
    const names = new Set(countryNamesForMatching().map((c) => c.zh));
    countryPrefixes = { names, lengths: [...new Set([...names].map((n) => n.length))].sort((a, b) => b - a) };
  }
  for (const length of countryPrefixes.lengths) {
    if (length <= name.length && countryPrefixes.names.has(name.slice(0, length))) return name.slice(0, length);
  }
  return "";
}

/**
 * The bodies a counterpart cell names, each as a key that ignores width, case, spaces and punctuation and a
 * leading country name, and "政府" after a place: "老挝 占巴塞省", "占巴塞省" and "占巴塞省政府" give one key. What follows "等" (and others) is dropped, and a
 * bare country name or a one-character rest names no body.
 */
export function counterpartKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const part of text.normalize("NFKC").toLowerCase().split(SEPARATORS)) {
    let name = part.split("等")[0]!.replace(NOISE, "");
    name = name.slice(countryPrefix(name).length);
    name = name.replace(GOVERNMENT, "");
    if (name.length >= 2) keys.add(name);
  }
  return [...keys];
}

export interface DuplicateCandidate {
  id: number;
  organization_id: number;
  type: string;
  start_date: string;
  end_date: string;
  counterpart_body: string;
}

/** A likely duplicate: two activity ids, the smaller first. */
export type DuplicatePair = readonly [number, number];

/**
 * Every pair of activities the rule calls likely duplicates, each once, the most recent events first (by the later
 * start date of the two, then the newer activity). Activities are grouped by type and counterpart key and swept in
 * start order, so the work is the rows plus the pairs found, not rows × rows.
 */
export function findDuplicatePairs(rows: Iterable<DuplicateCandidate>): DuplicatePair[] {
  const list = Array.isArray(rows) ? (rows as DuplicateCandidate[]) : [...rows];
  // dates as yyyymmdd numbers, kept beside the rows: the sweep compares them many times
  const start = new Int32Array(list.length);
  const end = new Int32Array(list.length);
  const buckets = new Map<string, number[]>();
  // a ledger names the same bodies over and over: each distinct cell is read once
  const keysOf = new Map<string, string[]>();
  // activities naming several bodies can meet in more than one bucket: only their pairs need remembering
  const several = new Set<number>();
  list.forEach((row, i) => {
    start[i] = dayNumber(row.start_date);
    end[i] = dayNumber(row.end_date);
    let keys = keysOf.get(row.counterpart_body);
    if (!keys) keysOf.set(row.counterpart_body, (keys = counterpartKeys(row.counterpart_body)));
    if (keys.length > 1) several.add(row.id);
    for (const key of keys) {
      const bucketKey = `${row.type}\u0001${key}`;
      const bucket = buckets.get(bucketKey);
      if (bucket) bucket.push(i);
      else buckets.set(bucketKey, [i]);
    }
  });
  const seen = new Set<string>();
  const pairA: number[] = [];
  const pairB: number[] = [];
  const pairLatest: number[] = [];
  const open: number[] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    bucket.sort((x, y) => start[x]! - start[y]! || list[x]!.id - list[y]!.id);
    open.length = 0; // the activities still under way at the current start date
    for (const i of bucket) {
      const from = start[i]!;
      let kept = 0;
      for (const o of open) if (end[o]! >= from) open[kept++] = o;
      open.length = kept;
      const row = list[i]!;
      for (const o of open) {
        const other = list[o]!;
        if (other.organization_id === row.organization_id) continue;
        const a = Math.min(other.id, row.id);
        const b = Math.max(other.id, row.id);
        if (several.has(a) && several.has(b)) {
          const key = `${a}-${b}`;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        pairA.push(a);
        pairB.push(b);
        // swept in start order: this row's start is the later of the two
        pairLatest.push(from);
      }
      open.push(i);
    }
  }
  const order = Array.from(pairA, (_, k) => k);
  order.sort((x, y) => pairLatest[y]! - pairLatest[x]! || pairB[y]! - pairB[x]! || pairA[y]! - pairA[x]!);
  return order.map((k) => [pairA[k]!, pairB[k]!] as const);
}

function dayNumber(iso: string): number {
  return Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}
