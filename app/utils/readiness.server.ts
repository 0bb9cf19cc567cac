// Is this instance ready to serve? The database answers, and every migration of this release is applied. /healthz
// says the process is alive; /readyz (this) says a load balancer may send it requests, and the server checks it at
// start to explain what is wrong in one sentence instead of failing on the first request.
import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { DB } from "./db.server";
import { pingDatabase } from "./db.server";

export type Readiness = { ready: true } | { ready: false; problem: "database" | "schema"; detail: string; pending?: string[] };

// The migrations this release brings: the files of db/migrations (not bundled, so read from the checkout the server
// runs from; the build sits beside it).
function migrationsDir(): string | null {
  const candidates = [resolve(process.cwd(), "db/migrations")];
  try {
    candidates.push(fileURLToPath(new URL("../db/migrations", import.meta.url)));
  } catch {
    // not a file URL (bundled differently): the working directory is the only candidate
  }
  return candidates.find((dir) => existsSync(dir)) ?? null;
}

export function releaseMigrations(): string[] {
  const dir = migrationsDir();
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => /\.ts$/.test(f) && !f.endsWith(".test.ts"))
    .map((f) => f.replace(/\.ts$/, ""))
    .sort();
}

async function appliedMigrations(database: DB): Promise<Set<string>> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(database);
    return new Set(rows.map((r) => r.name));
  } catch {
    return new Set(); // no migration table yet: nothing applied
  }
}

/** A database error in words an operator can act on, without a stack trace. */
export function describeDatabaseError(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: { code?: string; address?: string; port?: number }[] };
  const code = e?.code ?? e?.errors?.[0]?.code;
  const target = e?.errors?.[0]?.address ? ` at ${e.errors[0].address}:${e.errors[0].port}` : "";
  switch (code) {
    case "ECONNREFUSED":
      return `the database server refused the connection${target}: is PostgreSQL running, and are host and port in DATABASE_URL right?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the database host in DATABASE_URL was not found (a password with @, / or # must be percent-encoded)";
    case "ETIMEDOUT":
      return "the database server did not answer in time (host, port or a firewall in between)";
    case "28P01":
      return "the database refused the password of the user in DATABASE_URL";
    case "28000":
      return "the database refused the user in DATABASE_URL (no such role, or pg_hba.conf does not allow it)";
    case "3D000":
      return "the database named in DATABASE_URL does not exist (create it first, see README)";
    case "SQLITE_CANTOPEN":
      return "the SQLite file (DATABASE_PATH) cannot be opened: check the path and its permissions";
    default:
      return `the database cannot be used: ${(e?.message ?? String(error)).split("\n")[0]}`;
  }
}

export async function readiness(database: DB): Promise<Readiness> {
  try {
    await pingDatabase(database);
  } catch (error) {
    return { ready: false, problem: "database", detail: describeDatabaseError(error) };
  }
  const applied = await appliedMigrations(database);
  const pending = releaseMigrations().filter((name) => !applied.has(name));
  if (pending.length) {
    return {
      ready: false,
      problem: "schema",
      detail: `${pending.length} migration(s) not applied: run \`npm run db:migrate\``,
      pending,
    };
  }
  return { ready: true };
}
