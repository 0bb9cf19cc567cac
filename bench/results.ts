// Each benchmark keeps its own section of bench/results/latest.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
