// Each benchmark keeps its own section of bench/results/latest.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, platform, release, totalmem } from "node:os";
import { dirname } from "node:path";

/**
 * Writes (or replaces) one benchmark's section of bench/results/latest.md. The section must start with
 * `<!-- NAME-bench:start -->` and end with `<!-- NAME-bench:end -->`; other benchmarks' sections are kept. The
 * file is re-read just before writing, since the benchmarks run one after the other.
 */
export function writeResultsSection(name: string, section: string): void {
  const resultsFile = new URL("./results/latest.md", import.meta.url).pathname;
  mkdirSync(dirname(resultsFile), { recursive: true });
  const existing = existsSync(resultsFile) ? readFileSync(resultsFile, "utf8") : "# Benchmark results\n";
  const pattern = new RegExp(`<!-- ${name}-bench:start -->[\\s\\S]*?<!-- ${name}-bench:end -->`);
  writeFileSync(resultsFile, pattern.test(existing) ? existing.replace(pattern, section) : `${existing.trimEnd()}\n\n${section}\n`);
  console.log(`results written to ${resultsFile}`);
}

/** One line describing this machine, for the results. */
export function machineLine(): string {
  const cpu = cpus();
  return `Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB memory, ${platform()} ${release()}, Node ${process.version}.`;
}
