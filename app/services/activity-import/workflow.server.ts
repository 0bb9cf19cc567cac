// Spreadsheet import of activities: a hand-kept ledger in, a preview out, then the import. The steps, one file
// each in this folder: 1. the file itself (file-guard), 2. the sheet (workbook, sheet: header row, columns, rows,
// read as a stream), 3. the values, read the forgiving way (app/domain/values.ts, shared with the activity form;
// plan items and units in matchers), 4. a row (row: the activity form's values and what was found on the way),
// 5. the database's rules (check: plain, rules: what they read), 6. upload, preview, import (here; the upload is a
// job run by a worker thread: jobs, read-job, worker), 7. what the preview page shows (preview).
//
// 6. Upload, preview, import: the upload waits as a job (jobs.server.ts) whose checked rows fill import_rows; the
//    import re-checks them against the database, stages them in short transactions and makes them live at once.
import { createHash } from "node:crypto";
import {
  createUploadJob,
  getUploadOf,
  importRowBatches,
  pruneExpiredUploads,
  saveImportResult,
  setImportRowStatuses,
  updateImportRows,
  type UploadRow,
} from "~/models/activity-import.server";
import {
  type StagedActivity,
  discardStagedActivities,
  publishStagedActivities,
  removeStagedActivities,
  stageActivities,
} from "~/models/activity-batch.server";
import type { ActivityInput } from "~/models/activity.server";
import { type TotalsDelta, emptyTotalsDelta } from "~/models/activity-totals.server";
import { type ImportLock, releaseImportLock, renewImportLock, tryTakeImportLock } from "~/models/import-lock.server";
import type { ImportMode } from "~/schemas/activity-import";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { waitForApprovals } from "~/services/freeze.server";
import type { ImportResult } from "./preview-types";
import { RowChecker } from "./check.server";
import { submitImportJob } from "./jobs.server";
import type { StoredHeaders } from "./read-job.server";
import type { ImportRow } from "./row.server";
import { type StagedCheck, applyRules, loadRuleData, recheckStaged } from "./rules.server";
import { fromStoredRow, toStoredRow } from "./stored-rows.server";

export type { StoredHeaders };

/**
 * Keeps an uploaded file as a queued job and hands it to this instance's worker pool; answers at once. The job
 * reads and checks every row (the page shows how far it got); nothing is written to the ledger.
 */
export async function enqueueUpload(db: DB, user: SessionUser, file: { name: string; bytes: Buffer }): Promise<number> {
  await pruneExpiredUploads(db);
  const id = await createUploadJob(db, {
    user_id: user.id,
    file_name: file.name.slice(0, 255),
    file_sha256: createHash("sha256").update(file.bytes).digest("hex"),
    file_size_bytes: file.bytes.length,
    file_bytes: file.bytes,
  });
  submitImportJob(db, id, user);
  return id;
}

/** An upload's checked rows, in sheet order, read from import_rows in batches. */
export async function uploadRows(db: DB, uploadId: number): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for await (const batch of importRowBatches(db, uploadId, "all")) for (const r of batch) rows.push(fromStoredRow(r));
  return rows;
}

export function uploadHeaders(upload: Pick<UploadRow, "headers_json">): StoredHeaders {
  return JSON.parse(upload.headers_json) as StoredHeaders;
}

export type { ImportResult };

export type ImportOutcomeResult =
  | { status: "ok"; result: ImportResult }
  | { status: "not_found" }
  | { status: "not_ready" }
  | { status: "has_errors"; errors: number }
  | { status: "busy" }
  | { status: "failed" };

class HasErrors extends Error {
  constructor(readonly count: number) {
    super("has errors");
  }
}

class LockLost extends Error {
  constructor() {
    super("the import lock was taken over");
  }
}

/** Rows checked, and staged, per short step: each step holds SQLite's one writer for a few tens of milliseconds. */
export const IMPORT_CHUNK_ROWS = 1000;
/** Rows checked between two turns of the event loop: the form's rules cost a fraction of a millisecond a row. */
const CHECK_CHUNK_ROWS = 250;
/** How long an import waits for another one to finish before it gives up ("busy"). */
const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 100;

/** Lets the requests waiting behind a step run before the next step (the event loop, SQLite's one connection). */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

