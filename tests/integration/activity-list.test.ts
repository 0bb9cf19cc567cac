import { describe, expect, it } from "vitest";
import * as list from "~/routes/activities._index";
import * as planItem from "~/routes/plan.$code";
import * as planIndex from "~/routes/plan._index";
import * as area from "~/routes/areas.$code";
import * as newActivity from "~/routes/activities.new";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, unitId, validActivityForm } from "../helpers";

let cookie: string;
const ids = async (path: string) => {
  cookie ??= await sessionCookieFor("official");
  const response = await call(list.loader, path, { cookie });
  expect(response.status, path).toBe(200);
  const data = await jsonOf(response);
  return { total: data.result.total as number, rows: data.result.rows as any[] };
};
const all = async () => db.selectFrom("activities").selectAll().where("deleted_at", "is", null).execute();

describe("the activity list's filters", () => {
  it("filters by unit including the units below it", async () => {
    const xsbn = await unitId("yn-xsbn");
    const yunnan = await unitId("yn");
    const { total: xsbnTotal, rows } = await ids(`/activities?unit=${xsbn}`);
    expect(rows.every((r) => ["西双版纳傣族自治州", "勐腊县", "景洪市", "勐海县"].includes(r.organization_name_zh))).toBe(true);
    const inXsbn = (await all()).filter((a) => a.organization_id === xsbn).length;
    expect(xsbnTotal).toBeGreaterThanOrEqual(inXsbn);
    expect((await ids(`/activities?unit=${yunnan}`)).total).toBeGreaterThan(xsbnTotal);
  });

  it("filters by plan item including descendants, by pillar and by priority area", async () => {
    const pillar = await ids("/activities?pillar=4.2");
    const item = await ids("/activities?item=4.2");
    expect(pillar.total).toBe(item.total);
    const agriculture = await ids("/activities?item=4.2.5");
    const area = await ids("/activities?area=agriculture-poverty");
    const poverty = await ids("/activities?item=4.2.6");
    expect(area.total).toBeGreaterThanOrEqual(Math.max(agriculture.total, poverty.total));
    expect(area.total).toBeLessThanOrEqual(agriculture.total + poverty.total);
    expect(pillar.total).toBeGreaterThanOrEqual(area.total);
    for (const row of agriculture.rows) {
      const linked = await db
        .selectFrom("activity_plan_items as l")
        .innerJoin("plan_items as p", "p.id", "l.plan_item_id")
        .select("p.code")
        .where("l.activity_id", "=", row.id)
        .execute();
      expect(linked.map((l) => l.code)).toContain("4.2.5");
    }
  });

  it("filters by type, status, country, date range and text, and the counts agree with the database", async () => {
    const rows = await all();
    const training = rows.filter((a) => a.type === "training").length;
    expect((await ids("/activities?type=training")).total).toBe(training);
    const planned = rows.filter((a) => a.status === "planned").length;
    expect((await ids("/activities?status=planned")).total).toBe(planned);
    const inRange = rows.filter((a) => a.end_date >= "2023-01-01" && a.start_date <= "2023-06-30").length;
    expect((await ids("/activities?from=2023-01-01&to=2023-06-30")).total).toBe(inRange);
    const laos = await ids("/activities?country=LA");
    expect(laos.total).toBeGreaterThan(0);
    expect(laos.rows.every((r) => r.countries.includes("LA"))).toBe(true);
    const text = await ids(`/activities?q=${encodeURIComponent("琅勃拉邦")}`);
    expect(text.total).toBeGreaterThan(0);
    // a LIKE wildcard typed by the user matches literally
    expect((await ids(`/activities?q=${encodeURIComponent("%")}`)).total).toBe(0);
  });

  it("combines filters, sorts and paginates, keeping the filters in the URL", async () => {
    const page1 = await ids("/activities?sort=start_asc");
    const dates = page1.rows.map((r) => r.start_date);
    expect([...dates].sort()).toEqual(dates);
    expect(page1.rows).toHaveLength(25);
    const page2 = await ids("/activities?sort=start_asc&page=2");
    expect(page2.rows[0].start_date >= dates[dates.length - 1]).toBe(true);
    expect(page2.rows.map((r) => r.id)).not.toContain(page1.rows[0].id);
    const funding = (await ids("/activities?sort=funding")).rows.map((r) => r.funding_cny_fen ?? -1);
    expect([...funding].sort((a, b) => b - a)).toEqual(funding);
    const combined = await ids("/activities?type=aid_project&country=MM&status=completed");
    expect(combined.rows.every((r) => r.type === "aid_project" && r.countries.includes("MM") && r.status === "completed")).toBe(true);
  });

  it("answers a malformed filter with 400 naming it, still showing the list without it, never 500", async () => {
    cookie ??= await sessionCookieFor("official");
    for (const [path, param] of [
      ["/activities?type=party", "type"],
      ["/activities?unit=abc", "unit"],
      ["/activities?unit=999999", "unit"],
      ["/activities?item=9.9.9", "item"],
      ["/activities?pillar=4.2.5", "pillar"],
      ["/activities?from=yesterday", "from"],
      ["/activities?from=2024-05-01&to=2024-01-01", "to"],
      ["/activities?page=-1", "page"],
      ["/activities?country=ZZ", "country"],
      ["/activities?sort=random", "sort"],
      ["/activities?from=2024-13-45", "from"],
      [`/activities?q=${"长".repeat(101)}`, "q"],
      ["/activities?after=abc", "after"],
      ["/activities?before=-3", "before"],
    ]) {
      const response = await call(list.loader, path!, { cookie });
      expect(response.status, path).toBe(400);
      const data = await jsonOf(response);
      expect(data.invalid, path).toEqual([param]);
      expect(data.params[param!], path).toBeUndefined();
      expect(data.result.total, path).toBeGreaterThan(0);
    }
  });

  it("pages forward and back through its links (keyset: after/before an activity), each activity once, in order", async () => {
    cookie ??= await sessionCookieFor("official");
    for (const query of ["", "sort=start_asc", "sort=title", "sort=participants&status=completed"]) {
      const load = async (params: string) => {
        const path = `/activities?${[query, params].filter(Boolean).join("&")}`;
        const response = await call(list.loader, path, { cookie });
        expect(response.status, path).toBe(200);
        return jsonOf(response);
      };
      // what the Pagination component links to: the page's number and the activity the next page starts after
      const pages: any[] = [await load("")];
      while (pages.at(-1).cursors.nextAfter !== null) {
        const last = pages.at(-1);
        pages.push(await load(`page=${last.result.page + 1}&after=${last.cursors.nextAfter}`));
      }
      const total = pages[0].result.total;
      expect(pages).toHaveLength(Math.ceil(total / 25));
      expect(pages.map((p) => p.result.page)).toEqual(pages.map((_, i) => i + 1));
      const walked = pages.flatMap((p) => p.result.rows.map((r: any) => r.id));
      // the same rows, in the same order, as reading the pages by number
      const byNumber: number[] = [];
      for (let n = 1; n <= pages.length; n++) byNumber.push(...(await load(`page=${n}`)).result.rows.map((r: any) => r.id));
      expect(walked).toEqual(byNumber);
      expect(new Set(walked).size).toBe(total);
      // and back: each page's previous link gives the page before it
      for (let i = pages.length - 1; i >= 1; i--) {
        const back = i === 1 ? await load("") : await load(`page=${i}&before=${pages[i].cursors.prevBefore}`);
        expect(back.result.rows.map((r: any) => r.id), `${query} back to ${i}`).toEqual(pages[i - 1].result.rows.map((r: any) => r.id));
        expect(back.result.page).toBe(i);
      }
      expect(pages[0].cursors.prevBefore).toBeNull();
    }
    // a cursor naming no activity opens the first page
    const lost = await jsonOf(await call(list.loader, "/activities?page=3&after=99999999", { cookie }));
    expect(lost.result.page).toBe(1);
    expect(lost.result.rows.map((r: any) => r.id)).toEqual((await ids("/activities")).rows.map((r) => r.id));
  });

  it("shows the last page when asked for a page past the end", async () => {
    const { total } = await ids("/activities");
    const data = await jsonOf(await call(list.loader, "/activities?page=999", { cookie }));
    expect(data.result.page).toBe(Math.ceil(total / 25));
    expect(data.result.rows.length).toBeGreaterThan(0);
  });
});

