// The activity list's text search, served by its index (activity-search.server.ts), finds exactly what the plain
// LIKE over the five searched columns finds — the search as it was before the index — for Chinese terms of one,
// two and three characters, Latin in mixed case, digits, full-width letters and LIKE's own wildcards, alone and
// with the unit and country filters, after a randomized sequence of creates, edits (texts, units, partners,
// countries), deletes, restores, a merge and a spreadsheet import; the index equals what the ledger holds after
// every step, and the rebuild command repairs an index that was tampered with. On SQLite and PostgreSQL (this file
// runs in both suites).
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { SEARCHED_COLUMNS, verifySearchIndex } from "~/models/activity-search.server";
import { type ActivityFilter, type ActivityInput, activityListQuery, countActivities, createActivity, deleteActivity, getActivity, listActivitiesAfter, restoreActivity, updateActivity } from "~/models/activity.server";
import * as list from "~/routes/activities._index";
import { mergeDuplicate } from "~/services/duplicates.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { enqueueUpload, importUpload } from "~/services/activity-import/workflow.server";
import { db } from "~/utils/db.server";
import { onPostgres } from "~/utils/sql-dialect.server";
import { insertActivitiesBatch } from "~/models/activity-batch.server";
import { prng } from "../../bench/generate";
import { rebuildAndVerify } from "../../db/rebuild-totals";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";
import { call, jsonOf, sessionCookieFor, signedInUser } from "../helpers";

// Words the texts are made of: Chinese, Latin in several cases, digits, full-width forms, LIKE's wildcards.
const WORDS = [
  "农业", "农业合作", "培训", "旅游", "边境贸易", "琅勃拉邦", "老挝", "会议纪要", "业", "农",
  "Luang Prabang", "LUANG", "luang", "Mekong", "MeKong", "ASEAN", "Vientiane", "café", "CAFÉ",
  "2026", "１２３", "ＡＳＥＡＮ", "ａｓｅａｎ", "100%", "a_b", "（第3期）", "—", " ",
];

/** The search as it was before the index: the LIKE over the five columns, nothing else. */
async function likeMatches(filter: ActivityFilter & { q: string }): Promise<number[]> {
  const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { q: _, ...rest } = filter;
  const rows = await activityListQuery(db, rest)
    .select("a.id")
    .where((eb) => eb.or(SEARCHED_COLUMNS.map((col) => sql<boolean>`lower(${sql.ref(`a.${col}`)}) like ${pattern} escape '\\'`)))
    .execute();
  return rows.map((r) => r.id).sort((x, y) => x - y);
}

async function searched(filter: ActivityFilter): Promise<number[]> {
  return (await activityListQuery(db, filter).select("a.id").execute()).map((r) => r.id).sort((x, y) => x - y);
}

