// Frozen: session ids are stored hashed (SHA-256, hex), so a copy of the database holds no session anyone can
// present. The sessions of the moment are kept: each stored id is replaced by its hash, and the cookies that
// carry the ids go on working.
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const rows: { id: string }[] = await db.selectFrom("sessions").select("id").execute();
  for (const { id } of rows) {
    await db.updateTable("sessions").set({ id: createHash("sha256").update(id).digest("hex") }).where("id", "=", id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  // A hash cannot be turned back into its id: everyone signs in again.
  await db.deleteFrom("sessions").execute();
}