describe("the plan tree", () => {
  it("counts each node's activities with its descendants', once per activity, and updates when one is logged", async () => {
    const countOf = async (code: string) => {
      const data = await jsonOf(await call(planIndex.loader, "/plan", { cookie: await sessionCookieFor("official") }));
      const find = (nodes: any[]): any => {
        for (const n of nodes) {
          if (n.code === code) return n;
          const hit = find(n.children);
          if (hit) return hit;
        }
      };
      return find(data.roots).count as number;
    };
    const before = { item: await countOf("4.2.5"), pillar: await countOf("4.2"), section: await countOf("4") };
    const reporter = await sessionCookieFor("xsbn");
    // linked to 4.2.5 (primary) and 4.2.6: one more for each item, but only one more for the pillar
    const response = await call(newActivity.action, "/activities/new", {
      cookie: reporter,
      form: await validActivityForm("yn-xsbn", { primary_plan_item: "4.2.5", plan_items: ["4.2.6"] }),
    });
    expect(response.status).toBe(302);
    expect(await countOf("4.2.5")).toBe(before.item + 1);
    expect(await countOf("4.2")).toBe(before.pillar + 1);
    expect(await countOf("4")).toBe(before.section + 1);
  });

  it("opens a plan item to its text, children and the activities logged against it", async () => {
    const cookie = await sessionCookieFor("kunming");
    const data = await jsonOf(await call(planItem.loader, "/plan/4.1.3", { cookie, params: { code: "4.1.3" } }));
    expect(data.item.title_zh).toBe("非传统安全合作");
    expect(data.children.map((c: any) => c.code)).toEqual(["4.1.3.1", "4.1.3.2", "4.1.3.3"]);
    expect(data.ancestors.map((a: any) => a.code)).toEqual(["4", "4.1"]);
    const leaf = await jsonOf(await call(planItem.loader, "/plan/4.2.5", { cookie, params: { code: "4.2.5" } }));
    expect(leaf.canLog).toBe(true);
    expect(leaf.result.total).toBeGreaterThan(0);
    expect((await call(planItem.loader, "/plan/9.9", { cookie, params: { code: "9.9" } })).status).toBe(404);
    expect((await call(planItem.loader, "/plan/x", { cookie, params: { code: "x" } })).status).toBe(404);
  });

  it("browses a priority area as a cross-cut", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const tree = await jsonOf(await call(planIndex.loader, "/plan", { cookie }));
    const card = tree.areas.find((a: any) => a.code === "agriculture-poverty");
    const page = await jsonOf(await call(area.loader, "/areas/agriculture-poverty", { cookie, params: { code: "agriculture-poverty" } }));
    // the card counts distinct activities, like the area's own page: one linked to 4.2.5 and 4.2.6 counts once
    expect(card.count).toBe(page.result.total);
    const data = await jsonOf(await call(area.loader, "/areas/water-resources", { cookie, params: { code: "water-resources" } }));
    expect(data.area.name_en).toBe("Water Resources");
    expect(data.items.map((i: any) => i.code)).toEqual(["4.2.12"]);
    expect((await call(area.loader, "/areas/nope", { cookie, params: { code: "nope" } })).status).toBe(404);
  });
});
