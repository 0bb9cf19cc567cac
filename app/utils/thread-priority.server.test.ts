// A thread that lowers its priority (an import's worker) is the only one niced: the thread answering requests keeps
// the process's priority.
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { expect, test } from "vitest";

/** The nice value in a thread's /proc stat line (field 19). */
const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);

test.runIf(process.platform === "linux")("lowerThisThreadPriority nices the calling thread alone", async () => {
  const source = new URL("./thread-priority.server.ts", import.meta.url).href;
  const boot = `
    const { parentPort } = require("node:worker_threads");
    const { readFileSync } = require("node:fs");
    import("tsx/esm/api")
      .then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))
      .then(({ lowerThisThreadPriority }) => {
        lowerThisThreadPriority();
        parentPort.postMessage(readFileSync("/proc/thread-self/stat", "utf8"));
      });`;
  const mainNice = niceOf(readFileSync("/proc/thread-self/stat", "utf8"));
  const worker = new Worker(boot, { eval: true });
  try {
    const stat = await new Promise<string>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(niceOf(stat)).toBe(Math.max(10, mainNice));
    expect(niceOf(readFileSync("/proc/thread-self/stat", "utf8"))).toBe(mainNice);
  } finally {
    await worker.terminate();
  }
});
