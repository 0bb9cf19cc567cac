// Background threads (an import's worker) yield the processor to the thread that answers requests.
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * Lowers the calling thread's scheduling priority to `nice` (or leaves it lower) (Linux, where a thread's nice value is its own and
 * /proc/thread-self names it): while it reads a big file, the thread answering requests and the database's own
 * work get the processor first, and it has every idle cycle. Elsewhere, or where it is not allowed, it does nothing.
 */
export function lowerThisThreadPriority(nice = 10): void {
  if (process.platform !== "linux") return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    // never raised: a process started niced further keeps its own value
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(nice, getPriority(tid)));
  } catch {
    // a sandbox without /proc, or a policy that forbids it: the thread keeps the process's priority
  }
}
