import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, heapGrowingFlag } from "./heap-growth.server";

const GB = 1024 * 1024 * 1024;

it("lets a large heap grow by half between full collections, and leaves an operator's choice or a small heap alone", () => {
  expect(heapGrowingFlag([], 4 * GB)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  expect(heapGrowingFlag(["--enable-source-maps"], 2 * GB)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // the operator said how far it grows (0 is V8's own choice)
  expect(heapGrowingFlag(["--heap-growing-percent=0"], 4 * GB)).toBeNull();
  expect(heapGrowingFlag(["--heap_growing_percent=80"], 4 * GB)).toBeNull();
  // --max-old-space-size=256 (tests/load/import-small-heap.test.ts): V8 already grows it by 1.3×
  expect(heapGrowingFlag([], 256 * 1024 * 1024 + 32 * 1024 * 1024)).toBeNull();
});

// A V8 flag set after the process started may do nothing: this node is asked to show that this one still works.
// A child keeps about 40 MB alive and makes batches that live across turns of the loop (as an import's steps do),
// so that their garbage reaches the old generation; its heap's peak is compared with and without the flag.
const CHURN = `
const v8 = require("node:v8");
if (process.argv[1]) v8.setFlagsFromString(process.argv[1]);
const alive = [];
for (let i = 0; i < 300000; i++) alive.push({ i, text: "活动" + i, more: [i, i + 1] });
const recent = [];
let peak = 0;
(async () => {
  for (let step = 0; step < 150; step++) {
    const batch = [];
    for (let i = 0; i < 20000; i++) batch.push({ step, i, text: "行" + i + "-" + step, values: { a: i, b: String(i) } });
    recent.push(batch);
    if (recent.length > 4) recent.shift();
    await new Promise((resolve) => setImmediate(resolve));
    peak = Math.max(peak, process.memoryUsage().heapTotal);
  }
  console.log(peak / 1048576, alive.length);
})();`;

function peakHeapMb(flag: string): number {
  // a 4 GB ceiling, as a server on a machine of 16 GB or more has by default, whatever this machine's memory
  const run = spawnSync(process.execPath, ["--max-old-space-size=4096", "-e", CHURN, flag], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout.split(" ")[0]);
}

it("set while the process runs, the flag keeps a heap full of short-lived batches near 1.5× what is alive", () => {
  const own = peakHeapMb("");
  const limited = peakHeapMb(heapGrowingFlag([], 4 * GB)!);
  // about 280 MB against 140 MB on this machine
  expect(limited).toBeLessThan(0.7 * own);
}, 60_000);
