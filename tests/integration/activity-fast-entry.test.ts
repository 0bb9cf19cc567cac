// Logging an activity fast, through the real routes: the picker finds items by the words offices use, Enter
// without JavaScript re-shows the form searched and saves nothing, "save and log another" comes back to a fresh
// form keeping the unit and type, and "copy as new" starts from an existing activity.
import { describe, expect, it } from "vitest";
import { matchItem, queryTerms } from "~/components/PlanItemPicker";
import * as newActivity from "~/routes/activities.new";
import * as editActivity from "~/routes/activities.$id.edit";
import { activityFormOptions } from "~/services/activity-form.server";
import { db } from "~/utils/db.server";
import { getUserById } from "~/models/user.server";
import { call, jsonOf, seedActivity, sessionCookieFor, unitId, validActivityForm } from "../helpers";

async function options() {
  const user = await db.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow();
  return activityFormOptions(db, (await getUserById(db, user.id))!, "zh-CN");
}

async function found(query: string): Promise<string[]> {
  const { planItems } = await options();
  return planItems.filter((p) => p.loggable && matchItem(p, queryTerms(query))).map((p) => p.code);
}

describe("the plan-item picker's search", () => {
  it("finds items by the everyday words of the issue, the plan's text, codes and titles", async () => {
    expect(await found("禁毒")).toContain("4.1.3.2");
    expect(await found("毒品")).toContain("4.1.3.2");
    expect(await found("替代种植")).toEqual(["4.1.3.2", "4.2.5"]);
    expect(await found("友好城市")).toContain("5.4");
    expect(await found("友城")).toEqual(["5.4"]);
    expect(await found("援助")).toContain("4.2.6");
    expect(await found("出访")).toContain("5.4");
    expect(await found("4.2.5")).toEqual(["4.2.5"]);
    expect(await found("旅游")).toContain("4.3.2");
    // the plan's own text: 5.4 speaks of 地方政府合作论坛
    expect(await found("论坛")).toContain("5.4");
    expect(await found("sister city")).toEqual(["5.4"]);
    expect(await found("不存在的词")).toEqual([]);
  });

  it("suggests 5.4 for visits and sister-city work", async () => {
    const { suggestedItems } = await options();
    for (const type of ["outbound_visit", "inbound_visit", "sister_city"]) expect(suggestedItems[type]?.[0]).toBe("5.4");
  });
});

describe("the activity form's buttons", () => {
  it("Enter without JavaScript answers the form searched, saving nothing", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const form = await validActivityForm("yn-xsbn", { title: "回车不保存", intent: "search", plan_query: "禁毒" });
    const response = await call(newActivity.action, "/activities/new", { cookie, form });
    expect(response.status).toBe(200);
    const data = await jsonOf(response);
    expect(data.values.plan_query).toBe("禁毒");
    expect(data.values.title).toBe("回车不保存");
    expect(data.errors).toEqual({});
    expect(await db.selectFrom("activities").select("id").where("title", "=", "回车不保存").execute()).toEqual([]);

    const id = await seedActivity("yn-xsbn", { title: "编辑时回车" });
    const edit = await call(editActivity.action, `/activities/${id}/edit`, {
      cookie,
      params: { id: String(id) },
      form: { ...(await validActivityForm("yn-xsbn", { title: "编辑时回车改了标题" })), version: "1", intent: "search", plan_query: "友城" },
    });
    expect(edit.status).toBe(200);
    expect((await db.selectFrom("activities").select("title").where("id", "=", id).executeTakeFirstOrThrow()).title).toBe("编辑时回车");
  });

  it("save and log another comes back to a fresh form keeping the unit, type and status", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const mengla = await unitId("yn-xsbn-mengla");
    const form = await validActivityForm("yn-xsbn-mengla", { title: "保存并继续登记一", type: "training", status: "completed", intent: "save_another" });
    const response = await call(newActivity.action, "/activities/new", { cookie, form });
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/activities\/new\?after=\d+$/);
    const next = await jsonOf(await call(newActivity.loader, location, { cookie }));
    expect(next.values).toEqual({ organization_id: String(mengla), type: "training", status: "completed", primary_plan_item: "" });
    expect(next.saved.title).toBe("保存并继续登记一");
    // a plain save still opens the activity
    const plain = await call(newActivity.action, "/activities/new", { cookie, form: await validActivityForm("yn-xsbn", { title: "普通保存" }) });
    expect(plain.headers.get("Location")).toMatch(/^\/activities\/\d+\?notice=created$/);
  });

  it("copy as new starts from the activity, for the user's own unit, without its evidence", async () => {
    const cookie = await sessionCookieFor("xsbn");
    const km = await seedActivity("yn-km", { title: "昆明的活动" });
    const copied = await jsonOf(await call(newActivity.loader, `/activities/new?copy=${km}`, { cookie }));
    expect(copied.values.title).toBe("昆明的活动");
    expect(copied.values.primary_plan_item).toBe("4.3.1");
    expect(copied.values.organization_id).toBe(String(await unitId("yn-xsbn")));
    expect(copied.values.evidence_url).toEqual([]);
    expect(copied.copiedFrom).toEqual({ id: km, title: "昆明的活动" });
    // a link to nothing starts an empty form
    for (const junk of ["abc", "999999", "-1", "__proto__"]) {
      const empty = await call(newActivity.loader, `/activities/new?copy=${junk}&after=${junk}`, { cookie });
      expect(empty.status).toBe(200);
      expect((await jsonOf(empty)).copiedFrom).toBeNull();
    }
  });
});
