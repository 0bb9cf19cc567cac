// Prints one closing line for the whole test run (unit + integration + browser), e.g. "tests: 107 passed, 0 failed".
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of ["test-results/unit.json", "test-results/e2e.json", "test-results/load.json"]) {
  if (!existsSync(file)) {
    console.error(`missing ${file}: a test run did not report`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
