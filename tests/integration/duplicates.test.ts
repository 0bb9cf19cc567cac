// Two units logged one delegation to Vientiane separately: the reviewer sees the pair, merges it into one activity
// led by 昆明市 with 西双版纳州 co-operating, and the province's figures drop by exactly the duplicate. Pairs that
// differ in type, dates or unit are not proposed; a dismissed pair is not proposed again; an approved report's
// activities cannot be merged.
// authz-covers: monitoring.duplicates.tsx
import { beforeAll, describe, expect, it } from "vitest";
import { counterpartKeys, findDuplicatePairs } from "~/domain/duplicates";
import { createActivity } from "~/models/activity.server";
import { activityCharts } from "~/presenters/dashboard.server";
import * as detail from "~/routes/activities.$id._index";
import * as list from "~/routes/activities._index";
import * as duplicates from "~/routes/monitoring.duplicates";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const JUNE = { from: "2026-06-01", to: "2026-06-30" };
const options = { today: "2026-12-07", locale: "zh-CN" as const, clipToToday: false };
const provincePath = async () => (await db.selectFrom("organizations").select("path").where("code", "=", "yn").executeTakeFirstOrThrow()).path;

async function log(unit: string, fields: { type?: string; start: string; end: string; body: string; delegations?: number; people?: number; title?: string }) {
  const item = await db.selectFrom("plan_items").select("id").where("code", "=", "4.3.1").executeTakeFirstOrThrow();
  return createActivity(
    db,
    {
      organizationId: await unitId(unit),
      title: fields.title ?? `${unit}赴${fields.body}访问`,
      type: fields.type ?? "outbound_visit",
      startDate: fields.start,
      endDate: fields.end,
      status: "completed",
      primaryPlanItemId: item.id,
      otherPlanItemIds: [],
      countries: ["LA"],
      counterpartBody: fields.body,
      location: "老挝万象市",
      delegationsCount: fields.delegations ?? 1,
      participantsCount: fields.people ?? null,
      fundingCnyFen: null,
      fundingSource: "",
      outcome: "",
      evidence: [{ url: `https://example.org/${unit}`, label: "" }],
    },
    null,
  );
}

let reviewer = "";
const ids: Record<string, number> = {};

beforeAll(async () => {
  reviewer = await sessionCookieFor("reviewer");
  ids.kunming = await log("yn-km", { start: "2026-06-10", end: "2026-06-12", body: "老挝万象市", people: 12 });
  ids.xsbn = await log("yn-xsbn", { start: "2026-06-11", end: "2026-06-11", body: "万象市政府、老挝琅勃拉邦省", people: 5 });
  ids.meeting = await log("yn-xsbn", { type: "meeting", start: "2026-06-11", end: "2026-06-11", body: "老挝万象市" });
  ids.later = await log("yn-dh", { start: "2026-06-20", end: "2026-06-21", body: "万象市" });
  ids.sameUnit = await log("yn-km", { start: "2026-06-11", end: "2026-06-13", body: "万象市", title: "昆明市第二团组赴万象" });
});

const listed = async () => {
  const response = await call(duplicates.loader, "/monitoring/duplicates", { cookie: reviewer });
  expect(response.status).toBe(200);
  return (await jsonOf(response)) as { total: number; pairs: { a: { id: number }; b: { id: number } }[] };
};
const hasPair = (data: Awaited<ReturnType<typeof listed>>, x: number, y: number) =>
  data.pairs.some((p) => (p.a.id === x && p.b.id === y) || (p.a.id === y && p.b.id === x));

describe("the rule", () => {
  it("reads one body however it is written, and several bodies in one cell", () => {
    expect(counterpartKeys("老挝 占巴塞省")).toEqual(counterpartKeys("占巴塞省"));
    expect(counterpartKeys("老挝万象市人民政府")).toEqual(["万象市"]);
    expect(counterpartKeys("老挝波乔省、老挝沙耶武里省等周边国家地方政府")).toEqual(["波乔省", "沙耶武里省"]);
    expect(counterpartKeys("老挝")).toEqual([]);
    expect(counterpartKeys("ＶＩＥＮＴＩＡＮＥ  Capital")).toEqual(["vientianecapital"]);
  });

  it("pairs overlapping activities of one type and body from different units, each pair once", () => {
    const row = (id: number, organization_id: number, start_date: string, end_date: string, type = "meeting") => ({
      id,
      organization_id,
      type,
      start_date,
      end_date,
      counterpart_body: "万象市、老挝万象市",
    });
    expect(
      findDuplicatePairs([row(1, 1, "2026-01-01", "2026-01-05"), row(2, 2, "2026-01-05", "2026-01-05"), row(3, 3, "2026-01-06", "2026-01-06"), row(4, 1, "2026-01-04", "2026-01-06"), row(5, 2, "2026-01-01", "2026-01-09", "training")]),
    ).toEqual([[3, 4], [2, 4], [1, 2]]);
  });
});

