// Migration 2026-12-11T1630 on a database of the release before it: the search index it fills from the ledger (with
// its own frozen copy of the tokens) is the index the app keeps (searchTokensOf), activity by activity, and the
// search through it finds what the LIKE finds.
import { Migrator, sql } from "kysely";
import { expect, it } from "vitest";
import { DirectoryMigrationProvider, migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";
import { emptyDatabase } from "../setup/empty-database";
import { verifySearchIndex } from "~/models/activity-search.server";
import { activityListQuery } from "~/models/activity.server";

const BEFORE = "2026-12-11T1520-unit-planned-by-end";

it("fills the search index from the ledger exactly as the app keeps it", async () => {
  const db = await emptyDatabase();
  const { error } = await new Migrator({ db, provider: new DirectoryMigrationProvider() }).migrateTo(BEFORE);
  expect(error).toBeUndefined();
  await seed(db as never, { demo: false, demoUsers: true });
  const units = await db.selectFrom("organizations").select(["id", "code"]).where("code", "in", ["yn-xsbn", "yn-km"]).execute();
  const [xsbn, km] = [units.find((u) => u.code === "yn-xsbn")!.id, units.find((u) => u.code === "yn-km")!.id];
  const now = new Date().toISOString();
  const texts = ["澜湄农业合作（第3期）", "Luang Prabang MeKong", "ＡＳＥＡＮ ２０２６", "CAFÉ Σίσυφος İstanbul", "100%_a", "", "农"];
  for (const [i, title] of texts.entries()) {
    const { id } = await (db as any)
      .insertInto("activities")
      .values({
        organization_id: i % 2 ? xsbn : km, title, type: "meeting", start_date: "2025-05-01", end_date: "2025-05-01", status: "completed",
        counterpart_body: texts[(i + 1) % texts.length], location: texts[(i + 2) % texts.length], outcome: texts[(i + 3) % texts.length],
        funding_source: texts[(i + 4) % texts.length], version: 1, created_at: now, updated_at: now,
        deleted_at: i === 5 ? now : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await (db as any).insertInto("activity_countries").values({ activity_id: id, country_code: i % 3 ? "LA" : "TH" }).execute();
    if (i % 2 === 0) await (db as any).insertInto("activity_partners").values({ activity_id: id, organization_id: xsbn, name: "", sort_order: 0 }).execute();
  }

  await migrateToLatest(db);
  expect(await verifySearchIndex(db as never)).toEqual([]);
  const xsbnPath = (await db.selectFrom("organizations").select("path").where("id", "=", xsbn).executeTakeFirstOrThrow()).path;
  for (const q of ["农业", "mekong", "ＡＳ", "ａｓｅａｎ", "café", "σίσυφος", "0%_", "（第3"]) {
    for (const scope of [{}, { involvingPath: xsbnPath, country: "LA" }]) {
      const found = await activityListQuery(db as never, { ...scope, q }).select("a.id").execute();
      const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const liked = await activityListQuery(db as never, scope)
        .select("a.id")
        .where((eb) => eb.or(["title", "counterpart_body", "location", "outcome", "funding_source"].map((c) => sql<boolean>`lower(${sql.ref(`a.${c}`)}) like ${pattern} escape '\\'`)))
        .execute();
      expect(found.map((r) => r.id).sort(), `${q} ${JSON.stringify(scope)}`).toEqual(liked.map((r) => r.id).sort());
    }
  }
  // the terms are there to be found (the comparison is not of two empty lists): in 5 activities, one deleted
  expect(await activityListQuery(db as never, { q: "mekong" }).select("a.id").execute()).toHaveLength(4);
  await db.destroy();
});
