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
  listImportRowMessages,
  listImportRowsAfter,
  markReadyRowsImported,
  pruneExpiredUploads,
  saveImportResult,
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
import type { ImportMode, ImportOutcome } from "~/schemas/activity-import";
import type { ImportRowTable } from "../../../db/schema";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { courtesyOf, holdingRequest } from "~/utils/give-way.server";
import { waitForApprovals } from "~/services/freeze.server";
import type { ImportResult } from "./preview-types";
import { RowChecker, markPresent } from "./check.server";
import { submitImportJob } from "./jobs.server";
import type { StoredHeaders } from "./read-job.server";
import type { ImportRow } from "./row.server";
import {
  type StagedCheck,
  type StagedFinding,
  fingerprintsChangedSince,
  loadRuleData,
  presentFingerprints,
  recheckStaged,
} from "./rules.server";
import { type StoredMessages, fromStoredRow, rowOutcome } from "./stored-rows.server";

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

/**
 * How big a step is (docs/decisions/022-imports-staged-in-short-transactions.md): each step reads a batch of rows,
 * checks them and stages them in one short transaction, holding SQLite's one writer and the event loop. A step has
 * at least IMPORT_CHUNK_ROWS rows (a few tens of milliseconds on an idle machine); when it took less than
 * STEP_BUDGET_MS the next one takes more, up to STEP_ROWS_MAX, so an idle machine runs fewer, larger steps. A busy
 * machine keeps the floor: smaller steps would cost more than they spare others (each step reads the plan and
 * the import's rows again).
 */
export const IMPORT_CHUNK_ROWS = 250;
export const STEP_BUDGET_MS = 40;
const STEP_ROWS_MIN = IMPORT_CHUNK_ROWS;
const STEP_ROWS_MAX = 1000;

/** The rows of the next step, after a step of `rows` rows took `ms` (growing at most twofold a step). */
export function nextStepRows(rows: number, ms: number): number {
  const fitted = Math.round((rows * STEP_BUDGET_MS) / Math.max(ms, 1));
  return Math.max(STEP_ROWS_MIN, Math.min(STEP_ROWS_MAX, 2 * rows, fitted));
}

/**
 * How long an import waits for another one to finish before it gives up ("busy"), and how often it asks: rarely
 * enough that the running import's pauses (courtesyOf) are not stretched by those asking.
 */
const LOCK_WAIT_MS = 120_000;
const LOCK_POLL_MS = 250;

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
  return holdingRequest(() => importUnderLock(db, user, upload, headers, mode));
}

