// The worker thread of a spreadsheet import (jobs.server.ts starts one per job): runs readAndCheck on the job it is
// handed and posts what it finds; a batch of rows is read while the main thread stores the one before, no further ahead.
// Built by `npm run build` into build/import-worker.js; run from source through tsx in tests and development.
import { parentPort } from "node:worker_threads";
import { lowerThisThreadPriority } from "~/utils/thread-priority.server";
import { type JobEvent, type JobInput, type LedgerEntry, LedgerFingerprints, readAndCheck } from "./read-job.server";

if (!parentPort) throw new Error("worker.server.ts runs as a worker thread");
const port = parentPort;
// reading a file is never more urgent than answering a request
lowerThisThreadPriority();

// Batches posted and not yet stored by the main thread. One may wait there while the next is read and checked here
// (the two threads overlap), never more: the main thread's memory holds at most two batches of a file.
const AHEAD = 2;
let inFlight = 0;
let stored: (() => void) | null = null;
let ledger = new LedgerFingerprints();
export type ToWorker = { type: "job"; input: JobInput } | { type: "ledger"; entries: LedgerEntry[] } | { type: "ledger-end" } | { type: "ack" };
port.on("message", (message: ToWorker) => {
  if (message.type === "ledger") return ledger.add(message.entries);
  if (message.type === "ledger-end") return ledger.end();
  if (message.type === "ack") {
    inFlight--;
    const next = stored;
    stored = null;
    next?.();
    return;
  }
  inFlight = 0;
  // the job's ledger follows it, a page a message
  ledger = new LedgerFingerprints();
  readAndCheck(message.input, ledger.complete, (event: JobEvent) => {
    port.postMessage(event);
    if (event.type !== "rows") return;
    inFlight++;
    if (inFlight < AHEAD) return;
    return new Promise<void>((resolve) => {
      stored = resolve;
    });
  }).then(
    () => port.postMessage({ type: "done" }),
    (error: unknown) => port.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
});
