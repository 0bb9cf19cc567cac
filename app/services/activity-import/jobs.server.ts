// 6b. Spreadsheet imports run off the request thread: the upload is stored as a queued job and the request answers
//     at once; a small pool of worker threads reads and checks the files one job each, first come first served,
//     while this thread stores the rows they hand back a batch at a time. A job is run by the instance that
//     received it; a job whose instance stopped is failed by whoever next looks (failStaleUploadJobs).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema";
import {
  failStaleUploadJobs,
  insertImportRows,
  takeUploadBytes,
  touchUploadJobs,
  updateUploadJob,
} from "~/models/activity-import.server";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { courtesyOf } from "~/utils/give-way.server";
import { loadMatchData } from "./matchers.server";
import type { JobEvent, JobInput, LedgerEntry } from "./read-job.server";
import type { ToWorker } from "./worker.server";
import { loadRuleData } from "./rules.server";

/**
 * A worker's heap ceiling: a hostile file fails its own job instead of taking the process down. The streaming
 * reader previews a 50,000-row file within 256 MB (tests/load/import-small-heap.test.ts); IMPORT_WORKER_HEAP_MB
 * overrides it.
 */
export function importWorkerHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.IMPORT_WORKER_HEAP_MB);
  return Number.isInteger(asked) && asked >= 16 ? asked : 256;
}
const HEARTBEAT_MS = 5_000;
/** A worker that read more rows than this is not kept for the next job unless that one is queued. */
const SPARE_AFTER_ROWS = 20_000;

export function importWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.IMPORT_WORKERS);
  if (Number.isInteger(asked) && asked >= 1 && asked <= 64) return asked;
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Starts a worker: the built file beside the server build, or in tests and development the source, loaded through
 * tsx's API (Node 20 does not apply an `--import tsx` given in a worker's execArgv to the worker's own imports).
 */
function startWorker(options: { resourceLimits: { maxOldGenerationSizeMb: number } }): Worker {
  const here = import.meta.url;
  if (!/\.tsx?$/.test(new URL(here).pathname)) return new Worker(new URL("./import-worker.js", here), options);
  const source = new URL("./worker.server.ts", here).href;
  const boot = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * The bytes in an ArrayBuffer of their own, to be transferred to the worker: a driver's Buffer usually is one (a BLOB
 * read by better-sqlite3 or pg); a view of a shared buffer is copied, never handed away with the rest.
 */
function ownBuffer(bytes: Uint8Array): { bytes: Uint8Array; buffer: ArrayBuffer } {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return { bytes, buffer };
  const own = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(own).set(bytes);
  return { bytes: new Uint8Array(own), buffer: own };
}

type Job = { id: number; user: Pick<SessionUser, "id" | "organization_id" | "organization_name_zh" | "organization_name_en" | "organization_path"> };

const LEDGER_PAGE = 5_000;

/**
 * The ledger's activities in the user's units (what a row may already be), a page at a time by id: between pages
 * this thread answers other requests (it gives way as an import's steps do), where one read of a big unit's whole
 * ledger would hold it for a second.
 */
async function* ledgerPages(db: DB, organizationPath: string): AsyncGenerator<LedgerEntry[]> {
  const yieldToOthers = courtesyOf(db);
  let after = 0;
  for (;;) {
    const started = performance.now();
    const page = await db
      .selectFrom("activities as a")
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .select(["a.id", "a.import_fingerprint", "a.organization_id", "a.title", "a.start_date", "a.type"])
      .where("a.deleted_at", "is", null)
      .where("o.path", "like", `${organizationPath}%`)
      .where("a.id", ">", after)
      .orderBy("a.id")
      .limit(LEDGER_PAGE)
      .execute();
    if (page.length) yield page;
    if (page.length < LEDGER_PAGE) return;
    after = page[page.length - 1]!.id;
    await yieldToOthers(performance.now() - started);
  }
}

class ImportPool {
  private queue: Job[] = [];
  private running = new Set<number>();
  /**
   * Started workers not running a job (one that crashed is dropped). A worker's heap keeps what a big file made it
   * grow to: after a file of more than SPARE_AFTER_ROWS rows it is ended when no job waits for it, and the memory
   * given back before the import that usually follows the preview; starting a new one costs tens of ms (the built
   * worker; more from source, through tsx, which is why small jobs — tests, most uploads — keep theirs).
   */
  private spare: Worker[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private db: Kysely<Database>,
    readonly size: number,
  ) {}

  submit(job: Job): void {
    this.queue.push(job);
    this.startHeartbeat();
    this.pump();
  }

