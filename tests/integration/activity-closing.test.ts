// A reporter closes a selection of planned activities whose dates have passed in one action, from the activity
// list: only their own units' activities, only 计划 ones that are past, never inside an approved (frozen) period,
// all or none; each closing is in the activity's history (audit log).
// authz-covers: activities.close.tsx
import { describe, expect, it } from "vitest";
import * as closeRoute from "~/routes/activities.close";
import * as listRoute from "~/routes/activities._index";
import { db } from "~/utils/db.server";
import { call, jsonOf, seedActivity, sessionCookieFor } from "../helpers";

/** An activity of the unit in the state and dates given (a planned one by default, past). */
async function activity(unitCode: string, options: { status?: string; start?: string; end?: string; title?: string } = {}) {
  const id = await seedActivity(unitCode, { title: options.title ?? "计划活动" });
  await db
    .updateTable("activities")
    .set({ status: options.status ?? "planned", start_date: options.start ?? "2025-05-10", end_date: options.end ?? "2025-05-12" })
    .where("id", "=", id)
    .execute();
  return id;
}

async function statuses(ids: number[]) {
  const rows = await db.selectFrom("activities").select(["id", "status"]).where("id", "in", ids).orderBy("id").execute();
  return rows.map((r) => r.status);
}

async function close(username: string, ids: number[], status = "completed", back = "/activities?status=planned") {
  return call(closeRoute.action, "/activities/close", {
    cookie: await sessionCookieFor(username),
    form: { activity: ids.map(String), status, back },
  });
}

describe("closing planned activities whose dates have passed", () => {
  it("offers the reporter exactly the closable rows of the list, and closes a selection in one action", async () => {
    const a = await activity("yn-xsbn", { title: "收尾测试甲" });
    const b = await activity("yn-xsbn-mengla", { title: "收尾测试乙" });
    const future = await activity("yn-xsbn", { title: "收尾测试未到期", start: "2099-01-01", end: "2099-01-02" });
    const done = await activity("yn-xsbn", { title: "收尾测试已完成", status: "completed" });
    const other = await activity("yn-km", { title: "收尾测试昆明" });

    const list = await jsonOf(await call(listRoute.loader, "/activities?q=收尾测试", { cookie: await sessionCookieFor("xsbn") }));
    expect(list.closable.sort()).toEqual([a, b].sort());
    expect(list.closable).not.toContain(future);
    expect(list.closable).not.toContain(done);
    expect(list.closable).not.toContain(other);
    // someone who may not edit gets no checkboxes
    const asOfficial = await jsonOf(await call(listRoute.loader, "/activities?q=收尾测试", { cookie: await sessionCookieFor("official") }));
    expect(asOfficial.closable).toEqual([]);

    const response = await close("xsbn", [a, b]);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/activities?status=planned&notice=closed_completed&closed=2");
    expect(await statuses([a, b])).toEqual(["completed", "completed"]);
    const history = await db
      .selectFrom("audit_log")
      .select(["entity_id", "changes_json"])
      .where("action", "=", "activity.update")
      .where("entity_id", "in", [a, b])
      .execute();
    expect(history.map((h) => JSON.parse(h.changes_json))).toEqual([{ status: ["planned", "completed"] }, { status: ["planned", "completed"] }]);

    const c = await activity("yn-xsbn", { title: "收尾测试丙" });
    expect((await close("xsbn", [c], "cancelled")).status).toBe(302);
    expect(await statuses([c])).toEqual(["cancelled"]);
  });

  it("refuses another unit's activity, one not planned or not yet past, and closes none of the selection", async () => {
    const mine = await activity("yn-xsbn");
    const other = await activity("yn-km");
    const future = await activity("yn-xsbn", { start: "2099-01-01", end: "2099-01-02" });
    const completed = await activity("yn-xsbn", { status: "completed" });
    const audit = async () => Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await audit();

    expect((await close("xsbn", [mine, other])).status).toBe(403);
    expect((await close("xsbn", [mine, future])).status).toBe(400);
    expect((await close("xsbn", [mine, completed])).status).toBe(400);
    for (const username of ["xsbn_leader", "reviewer", "official", "admin", "kunming"]) {
      expect((await close(username, [mine])).status, username).toBe(403);
    }
    expect(await statuses([mine, other, future, completed])).toEqual(["planned", "planned", "planned", "completed"]);
    expect(await audit()).toBe(before);
  });

  it("leaves an approved period's activities alone (409), and answers bad input with 400/404", async () => {
    // 西双版纳州's 2023年上半年 report is approved in the demo: its activities are frozen
    const frozen = await activity("yn-xsbn", { start: "2023-03-01", end: "2023-03-02" });
    const mine = await activity("yn-xsbn");
    expect((await close("xsbn", [mine, frozen])).status).toBe(409);
    expect(await statuses([mine, frozen])).toEqual(["planned", "planned"]);
    const list = await jsonOf(await call(listRoute.loader, "/activities?status=planned&sort=start_asc", { cookie: await sessionCookieFor("xsbn") }));
    expect(list.closable).not.toContain(frozen);

    expect((await close("xsbn", [mine], "ongoing")).status).toBe(400);
    expect((await close("xsbn", [mine], "__proto__")).status).toBe(400);
    expect((await close("xsbn", [])).status).toBe(400);
    expect((await close("xsbn", [mine, mine])).status).toBe(400);
    expect((await close("xsbn", [999_999])).status).toBe(404);
    const junk = await call(closeRoute.action, "/activities/close", { cookie: await sessionCookieFor("xsbn"), form: { activity: ["abc", "-1"], status: "completed" } });
    expect(junk.status).toBe(400);
    // a back link elsewhere is not followed
    const away = await close("xsbn", [mine], "completed", "https://evil.example/x");
    expect(away.headers.get("Location")).toBe("/activities?notice=closed_completed&closed=1");
    expect((await call(closeRoute.loader, "/activities/close", { cookie: await sessionCookieFor("xsbn") })).status).toBe(404);
  });
});
