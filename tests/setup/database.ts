// Every test file gets its own in-memory database: migrated with the real migrations and seeded with the real
// seed (plan, units, demo users and the demo ledger), exactly as `npm start` prepares one. This runs at the top
// level, so it is done before the test file (and the app modules it imports) is loaded.
if (globalThis.__lmcDb) await globalThis.__lmcDb.destroy();
globalThis.__lmcDb = undefined;
const { db } = await import("~/utils/db.server");
const { migrateToLatest } = await import("../../db/migrate");
const { seed } = await import("../../seeds/seed");
await migrateToLatest(db);
await seed(db);

export {};
