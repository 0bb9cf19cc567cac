import { describe, expect, it } from "vitest";
import * as newActivity from "~/routes/activities.new";
import * as detail from "~/routes/activities.$id._index";
import * as edit from "~/routes/activities.$id.edit";
import * as del from "~/routes/activities.$id.delete";
import * as restore from "~/routes/activities.$id.restore";
import * as list from "~/routes/activities._index";
import * as trash from "~/routes/trash";
import { db } from "~/utils/db.server";
import { call, jsonOf, sessionCookieFor, validActivityForm } from "../helpers";

async function create(cookie: string, overrides: Record<string, string | string[]> = {}) {
  const response = await call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-xsbn-mengla", overrides) });
  expect(response.status, await response.clone().text()).toBe(302);
  return Number(response.headers.get("Location")!.match(/\/activities\/(\d+)/)![1]);
}

const activityCount = async () =>
  Number((await db.selectFrom("activities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("logging an activity", () => {
  it("stores every field, money as integer fen, links, countries and evidence, and writes the audit log", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie, { countries: ["LA", "TH", "JP"], funding_wan: "223.36" });
    const data = await jsonOf(await call(detail.loader, `/activities/${id}`, { cookie, params: { id: String(id) } }));
    const a = data.activity;
    expect(a.title).toBe("勐腊县赴老挝南塔省开展农业技术交流");
    expect(a.funding_cny_fen).toBe(223_360_000);
    expect(a.start_date).toBe("2024-03-05");
    expect(a.participants_count).toBe(6);
    expect(a.planItems.map((p: any) => [p.code, p.primary])).toEqual([["4.2.5", true], ["5.4", false]]);
    expect(a.countries).toEqual(["JP", "LA", "TH"]);
    expect(a.evidence).toEqual([{ url: "https://example.org/news/1", label: "新闻报道" }]);
    expect(a.organization_name_zh).toBe("勐腊县");
    expect(data.canEdit).toBe(true);
    expect(data.history[0].action).toBe("activity.create");
    expect(data.history[0].user_name).toBe("西双版纳州外办 填报员");
  });

  const invalid: [string, Record<string, string | string[]>, string, string][] = [
    ["end before start", { start_date: "2024-03-08", end_date: "2024-03-01" }, "end_date", "errors.end_before_start"],
    ["negative people", { participants_count: "-3" }, "participants_count", "errors.negative"],
    ["unknown plan item", { primary_plan_item: "4.9.9" }, "primary_plan_item", "errors.plan_item"],
    ["a heading as plan item", { primary_plan_item: "4.2" }, "primary_plan_item", "errors.plan_item_not_loggable"],
    ["funding with letters", { funding_wan: "30万abc" }, "funding_wan", "errors.funding_number"],
    ["a 5,000-character title", { title: "长".repeat(5000) }, "title", "errors.too_long"],
    ["HTML in a text field", { outcome: '<script>alert("x")</script>' }, "outcome", "errors.html"],
    ["HTML in the title", { title: "<b>访问</b>" }, "title", "errors.html"],
    ["a missing title", { title: "  " }, "title", "errors.required"],
    ["an impossible date", { start_date: "2024-02-30" }, "start_date", "errors.date"],
    ["an unknown type", { type: "party" }, "type", "errors.choose"],
    ["an unknown country", { countries: ["XX"] }, "countries", "errors.country"],
    ["a javascript: evidence link", { evidence_url: ["javascript:alert(1)"] }, "evidence_url", "errors.url"],
    ["people as a fraction", { participants_count: "4.5" }, "participants_count", "errors.whole_number"],
    ["a date in year 0000", { start_date: "0000-01-01" }, "start_date", "errors.date"],
    ["a right-to-left override in the title", { title: "abc\u202Edef" }, "title", "errors.hidden_chars"],
    ["a NUL character", { counterpart_body: "南塔\u0000省" }, "counterpart_body", "errors.hidden_chars"],
  ];
  for (const [name, overrides, field, message] of invalid) {
    it(`returns the form with a message beside the field for ${name} (400), writing nothing`, async () => {
      const cookie = await sessionCookieFor("xsbn");
      const before = await activityCount();
      const response = await call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-xsbn", overrides) });
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.errors[field]).toBe(message);
      expect(body.values.location).toBe("老挝南塔省"); // what the user typed comes back
      expect(await activityCount()).toBe(before);
    });
  }

  it("reports every problem in one round, cross-field ones included", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const form = await validActivityForm("yn-xsbn", {
      type: "party",
      participants_count: "-1",
      start_date: "2024-05-10",
      end_date: "2024-05-01",
      evidence_url: ["ftp://example.org/x"],
    });
    const body = await jsonOf(await call(newActivity.action, "/activities/new", { cookie, form }));
    expect(body.errors).toMatchObject({
      type: "errors.choose",
      participants_count: "errors.negative",
      end_date: "errors.end_before_start",
      evidence_url: "errors.url",
    });
  });

  it("takes plain text that merely contains a less-than sign", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie, { outcome: "参训人数 a < b 的对比" });
    const row = await db.selectFrom("activities").select("outcome").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.outcome).toBe("参训人数 a < b 的对比");
  });

  it("refuses a unit outside the reporter's own with 403", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const before = await activityCount();
    const response = await call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-km") });
    expect(response.status).toBe(403);
    expect(await activityCount()).toBe(before);
  });
});

