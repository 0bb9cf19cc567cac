// How far V8 lets the server's heap grow before it collects it all again (decision 023, addendum "the server's
// heap grows by half"). With a heap ceiling of 2 GB or more — the default on any machine with memory to spare, 4 GB
// here — V8 lets the old generation grow to four times what survived its last full collection; below 2 GB it picks
// 1.3–2×. An import's steps keep each batch of rows across a few awaits, so its garbage reaches the old generation:
// a 50,000-row import left 50–70 MB alive and the heap at 230–320 MB, most of the server's peak. Growing by half
// (--heap-growing-percent=50) keeps that peak near 1.5× what is alive, for a few more full collections (mostly
// concurrent with the thread). V8's flags are the process's: the import's worker threads (a 256 MB ceiling, 1.3×)
// grow by half too.
import { getHeapStatistics, setFlagsFromString } from "node:v8";

export const HEAP_GROWING_PERCENT = 50;
/** V8 gives a heap ceiling at least this large its fourfold growth. */
const LARGE_HEAP_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * The V8 flag the server sets as it starts, or null: none where the operator gave one of their own on node's command
 * line, or a smaller heap ceiling (--max-old-space-size under 2 GB), where V8 already grows the heap less.
 */
export function heapGrowingFlag(execArgv: readonly string[], heapSizeLimitBytes: number): string | null {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return null;
  if (heapSizeLimitBytes < LARGE_HEAP_BYTES) return null;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Sets it for this process (server.ts, before the app is loaded); says what it set. */
export function limitHeapGrowth(): string | null {
  const flag = heapGrowingFlag(process.execArgv, getHeapStatistics().heap_size_limit);
  if (flag) setFlagsFromString(flag);
  return flag;
}