describe("likely duplicates for the reviewer", () => {
  it("lists the two units' records of one delegation, and not those of another type, other dates or the same unit", async () => {
    const data = await listed();
    expect(hasPair(data, ids.kunming!, ids.xsbn!)).toBe(true);
    expect(hasPair(data, ids.xsbn!, ids.meeting!)).toBe(false);
    expect(hasPair(data, ids.kunming!, ids.later!)).toBe(false);
    expect(hasPair(data, ids.kunming!, ids.sameUnit!)).toBe(false);
    expect(hasPair(data, ids.xsbn!, ids.sameUnit!)).toBe(true); // 西双版纳州's day falls in 昆明市's second trip too
  });

  it("is the reviewer's: a reporter and an official are refused (403)", async () => {
    for (const user of ["xsbn", "official"]) {
      const response = await call(duplicates.loader, "/monitoring/duplicates", { cookie: await sessionCookieFor(user) });
      expect(response.status).toBe(403);
      const merge = await call(duplicates.action, "/monitoring/duplicates", {
        cookie: await sessionCookieFor(user),
        form: { intent: "merge", keep: ids.kunming!, duplicate: ids.xsbn! },
      });
      expect(merge.status).toBe(403);
    }
  });

  it("merges a pair into one activity: the other unit co-operates, both histories say so, the province counts it once", async () => {
    const before = await activityCharts(db, { ...JUNE, organizationPath: await provincePath() }, options);
    const response = await call(duplicates.action, "/monitoring/duplicates", {
      cookie: reviewer,
      form: { intent: "merge", keep: ids.kunming!, duplicate: ids.xsbn! },
    });
    expect(response.status, await response.clone().text()).toBe(302);
    expect(response.headers.get("Location")).toBe(`/activities/${ids.kunming}?notice=merged`);

    const kept = await jsonOf(await call(detail.loader, `/activities/${ids.kunming}`, { cookie: reviewer, params: { id: String(ids.kunming) } }));
    expect(kept.activity.partners.map((p: { name_zh: string }) => p.name_zh)).toEqual(["西双版纳傣族自治州"]);
    expect(kept.activity.evidence.map((e: { url: string }) => e.url)).toEqual(["https://example.org/yn-km", "https://example.org/yn-xsbn"]);
    expect(kept.activity.participants_count).toBe(12);
    const merge = kept.history.find((h: { action: string }) => h.action === "activity.merge");
    expect(merge.changes.merged_from[1]).toContain(`#${ids.xsbn}`);
    expect(merge.changes.partners).toEqual([[], [await unitId("yn-xsbn")]]);

    const gone = await jsonOf(await call(detail.loader, `/activities/${ids.xsbn}`, { cookie: reviewer, params: { id: String(ids.xsbn) } }));
    expect(gone.activity.deleted_at).not.toBeNull();
    expect(gone.history.find((h: { action: string }) => h.action === "activity.merged").changes.merged_into[1]).toContain(`#${ids.kunming}`);

    const after = await activityCharts(db, { ...JUNE, organizationPath: await provincePath() }, options);
    expect(after.totals).toEqual({
      activities: before.totals.activities - 1,
      people: before.totals.people - 5,
      delegations: before.totals.delegations - 1,
      fundingFen: before.totals.fundingFen,
    });

    // 西双版纳州 still finds the event in its list, as a co-operating unit
    const xsbnList = await jsonOf(await call(list.loader, `/activities?unit=${await unitId("yn-xsbn")}&from=2026-06-01&to=2026-06-30`, { cookie: reviewer }));
    expect(xsbnList.result.rows.map((r: { id: number }) => r.id)).toContain(ids.kunming);
    expect(hasPair(await listed(), ids.kunming!, ids.xsbn!)).toBe(false);
  });

  it("refuses to merge what is no longer a pair (409), changing nothing", async () => {
    const response = await call(duplicates.action, "/monitoring/duplicates", {
      cookie: reviewer,
      form: { intent: "merge", keep: ids.kunming!, duplicate: ids.meeting! },
    });
    expect(response.status).toBe(409);
    expect((await jsonOf(response)).error).toBe("duplicates.not_a_pair");
    const meeting = await db.selectFrom("activities").select("deleted_at").where("id", "=", ids.meeting!).executeTakeFirstOrThrow();
    expect(meeting.deleted_at).toBeNull();
  });

  it("does not propose a dismissed pair again, and a second dismissal changes nothing", async () => {
    const a = await log("yn-pe", { start: "2026-07-01", end: "2026-07-02", body: "老挝丰沙里省" });
    const b = await log("yn-xsbn", { start: "2026-07-02", end: "2026-07-02", body: "丰沙里省" });
    expect(hasPair(await listed(), a, b)).toBe(true);
    for (let i = 0; i < 2; i++) {
      const response = await call(duplicates.action, "/monitoring/duplicates", { cookie: reviewer, form: { intent: "dismiss", a: b, b: a } });
      expect(response.status).toBe(302);
    }
    expect(hasPair(await listed(), a, b)).toBe(false);
    const audit = await db.selectFrom("audit_log").select("action").where("action", "=", "activity.not_duplicate").where("entity_id", "=", a).execute();
    expect(audit).toHaveLength(1);
  });

  it("does not merge an activity of an approved report (409), changing nothing", async () => {
    const a = await log("yn-pe", { start: "2026-08-03", end: "2026-08-04", body: "老挝琅南塔省" });
    const b = await log("yn-xsbn-mengla", { start: "2026-08-04", end: "2026-08-04", body: "琅南塔省" });
    const period = await db.selectFrom("reporting_periods").select("id").where("code", "=", "2026-H2").executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await db
      .insertInto("period_reports")
      .values({ organization_id: await unitId("yn-xsbn-mengla"), period_id: period.id, status: "approved", version: 1, created_at: now, updated_at: now })
      .execute();
    const response = await call(duplicates.action, "/monitoring/duplicates", { cookie: reviewer, form: { intent: "merge", keep: a, duplicate: b } });
    expect(response.status).toBe(409);
    expect((await jsonOf(response)).error).toBe("duplicates.frozen");
    const rows = await db.selectFrom("activities").select(["id", "deleted_at", "version"]).where("id", "in", [a, b]).execute();
    expect(rows.every((r) => r.deleted_at === null && r.version === 1)).toBe(true);
  });
});
