// Frozen: the foundation schema. Later changes go in new migration files.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from "kysely";

// SQLite wants INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL an identity column: the one dialect difference here.
let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("plan_items")
    .addColumn("id", "integer", idColumn)
    .addColumn("code", "varchar(20)", (c) => c.notNull().unique())
    .addColumn("parent_id", "integer", (c) => c.references("plan_items.id"))
    .addColumn("path", "varchar(200)", (c) => c.notNull())
    .addColumn("depth", "integer", (c) => c.notNull())
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("title_zh", "varchar(200)", (c) => c.notNull())
    .addColumn("title_en", "varchar(300)", (c) => c.notNull())
    .addColumn("title_en_official", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("text_zh", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("text_en", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("loggable", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("plan_items_path_idx").on("plan_items").column("path").execute();

  await db.schema
    .createTable("priority_areas")
    .addColumn("id", "integer", idColumn)
    .addColumn("code", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("name_zh", "varchar(100)", (c) => c.notNull())
    .addColumn("name_en", "varchar(200)", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("plan_item_priority_areas")
    .addColumn("plan_item_id", "integer", (c) => c.notNull().references("plan_items.id"))
    .addColumn("priority_area_id", "integer", (c) => c.notNull().references("priority_areas.id"))
    .addPrimaryKeyConstraint("plan_item_priority_areas_pk", ["plan_item_id", "priority_area_id"])
    .execute();

  await db.schema
    .createTable("organizations")
    .addColumn("id", "integer", idColumn)
    .addColumn("code", "varchar(60)", (c) => c.notNull().unique())
    .addColumn("parent_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("path", "varchar(200)", (c) => c.notNull())
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("name_zh", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(300)", (c) => c.notNull())
    .addColumn("country_code", "varchar(2)", (c) => c.notNull())
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("organizations_path_idx").on("organizations").column("path").execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "integer", idColumn)
    .addColumn("username", "varchar(60)", (c) => c.notNull().unique())
    .addColumn("display_name", "varchar(100)", (c) => c.notNull())
    .addColumn("password_hash", "varchar(300)", (c) => c.notNull())
    .addColumn("role", "varchar(20)", (c) => c.notNull())
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("locale", "varchar(10)", (c) => c.notNull().defaultTo("zh-CN"))
    .addColumn("disabled_at", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "varchar(64)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("login_attempts")
    .addColumn("id", "integer", idColumn)
    .addColumn("key", "varchar(120)", (c) => c.notNull())
    .addColumn("attempted_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("login_attempts_key_idx")
    .on("login_attempts")
    .columns(["key", "attempted_at"])
    .execute();

  await db.schema
    .createTable("activities")
    .addColumn("id", "integer", idColumn)
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("type", "varchar(30)", (c) => c.notNull())
    .addColumn("start_date", "varchar(10)", (c) => c.notNull())
    .addColumn("end_date", "varchar(10)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("counterpart_body", "varchar(300)", (c) => c.notNull().defaultTo(""))
    .addColumn("location", "varchar(200)", (c) => c.notNull().defaultTo(""))
    .addColumn("delegations_count", "integer")
    .addColumn("participants_count", "integer")
    .addColumn("funding_cny_fen", "bigint")
    .addColumn("funding_source", "varchar(200)", (c) => c.notNull().defaultTo(""))
    .addColumn("outcome", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("seed_key", "varchar(80)", (c) => c.unique())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("deleted_at", "varchar(30)")
    .addColumn("deleted_by", "integer", (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("activities_org_idx").on("activities").column("organization_id").execute();
  await db.schema.createIndex("activities_start_idx").on("activities").column("start_date").execute();

  await db.schema
    .createTable("activity_plan_items")
    .addColumn("activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("plan_item_id", "integer", (c) => c.notNull().references("plan_items.id"))
    .addColumn("is_primary", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("activity_plan_items_pk", ["activity_id", "plan_item_id"])
    .execute();
  await db.schema
    .createIndex("activity_plan_items_item_idx")
    .on("activity_plan_items")
    .column("plan_item_id")
    .execute();

  await db.schema
    .createTable("activity_countries")
    .addColumn("activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("country_code", "varchar(2)", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_countries_pk", ["activity_id", "country_code"])
    .execute();
  await db.schema
    .createIndex("activity_countries_country_idx")
    .on("activity_countries")
    .column("country_code")
    .execute();

  await db.schema
    .createTable("activity_evidence")
    .addColumn("id", "integer", idColumn)
    .addColumn("activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("url", "varchar(2000)", (c) => c.notNull())
    .addColumn("label", "varchar(200)", (c) => c.notNull().defaultTo(""))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("activity_evidence_activity_idx")
    .on("activity_evidence")
    .column("activity_id")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", idColumn)
    .addColumn("at", "varchar(30)", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("action", "varchar(60)", (c) => c.notNull())
    .addColumn("entity_type", "varchar(40)", (c) => c.notNull())
    .addColumn("entity_id", "integer")
    .addColumn("changes_json", "text", (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema
    .createIndex("audit_log_entity_idx")
    .on("audit_log")
    .columns(["entity_type", "entity_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "audit_log",
    "activity_evidence",
    "activity_countries",
    "activity_plan_items",
    "activities",
    "login_attempts",
    "sessions",
    "users",
    "organizations",
    "plan_item_priority_areas",
    "priority_areas",
    "plan_items",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
