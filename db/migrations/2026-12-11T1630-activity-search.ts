// Frozen: the activity list's text search index (docs/decisions/024-text-search-index.md). Per activity, the
// overlapping two-character pieces of its five searched columns (each column lowered as SQLite's lower(), PostgreSQL's
// and JavaScript's toLowerCase() lower it, so whatever today's LIKE matches has them all), written as the hex of their
// UTF-16 code units ("农业" → t519c4e1a), beside tokens for its lead unit and each unit above it (u<id>), its
// partner units and the units above them (q<id>) and its countries (c<code>). On SQLite an FTS5 table without content (rowid = the activity's id), on PostgreSQL a
// text[] column under a GIN index. Filled from the ledger as it stands, a thousand activities per statement
// (about 100 s for 1,000,000 activities on the 2-core machine); the tokens are made here, by a frozen copy of
// app/models/activity-search.server.ts's searchTokensOf: `npm run db:rebuild-totals` rebuilds them with the app's.
import { type Kysely, PostgresAdapter, sql } from "kysely";

const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

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

function hex4(code: number): string {
  return code.toString(16).padStart(4, "0");
}

function unitsOnPath(path: string): string[] {
  return path.split("/").filter((id) => /^\d+$/.test(id));
}

function tokensOf(row: { texts: string[]; unitPath: string; partnerPaths: string[]; countries: string[] }): string[] {
  const tokens = new Set<string>();
  for (const text of row.texts) {
    for (const lowered of new Set([asciiLower(text), text.toLowerCase(), charLower(text)])) {
      for (let i = 0; i + 1 < lowered.length; i++) tokens.add(`t${hex4(lowered.charCodeAt(i))}${hex4(lowered.charCodeAt(i + 1))}`);
    }
  }
  for (const id of unitsOnPath(row.unitPath)) tokens.add(`u${id}`);
  for (const path of row.partnerPaths) for (const id of unitsOnPath(path)) tokens.add(`q${id}`);
  for (const code of row.countries) tokens.add(`c${code.toLowerCase()}`);
  return [...tokens];
}

const BATCH = 1000;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = onPostgres(db);
  if (postgres) {
    await sql`create table activity_search (activity_id integer primary key references activities (id) on delete cascade, tokens text[] not null)`.execute(db);
  } else {
    await sql`create virtual table activity_search using fts5(tokens, tokenize = 'ascii', detail = none, content = '', contentless_delete = 1)`.execute(db);
  }
  let after = 0;
  for (;;) {
    const rows: { id: number; path: string; title: string; counterpart_body: string; location: string; outcome: string; funding_source: string }[] =
      await db
        .selectFrom("activities as a")
        .innerJoin("organizations as o", "o.id", "a.organization_id")
        .select(["a.id", "o.path", "a.title", "a.counterpart_body", "a.location", "a.outcome", "a.funding_source"])
        .where("a.id", ">", after)
        .orderBy("a.id")
        .limit(BATCH)
        .execute();
    if (rows.length === 0) break;
    const first = rows[0]!.id;
    const last = rows.at(-1)!.id;
    const [countries, partners] = await Promise.all([
      db.selectFrom("activity_countries").select(["activity_id", "country_code"]).where("activity_id", ">=", first).where("activity_id", "<=", last).execute(),
      db
        .selectFrom("activity_partners as ap")
        .innerJoin("organizations as po", "po.id", "ap.organization_id")
        .select(["ap.activity_id", "po.path"])
        .where("ap.activity_id", ">=", first)
        .where("ap.activity_id", "<=", last)
        .execute(),
    ]);
    const countriesOf = new Map<number, string[]>();
    for (const c of countries) (countriesOf.get(c.activity_id) ?? countriesOf.set(c.activity_id, []).get(c.activity_id)!).push(c.country_code);
    const partnersOf = new Map<number, string[]>();
    for (const p of partners) (partnersOf.get(p.activity_id) ?? partnersOf.set(p.activity_id, []).get(p.activity_id)!).push(p.path);
    const values = rows.map((r) => {
      const tokens = tokensOf({
        texts: [r.title, r.counterpart_body, r.location, r.outcome, r.funding_source],
        unitPath: r.path,
        partnerPaths: partnersOf.get(r.id) ?? [],
        countries: countriesOf.get(r.id) ?? [],
      });
      return postgres ? sql`(${r.id}, ${tokens})` : sql`(${r.id}, ${tokens.join(" ")})`;
    });
    if (postgres) await sql`insert into activity_search (activity_id, tokens) values ${sql.join(values)}`.execute(db);
    else await sql`insert into activity_search (rowid, tokens) values ${sql.join(values)}`.execute(db);
    after = last;
  }
  if (postgres) await sql`create index activity_search_tokens on activity_search using gin (tokens)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table activity_search`.execute(db);
}