async function takeImportLock(db: DB, uploadId: number): Promise<ImportLock | null> {
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const lock = await tryTakeImportLock(db, uploadId);
    if (lock) return lock;
    if (Date.now() > until) return null;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/**
 * Imports an upload's rows: all of them (refused while any row has a blocking error) or only the valid ones.
 * All or nothing, without holding the database for long (docs/decisions/022-imports-staged-in-short-
 * transactions.md): one import at a time takes the import lock; the rows are checked against the database a chunk
 * at a time, then written a chunk per short transaction as staged rows nobody sees; one last short transaction
 * checks again what others may have changed meanwhile and makes them all live at once, with their totals and
 * history entries. Any failure removes what was staged, and writes nothing else.
 */
export async function importUpload(
  db: DB,
  user: SessionUser,
  uploadId: number,
  mode: ImportMode,
): Promise<ImportOutcomeResult> {
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return { status: "not_found" };
  if (upload.state !== "ready" && upload.state !== "imported") return { status: "not_ready" };
  const headers = uploadHeaders(upload);
  const rows = await uploadRows(db, upload.id);
  const lock = await takeImportLock(db, upload.id);
  if (!lock) return { status: "busy" };
  try {
    // what an import that died left staged (only the holder of the lock stages)
    await removeStagedActivities(db, null);
    const result = await writeImport(db, user, upload.id, headers, rows, mode, lock);
    return { status: "ok", result };
  } catch (error) {
    try {
      await removeStagedActivities(db, upload.id);
    } catch (cleanup) {
      // the next import (or this one retried) removes them: they are invisible meanwhile
      console.error("import failed, and its staged rows could not be removed yet", cleanup);
    }
    if (error instanceof HasErrors) return { status: "has_errors", errors: error.count };
    console.error("import failed; nothing was written", error);
    return { status: "failed" };
  } finally {
    await releaseImportLock(db, lock).catch((error) => console.error("import lock not released", error));
  }
}

async function writeImport(
  db: DB,
  user: SessionUser,
  uploadId: number,
  headers: StoredHeaders,
  rows: ImportRow[],
  mode: ImportMode,
  lock: ImportLock,
): Promise<ImportResult> {
  const { fields } = headers;
  const previewed = rows.map((r) => r.outcome);
  // Saves by others from here on are checked again at the end; a minute earlier covers another instance's clock.
  const since = new Date(Date.now() - 60_000).toISOString();

  // 1. The rules, a small chunk at a time (reads only; the event loop answers others between chunks). What they
  //    read of the plan, units, approvals and register is read once: step 3 checks again what may have changed.
  const checker = new RowChecker(await loadRuleData(db), user, fields);
  const ready: { index: number; input: ActivityInput }[] = [];
  for (let start = 0; start < rows.length; start += CHECK_CHUNK_ROWS) {
    if (!(await renewImportLock(db, lock))) throw new LockLost();
    const inputs = await applyRules(db, user, fields, rows.slice(start, start + CHECK_CHUNK_ROWS), checker);
    for (const [i, input] of [...inputs.entries()].sort((a, b) => a[0] - b[0])) ready.push({ index: start + i, input });
    await yieldToOthers();
  }
  const errorRows = rows.filter((r) => r.outcome === "error").length;
  if (mode === "all" && errorRows > 0) throw new HasErrors(errorRows);

  // 2. Staged, a chunk per transaction: invisible to everyone until step 3.
  // only what the last step needs of each staged row (an import holds tens of thousands)
  const staged: (StagedActivity & { index: number; check: StagedCheck })[] = [];
  const totals: TotalsDelta = emptyTotalsDelta();
  while (ready.length > 0) {
    // taken off the list as they are written: an import holds tens of thousands of inputs
    const chunk = ready.splice(0, IMPORT_CHUNK_ROWS);
    const written = await db.transaction().execute(async (trx) => {
      if (!(await renewImportLock(trx, lock))) throw new LockLost();
      return stageActivities(
        trx,
        uploadId,
        chunk.map(({ index, input }) => ({ input, fingerprint: rows[index]!.fingerprint })),
        user.id,
        totals,
      );
    });
    written.forEach((w, i) => {
      const { index, input } = chunk[i]!;
      const check = {
        organizationId: input.organizationId,
        startDate: input.startDate,
        planItemIds: [input.primaryPlanItemId, ...input.otherPlanItemIds],
        fingerprint: rows[index]!.fingerprint!,
      };
      staged.push({ ...w, index, check });
    });
    await yieldToOthers();
  }

  // 3. One short transaction: checked again, live at once, with their totals and history.
  const result = await db.transaction().execute(async (trx) => {
    await waitForApprovals(trx);
    if (!(await renewImportLock(trx, lock))) throw new LockLost();
    const findings = await recheckStaged(trx, user, staged.map((s) => s.check), since);
    const dropped: number[] = [];
    let newErrors = 0;
    findings.forEach((finding, i) => {
      if (!finding) return;
      const { index, id } = staged[i]!;
      const row = rows[index]!;
      dropped.push(id);
      // a row no longer going in registers no body: its "will be registered" notes would mislead
      row.rules.warnings = row.rules.warnings.filter((w) => !w.key.startsWith("imports.warn.counterpart_new"));
      if ("present" in finding) {
        row.outcome = "present";
        row.rules.warnings.push({ field: "title", column: fields.title ?? null, key: "imports.warn.present" });
      } else {
        row.outcome = "error";
        row.rules.errors.push({ field: finding.field, column: fields[finding.field] ?? null, key: finding.key });
        newErrors++;
      }
    });
    if (mode === "all" && newErrors > 0) throw new HasErrors(newErrors);
    const dropping = new Set(dropped);
    const going = staged.filter((s) => !dropping.has(s.id));
    await discardStagedActivities(trx, dropped, totals);
    await publishStagedActivities(trx, uploadId, going, user.id, { action: "activity.import", totals });
    for (const { index } of going) rows[index]!.outcome = "imported";
    const result: ImportResult = {
      created: going.length,
      present: rows.filter((r) => r.outcome === "present").length,
      repeated: rows.filter((r) => r.outcome === "repeated").length,
      skippedErrors: rows.filter((r) => r.outcome === "error").length,
    };
    return result;
  });
  // What the preview shows afterwards, outside the last step: the rows are in whether or not this is saved (an
  // upload imported again finds them present).
  try {
    await db.transaction().execute(async (trx) => {
      // the rows imported, and the few found changed since the preview (now in the ledger, now refused by a report
      // approved meanwhile), with their new messages
      const imported = rows.filter((r) => r.outcome === "imported").map((r) => r.row);
      await setImportRowStatuses(trx, uploadId, imported, "imported");
      const changed = rows.filter((r, i) => r.outcome !== previewed[i] && r.outcome !== "imported");
      await updateImportRows(trx, uploadId, changed.map((r) => toStoredRow(uploadId, headers, r)));
      await saveImportResult(trx, uploadId, { result_json: JSON.stringify(result) });
    });
  } catch (error) {
    console.error("import done, but its result could not be kept for the preview", error);
  }
  return result;
}