describe("editing", () => {
  it("saves an edit, bumps the version and records who changed what", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie);
    const form = await validActivityForm("yn-xsbn-mengla", { participants_count: "9", status: "ongoing" });
    const response = await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form: { ...form, version: "1" } });
    expect(response.status).toBe(302);
    const data = await jsonOf(await call(detail.loader, `/activities/${id}`, { cookie, params: { id: String(id) } }));
    expect(data.activity.participants_count).toBe(9);
    expect(data.activity.version).toBe(2);
    const update = data.history.find((h: any) => h.action === "activity.update");
    expect(update.changes).toEqual({ status: ["completed", "ongoing"], participants_count: [6, 9] });
  });

  it("refuses the second save of a stale copy with 409, keeps the newer version and the user's input", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie);
    const first = await validActivityForm("yn-xsbn-mengla", { title: "第一位用户的修改" });
    const second = await validActivityForm("yn-xsbn-mengla", { title: "第二位用户的修改" });
    const ok = await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form: { ...first, version: "1" } });
    expect(ok.status).toBe(302);
    const stale = await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form: { ...second, version: "1" } });
    expect(stale.status).toBe(409);
    const body = await jsonOf(stale);
    expect(body.stale.by).toBe("西双版纳州外办 填报员");
    expect(body.values.title).toBe("第二位用户的修改");
    const row = await db.selectFrom("activities").select(["title", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: "第一位用户的修改", version: 2 });
  });

  it("keeps refusing a stale copy on the second click too: the form stays on the version it started from", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie);
    const other = await validActivityForm("yn-xsbn-mengla", { status: "cancelled" });
    expect((await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form: { ...other, version: "1" } })).status).toBe(302);
    const mine = { ...(await validActivityForm("yn-xsbn-mengla", { outcome: "另一位用户的成果" })), version: "1" };
    const first = await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form: mine });
    expect(first.status).toBe(409);
    const body = await jsonOf(first);
    expect(body.baseVersion).toBe(1);
    // the page posts again what it shows: the same base version, so it is refused again
    const second = await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form: { ...mine, version: String(body.baseVersion) } });
    expect(second.status).toBe(409);
    const row = await db.selectFrom("activities").select(["status", "outcome"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("cancelled");
  });

  it("tells the editor, keeping the input, when the activity was deleted meanwhile", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie);
    await call(del.action, `/activities/${id}/delete`, { cookie, method: "POST", params: { id: String(id) } });
    const form = { ...(await validActivityForm("yn-xsbn-mengla", { title: "删除后才保存的修改" })), version: "1" };
    const response = await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form });
    expect(response.status).toBe(409);
    const body = await jsonOf(response);
    expect(body.stale.deleted).toBe(true);
    expect(body.values.title).toBe("删除后才保存的修改");
  });

  it("records nothing for a save that changes nothing", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie);
    const form = { ...(await validActivityForm("yn-xsbn-mengla")), version: "1" };
    expect((await call(edit.action, `/activities/${id}/edit`, { cookie, params: { id: String(id) }, form })).status).toBe(302);
    const row = await db.selectFrom("activities").select("version").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.version).toBe(1);
    const history = await db.selectFrom("audit_log").select("action").where("entity_type", "=", "activity").where("entity_id", "=", id).orderBy("id").execute();
    expect(history.map((h) => h.action)).toEqual(["activity.create"]);
  });

  it("gives 404 for an activity that does not exist and for a malformed id", async () => {
    const cookie = await sessionCookieFor("xsbn");
    expect((await call(edit.loader, "/activities/999999/edit", { cookie, params: { id: "999999" } })).status).toBe(404);
    expect((await call(detail.loader, "/activities/abc", { cookie, params: { id: "abc" } })).status).toBe(404);
    expect((await call(detail.loader, "/activities/1e3", { cookie, params: { id: "1e3" } })).status).toBe(404);
  });
});

describe("delete and restore", () => {
  it("moves an activity to the recycle bin, out of the ledger, and brings it back unchanged", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const id = await create(cookie, { title: "待删除的测试活动" });
    const inLedger = async () =>
      (await jsonOf(await call(list.loader, "/activities?q=待删除的测试活动", { cookie }))).result.total as number;
    expect(await inLedger()).toBe(1);

    expect((await call(del.action, `/activities/${id}/delete`, { cookie, method: "POST", params: { id: String(id) } })).status).toBe(302);
    expect(await inLedger()).toBe(0);
    const bin = await jsonOf(await call(trash.loader, "/trash", { cookie }));
    expect(bin.result.rows.map((r: any) => r.id)).toContain(id);
    expect(bin.restorable).toContain(id);
    // a deleted activity cannot be edited
    expect((await call(edit.loader, `/activities/${id}/edit`, { cookie, params: { id: String(id) } })).status).toBe(404);

    expect((await call(restore.action, `/activities/${id}/restore`, { cookie, method: "POST", params: { id: String(id) } })).status).toBe(302);
    expect(await inLedger()).toBe(1);
    const data = await jsonOf(await call(detail.loader, `/activities/${id}`, { cookie, params: { id: String(id) } }));
    expect(data.history.map((h: any) => h.action)).toEqual(["activity.restore", "activity.delete", "activity.create"]);
    expect(data.activity.title).toBe("待删除的测试活动");
  });
});
