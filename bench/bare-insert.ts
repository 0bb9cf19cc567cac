// The yardstick of issue #18's import target (≤ 10× a bare insert): the rows of an upload written by hand with
// better-sqlite3 — prepared statements, one transaction, the activities and their plan item, country and evidence
// links, no history, no totals, no search index — into a fresh twin database. Shared by bench/import.bench.ts (the
// app's functions in-process) and bench/import-server.bench.ts (the built server over HTTP), so both divide by the
// same thing.
import SQLite from "better-sqlite3";
import type { DB } from "~/utils/db.server";
import { uploadRows } from "~/services/activity-import/workflow.server";
import { wanTextToFen } from "~/utils/money";

export interface BareRow {
  activity: (string | number | null)[];
  items: number[];
  countries: string[];
  evidence: string[];
}

/**
 * An upload's rows as the bare insert takes them: values already resolved (unit ids, plan item ids, country codes,
 * fen) — the import resolves them from the text, the bare insert is not charged for it.
 */
export async function bareRowsOfUpload(db: DB, uploadId: number): Promise<BareRow[]> {
  const planIds = new Map((await db.selectFrom("plan_items").select(["id", "code"]).execute()).map((p) => [p.code, p.id]));
  return (await uploadRows(db, uploadId)).map((r) => {
    const v = r.values as Record<string, string & string[]>;
    return {
      activity: [
        Number(v.organization_id), v.title.trim(), v.type, v.start_date, v.end_date, v.status, v.counterpart_body.trim(),
        v.location.trim(), v.delegations_count ? Number(v.delegations_count) : null,
        v.participants_count ? Number(v.participants_count) : null, v.funding_wan ? wanTextToFen(v.funding_wan) : null,
        v.funding_source.trim(), v.outcome.trim(),
      ],
      items: [planIds.get(v.primary_plan_item)!, ...(v.plan_items as string[]).map((c) => planIds.get(c)!)],
      countries: v.countries as string[],
      evidence: v.evidence_url as string[],
    };
  });
}

/** Writes the rows into the (migrated, seeded, otherwise idle) database at `path`; returns the milliseconds it took. */
export function bareInsert(path: string, rows: BareRow[], userId: number): number {
  const sqlite = new SQLite(path);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    const insertActivity = sqlite.prepare(
      `INSERT INTO activities (organization_id, title, type, start_date, end_date, status, counterpart_body, location,
         delegations_count, participants_count, funding_cny_fen, funding_source, outcome, version, created_by, updated_by,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    );
    const insertLink = sqlite.prepare("INSERT INTO activity_plan_items (activity_id, plan_item_id, is_primary) VALUES (?, ?, ?)");
    const insertCountry = sqlite.prepare("INSERT INTO activity_countries (activity_id, country_code) VALUES (?, ?)");
    const insertEvidence = sqlite.prepare("INSERT INTO activity_evidence (activity_id, url, label, sort_order) VALUES (?, ?, ?, ?)");
    const b0 = performance.now();
    sqlite.transaction(() => {
      const now = new Date().toISOString();
      for (const row of rows) {
        const id = Number(insertActivity.run(...row.activity, userId, userId, now, now).lastInsertRowid);
        row.items.forEach((item, i) => insertLink.run(id, item, i === 0 ? 1 : 0));
        for (const code of row.countries) insertCountry.run(id, code);
        row.evidence.forEach((url, i) => insertEvidence.run(id, url, "", i));
      }
    })();
    return performance.now() - b0;
  } finally {
    sqlite.close();
  }
}
