// The ledger's running totals stay exactly a row-by-row count of the ledger through every kind of write — the form's
// create and edit (dates, units, plan items, countries, status, figures), delete, restore, a bulk change of status,
// a spreadsheet import, a merge of duplicates and a report's approval — in a randomized sequence, on SQLite and on PostgreSQL (this file
// runs in both suites); and `npm run db:rebuild-totals` repairs totals that were tampered with.
import { describe, expect, it } from "vitest";
import { type ActivityFilter, type ActivityInput, activityListQuery, closePlannedActivity, countActivities, createActivity, deleteActivity, getActivity, restoreActivity, updateActivity } from "~/models/activity.server";
import { insertActivitiesBatch } from "~/models/activity-batch.server";
import { listIndicators } from "~/models/indicator.server";
import { countActivitiesInPlan } from "~/models/plan-item.server";
import { loadLedgerMonths } from "~/services/indicator-progress.server";
import { plannedPastEnd } from "~/presenters/dashboard.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { mergeDuplicate } from "~/services/duplicates.server";
import { importJobsIdle } from "~/services/activity-import/jobs.server";
import { enqueueUpload, importUpload } from "~/services/activity-import/workflow.server";
import { approveReport, submitReport } from "~/services/report-workflow.server";
import { db } from "~/utils/db.server";
import { prng } from "../../bench/generate";
import { rebuildAndVerify } from "../../db/rebuild-totals";
import { TEMPLATE_HEADERS_ZH, buildSimpleWorkbook, generatedRows } from "../fixtures/build-fixtures";
import { sessionCookieFor, signedInUser } from "../helpers";

type Sums = [number, number, number, number];

/**
 * The totals counted the slow way, activity by activity from the ledger's rows: for each live activity, every
 * plan node above any item it is linked to, every priority area holding one of them, and each of its countries,
 * each once; in the rows of every unit, of its lead unit and of each unit above that; a planned one also by the
 * month of its end date.
 */
