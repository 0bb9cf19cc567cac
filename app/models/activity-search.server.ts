// The activity list's text search index (docs/decisions/024-text-search-index.md): per activity, the overlapping
// two-character pieces of the five columns the list's search reads, and tokens for its lead unit, its partner units
// and its countries, so a search word and the list's unit and country filters meet inside the index instead of
// over every row of a unit. The index only narrows: the list still applies its LIKE (activity.server.ts) to what
// the index returns, so the search finds exactly what it found before. Every write of those columns or links
// re-indexes its activities in the same transaction (writeActivities, replaceLinks, discardStagedActivities);
// `npm run db:rebuild-totals` rebuilds and verifies the index too.
import { type Expression, type ExpressionBuilder, type Kysely, type Transaction, sql } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import { onPostgres } from "~/utils/sql-dialect.server";

/** The columns the list's search reads, in one place for the LIKE and the index. */
export const SEARCHED_COLUMNS = ["title", "counterpart_body", "location", "outcome", "funding_source"] as const;

function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Each character lowered on its own (PostgreSQL's lower(): 'Σ' → 'σ' anywhere, 'İ' → 'i'). */
function charLower(text: string): string {
  let out = "";
  for (const c of text) {
    const l = c.toLowerCase();
    out += l.length === c.length ? l : l[0]!;
  }
  return out;
}

/** Each UTF-16 code unit's four hex digits, made once (a ledger's texts use a few thousand of them). */
const HEX4: (string | undefined)[] = new Array(0x10000);

function hex4(code: number): string {
  return (HEX4[code] ??= code.toString(16).padStart(4, "0"));
}

function pairsOf(lowered: string, into: Set<string>) {
  for (let i = 0; i + 1 < lowered.length; i++) into.add(`t${hex4(lowered.charCodeAt(i))}${hex4(lowered.charCodeAt(i + 1))}`);
}

/** A text's pieces in every lowering (see searchTokensOf), in the order they are first found. */
function textPieces(text: string): string[] {
  const pieces = new Set<string>();
  const lowered = text.toLowerCase();
  // no letter that any lowering changes (most Chinese text): the three lowerings are the text itself
  if (lowered === text) pairsOf(text, pieces);
  else for (const l of new Set([asciiLower(text), lowered, charLower(text)])) pairsOf(l, pieces);
  return [...pieces];
}

export interface SearchedActivity {
  texts: string[];
  /** the lead unit's path in the tree ("/1/13/18/"): the unit and every unit above it */
  unitPath: string;
  /** the paths of its partner units of the tree */
  partnerPaths: string[];
  countries: string[];
}

/** The ids of the units on a path ("/1/13/18/" → 1, 13, 18). */
function unitsOnPath(path: string): string[] {
  return path.split("/").filter((id) => /^\d+$/.test(id));
}

/**
 * The index tokens of one activity. Each text is lowered the ways the databases' lower() may lower it (SQLite:
 * ASCII letters only; PostgreSQL: every letter) and the way the search lowers its term (toLowerCase), so every
 * substring today's LIKE matches has all its pieces here. A frozen copy is in the migration that made the index.
 */
export function searchTokensOf(row: SearchedActivity, memo?: Map<string, string[]>): string[] {
  const tokens = new Set<string>();
  for (const text of row.texts) {
    // `memo`: a batch's rows repeat their texts (a place, a counterpart body, a source of funds): pieces made once
    let pieces = memo?.get(text);
    if (pieces === undefined) {
      pieces = textPieces(text);
      memo?.set(text, pieces);
    }
    for (const piece of pieces) tokens.add(piece);
  }
  for (const id of unitsOnPath(row.unitPath)) tokens.add(`u${id}`);
  for (const path of row.partnerPaths) for (const id of unitsOnPath(path)) tokens.add(`q${id}`);
  for (const code of row.countries) tokens.add(`c${code.toLowerCase()}`);
  return [...tokens];
}

/** The pieces a search term's matches all hold; null for a single character (the list then reads the rows). */
export function termTokens(q: string): string[] | null {
  const lowered = q.toLowerCase();
  if (lowered.length < 2) return null;
  const tokens = new Set<string>();
  pairsOf(lowered, tokens);
  return [...tokens];
}

/** The filters besides the term that the index holds too. */
export interface SearchScope {
  /** led by a unit of this subtree */
  organizationPath?: string;
  /** led by, or co-operated on by, a unit of this subtree */
  involvingPath?: string;
  /** co-operated on by a unit of this subtree */
  partnerPath?: string;
  country?: string;
}

type AnyEB = ExpressionBuilder<any, any>;

/**
 * The ids of the activities whose index holds every piece of the term (and the scope's unit and country, where
 * the index can say): a superset of the term's matches, for `a.id in (…)`.
 */
export function searchCandidates(eb: AnyEB, postgres: boolean, terms: string[], scope: SearchScope): Expression<number> {
  const all = [...terms];
  if (scope.country && /^[A-Za-z]{2,3}$/.test(scope.country)) all.push(`c${scope.country.toLowerCase()}`);
  // a unit's subtree is one token: every activity holds one for each unit above its lead (u) and its partners (q)
  const unitOf = (path: string | undefined) => (path && /^(\/\d+)+\/$/.test(path) ? path.split("/").at(-2)! : undefined);
  const any: string[] = [];
  const led = unitOf(scope.organizationPath);
  const partnered = unitOf(scope.partnerPath);
  const involved = unitOf(scope.involvingPath);
  if (led) all.push(`u${led}`);
  else if (partnered) all.push(`q${partnered}`);
  else if (involved) any.push(`u${involved}`, `q${involved}`);
  if (postgres) {
    return eb
      .selectFrom("activity_search as s")
      .select("s.activity_id")
      .where(sql<boolean>`s.tokens @> ${sql`cast(${all} as text[])`}`)
      .$if(any.length > 0, (q) => q.where(sql<boolean>`s.tokens && ${sql`cast(${any} as text[])`}`)) as unknown as Expression<number>;
  }
  const match = [...all.map((t) => `"${t}"`), ...(any.length ? [`(${any.map((t) => `"${t}"`).join(" OR ")})`] : [])].join(" AND ");
  return sql<number>`(select rowid from activity_search where activity_search match ${match})`;
}

/** Reads what the index holds of the given activities from the ledger. */
async function searchedActivities(db: DB | Transaction<Database>, ids: number[]) {
  if (ids.length === 0) return [];
  const [rows, countries, partners] = await Promise.all([
    db
      .selectFrom("activities as a")
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .select(["a.id", "o.path", ...SEARCHED_COLUMNS.map((c) => `a.${c}` as const)])
      .where("a.id", "in", ids)
      .execute(),
    db.selectFrom("activity_countries").select(["activity_id", "country_code"]).where("activity_id", "in", ids).execute(),
    db
      .selectFrom("activity_partners as ap")
      .innerJoin("organizations as po", "po.id", "ap.organization_id")
      .select(["ap.activity_id", "po.path"])
      .where("ap.activity_id", "in", ids)
      .execute(),
  ]);
  const countriesOf = new Map<number, string[]>();
  for (const c of countries) (countriesOf.get(c.activity_id) ?? countriesOf.set(c.activity_id, []).get(c.activity_id)!).push(c.country_code);
  const partnersOf = new Map<number, string[]>();
  for (const p of partners) (partnersOf.get(p.activity_id) ?? partnersOf.set(p.activity_id, []).get(p.activity_id)!).push(p.path);
  return rows.map((r) => ({
    id: r.id,
    tokens: searchTokensOf({
      texts: SEARCHED_COLUMNS.map((c) => r[c]),
      unitPath: r.path,
      partnerPaths: partnersOf.get(r.id) ?? [],
      countries: countriesOf.get(r.id) ?? [],
    }),
  }));
}

// Activities per statement: far below both databases' limits on bound parameters.
const BATCH = 500;

async function removeFromIndex(db: Kysely<Database>, ids: number[]) {
  if (onPostgres(db)) await sql`delete from activity_search where activity_id in (${sql.join(ids)})`.execute(db);
  else await sql`delete from activity_search where rowid in (${sql.join(ids)})`.execute(db);
}

async function writeIndex(db: Kysely<Database>, ids: number[]) {
  await insertIndexRows(db, await searchedActivities(db, ids));
}

async function insertIndexRows(db: Kysely<Database>, rows: { id: number; tokens: string[] }[]) {
  if (rows.length === 0) return;
  if (onPostgres(db)) {
    const values = rows.map((r) => sql`(${r.id}, ${sql`cast(${r.tokens} as text[])`})`);
    await sql`insert into activity_search (activity_id, tokens) values ${sql.join(values)}`.execute(db);
  } else {
    const values = rows.map((r) => sql`(${r.id}, ${r.tokens.join(" ")})`);
    await sql`insert into activity_search (rowid, tokens) values ${sql.join(values)}`.execute(db);
  }
}

/** Adds the index entries of new activities, from what was written (nothing read back). In the write's transaction. */
export async function addToSearchIndex(trx: Transaction<Database>, written: readonly { id: number; activity: SearchedActivity }[]): Promise<void> {
  const memo = new Map<string, string[]>();
  for (let i = 0; i < written.length; i += BATCH) {
    await insertIndexRows(trx, written.slice(i, i + BATCH).map((w) => ({ id: w.id, tokens: searchTokensOf(w.activity, memo) })));
  }
}

/**
 * Writes the index entries of the given activities from what the ledger now holds (their rows, countries and
 * partner units), replacing any they had; an id without a row loses its entry. In the write's transaction.
 */
export async function indexActivitySearch(trx: Transaction<Database>, ids: readonly number[]): Promise<void> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += BATCH) {
    const chunk = unique.slice(i, i + BATCH);
    await removeFromIndex(trx, chunk);
    await writeIndex(trx, chunk);
  }
}

