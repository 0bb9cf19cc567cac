// What the load and fault tests share: fresh databases made by the real migrations and seed, the built server
// (bench/server.ts), sign-in, the activity form as a browser posts it, and small HTTP helpers that keep every
// status they saw.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { createDatabase } from "~/utils/db.server";
import { migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";

export { DEMO_PASSWORD, type RunningServer, signIn, startServer } from "../../bench/server";

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `lmc-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new SQLite file, migrated and seeded exactly as `npm run db:setup` does (demo ledger included). */
export async function seededDatabase(path: string, options: { demo?: boolean; demoUsers?: boolean } = {}): Promise<string> {
  const db = createDatabase(path);
  await migrateToLatest(db);
  await seed(db, options);
  await db.destroy();
  checkpoint(path);
  return path;
}

/** Folds the WAL into the main file, so that a copy of the main file alone is the whole database. */
export function checkpoint(path: string): void {
  const sqlite = new SQLite(path);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
}

/** Copies a checkpointed database (main file only) to a new path, with no WAL beside it. */
export function copyDatabase(from: string, to: string): string {
  for (const suffix of ["-wal", "-shm"]) if (existsSync(to + suffix)) rmSync(to + suffix);
  copyFileSync(from, to);
  return to;
}

/** A read-only look at a database file, the way an operator would check it after a crash. */
export function inspect<T>(path: string, fn: (sqlite: SQLite.Database) => T): T {
  const sqlite = new SQLite(path);
  try {
    return fn(sqlite);
  } finally {
    sqlite.close();
  }
}

export function integrityCheck(path: string): string {
  return inspect(path, (s) => (s.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; "));
}

export function count(path: string, sql: string, ...params: unknown[]): number {
  return inspect(path, (s) => Number((s.prepare(sql).get(...params) as { n: number }).n));
}

export function unitIdOf(path: string, code: string): number {
  return inspect(path, (s) => (s.prepare("SELECT id FROM organizations WHERE code = ?").get(code) as { id: number }).id);
}

/** The units a user may log for: their own and those below it. */
export function unitsUnder(path: string, code: string): number[] {
  return inspect(path, (s) => {
    const top = s.prepare("SELECT path FROM organizations WHERE code = ?").get(code) as { path: string };
    return (s.prepare("SELECT id FROM organizations WHERE path LIKE ? ORDER BY id").all(`${top.path}%`) as { id: number }[]).map((r) => r.id);
  });
}

/** The activity form as the browser posts it (repeated keys for the lists). */
export function activityForm(organizationId: number, values: { title: string; start?: string; version?: number; participants?: number }): URLSearchParams {
  const start = values.start ?? "2025-09-10";
  const form = new URLSearchParams({
    organization_id: String(organizationId),
    title: values.title,
    type: "outbound_visit",
    status: "completed",
    start_date: start,
    end_date: start,
    primary_plan_item: "4.2.5",
    counterpart_body: "老挝南塔省",
    location: "老挝南塔省",
    delegations_count: "1",
    participants_count: String(values.participants ?? 6),
    funding_wan: "12.5",
    funding_source: "州级财政",
    outcome: "签署农业技术合作纪要1份。",
  });
  form.append("plan_items", "5.4");
  form.append("countries", "LA");
  form.append("evidence_label", "新闻报道");
  form.append("evidence_url", "https://example.org/news/1");
  if (values.version !== undefined) form.set("version", String(values.version));
  return form;
}

export interface Answer {
  status: number;
  location: string | null;
  body: string;
}

/** One request as a browser makes it (same-origin POSTs carry Origin), redirects not followed. */
export async function request(
  baseURL: string,
  path: string,
  cookie: string,
  init: { method?: string; body?: URLSearchParams | FormData; timeoutMs?: number; readBody?: boolean } = {},
): Promise<Answer> {
  const response = await fetch(baseURL + path, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    redirect: "manual",
    headers: { Cookie: cookie, ...(init.body ? { Origin: baseURL } : {}) },
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
  });
  const body = init.readBody === false ? (await response.arrayBuffer(), "") : await response.text();
  return { status: response.status, location: response.headers.get("Location"), body };
}

/** The edit page's data, as Remix fetches it on a client-side navigation: the activity's current version. */
export async function currentVersion(baseURL: string, cookie: string, id: number): Promise<number | null> {
  const answer = await request(baseURL, `/activities/${id}/edit?_data=${encodeURIComponent("routes/activities.$id.edit")}`, cookie);
  if (answer.status !== 200) return null;
  return (JSON.parse(answer.body) as { version: number }).version;
}

/** Counts of answers by status class, and the 5xx bodies for the failure message. */
export class Tally {
  byStatus = new Map<number, number>();
  serverErrors: string[] = [];
  networkErrors: string[] = [];
  requests = 0;
  add(what: string, answer: Answer): void {
    this.requests++;
    this.byStatus.set(answer.status, (this.byStatus.get(answer.status) ?? 0) + 1);
    if (answer.status >= 500) this.serverErrors.push(`${what} → ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
  failed(what: string, error: unknown): void {
    this.requests++;
    this.networkErrors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
  summary(): string {
    return [...this.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
  }
}
