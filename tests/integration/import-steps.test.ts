// What makes an import's steps quick without a second copy of a rule: the many-row inserts and upserts reuse the
// SQL the query builder wrote (executeRowsQuery) and must write exactly what the builder writes; the steps follow a
// time budget; and the pauses between them see others' queries (queriesAnswered).
// Runs on SQLite (npx vitest run tests/integration/import-steps.test.ts) and on PostgreSQL
// (tests/pg/with-postgres.sh npx vitest run --config vitest.pg.config.ts tests/integration/import-steps.test.ts).
import { describe, expect, it } from "vitest";
import { IMPORT_CHUNK_ROWS, nextStepRows } from "~/services/activity-import/workflow.server";
import { db, queriesAnswered } from "~/utils/db.server";
import { executeRowsQuery } from "~/utils/rows-query.server";

const entry = (n: number, changes: string) => ({
  at: `2026-12-07T10:00:${String(n % 60).padStart(2, "0")}.000Z`,
  user_id: null,
  action: "rows-query.test",
  entity_type: "rows-query-test",
  entity_id: 900_000 + n,
  changes_json: changes,
});

describe("executeRowsQuery", () => {
  it("writes, with the builder's SQL kept per shape, the same rows as the builder", async () => {
    const first = Array.from({ length: 7 }, (_, n) => entry(n, JSON.stringify({ n, title: `活动 ${n}` })));
    // the same shape again (its SQL reused), then rows whose keys come in another order (user_id: a null bound)
    const again = Array.from({ length: 7 }, (_, n) => entry(100 + n, n % 2 ? "[]" : "{}"));
    const reordered = [{ ...entry(200, "{}") }, { entity_id: 900_201, changes_json: "{}", at: "2026-12-07T11:00:00.000Z", user_id: null, action: "rows-query.test", entity_type: "rows-query-test" }];
    await db.transaction().execute(async (trx) => {
      for (const rows of [first, again, reordered]) {
        const result = await executeRowsQuery(trx, "insert audit_log returning id", rows, (r) =>
          trx.insertInto("audit_log").values(r as typeof first).returning("id"),
        );
        expect(result.rows, "one id per row written").toHaveLength(rows.length);
      }
    });
    const written = await db
      .selectFrom("audit_log")
      .select(["at", "user_id", "action", "entity_type", "entity_id", "changes_json"])
      .where("entity_type", "=", "rows-query-test")
      .orderBy("entity_id")
      .execute();
    const expected = [...first, ...again, ...reordered].map((r) => ({ ...entry(r.entity_id - 900_000, r.changes_json), at: r.at }));
    expect(written).toEqual(expected.sort((a, b) => a.entity_id - b.entity_id));
  });

  it("refuses a shape whose values the builder binds in another order than the rows' columns", async () => {
    const rows = [entry(300, "{}"), entry(301, "{}")];
    await expect(
      db.transaction().execute((trx) =>
        // a query built from other values than the rows' own: what a reused text would get wrong
        executeRowsQuery(trx, "insert audit_log, values reversed", rows, (r) => trx.insertInto("audit_log").values([...(r as typeof rows)].reverse())),
      ),
    ).rejects.toThrow(/another order/);
  });
});

describe("an import's steps", () => {
  it("grow on an idle machine, at most twofold a step and to 1,000 rows, and never go below 250 rows", () => {
    expect(nextStepRows(IMPORT_CHUNK_ROWS, 10)).toBe(2 * IMPORT_CHUNK_ROWS);
    expect(nextStepRows(500, 10)).toBe(1000);
    expect(nextStepRows(1000, 5)).toBe(1000);
    expect(nextStepRows(600, 60)).toBe(400);
    expect(nextStepRows(IMPORT_CHUNK_ROWS, 500)).toBe(IMPORT_CHUNK_ROWS);
  });

  it("see the queries others ran, in transactions too", async () => {
    const before = queriesAnswered(db)!;
    await db.selectFrom("users").select("id").execute();
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom("organizations").select("id").execute();
    });
    // the select, and the one in the transaction (its begin and commit are the driver's, not queries)
    expect(queriesAnswered(db)! - before).toBeGreaterThanOrEqual(2);
  });
});
