// The worker thread of a spreadsheet import (jobs.server.ts starts one per job): runs readAndCheck on the job it is
// handed and posts what it finds; each batch of rows waits until the main thread has stored the previous one.
// Built by `npm run build` into build/import-worker.js; run from source through tsx in tests and development.
import { parentPort } from "node:worker_threads";
import { type JobEvent, type JobInput, readAndCheck } from "./read-job.server";

if (!parentPort) throw new Error("worker.server.ts runs as a worker thread");
const port = parentPort;

let acked: (() => void) | null = null;
port.on("message", (message: { type: "job"; input: JobInput } | { type: "ack" }) => {
  if (message.type === "ack") {
    const next = acked;
    acked = null;
    next?.();
    return;
  }
  readAndCheck(message.input, (event: JobEvent) => {
    if (event.type !== "rows") {
      port.postMessage(event);
      return;
    }
    return new Promise<void>((resolve) => {
      acked = resolve;
      port.postMessage(event);
    });
  }).then(
    () => port.postMessage({ type: "done" }),
    (error: unknown) => port.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
});