/** Takes activities deleted from the ledger out of the index, in the deleting transaction. */
export async function unindexActivitySearch(trx: Transaction<Database>, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) await removeFromIndex(trx, ids.slice(i, i + BATCH));
}

/** Rebuilds the whole index from the ledger, in batches of one short transaction each. */
export async function rebuildSearchIndex(db: DB): Promise<void> {
  if (onPostgres(db)) await sql`delete from activity_search`.execute(db);
  else await sql`insert into activity_search (activity_search) values ('delete-all')`.execute(db);
  let after = 0;
  for (;;) {
    const ids = (await db.selectFrom("activities").select("id").where("id", ">", after).orderBy("id").limit(BATCH * 4).execute()).map((r) => r.id);
    if (ids.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < ids.length; i += BATCH) await writeIndex(trx, ids.slice(i, i + BATCH));
    });
    after = ids.at(-1)!;
  }
}

/**
 * The tokens whose number of activities in the index differs from the ledger's (empty when the index is right):
 * what `npm run db:rebuild-totals -- --check` reports.
 */
export async function verifySearchIndex(db: DB): Promise<{ token: string; indexed: number; ledger: number }[]> {
  const ledger = new Map<string, number>();
  let after = 0;
  for (;;) {
    const ids = (await db.selectFrom("activities").select("id").where("id", ">", after).orderBy("id").limit(BATCH * 4).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    for (let i = 0; i < ids.length; i += BATCH) {
      for (const row of await searchedActivities(db, ids.slice(i, i + BATCH))) for (const t of row.tokens) ledger.set(t, (ledger.get(t) ?? 0) + 1);
    }
    after = ids.at(-1)!;
  }
  const indexed = new Map<string, number>();
  if (onPostgres(db)) {
    const { rows } = await sql<{ tok: string; n: number }>`select tok, count(*) as n from activity_search, unnest(tokens) as tok group by tok`.execute(db);
    for (const r of rows) indexed.set(r.tok, Number(r.n));
  } else {
    await sql`create virtual table if not exists temp.activity_search_vocab using fts5vocab(main, activity_search, row)`.execute(db);
    const { rows } = await sql<{ term: string; doc: number }>`select term, doc from temp.activity_search_vocab`.execute(db);
    for (const r of rows) indexed.set(r.term, Number(r.doc));
  }
  const out: { token: string; indexed: number; ledger: number }[] = [];
  for (const token of new Set([...ledger.keys(), ...indexed.keys()])) {
    const a = indexed.get(token) ?? 0;
    const b = ledger.get(token) ?? 0;
    if (a !== b) out.push({ token, indexed: a, ledger: b });
  }
  return out;
}
