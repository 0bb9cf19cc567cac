// Frozen: security. Sessions remember when they were last used (idle timeout); users remember their last sign-in
// (shown to administrators), when their password last changed, and whether it is a temporary one set by an
// administrator that must be replaced at the next sign-in.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("last_seen_at", "varchar(30)").execute();
  await db.schema.alterTable("users").addColumn("last_sign_in_at", "varchar(30)").execute();
  await db.schema.alterTable("users").addColumn("password_changed_at", "varchar(30)").execute();
  await db.schema
    .alterTable("users")
    .addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("must_change_password").execute();
  await db.schema.alterTable("users").dropColumn("password_changed_at").execute();
  await db.schema.alterTable("users").dropColumn("last_sign_in_at").execute();
  await db.schema.alterTable("sessions").dropColumn("last_seen_at").execute();
}