async function importUnderLock(
  db: DB,
  user: SessionUser,
  upload: NonNullable<Awaited<ReturnType<typeof getUploadOf>>>,
  headers: StoredHeaders,
  mode: ImportMode,
): Promise<ImportOutcomeResult> {
  const lock = await takeImportLock(db, upload.id);
  if (!lock) return { status: "busy" };
  try {
    // what an import that died left staged (only the holder of the lock stages)
    await removeStagedActivities(db, null);
    const result = await writeImport(db, user, upload.id, headers, mode, lock, upload.started_at ?? upload.created_at);
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

/** What the import keeps of a row while it works: never its cells and values (an import holds tens of thousands). */
interface KeptRow {
  row: number;
  /** its status at preview, and now */
  previewed: ImportOutcome;
  outcome: ImportOutcome;
  /** its new outcome and messages, for a row whose status changed since the preview (few) */
  changed?: Pick<ImportRowTable, "outcome" | "messages_json">;
  /** what the last step found changed since the row was staged */
  finding?: StagedFinding;
}

/** A row staged, as the last step checks it again. */
interface StagedRow extends StagedActivity {
  kept: KeptRow;
  check: StagedCheck;
}

/** A batch's rows, checked: the kept records, and the activities of the ready ones. */
function checkBatch(
  batch: ImportRowTable[],
  checker: RowChecker,
): { kept: KeptRow[]; ready: { kept: KeptRow; row: ImportRow | ImportRowTable; input: ActivityInput; fingerprint: string }[]; read: [ImportRow, KeptRow][] } {
  const kept: KeptRow[] = [];
  const ready: { kept: KeptRow; row: ImportRow | ImportRowTable; input: ActivityInput; fingerprint: string }[] = [];
  // rows read again in full: they were not ready at preview, were previewed before the activities were kept, or
  // something the database holds changed their verdict
  const read: [ImportRow, KeptRow][] = [];
  for (const stored of batch) {
    const k: KeptRow = { row: stored.sheet_row, previewed: stored.status, outcome: stored.status };
    kept.push(k);
    if (stored.status === "ready" && stored.input_json && stored.fingerprint) {
      const input = JSON.parse(stored.input_json) as ActivityInput;
      if (checker.stillReady(stored.sheet_row, stored.fingerprint, input)) {
        ready.push({ kept: k, row: stored, input, fingerprint: stored.fingerprint });
        continue;
      }
    }
    const row = fromStoredRow(stored);
    const input = checker.check(row);
    k.outcome = row.outcome;
    read.push([row, k]);
    if (input) ready.push({ kept: k, row, input, fingerprint: row.fingerprint! });
  }
  return { kept, ready, read };
}

function changedMessages(row: ImportRow): Pick<ImportRowTable, "outcome" | "messages_json"> {
  return { outcome: rowOutcome(row), messages_json: JSON.stringify({ parse: row.parse, rules: row.rules } satisfies StoredMessages) };
}

const minuteBefore = (iso: string) => new Date(new Date(iso).getTime() - 60_000).toISOString();

async function writeImport(
  db: DB,
  user: SessionUser,
  uploadId: number,
  headers: StoredHeaders,
  mode: ImportMode,
  lock: ImportLock,
  // when the preview's job read the ledger to compare the rows with
  previewedAt: string,
): Promise<ImportResult> {
  const { fields } = headers;
  // Saves by others from here on are checked again at the end; a minute earlier covers another instance's clock.
  const since = minuteBefore(new Date().toISOString());
  // A row ready at preview was compared with the whole ledger then: only what was saved since can be its copy now.
  // (Comparing every batch with the ledger on its dates again read tens of thousands of rows per batch once the
  // ledger held an earlier import.)
  const savedSincePreview = await fingerprintsChangedSince(db, minuteBefore(previewedAt));

  // 1. A batch of rows at a time, read from import_rows, checked against the database (reads only; the event loop
  //    answers others between batches), then staged in one short transaction: invisible to everyone until step 2.
  //    What the rules read of the plan, units, approvals and register is read once: step 2 checks again what may
  //    have changed. Of each row only a small record is kept.
  const checker = new RowChecker(await loadRuleData(db), user, fields);
  const rows: KeptRow[] = [];
  const staged: StagedRow[] = [];
  const totals: TotalsDelta = emptyTotalsDelta();
  let errorRows = 0;
  let stepRows = IMPORT_CHUNK_ROWS;
  const yieldToOthers = courtesyOf(db);
  for (let after = 0, more = true; more; ) {
    const stepStarted = performance.now();
    const batch = await listImportRowsAfter(db, uploadId, "all", after, stepRows);
    if (batch.length === 0) break;
    more = batch.length === stepRows;
    after = batch[batch.length - 1]!.sheet_row;
    if (!(await renewImportLock(db, lock))) throw new LockLost();
    const { kept, ready, read } = checkBatch(batch, checker);
    rows.push(...kept);
    // rows now in the ledger: saved since the preview, or, for the rows read again, anything the ledger holds
    const readAgain = ready.filter((r) => "raw" in r.row);
    const presentOfRead = readAgain.length > 0 ? await presentFingerprints(db, readAgain) : new Set<string>();
    const present = { has: (fingerprint: string) => presentOfRead.has(fingerprint) || savedSincePreview.has(fingerprint) };
    const going = ready.filter((r) => {
      if (!present.has(r.fingerprint)) return true;
      const row = "raw" in r.row ? r.row : fromStoredRow(r.row);
      markPresent(row, present, fields);
      r.kept.outcome = row.outcome;
      r.kept.changed = changedMessages(row);
      return false;
    });
    for (const [row, k] of read) {
      // a repeat of a row now present is present too
      if (row.outcome === "repeated") markPresent(row, present, fields);
      k.outcome = row.outcome;
      k.changed = row.outcome !== k.previewed ? changedMessages(row) : undefined;
    }
    errorRows += kept.filter((k) => k.outcome === "error").length;
    // mode "all" stops writing at the first error, and counts them all (reading on without pauses: nothing is held)
    if (mode === "all" && errorRows > 0) continue;
    if (going.length > 0) {
      const written = await db.transaction().execute(async (trx) => {
        if (!(await renewImportLock(trx, lock))) throw new LockLost();
        return stageActivities(
          trx,
          uploadId,
          going.map((r) => ({ input: r.input, fingerprint: r.fingerprint })),
          user.id,
          totals,
          // their history entries now: the last step then only makes them live
          { action: "activity.import" },
        );
      });
      written.forEach((w, i) => {
        const { kept: k, input, fingerprint } = going[i]!;
        const check = { organizationId: input.organizationId, startDate: input.startDate, planItemIds: [input.primaryPlanItemId, ...input.otherPlanItemIds], fingerprint };
        staged.push({ ...w, kept: k, check });
      });
    }
    const stepMs = performance.now() - stepStarted;
    stepRows = nextStepRows(batch.length, stepMs);
    await yieldToOthers(stepMs);
  }
  if (mode === "all" && errorRows > 0) throw new HasErrors(errorRows);

  // 2. One short transaction: checked again, live at once, with their totals (their history was written with them).
  const result = await db.transaction().execute(async (trx) => {
    await waitForApprovals(trx);
    if (!(await renewImportLock(trx, lock))) throw new LockLost();
    const findings = await recheckStaged(trx, user, staged.map((s) => s.check), since);
    const dropped: number[] = [];
    let newErrors = 0;
    findings.forEach((finding, i) => {
      if (!finding) return;
      const { kept, id } = staged[i]!;
      dropped.push(id);
      kept.finding = finding;
      if ("present" in finding) kept.outcome = "present";
      else {
        kept.outcome = "error";
        newErrors++;
      }
    });
    if (mode === "all" && newErrors > 0) throw new HasErrors(newErrors);
    const dropping = new Set(dropped);
    const going = staged.filter((s) => !dropping.has(s.id));
    await discardStagedActivities(trx, dropped, totals);
    await publishStagedActivities(trx, uploadId, going, user.id, { action: "activity.import", totals });
    for (const s of going) s.kept.outcome = "imported";
    const result: ImportResult = {
      created: going.length,
      present: rows.filter((r) => r.outcome === "present").length,
      repeated: rows.filter((r) => r.outcome === "repeated").length,
      skippedErrors: rows.filter((r) => r.outcome === "error").length,
    };
    return result;
  });
  // What the preview shows afterwards, outside the last step and in short steps: the rows are in whether or not
  // this is saved (an upload imported again finds them present).
  try {
    await keepImportOutcome(db, uploadId, fields, rows, result);
  } catch (error) {
    console.error("import done, but its result could not be kept for the preview", error);
  }
  return result;
}

/** Rows whose status the preview shows, set per short transaction. */
const OUTCOME_CHUNK_ROWS = 2000;

/**
 * The import's outcome as the preview shows it afterwards: the rows found changed since the preview (now in the
 * ledger, now refused by a report approved meanwhile) with their new messages, every other ready row imported, and
 * the counts. A short transaction per chunk of rows.
 */
async function keepImportOutcome(
  db: DB,
  uploadId: number,
  fields: StoredHeaders["fields"],
  rows: KeptRow[],
  result: ImportResult,
): Promise<void> {
  const changed = rows.filter((r) => r.outcome !== r.previewed && !(r.outcome === "imported" && r.previewed === "ready"));
  const yieldToOthers = courtesyOf(db);
  for (let i = 0; i < changed.length; i += IMPORT_CHUNK_ROWS) {
    const stepStarted = performance.now();
    const chunk = changed.slice(i, i + IMPORT_CHUNK_ROWS);
    await db.transaction().execute(async (trx) => {
      const found = chunk.filter((r) => r.finding && !r.changed).map((r) => r.row);
      const stored = new Map((await listImportRowMessages(trx, uploadId, found)).map((r) => [r.sheet_row, r.messages_json]));
      await updateImportRows(
        trx,
        uploadId,
        chunk.map((r) => {
          const base = r.changed ?? { outcome: "ok" as const, messages_json: stored.get(r.row)! };
          if (!r.finding) return { sheet_row: r.row, status: r.outcome, ...base };
          const messages = JSON.parse(base.messages_json) as StoredMessages;
          // a row no longer going in registers no body: its "will be registered" notes would mislead
          messages.rules.warnings = messages.rules.warnings.filter((w) => !w.key.startsWith("imports.warn.counterpart_new"));
          if ("present" in r.finding) messages.rules.warnings.push({ field: "title", column: fields.title ?? null, key: "imports.warn.present" });
          else messages.rules.errors.push({ field: r.finding.field, column: fields[r.finding.field] ?? null, key: r.finding.key });
          const outcome = rowOutcome({ outcome: r.outcome, ...messages });
          return { sheet_row: r.row, status: r.outcome, outcome, messages_json: JSON.stringify(messages) };
        }),
      );
    });
    await yieldToOthers(performance.now() - stepStarted);
  }
  // every other row ready at preview went in
  const last = rows.length > 0 ? rows[rows.length - 1]!.row : 0;
  for (let from = 0; from <= last; from += OUTCOME_CHUNK_ROWS) {
    const stepStarted = performance.now();
    await db.transaction().execute((trx) => markReadyRowsImported(trx, uploadId, from, from + OUTCOME_CHUNK_ROWS - 1));
    // the chunks right after the last step ran back to back, holding others up for a third of a second more
    await yieldToOthers(performance.now() - stepStarted);
  }
  await db.transaction().execute((trx) => saveImportResult(trx, uploadId, { result_json: JSON.stringify(result) }));
}
