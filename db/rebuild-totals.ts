// `npm run db:rebuild-totals`: recomputes the ledger's running totals (activity_totals) from the activities, then
// verifies them against a fresh count and says so. Run it after restoring a backup made before the totals existed,
// after changing the plan tree or the priority areas, or whenever a check says the totals are off. With --check it
// only verifies (exit 1 when they differ). It uses DATABASE_URL (PostgreSQL) or else DATABASE_PATH (SQLite).
import { pathToFileURL } from "node:url";
import { rebuildTotals, verifyTotals } from "../app/models/activity-totals.server";
import { rebuildSearchIndex, verifySearchIndex } from "../app/models/activity-search.server";
import type { DB } from "../app/utils/db.server";

export async function rebuildAndVerify(db: DB, options: { checkOnly?: boolean } = {}) {
  const before = await verifyTotals(db);
  const searchBefore = await verifySearchIndex(db);
  if (!options.checkOnly) {
    await rebuildTotals(db);
    await rebuildSearchIndex(db);
  }
  const after = options.checkOnly ? before : await verifyTotals(db);
  const searchAfter = options.checkOnly ? searchBefore : await verifySearchIndex(db);
  return {
    mismatchedBefore: before.length,
    mismatchedAfter: after.length,
    sample: after.slice(0, 5),
    /** the search index's tokens whose number of activities differed from the ledger's, before and after */
    searchMismatchedBefore: searchBefore.length,
    searchMismatchedAfter: searchAfter.length,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { db } = await import("../app/utils/db.server");
  const checkOnly = process.argv.includes("--check");
  const started = Date.now();
  const result = await rebuildAndVerify(db, { checkOnly });
  const ms = Date.now() - started;
  if (checkOnly) {
    console.log(result.mismatchedBefore ? `totals differ from the ledger at ${result.mismatchedBefore} keys` : "totals agree with the ledger");
    console.log(result.searchMismatchedBefore ? `the search index differs from the ledger at ${result.searchMismatchedBefore} tokens` : "the search index agrees with the ledger");
  } else {
    console.log(`totals and search index rebuilt in ${ms} ms (${result.mismatchedBefore} keys and ${result.searchMismatchedBefore} search tokens differed before)`);
    console.log(result.mismatchedAfter ? `after the rebuild ${result.mismatchedAfter} keys still differ: ${JSON.stringify(result.sample)}` : "verified: every total equals the ledger's count");
    console.log(result.searchMismatchedAfter ? `after the rebuild ${result.searchMismatchedAfter} search tokens still differ` : "verified: the search index holds every activity as the ledger has it");
  }
  await db.destroy();
  process.exit(result.mismatchedAfter || result.searchMismatchedAfter ? 1 : 0);
}