async function countedRowByRow(): Promise<Map<string, Sums>> {
  const [activities, links, countries, items, areaItems, units] = await Promise.all([
    db.selectFrom("activities").selectAll().where("deleted_at", "is", null).execute(),
    db.selectFrom("activity_plan_items").selectAll().execute(),
    db.selectFrom("activity_countries").selectAll().execute(),
    db.selectFrom("plan_items").select(["id", "path", "depth"]).execute(),
    db.selectFrom("plan_item_priority_areas as pa").innerJoin("plan_items as pi", "pi.id", "pa.plan_item_id").select(["pa.priority_area_id", "pi.path"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
  ]);
  const out = new Map<string, Sums>();
  const add = (key: string, a: (typeof activities)[number]) => {
    const v = out.get(key) ?? [0, 0, 0, 0];
    v[0] += 1;
    v[1] += Number(a.participants_count ?? 0);
    v[2] += Number(a.delegations_count ?? 0);
    v[3] += Number(a.funding_cny_fen ?? 0);
    out.set(key, v);
  };
  for (const a of activities) {
    const paths = links.filter((l) => l.activity_id === a.id).map((l) => items.find((i) => i.id === l.plan_item_id)!.path);
    const nodes = items.filter((n) => paths.some((p) => p.startsWith(n.path)));
    const areas = [...new Set(areaItems.filter((ai) => paths.some((p) => p.startsWith(ai.path))).map((ai) => ai.priority_area_id))];
    const groups: [string, boolean][] = [["", true], ...nodes.map((n): [string, boolean] => [`n:${n.id}`, n.depth <= 1])];
    for (const area of areas) groups.push([`a:${area}`, true]);
    if (areas.length) groups.push(["*", true]);
    const codes = ["", ...countries.filter((c) => c.activity_id === a.id).map((c) => c.country_code)];
    const month = a.start_date.slice(0, 7);
    const lead = units.find((u) => u.id === a.organization_id)!;
    const above = units.filter((u) => lead.path.startsWith(u.path)).map((u) => u.id);
    const topAbove = units.filter((u) => lead.path.startsWith(u.path) && u.path.split("/").filter(Boolean).length <= 2).map((u) => u.id);
    expect(above).toContain(a.organization_id);
    // activity_type_totals: every unit, and the lead unit and those above it, per type
    add(`type\t0\t${a.type}\t${a.status}\t${month}`, a);
    for (const unit of above) add(`type\t${unit}\t${a.type}\t${a.status}\t${month}`, a);
    for (const [grp, perUnit] of groups) {
      for (const country of codes) {
        add(`0\t${country}\t${grp}\t${a.status}\t${month}`, a);
        if (perUnit && (grp === "" || country === "")) for (const unit of above) add(`${unit}\t${country}\t${grp}\t${a.status}\t${month}`, a);
        // a province's or prefecture's rows (two ids in its path at most) hold a country and a group together
        else if (perUnit) for (const unit of topAbove) add(`${unit}\t${country}\t${grp}\t${a.status}\t${month}`, a);
      }
      if (a.status === "planned") add(`0\t\t${grp}\tplanned-by-end\t${a.end_date.slice(0, 7)}`, a);
    }
    // a planned one by its end month in its units' rows too, with no group or country
    if (a.status === "planned") for (const unit of above) add(`${unit}\t\t\tplanned-by-end\t${a.end_date.slice(0, 7)}`, a);
    // each country with each other country the activity names, for every unit and those top units
    const named = [...new Set(codes.filter(Boolean))];
    for (const country of named) {
      for (const other of named.filter((c) => c !== country)) for (const unit of [0, ...topAbove]) add(`${unit}\t${country}\tc:${other}\t${a.status}\t${month}`, a);
    }
  }
  return out;
}

async function kept(): Promise<Map<string, Sums>> {
  const [rows, typeRows] = await Promise.all([db.selectFrom("activity_totals").selectAll().execute(), db.selectFrom("activity_type_totals").selectAll().execute()]);
  const out = new Map<string, Sums>();
  for (const r of rows) {
    const v: Sums = [Number(r.activities), Number(r.people), Number(r.delegations), Number(r.funding_fen)];
    if (v.some((x) => x !== 0)) out.set(`${r.organization_id}\t${r.country}\t${r.grp}\t${r.status}\t${r.month}`, v);
  }
  for (const r of typeRows) {
    const v: Sums = [Number(r.activities), Number(r.people), Number(r.delegations), Number(r.funding_fen)];
    if (v.some((x) => x !== 0)) out.set(`type\t${r.organization_id}\t${r.type}\t${r.status}\t${r.month}`, v);
  }
  return out;
}

async function expectTotalsToBeTheCount(): Promise<void> {
  const [a, b] = await Promise.all([kept(), countedRowByRow()]);
  expect(Object.fromEntries([...a].sort())).toEqual(Object.fromEntries([...b].sort()));
  // the plan tree's and the rating proposal's counts, read from the totals, equal those counted from the links
  // (an end-date condition every activity meets makes countActivitiesInPlan count them one by one)
  for (const scope of [{}, { statuses: ["completed", "ongoing"], startFrom: "2024-01-01", startTo: "2024-06-30" }]) {
    const [fromTotals, fromRows] = await Promise.all([countActivitiesInPlan(db, scope), countActivitiesInPlan(db, { ...scope, endBefore: "9999-12-31" })]);
    expect(Object.fromEntries([...fromTotals.byNode].sort())).toEqual(Object.fromEntries([...fromRows.byNode].sort()));
    expect(Object.fromEntries([...fromTotals.byPriorityArea].sort())).toEqual(Object.fromEntries([...fromRows.byPriorityArea].sort()));
  }
  // planned activities past their end date (the rating proposals' signal), from the totals by end month and the
  // days of the last month, equal those counted from the links (a start-date condition every activity meets)
  for (const endBefore of ["2024-07-01", "2024-06-30", "2025-01-15", "2030-01-01"]) {
    const scope = { statuses: ["planned"], endBefore };
    const [fromTotals, fromRows] = await Promise.all([countActivitiesInPlan(db, scope), countActivitiesInPlan(db, { ...scope, startFrom: "0000-01-01" })]);
    expect([endBefore, Object.fromEntries([...fromTotals.byNode].sort())]).toEqual([endBefore, Object.fromEntries([...fromRows.byNode].sort())]);
    expect(Object.fromEntries([...fromTotals.byPriorityArea].sort())).toEqual(Object.fromEntries([...fromRows.byPriorityArea].sort()));
  }
  // the activity list's totals (read from the totals, or split into led and co-operated) equal a count of the
  // list query's rows
  const xsbn = (await db.selectFrom("organizations").select("path").where("code", "=", "yn-xsbn").executeTakeFirstOrThrow()).path;
  const pillar = (await db.selectFrom("plan_items").select("path").where("kind", "=", "pillar").orderBy("sort_order").executeTakeFirstOrThrow()).path;
  const province = (await db.selectFrom("organizations").select("path").where("kind", "=", "province").executeTakeFirstOrThrow()).path;
  const county = (await db.selectFrom("organizations").select("path").where("path", "like", `${xsbn}_%`).executeTakeFirstOrThrow()).path;
  const filters: ActivityFilter[] = [
    { organizationPath: province, status: "ongoing" },
    { organizationPath: county, country: "LA" },
    {},
    { status: "planned" },
    { country: "LA" },
    { organizationPath: xsbn },
    { organizationPath: xsbn, status: "completed", country: "TH" },
    { planPaths: [pillar] },
    { organizationPath: xsbn, planPaths: ["/4/"] },
    { country: "VN", planPaths: ["/5/"], status: "ongoing" },
    // a unit's list: what it leads and what it co-operates on, and the latter alone
    { involvingPath: xsbn, status: "completed" },
    { involvingPath: xsbn, partnerOnly: true },
  ];
  for (const filter of filters) {
    const counted = await activityListQuery(db, filter).clearOrderBy().select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect([filter, await countActivities(db, filter)]).toEqual([filter, Number(counted.n)]);
  }
  // a unit's planned activities past their date (its home page), from its kept rows by end month and the days of
  // today's month, equal a count of its rows
  for (const path of [xsbn, province, county]) {
    for (const today of ["2024-07-01", "2025-01-15", "2026-03-31"]) {
      const counted = await db
        .selectFrom("activities as a")
        .innerJoin("organizations as o", "o.id", "a.organization_id")
        .where("a.deleted_at", "is", null)
        .where("a.status", "=", "planned")
        .where("a.end_date", "<", today)
        .where("o.path", "like", `${path}%`)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect([path, today, (await plannedPastEnd(db, path, today)).total]).toEqual([path, today, Number(counted.n)]);
    }
  }
  // the indicators' months, read from the totals per type (to a month's end) and counted from the activities (to a
  // day that is not one: the same activities, none start in 2099)
  const indicators = await listIndicators(db);
  for (const scope of [{}, { organizationPath: xsbn }, { organizationPath: province }, { organizationPath: county }]) {
    const [fromTotals, fromRows] = await Promise.all([loadLedgerMonths(db, indicators, scope, "2099-12-31"), loadLedgerMonths(db, indicators, scope, "2099-12-30")]);
    const plain = (m: Awaited<typeof fromTotals>) => Object.fromEntries([...m].map(([id, months]) => [id, [...months]]));
    expect([scope, plain(fromTotals)]).toEqual([scope, plain(fromRows)]);
  }
}

describe("the ledger's running totals", () => {
  it("equal a row-by-row count after a randomized sequence of every kind of write", async () => {
    await expectTotalsToBeTheCount(); // as seeded
    const random = prng(20261210);
    const reporter = await signedInUser("xsbn");
    const units = await db.selectFrom("organizations").select(["id", "path"]).where("kind", "in", ["prefecture", "county", "city"]).execute();
    const items = await db.selectFrom("plan_items").select("id").where("loggable", "=", 1).execute();
    const statuses = ["planned", "ongoing", "completed", "cancelled"] as const;
    const countryCodes = ["LA", "MM", "TH", "VN", "KH", "JP"];
    const date = () => `${random.int(2023, 2027)}-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`;
    const input = (): ActivityInput => {
      const start = date();
      return {
        organizationId: random.pick(units).id,
        title: `随机活动 ${random.int(1, 1e9)}`,
        type: random.pick(["outbound_visit", "inbound_visit", "meeting", "training"]),
        startDate: start,
        endDate: start,
        status: random.pick(statuses),
        primaryPlanItemId: random.pick(items).id,
        otherPlanItemIds: Array.from({ length: random.int(0, 3) }, () => random.pick(items).id),
        countries: Array.from({ length: random.int(0, 3) }, () => random.pick(countryCodes)),
        counterpartBody: "",
        location: "",
        delegationsCount: random.next() < 0.2 ? null : random.int(1, 5),
        participantsCount: random.next() < 0.2 ? null : random.int(1, 80),
        fundingCnyFen: random.next() < 0.5 ? null : random.int(1, 500) * 10_000,
        fundingSource: "",
        outcome: "",
        evidence: [],
      };
    };
    const ids: number[] = [];
    const counts = { create: 0, edit: 0, delete: 0, restore: 0, merge: 0 };
    for (let step = 0; step < 120; step++) {
      const roll = random.next();
      if (roll < 0.3 || ids.length < 4) {
        ids.push(await createActivity(db, input(), reporter.id));
        counts.create++;
      } else if (roll < 0.65) {
        const id = random.pick(ids);
        const a = await getActivity(db, id);
        if (!a || a.deleted_at) continue;
        // an edit of one or several of: dates, unit, plan items, countries, status, figures, type, title
        const fresh = input();
        const keep: ActivityInput = {
          organizationId: a.organization_id,
          title: a.title,
          type: a.type,
          startDate: a.start_date,
          endDate: a.end_date,
          status: a.status,
          primaryPlanItemId: a.planItems.find((p) => p.primary)!.id,
          otherPlanItemIds: a.planItems.filter((p) => !p.primary).map((p) => p.id),
          countries: a.countries,
          counterpartBody: a.counterpart_body,
          location: a.location,
          delegationsCount: a.delegations_count,
          participantsCount: a.participants_count,
          fundingCnyFen: a.funding_cny_fen,
          fundingSource: a.funding_source,
          outcome: a.outcome,
          evidence: a.evidence,
        };
        const edited = { ...keep };
        if (random.next() < 0.4) Object.assign(edited, { startDate: fresh.startDate, endDate: fresh.endDate });
        if (random.next() < 0.3) edited.organizationId = fresh.organizationId;
        if (random.next() < 0.4) Object.assign(edited, { primaryPlanItemId: fresh.primaryPlanItemId, otherPlanItemIds: fresh.otherPlanItemIds });
        if (random.next() < 0.4) edited.countries = fresh.countries;
        if (random.next() < 0.4) edited.status = fresh.status;
        if (random.next() < 0.3) Object.assign(edited, { participantsCount: fresh.participantsCount, fundingCnyFen: fresh.fundingCnyFen, delegationsCount: fresh.delegationsCount });
        if (random.next() < 0.2) edited.type = fresh.type;
        // what the totals do not count (the save writes no total then)
        if (random.next() < 0.3) edited.title = fresh.title;
        expect((await updateActivity(db, id, a.version, edited, reporter.id)).status).toBe("ok");
        counts.edit++;
      } else if (roll < 0.78) {
        if (await deleteActivity(db, random.pick(ids), reporter.id)) counts.delete++;
      } else if (roll < 0.9) {
        if (await restoreActivity(db, random.pick(ids), reporter.id)) counts.restore++;
      } else {
        // two units log one event (same type, counterpart and dates), and a reviewer merges the copies
        const one = { ...input(), counterpartBody: "老挝琅勃拉邦省", status: "completed", startDate: "2025-09-10", endDate: "2025-09-12" };
        const other = { ...input(), type: one.type, counterpartBody: one.counterpartBody, status: "ongoing", startDate: one.startDate, endDate: one.endDate };
        if (other.organizationId === one.organizationId) continue;
        const [keepId, duplicateId] = [await createActivity(db, one, reporter.id), await createActivity(db, other, reporter.id)];
        ids.push(keepId, duplicateId);
        expect(await mergeDuplicate(db, keepId, duplicateId, await signedInUser("reviewer"))).toEqual({ status: "ok" });
        counts.merge++;
      }
      if (step % 30 === 29) await expectTotalsToBeTheCount();
    }
    // a county added under 西双版纳州 (the units' tree changed between saves, which the totals' cached plan index
    // must notice): its activities count in its own rows and in those of 西双版纳州 and the province above it
    const xsbnUnit = await db.selectFrom("organizations").select(["id", "path"]).where("code", "=", "yn-xsbn").executeTakeFirstOrThrow();
    const { id: newCounty } = await db
      .insertInto("organizations")
      .values({ code: "yn-xsbn-new", parent_id: xsbnUnit.id, path: `${xsbnUnit.path}?/`, kind: "county", name_zh: "新设县", name_en: "New County", country_code: "CN", sort_order: 99 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.updateTable("organizations").set({ path: `${xsbnUnit.path}${newCounty}/` }).where("id", "=", newCounty).execute();
    const inNewCounty = await createActivity(db, { ...input(), organizationId: newCounty, status: "completed", countries: ["LA"] }, reporter.id);
    ids.push(inNewCounty);
    const xsbnCompleted = await db
      .selectFrom("activity_totals")
      .select("activities")
      .where("organization_id", "=", xsbnUnit.id)
      .where("country", "=", "LA")
      .where("grp", "=", "")
      .where("status", "=", "completed")
      .where("month", "=", (await getActivity(db, inNewCounty))!.start_date.slice(0, 7))
      .executeTakeFirst();
    expect(Number(xsbnCompleted?.activities ?? 0)).toBeGreaterThan(0);
    await expectTotalsToBeTheCount();

    // the list's bulk close of planned activities (activity-closing.server.ts): done, then cancelled, in one transaction each
    const planned = await db.selectFrom("activities").select("id").where("id", "in", ids).where("status", "=", "planned").where("deleted_at", "is", null).execute();
    expect(planned.length).toBeGreaterThan(1);
    const half = Math.ceil(planned.length / 2);
    for (const [batch, status] of [[planned.slice(0, half), "completed"], [planned.slice(half), "cancelled"]] as const) {
      await db.transaction().execute(async (trx) => {
        for (const { id } of batch) expect(await closePlannedActivity(trx, id, status, reporter.id)).toBe(true);
      });
      await expectTotalsToBeTheCount();
    }
    expect(counts.create).toBeGreaterThan(10);
    expect(counts.edit).toBeGreaterThan(10);
    expect(counts.delete).toBeGreaterThan(0);
    expect(counts.restore).toBeGreaterThan(0);
    expect(counts.merge).toBeGreaterThan(0);
    await expectTotalsToBeTheCount();

    // a spreadsheet import, through the import's own preview and commit
    const bytes = await buildSimpleWorkbook(TEMPLATE_HEADERS_ZH, generatedRows(40, { seed: "合计测试" }));
    const uploadId = await enqueueUpload(db, reporter, { name: "台账.xlsx", bytes });
    await importJobsIdle(db);
    const imported = await importUpload(db, reporter, uploadId, "valid");
    expect(imported).toMatchObject({ status: "ok", result: { created: 40 } });
    await expectTotalsToBeTheCount();

    // a report submitted and approved (its activities frozen), then more writes elsewhere
    const period = (await getPeriodByCode(db, "2024-H1"))!;
    const kunming = await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", "yn-km").executeTakeFirstOrThrow();
    expect(await submitReport(db, await signedInUser("kunming_leader"), kunming, period)).toMatchObject({ ok: true });
    expect(await approveReport(db, await signedInUser("reviewer"), kunming, period)).toMatchObject({ ok: true });
    ids.push(await createActivity(db, input(), reporter.id));
    await expectTotalsToBeTheCount();
  }, 120_000);

  it("count a batch of activities that count alike (added up first, their keys walked once) as row by row", async () => {
    // insertActivitiesBatch adds a batch's shares with those counting in the same keys summed first: same unit,
    // type, status, months, items and countries — written in other orders, with repeats — and different figures
    const reporter = await signedInUser("xsbn");
    const units = await db.selectFrom("organizations").select("id").where("kind", "in", ["prefecture", "county"]).execute();
    const items = (await db.selectFrom("plan_items").select("id").where("loggable", "=", 1).limit(6).execute()).map((i) => i.id);
    const shapes = units.slice(0, 3).flatMap((u, k) =>
      (["planned", "completed"] as const).map((status) => ({ organizationId: u.id, status, startDate: `2026-0${k + 1}-03`, endDate: `2026-0${k + 2}-20` })),
    );
    // and, within a shape, rows that differ in one thing the totals count (items, countries, type, end month):
    // a grouping that left one of them out would add them up wrongly
    const otherItems = [[items[2]!, items[1]!], [items[1]!, items[2]!, items[1]!], [items[3]!], [items[4]!, items[5]!], []];
    const countries = [["LA", "TH"], ["TH", "LA", "LA"], ["MM"], ["KH", "VN"], []];
    const batch = Array.from({ length: 240 }, (_, i) => {
      const shape = shapes[i % shapes.length]!;
      const variant = Math.floor(i / shapes.length);
      const input: ActivityInput = {
        ...shape,
        // a month later
        endDate: variant % 4 === 3 ? `${shape.endDate.slice(0, 5)}${String(Number(shape.endDate.slice(5, 7)) + 1).padStart(2, "0")}-05` : shape.endDate,
        title: `同类活动 ${i}`,
        type: variant % 3 === 2 ? "meeting" : "training",
        primaryPlanItemId: items[variant % 6 === 5 ? 3 : 0]!,
        otherPlanItemIds: otherItems[variant % otherItems.length]!,
        countries: countries[(variant >> 1) % countries.length]!,
        counterpartBody: "",
        location: "",
        delegationsCount: i % 4 === 0 ? null : 1 + (i % 3),
        participantsCount: 3 + i,
        fundingCnyFen: i % 5 === 0 ? null : i * 10_000,
        fundingSource: "",
        outcome: "",
        evidence: [],
      };
      return { input, fingerprint: null };
    });
    await db.transaction().execute((trx) => insertActivitiesBatch(trx, batch, reporter.id, { action: "activity.import" }));
    await expectTotalsToBeTheCount();
  });

  it("are repaired by the rebuild command after being tampered with", async () => {
    await db.updateTable("activity_totals").set({ activities: 999, funding_fen: 1 }).where("grp", "=", "").where("country", "=", "").execute();
    await db.deleteFrom("activity_totals").where("country", "=", "LA").execute();
    await db.updateTable("activity_type_totals").set({ people: 12345 }).where("type", "=", "outbound_visit").execute();
    await db.deleteFrom("activity_type_totals").where("organization_id", "=", 0).where("status", "=", "completed").execute();
    const { mismatchedBefore, mismatchedAfter } = await rebuildAndVerify(db);
    expect(mismatchedBefore).toBeGreaterThan(0);
    expect(mismatchedAfter).toBe(0);
    await expectTotalsToBeTheCount();
    expect((await rebuildAndVerify(db, { checkOnly: true })).mismatchedBefore).toBe(0);
  }, 60_000);
});
