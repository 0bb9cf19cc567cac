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

let countryPrefixes: string[] | null = null;
/** Chinese country names, longest first, as they begin a body's name ("老挝占巴塞省"). */
function prefixes(): string[] {
  countryPrefixes ??= countryNamesForMatching()
    .map((c) => c.zh)
    .sort((a, b) => b.length - a.length);
  return countryPrefixes;
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
    const country = prefixes().find((p) => name.startsWith(p));
    if (country) name = name.slice(country.length);
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
 * Every pair of activities the rule calls likely duplicates, each once. Activities are grouped by type and
 * counterpart key and swept in start order, so the work is the rows plus the pairs found, not rows × rows.
 */
export function findDuplicatePairs(rows: Iterable<DuplicateCandidate>): DuplicatePair[] {
  const buckets = new Map<string, DuplicateCandidate[]>();
  for (const row of rows) {
    for (const key of counterpartKeys(row.counterpart_body)) {
      const bucketKey = `${row.type}\u0001${key}`;
      const bucket = buckets.get(bucketKey);
      if (bucket) bucket.push(row);
      else buckets.set(bucketKey, [row]);
    }
  }
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    bucket.sort((a, b) => (a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : a.id - b.id));
    // the activities still under way at the current start date
    let open: DuplicateCandidate[] = [];
    for (const row of bucket) {
      open = open.filter((o) => o.end_date >= row.start_date);
      for (const other of open) {
        if (other.organization_id === row.organization_id) continue;
        const pair: DuplicatePair = other.id < row.id ? [other.id, row.id] : [row.id, other.id];
        const key = `${pair[0]}-${pair[1]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push(pair);
      }
      open.push(row);
    }
  }
  return pairs;
}
