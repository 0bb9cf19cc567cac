// Frozen: what a computed indicator counts (docs/decisions/012-indicator-counting.md). An indicator used to count
// only activities linked to its own plan item (or an item below it), of one activity type; offices tag a visit by
// its subject, so 出访团组 on 5.4 counted none of a unit's visits tagged 4.1.1 or 4.3.1. The definition becomes one
// versioned JSON column, counting_json: types, statuses, plan items (any / the item / the item and below / a
// list) and counterpart countries. count_agreements becomes a count of the type agreement.
//   - The seeded indicators (codes below) count every matching activity of the unit, whatever item it serves.
//   - Indicators an administrator made keep what they counted: their item and the items below it.
import type { Kysely } from "kysely";

const SEEDED = [
  "sister-cities",
  "livelihood-projects",
  "outbound-delegations",
  "outbound-participants",
  "inbound-delegations",
  "training-participants",
  "foreign-affairs-funding",
  "cooperation-documents",
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("indicators").addColumn("counting_json", "text").execute();
  const rows: { id: number; code: string; computation: string | null; activity_type: string | null }[] = await db
    .selectFrom("indicators")
    .select(["id", "code", "computation", "activity_type"])
    .execute();
  for (const row of rows) {
    const agreements = row.computation === "count_agreements";
    const counting = {
      version: 1,
      types: agreements ? ["agreement"] : row.activity_type ? [row.activity_type] : [],
      statuses: ["completed", "ongoing"],
      items: { scope: SEEDED.includes(row.code) ? "any" : "subtree", codes: [] },
      countries: [],
    };
    await db
      .updateTable("indicators")
      .set({ counting_json: JSON.stringify(counting), computation: agreements ? "count" : row.computation })
      .where("id", "=", row.id)
      .execute();
  }
  await db.schema.alterTable("indicators").dropColumn("activity_type").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("indicators").addColumn("activity_type", "varchar(40)").execute();
  const rows: { id: number; counting_json: string | null }[] = await db.selectFrom("indicators").select(["id", "counting_json"]).execute();
  for (const row of rows) {
    const types: string[] = row.counting_json ? JSON.parse(row.counting_json).types : [];
    await db.updateTable("indicators").set({ activity_type: types.length === 1 ? types[0] : null }).where("id", "=", row.id).execute();
  }
  await db.schema.alterTable("indicators").dropColumn("counting_json").execute();
}
