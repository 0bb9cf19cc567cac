// Frozen: the sister-city register (docs/decisions/015-sister-city-register.md). A relationship joins one of our
// units (province, prefecture, county) and a body of the counterpart register, and moves 共识 → 意向书 → 正式缔结.
// Each stage keeps the date a document gives for it, at the precision the document gives ("2003", "2003-06",
// "2003-06-15"; never a made-up day), and the document itself (its name, a link). One pair per unit and body.
// Its history is the audit log (entity "sister_city").
// The seeded indicator "sister-cities" counted activities of the type sister_city; it now counts the register's
// formal pairs established after its baseline (computation "sister_city_pairs"), unless an administrator has
// already changed what it counts.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

/** What migration 2026-12-07T1100 left the seeded indicator counting. */
const SEEDED_COUNTING = { version: 1, types: ["sister_city"], statuses: ["completed", "ongoing"], items: { scope: "any", codes: [] }, countries: [] };
const REGISTER_COUNTING = { version: 1, types: [], statuses: ["completed", "ongoing"], items: { scope: "any", codes: [] }, countries: [] };

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("sister_cities")
    .addColumn("id", "integer", idColumn)
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("counterpart_id", "integer", (c) => c.notNull().references("counterparts.id"))
    .addColumn("stage", "varchar(20)", (c) => c.notNull())
    .addColumn("consensus_on", "varchar(10)")
    .addColumn("consensus_document", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("consensus_url", "varchar(500)", (c) => c.notNull().defaultTo(""))
    .addColumn("letter_of_intent_on", "varchar(10)")
    .addColumn("letter_of_intent_document", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("letter_of_intent_url", "varchar(500)", (c) => c.notNull().defaultTo(""))
    .addColumn("established_on", "varchar(10)")
    .addColumn("established_document", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("established_url", "varchar(500)", (c) => c.notNull().defaultTo(""))
    .addColumn("ended_on", "varchar(10)")
    .addColumn("note", "varchar(1000)", (c) => c.notNull().defaultTo(""))
    .addColumn("seed_key", "varchar(60)", (c) => c.unique())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sister_cities_pair_idx").on("sister_cities").columns(["organization_id", "counterpart_id"]).unique().execute();
  await db.schema.createIndex("sister_cities_body_idx").on("sister_cities").column("counterpart_id").execute();

  const seeded: { id: number; computation: string | null; counting_json: string | null }[] = await db
    .selectFrom("indicators")
    .select(["id", "computation", "counting_json"])
    .where("code", "=", "sister-cities")
    .where("source", "=", "computed")
    .execute();
  for (const row of seeded) {
    const asSeeded = row.computation === "count" && row.counting_json !== null && JSON.stringify(JSON.parse(row.counting_json)) === JSON.stringify(SEEDED_COUNTING);
    if (!asSeeded) continue;
    await db
      .updateTable("indicators")
      .set({ computation: "sister_city_pairs", counting_json: JSON.stringify(REGISTER_COUNTING) })
      .where("id", "=", row.id)
      .execute();
    await db
      .insertInto("audit_log")
      .values({
        at: new Date().toISOString(),
        user_id: null,
        action: "indicator.update",
        entity_type: "indicator",
        entity_id: row.id,
        changes_json: JSON.stringify({ computation: ["count", "sister_city_pairs"], counting_json: [JSON.stringify(SEEDED_COUNTING), JSON.stringify(REGISTER_COUNTING)] }),
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db
    .updateTable("indicators")
    .set({ computation: "count", counting_json: JSON.stringify(SEEDED_COUNTING) })
    .where("code", "=", "sister-cities")
    .where("computation", "=", "sister_city_pairs")
    .execute();
  await db.schema.dropTable("sister_cities").execute();
}