  /** Resolves when no job is queued or running (tests wait on it). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startHeartbeat() {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const ids = [...this.queue.map((j) => j.id), ...this.running];
      touchUploadJobs(this.db, ids).catch((error) => console.error("import heartbeat failed", error));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private pump() {
    while (this.running.size < this.size && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running.add(job.id);
      this.run(job)
        .catch(async (error) => {
          console.error(`import ${job.id} failed`, error);
          await this.fail(job.id, "imports.job.failed").catch(() => {});
        })
        .finally(() => {
          this.running.delete(job.id);
          this.pump();
          if (this.queue.length === 0 && this.running.size === 0) {
            if (this.heartbeat) clearInterval(this.heartbeat);
            this.heartbeat = null;
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }

  private async fail(id: number, key: string, params?: Record<string, string | number>) {
    await updateUploadJob(this.db, id, {
      state: "failed",
      refusal_json: JSON.stringify({ key, params }),
      finished_at: new Date().toISOString(),
      file_bytes: null,
    });
  }

  private async run(job: Job): Promise<void> {
    const { db } = this;
    const bytes = await takeUploadBytes(db, job.id);
    if (!bytes) return this.fail(job.id, "imports.job.interrupted");
    const [match, rules] = await Promise.all([loadMatchData(db, job.user), loadRuleData(db)]);
    await updateUploadJob(db, job.id, { state: "reading", started_at: new Date().toISOString() });
    const file = ownBuffer(bytes);
    const input: JobInput = { importId: job.id, bytes: file.bytes, match, rules, user: { organization_path: job.user.organization_path } };
    const worker = this.spare.pop() ?? startWorker({ resourceLimits: { maxOldGenerationSizeMb: importWorkerHeapMb() } });
    // an idle worker does not keep the process alive (scripts, tests); a running one does
    worker.ref();

    let stored = 0;
    let settled = false;
    // storing a batch of the worker's rows is a step on this thread: others go first between two
    const yieldToOthers = courtesyOf(db);
    let refused = false;
    await new Promise<void>((resolve, reject) => {
      // One message at a time, in order: each waits for the writes of the one before.
      let chain = Promise.resolve();
      let keep = true;
      const finish = (error?: unknown, crashed = false) => {
        if (settled) return;
        settled = true;
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (crashed || error || (!keep && this.queue.length === 0)) void worker.terminate();
        else {
          worker.unref();
          this.spare.push(worker);
        }
        if (error) reject(error);
        else resolve();
      };
      const handle = async (event: JobEvent | { type: "done" } | { type: "error"; message: string }) => {
        switch (event.type) {
          case "reading":
            return;
          case "refused":
            await updateUploadJob(db, job.id, {
              state: "failed",
              refusal_json: JSON.stringify(event.refusal),
              finished_at: new Date().toISOString(),
              file_bytes: null,
            });
            refused = true;
            // the worker's "done" follows; the worker is free once it has said so
            return;
          case "sheet":
            return updateUploadJob(db, job.id, {
              state: "checking",
              sheet_name: event.sheetName.slice(0, 100),
              header_row: event.headerRow,
              headers_json: JSON.stringify(event.headers),
              notes_json: JSON.stringify(event.notes),
              rows_estimate: event.total,
            });
          case "rows": {
            const started = performance.now();
            const { rows } = event;
            await db.transaction().execute((trx) => insertImportRows(trx, rows));
            stored += rows.length;
            await updateUploadJob(db, job.id, { rows_read: event.done });
            // the worker reads the next batch meanwhile; the one after waits for this ack
            await yieldToOthers(performance.now() - started);
            worker.postMessage({ type: "ack" });
            return;
          }
          case "done":
            keep = stored <= SPARE_AFTER_ROWS;
            if (refused) return finish();
            await updateUploadJob(db, job.id, {
              state: "ready",
              row_count: stored,
              rows_read: stored,
              finished_at: new Date().toISOString(),
              file_bytes: null,
            });
            return finish();
          case "error":
            console.error(`import ${job.id}: the worker failed: ${event.message}`);
            await this.fail(job.id, "imports.job.failed");
            return finish(undefined, true);
        }
      };
      const onMessage = (event: Parameters<typeof handle>[0]) => {
        chain = chain.then(() => handle(event)).catch((error) => finish(error, true));
      };
      // A worker that crashed or ran out of memory fails its job; the next job gets a new worker.
      const onError = (error: Error) => {
        chain = chain.then(async () => {
          if (settled) return;
          console.error(`import ${job.id}: the worker stopped`, error);
          const outOfMemory = (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
          await this.fail(job.id, outOfMemory ? "imports.job.too_big" : "imports.job.failed");
          finish(undefined, true);
        });
      };
      const onExit = () => {
        chain = chain.then(async () => {
          if (settled) return;
          await this.fail(job.id, "imports.job.failed");
          finish(undefined, true);
        });
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      const send = (message: ToWorker) => worker.postMessage(message);
      // the file's bytes move to the worker (transferred, not copied): this thread keeps no copy while it reads
      worker.postMessage({ type: "job", input } satisfies ToWorker, [file.buffer]);
      // the ledger follows the job a page at a time, read while the worker reads the file
      (async () => {
        for await (const entries of ledgerPages(db, job.user.organization_path)) {
          if (settled) return;
          send({ type: "ledger", entries });
        }
        if (!settled) send({ type: "ledger-end" });
      })().catch((error) => finish(error, true));
    });
  }
}

declare global {
  // eslint-disable-next-line no-var
  var __lmcImportPool: ImportPool | undefined;
}

/** The instance's pool, made on first use (kept on globalThis across the dev server's module reloads). */
export function importPool(db: DB): ImportPool {
  return (globalThis.__lmcImportPool ??= new ImportPool(db, importWorkerCount()));
}

export function submitImportJob(db: DB, id: number, user: Job["user"]): void {
  importPool(db).submit({ id, user });
}

/** Waits until this instance has no import left to run. */
export function importJobsIdle(db: DB): Promise<void> {
  return importPool(db).idle();
}

export { failStaleUploadJobs };
