// Frozen: two indexes of activities that an import wrote for nothing (docs/decisions/022-imports-staged-in-short-
// transactions.md, addendum of 2026-12-12). activities_org_idx (organization_id) is a prefix of
// activities_org_status_start_idx and activities_org_status_end_idx, which serve every lookup by unit (and the
// foreign key's checks) as well: dropped. activities_import_pending_idx held an entry for every activity, nearly all
// NULL, so making an import's rows live moved each one into that long run of NULLs: it now holds the staged rows
// only (WHERE import_pending IS NOT NULL), and going live takes them out. Every reader of it asks for a given upload
// or for any staged row (= ?, IS NOT NULL), which both databases match to such a partial index.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activities_org_idx").execute();
  await db.schema.dropIndex("activities_import_pending_idx").execute();
  await db.schema
    .createIndex("activities_import_pending_idx")
    .on("activities")
    .column("import_pending")
    .where("import_pending", "is not", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activities_import_pending_idx").execute();
  await db.schema.createIndex("activities_import_pending_idx").on("activities").column("import_pending").execute();
  await db.schema.createIndex("activities_org_idx").on("activities").column("organization_id").execute();
}
