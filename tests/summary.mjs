// Prints one closing line for the whole test run (unit + integration + browser), e.g. "tests: 107 passed, 0 failed".
// The PostgreSQL run (test-results/unit-pg.json, `npm run test:pg`) counts when it ran; it is skipped on a machine
// without PostgreSQL, unless LMC_REQUIRE_PG=true (as in CI), where a missing report fails the run.
import { existsSync, readFileSync } from "node:fs";

const reports = ["test-results/unit.json", "test-results/e2e.json", "test-results/load.json"];
if (existsSync("test-results/unit-pg.json") || process.env.LMC_REQUIRE_PG === "true") reports.splice(1, 0, "test-results/unit-pg.json");

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports) {
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