describe("the activity list's text search", () => {
  it("finds exactly what the LIKE finds after a randomized sequence of every kind of write", async () => {
    const random = prng(20261211);
    const reporter = await signedInUser("xsbn");
    const units = await db.selectFrom("organizations").select(["id", "path"]).where("kind", "in", ["prefecture", "county", "city"]).execute();
    const items = await db.selectFrom("plan_items").select("id").where("loggable", "=", 1).execute();
    const countryCodes = ["LA", "MM", "TH", "VN", "KH"];
    const text = () => Array.from({ length: random.int(0, 4) }, () => random.pick(WORDS)).join(random.pick(["", "", " ", "，"]));
    const input = (): ActivityInput => ({
      organizationId: random.pick(units).id,
      title: `${text()}活动${random.int(1, 999)}` || "活动",
      type: random.pick(["outbound_visit", "inbound_visit", "meeting", "training"]),
      startDate: "2025-03-01",
      endDate: "2025-03-02",
      status: random.pick(["planned", "ongoing", "completed"]),
      primaryPlanItemId: random.pick(items).id,
      otherPlanItemIds: [],
      countries: Array.from({ length: random.int(0, 2) }, () => random.pick(countryCodes)),
      counterpartBody: text(),
      location: text(),
      delegationsCount: null,
      participantsCount: null,
      fundingCnyFen: null,
      fundingSource: text(),
      outcome: text(),
      evidence: [],
      partners: random.next() < 0.3 ? [{ organizationId: random.pick(units).id }] : [],
    });

    // the terms: substrings of the texts written (1, 2 and 3 characters, and longer), their other cases and
    // widths, and words that are nowhere
    const terms = new Set<string>(["农业", "培训", "农业合", "luang", "LuAnG", "Mekong", "asean", "ＡＳＥＡＮ", "ａｓ", "ASEAN", "2026", "１２", "12", "0%", "a_b", "_", "%", "农", "L", "é", "CAFÉ", "Café", "第3", "（第", "无此词", "xyz"]);
    const drawTerms = async () => {
      const rows = await db.selectFrom("activities").select(SEARCHED_COLUMNS).orderBy("id", "desc").limit(40).execute();
      for (const r of rows) {
        const source = random.pick(SEARCHED_COLUMNS.map((c) => r[c]).filter((t) => t.length > 0));
        if (!source) continue;
        const length = random.pick([1, 2, 2, 3, 4]);
        const start = random.int(0, Math.max(0, source.length - length));
        const term = source.slice(start, start + length).trim();
        if (!term) continue;
        terms.add(term);
        terms.add(term.toUpperCase());
      }
    };
    const xsbn = await db.selectFrom("organizations").select("path").where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
    const expectSearchToBeTheLike = async (when: string) => {
      expect(await verifySearchIndex(db), `index after ${when}`).toEqual([]);
      await drawTerms();
      for (const q of terms) {
        for (const scope of [{}, { involvingPath: xsbn.path }, { organizationPath: xsbn.path, country: "LA" }, { country: "TH", status: "completed" }, { deleted: true }]) {
          const filter = { ...scope, q };
          expect(await searched(filter), `${when}: ${JSON.stringify(filter)}`).toEqual(await likeMatches(filter));
        }
      }
    };

    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await createActivity(db, input(), reporter.id));
    await expectSearchToBeTheLike("creates");
    const counts = { edit: 0, delete: 0, restore: 0, merge: 0 };
    for (let step = 0; step < 60; step++) {
      const roll = random.next();
      if (roll < 0.5) {
        const id = random.pick(ids);
        const a = await getActivity(db, id);
        if (!a || a.deleted_at) continue;
        const fresh = input();
        const edited: ActivityInput = {
          ...fresh,
          primaryPlanItemId: a.planItems.find((p) => p.primary)!.id,
          // some columns and links keep what they were
          title: random.next() < 0.5 ? a.title : fresh.title,
          outcome: random.next() < 0.5 ? a.outcome : fresh.outcome,
          organizationId: random.next() < 0.5 ? a.organization_id : fresh.organizationId,
        };
        expect((await updateActivity(db, id, a.version, edited, reporter.id)).status).toBe("ok");
        counts.edit++;
      } else if (roll < 0.7) {
        if (await deleteActivity(db, random.pick(ids), reporter.id)) counts.delete++;
      } else if (roll < 0.85) {
        if (await restoreActivity(db, random.pick(ids), reporter.id)) counts.restore++;
      } else {
        // one event logged by two units, merged: the duplicate's unit becomes a partner of the one kept
        const one = { ...input(), counterpartBody: "老挝琅勃拉邦省", status: "completed" };
        const other = { ...input(), type: one.type, counterpartBody: one.counterpartBody, status: "ongoing" };
        if (other.organizationId === one.organizationId) continue;
        const [keepId, duplicateId] = [await createActivity(db, one, reporter.id), await createActivity(db, other, reporter.id)];
        ids.push(keepId, duplicateId);
        expect(await mergeDuplicate(db, keepId, duplicateId, await signedInUser("reviewer"))).toEqual({ status: "ok" });
        counts.merge++;
      }
    }
    expect(counts.edit).toBeGreaterThan(10);
    expect(counts.delete).toBeGreaterThan(0);
    expect(counts.restore).toBeGreaterThan(0);
    expect(counts.merge).toBeGreaterThan(0);
    await expectSearchToBeTheLike("edits, deletes, restores and merges");

    // a spreadsheet import, staged and made live through the import's own steps
    const bytes = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(30, { seed: "农业Mekong培训" }));
    const uploadId = await enqueueUpload(db, reporter, { name: "台账.xlsx", bytes });
    await importJobsIdle(db);
    expect(await importUpload(db, reporter, uploadId, "valid")).toMatchObject({ status: "ok", result: { created: 30 } });
    terms.add("农业mekong").add("MEKONG培");
    await expectSearchToBeTheLike("an import");
    expect(await searched({ q: "农业Mekong培训活动" })).toHaveLength(30);
  }, 240_000);

  it("serves the list page its first page and its total for a search with the unit and country filters", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await db.selectFrom("organizations").select(["id", "path"]).where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
    for (const q of ["老挝", "琅勃拉邦", "农", "LUANG"]) {
      const response = await call(list.loader, `/activities?unit=${xsbn.id}&country=LA&q=${encodeURIComponent(q)}`, { cookie });
      expect(response.status).toBe(200);
      const data = await jsonOf(response);
      const filter = { involvingPath: xsbn.path, country: "LA", q };
      const expected = await likeMatches(filter);
      expect(data.result.total, q).toBe(expected.length);
      const firstPage = await listActivitiesAfter(db, { ...filter }, { pageSize: 25 });
      expect((data.result.rows as { id: number }[]).map((r) => r.id), q).toEqual(firstPage.map((r) => r.id));
      // the first page: the first 25 of the matches in the list's order
      const ordered = (await activityListQuery(db, { involvingPath: xsbn.path, country: "LA" }).select("a.id").execute()).map((r) => r.id).filter((id) => expected.includes(id));
      expect(firstPage.map((r) => r.id)).toEqual(ordered.slice(0, 25));
      expect(await countActivities(db, filter)).toBe(expected.length);
    }
    // a term the demo ledger holds under 西双版纳州 with Laos: found, and every row shown holds it
    const response = await call(list.loader, `/activities?unit=${xsbn.id}&country=LA&q=${encodeURIComponent("老挝")}`, { cookie });
    const rows = (await jsonOf(response)).result.rows as { id: number }[];
    expect(rows.length).toBeGreaterThan(0);
  });

  it("says “more than 1,000” when a search matches more, and counts exactly below that", async () => {
    const reporter = await signedInUser("xsbn");
    const xsbn = await db.selectFrom("organizations").select(["id", "path"]).where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
    const item = await db.selectFrom("plan_items").select("id").where("loggable", "=", 1).executeTakeFirstOrThrow();
    const inputs = Array.from({ length: 1010 }, (_, i) => ({
      input: {
        organizationId: xsbn.id,
        title: `常见词测试${i}`,
        type: "meeting",
        startDate: "2026-01-05",
        endDate: "2026-01-05",
        status: "completed",
        primaryPlanItemId: item.id,
        otherPlanItemIds: [],
        countries: ["LA"],
        counterpartBody: "",
        location: "",
        delegationsCount: null,
        participantsCount: null,
        fundingCnyFen: null,
        fundingSource: "",
        outcome: "",
        evidence: [],
      },
      fingerprint: null,
    }));
    await db.transaction().execute((trx) => insertActivitiesBatch(trx, inputs, reporter.id, { action: "activity.create" }));
    const cookie = await sessionCookieFor("official");
    const page = async (query: string) => (await jsonOf(await call(list.loader, `/activities?${query}`, { cookie }))).result;
    const common = await page(`unit=${xsbn.id}&q=${encodeURIComponent("常见词")}`);
    expect(common).toMatchObject({ total: 1000, totalAtLeast: true });
    expect(common.rows).toHaveLength(25);
    expect(await countActivities(db, { involvingPath: xsbn.path, q: "常见词" })).toBe(1010);
    const rare = await page(`unit=${xsbn.id}&q=${encodeURIComponent("常见词测试100")}`);
    // 常见词测试100 and 常见词测试1000 … 1009
    expect(rare).toMatchObject({ total: 11, totalAtLeast: false });
    expect(await page(`unit=${xsbn.id}`)).toMatchObject({ totalAtLeast: false });
  });

  it("is repaired by the rebuild command after being tampered with", async () => {
    const [first, second] = await db.selectFrom("activities").select("id").orderBy("id").limit(2).execute();
    await sql`delete from activity_search where ${sql.raw(onPostgres(db) ? "activity_id" : "rowid")} in (${first!.id}, ${second!.id})`.execute(db);
    const before = await rebuildAndVerify(db, { checkOnly: true });
    expect(before.searchMismatchedBefore).toBeGreaterThan(0);
    const rebuilt = await rebuildAndVerify(db);
    expect(rebuilt.searchMismatchedAfter).toBe(0);
    expect(await verifySearchIndex(db)).toEqual([]);
  }, 60_000);
});
