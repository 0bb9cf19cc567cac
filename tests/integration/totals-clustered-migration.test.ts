// Migration 2026-12-11T1620 on a database of the release before it (the demo ledger with its running totals, taken
// down to that release): the totals come out the same, key for key, in their new order; the pages' figures read from
// them are those of a row-by-row count; saves keep them; and the migration goes down again without losing a figure.
// Runs on SQLite and PostgreSQL (this file is in both suites).
import { Migrator } from "kysely";
import { expect, it } from "vitest";
import { verifyTotals } from "~/models/activity-totals.server";
import { createActivity, getActivity, updateActivity } from "~/models/activity.server";
import { DirectoryMigrationProvider, migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";
import { emptyDatabase } from "../setup/empty-database";

const BEFORE = "2026-12-11T1520-unit-planned-by-end";

const keysOf = async (db: Awaited<ReturnType<typeof emptyDatabase>>) => {
  const totals = await db.selectFrom("activity_totals").selectAll().execute();
  const types = await db.selectFrom("activity_type_totals").selectAll().execute();
  return new Map([
    ...totals.map((r) => [`${r.organization_id}|${r.country}|${r.grp}|${r.status}|${r.month}`, [r.activities, r.people, r.delegations, r.funding_fen].map(Number)] as const),
    ...types.map((r) => [`type|${r.organization_id}|${r.type}|${r.status}|${r.month}`, [r.activities, r.people, r.delegations, r.funding_fen].map(Number)] as const),
  ]);
};

it("keeps every running total through the new order of their keys, and back", async () => {
  const db = await emptyDatabase();
  const migrator = new Migrator({ db, provider: new DirectoryMigrationProvider() });
  // the demo ledger, written through the model (which writes what later migrations added too: the search index),
  // then taken back to the release before: its totals in their old order
  await migrateToLatest(db);
  await seed(db as never, { demo: true, demoUsers: true });
  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  const before = await keysOf(db);
  expect(before.size).toBeGreaterThan(100);

  await migrateToLatest(db);
  expect(await keysOf(db)).toEqual(before);
  expect(await verifyTotals(db)).toEqual([]);

  // a create and an edit that moves its month, status, unit's figures and countries, on the new layout
  const user = await db.selectFrom("users").select(["id", "organization_id"]).where("username", "=", "xsbn").executeTakeFirstOrThrow();
  const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.1.1").executeTakeFirstOrThrow();
  const input = {
    organizationId: user.organization_id!, title: "迁移后保存", type: "outbound_visit", startDate: "2025-03-10", endDate: "2025-03-12",
    status: "planned", primaryPlanItemId: item.id, otherPlanItemIds: [], countries: ["LA", "TH"], counterpartBody: "", location: "",
    delegationsCount: 2, participantsCount: 9, fundingCnyFen: 120_000, fundingSource: "", outcome: "", evidence: [],
  };
  const id = await createActivity(db, input, user.id);
  const saved = await updateActivity(db, id, 1, { ...input, startDate: "2025-04-01", endDate: "2025-04-02", status: "completed", countries: ["VN"], participantsCount: 11 }, user.id);
  expect(saved.status).toBe("ok");
  expect((await getActivity(db, id))?.status).toBe("completed");
  expect(await verifyTotals(db)).toEqual([]);
  const after = await keysOf(db);

  expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
  expect(await keysOf(db)).toEqual(after);
  expect(await verifyTotals(db)).toEqual([]);
});
