// Many-row inserts, written by the query builder once per shape and then run with new values (the running totals'
// upserts do the same in activity-totals.server.ts, with their prepared statements kept). Building a multi-row
// query costs more than running it: Kysely turns every value into a node, freezes it and walks the tree to print
// it (about a ninth of an import step's CPU time for its 200-row inserts of activities, links and history
// entries). The SQL text depends only on the table, the columns, the number of rows and the database, so it is the
// builder's own output, kept per shape; the values go in as parameters, row after row in the columns' order —
// what the builder binds, checked against it each time a shape is first built.
import { CompiledQuery, type Compilable, type QueryResult, type Transaction } from "kysely";
import { reusedStatement } from "~/utils/db.server";

type Row = Record<string, unknown>;

/** Per database adapter (SQLite, PostgreSQL), the SQL of each shape. */
const texts = new WeakMap<object, Map<string, string>>();

/**
 * The values row after row in the columns' order, or null when a row has other keys, in another order, or an
 * undefined value. One pass, into one array: a step's inserts bind tens of thousands of values.
 */
function paramsOf(rows: readonly Row[], columns: readonly string[]): unknown[] | null {
  const params = new Array<unknown>(rows.length * columns.length);
  let p = 0;
  for (const r of rows) {
    const keys = Object.keys(r);
    if (keys.length !== columns.length) return null;
    for (let i = 0; i < keys.length; i++) {
      const value = r[keys[i]!];
      if (keys[i] !== columns[i] || value === undefined) return null;
      params[p++] = value;
    }
  }
  return params;
}

/**
 * Runs `build(rows)` — a multi-row insert or upsert whose every row has the same keys in the same order, all
 * defined — reusing the SQL the builder wrote for the same `shape` (a name for what `build` writes: table,
 * conflict target, returning) and number of rows. Rows with a different key order, or an undefined value (the
 * builder writes DEFAULT for it), go through the builder as they are. With `keep`, SQLite keeps the statement
 * prepared too (reusedStatement): for the full-size chunks of a many-row write, whose parsing (thousands of
 * placeholders) cost about a tenth of an import's steps; the odd sizes of a last chunk are parsed each time, so the
 * kept statements stay few.
 */
export async function executeRowsQuery<R = unknown>(
  trx: Transaction<any>,
  shape: string,
  rows: readonly Row[],
  build: (rows: readonly Row[]) => Compilable<R>,
  keep = false,
): Promise<QueryResult<R>> {
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const params = paramsOf(rows, columns);
  if (params === null) return trx.executeQuery(build(rows).compile());
  const adapter = trx.getExecutor().adapter;
  let known = texts.get(adapter);
  if (!known) texts.set(adapter, (known = new Map()));
  const key = `${shape}\u0000${columns.join(",")}\u0000${rows.length}`;
  let text = known.get(key);
  if (text === undefined) {
    const compiled = build(rows).compile();
    // the values bound as the builder binds them, or the shape is not kept (and this says why)
    if (compiled.parameters.length !== params.length || compiled.parameters.some((p, i) => p !== params[i])) {
      throw new Error(`executeRowsQuery: the builder binds the values of "${shape}" in another order`);
    }
    text = keep ? reusedStatement(compiled.sql) : compiled.sql;
    known.set(key, text);
  }
  return trx.executeQuery(CompiledQuery.raw(text, params as unknown[]) as CompiledQuery<R>);
}
