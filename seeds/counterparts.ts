// Seeds the counterpart register (seeds/data/counterparts.ts). Idempotent: a body is found by its code and only
// inserted when missing, an alias only added when the body has no such spelling yet; a body that exists keeps its
// names and level as a reviewer left them, and one merged into another is left alone.
// What the seed adds reaches the activities already logged: an activity whose text names a body or spelling this
// run added is linked to it (once, since the next run adds nothing). Activities logged before the register existed
// were linked by migration 2026-12-08T1000 to the bodies it moved; this links the rest.
import type { Transaction } from "kysely";
import type { Database } from "../db/schema";
import { CounterpartMatcher } from "~/domain/counterparts";
import { addAlias, loadRegisterEntries } from "~/models/counterpart.server";
import type { DB } from "~/utils/db.server";
import { counterparts } from "./data/counterparts";

export async function seedCounterparts(db: DB): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const existing = new Map(
      (await trx.selectFrom("counterparts").select(["id", "code", "merged_into"]).where("code", "is not", null).execute()).map((r) => [r.code!, r]),
    );
    const touched = new Set<number>();
    const now = new Date().toISOString();
    for (const body of counterparts) {
      let row = existing.get(body.code);
      if (!row) {
        const { id } = await trx
          .insertInto("counterparts")
          .values({
            code: body.code,
            country_code: body.countryCode,
            level: body.level,
            name_zh: body.nameZh,
            name_en: body.nameEn,
            name_local: body.nameLocal,
            created_by: null,
            created_at: now,
            updated_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        row = { id, code: body.code, merged_into: null };
        touched.add(id);
      }
      if (row.merged_into !== null) continue;
      // a local name the register does not hold yet (a body moved from the units, which had none) is filled in
      if (body.nameLocal) {
        const updated = await trx
          .updateTable("counterparts")
          .set({ name_local: body.nameLocal })
          .where("id", "=", row.id)
          .where("name_local", "=", "")
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) touched.add(row.id);
      }
      for (const alias of body.aliases) if (await addAlias(trx, row.id, alias, null, false)) touched.add(row.id);
    }
    if (touched.size) await linkActivitiesNaming(trx, touched);
  });
}

/** Links the activities whose 对方机构 text names one of the given bodies and that are not linked to it yet. */
async function linkActivitiesNaming(trx: Transaction<Database>, bodyIds: ReadonlySet<number>): Promise<void> {
  const matcher = new CounterpartMatcher(await loadRegisterEntries(trx));
  let after = 0;
  for (;;) {
    const rows = await trx
      .selectFrom("activities")
      .select(["id", "counterpart_body"])
      .where("id", ">", after)
      .where("counterpart_body", "<>", "")
      .orderBy("id")
      .limit(500)
      .execute();
    if (!rows.length) return;
    const ids = rows.map((r) => r.id);
    const links = await trx.selectFrom("activity_counterparts").select(["activity_id", "counterpart_id", "sort_order"]).where("activity_id", "in", ids).execute();
    for (const row of rows) {
      const mine = links.filter((l) => l.activity_id === row.id);
      let next = Math.max(-1, ...mine.map((l) => l.sort_order)) + 1;
      for (const r of matcher.resolveText(row.counterpart_body)) {
        if (r.kind !== "body" || !bodyIds.has(r.id) || mine.some((l) => l.counterpart_id === r.id)) continue;
        await trx.insertInto("activity_counterparts").values({ activity_id: row.id, counterpart_id: r.id, sort_order: next++ }).execute();
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}
