// Every change to the data writes one row here, in the same transaction as the change itself.
import type { DB } from "~/utils/db.server";

export type AuditChanges = Record<string, unknown>;

export async function writeAudit(
  db: DB,
  entry: { userId: number | null; action: string; entityType: string; entityId: number | null; changes?: AuditChanges },
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: new Date().toISOString(),
      user_id: entry.userId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      changes_json: JSON.stringify(entry.changes ?? {}),
    })
    .execute();
}

export async function listAuditForEntity(db: DB, entityType: string, entityId: number) {
  const rows = await db
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.user_id")
    .select([
      "audit_log.id",
      "audit_log.at",
      "audit_log.action",
      "audit_log.changes_json",
      "users.display_name as user_name",
    ])
    .where("audit_log.entity_type", "=", entityType)
    .where("audit_log.entity_id", "=", entityId)
    .orderBy("audit_log.id", "desc")
    .execute();
  return rows.map(({ changes_json, ...row }) => ({ ...row, changes: JSON.parse(changes_json) as AuditChanges }));
}

/** The fields whose values differ, as { field: [before, after] }. Arrays compare by content. */
export function diffFields<T extends Record<string, unknown>>(before: T, after: T): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = [before[key], after[key]];
  }
  return changes;
}

/** The sign-in trail (auth.*: sign-ins, failures, throttled tries, sign-outs), newest first, for administrators. */
export async function listAuthEvents(db: DB, limit = 100) {
  const rows = await db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.entity_id")
    .select(["a.id", "a.at", "a.action", "a.changes_json", "u.username"])
    .where("a.action", "like", "auth.%")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();
  return rows.map(({ changes_json, ...row }) => {
    const changes = JSON.parse(changes_json) as { username?: unknown; address?: unknown };
    return {
      ...row,
      // a failed sign-in names what was typed, which may be no account at all
      username: row.username ?? (typeof changes.username === "string" ? changes.username : null),
      address: typeof changes.address === "string" ? changes.address : null,
    };
  });
}
