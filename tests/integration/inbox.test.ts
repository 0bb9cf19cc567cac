// The in-app inbox of each role, for a fixed "today", from reports taken through the real workflow.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getOrganization } from "~/models/organization.server";
import { getReportFor } from "~/models/period-report.server";
import { getPeriodByCode, setPeriodClosed } from "~/models/reporting-period.server";
import { listLateUnits } from "~/models/period-report.server";
import { todayInChina } from "~/utils/china-time";
import * as root from "~/root";
import * as inboxRoute from "~/routes/inbox";
import { type InboxItem, inboxCount, inboxFor } from "~/services/inbox.server";
import {
  type WorkflowResult,
  returnReport,
  saveReport,
  submitReport,
  approveReport,
} from "~/services/report-workflow.server";
import { type SessionUser, getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, makeRequest, sessionCookieFor, unitId } from "../helpers";

// 2024-H1 is due on 2024-07-15: three days left
const TODAY = "2024-07-12";

async function sessionUser(username: string): Promise<SessionUser> {
  const user = await getUser(makeRequest("/", { cookie: await sessionCookieFor(username) }));
  if (!user) throw new Error(`no session for ${username}`);
  return user;
}

async function unit(code: string) {
  return (await getOrganization(db, await unitId(code)))!;
}

async function at(moment: string, step: () => Promise<WorkflowResult>) {
  vi.setSystemTime(new Date(moment));
  const result = await step();
  expect(result, moment).toMatchObject({ ok: true });
}

const users: Record<string, SessionUser> = {};
let ids: Record<string, number>;
let planItemId: number;

const find = (items: InboxItem[], kind: string, unitId: number, period: string) =>
  items.find((i) => i.kind === kind && i.link === `/reports/${unitId}/${period}`);
const about = (items: InboxItem[], unitId: number, period: string) =>
  items.filter((i) => i.link === `/reports/${unitId}/${period}`);

beforeAll(async () => {
  for (const name of ["xsbn", "xsbn_leader", "kunming", "kunming_leader", "reviewer", "official", "admin"]) {
    users[name] = await sessionUser(name);
  }
  const [mengla, jinghong, menghai, kunming] = await Promise.all([
    unit("yn-xsbn-mengla"),
    unit("yn-xsbn-jinghong"),
    unit("yn-xsbn-menghai"),
    unit("yn-km"),
  ]);
  ids = { mengla: mengla.id, jinghong: jinghong.id, menghai: menghai.id, kunming: kunming.id, xsbn: await unitId("yn-xsbn") };
  planItemId = (await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.5").executeTakeFirstOrThrow()).id;
  const [h1_2023, h2_2023, h1_2024] = await Promise.all([
    getPeriodByCode(db, "2023-H1").then((p) => p!),
    getPeriodByCode(db, "2023-H2").then((p) => p!),
    getPeriodByCode(db, "2024-H1").then((p) => p!),
  ]);
  const draft = async (u: typeof mengla, p: typeof h1_2024) =>
    saveReport(db, users.xsbn!, u, p, {
      version: (await getReportFor(db, u.id, p.id))?.version ?? 0,
      items: [{ planItemId, progress: "开展农业技术交流。", problems: "", nextSteps: "", coordination: "" }],
      commitments: [],
    });
  vi.useFakeTimers({ toFake: ["Date"] });
  // 勐腊县 2024-H1: a draft, waiting for the leader
  await at("2024-07-01T02:00:00Z", () => draft(mengla, h1_2024));
  // 景洪市 2023-H2: returned with a reason for the whole report
  await at("2024-01-10T02:00:00Z", () => submitReport(db, users.xsbn_leader!, jinghong, h2_2023));
  await at("2024-01-20T02:00:00Z", () =>
    returnReport(db, users.reviewer!, jinghong, h2_2023, { reason: "请补充出访团组的人次。", itemReasons: [] }),
  );
  // 勐海县 2023-H2: returned with a reason on one item only
  await at("2024-01-09T02:00:00Z", () => draft(menghai, h2_2023));
  await at("2024-01-10T03:00:00Z", () => submitReport(db, users.xsbn_leader!, menghai, h2_2023));
  await at("2024-01-21T02:00:00Z", () =>
    returnReport(db, users.reviewer!, menghai, h2_2023, { reason: "", itemReasons: [{ planItemId, reason: "数据与台账不一致。" }] }),
  );
  // 勐海县 2023-H1: approved, nothing left to do
  await at("2023-07-10T02:00:00Z", () => submitReport(db, users.xsbn_leader!, menghai, h1_2023));
  await at("2023-07-12T02:00:00Z", () => approveReport(db, users.reviewer!, menghai, h1_2023));
  // two reports waiting for review: 勐腊县 2023-H2 (submitted first), 昆明市 2024-H1
  await at("2024-07-03T02:00:00Z", () => submitReport(db, users.xsbn_leader!, mengla, h2_2023));
  await at("2024-07-05T02:00:00Z", () => submitReport(db, users.kunming_leader!, kunming, h1_2024));
  vi.useRealTimers();
});

afterAll(() => {
  vi.useRealTimers();
});

describe("the inbox of a unit's reporter", () => {
  it("holds the unit's returned reports with the reason, whether the reason is for the report or for items", async () => {
    const items = await inboxFor(db, users.xsbn!, TODAY);
    const whole = find(items, "returned", ids.jinghong, "2023-H2");
    expect(whole?.message).toContain("请补充出访团组的人次。");
    expect(whole?.message).toContain("景洪市");
    expect(whole?.message).toContain("2023年下半年");
    expect(whole?.date).toBe("2024-01-20");
    const perItem = find(items, "returned", ids.menghai, "2023-H2");
    expect(perItem?.message).toContain("数据与台账不一致。");
    expect(perItem?.message).toContain("4.2.5");
    // one item per report: a returned report is not also listed as overdue
    expect(about(items, ids.jinghong, "2023-H2")).toHaveLength(1);
  });

  it("holds deadlines within 7 days with the days left, and overdue reports, for the unit and the units below it", async () => {
    const items = await inboxFor(db, users.xsbn!, TODAY);
    // the reporter's own draft still needs finishing before the leader can submit it
    const draft = find(items, "deadline", ids.mengla, "2024-H1");
    expect(draft).toMatchObject({ daysLeft: 3, step: 3, date: "2024-07-15" });
    expect(draft?.message).toContain("还剩 3 天");
    expect(find(items, "deadline", ids.jinghong, "2024-H1")).toMatchObject({ daysLeft: 3 });
    expect(find(items, "deadline", ids.xsbn, "2024-H1")).toBeDefined();
    const overdue = find(items, "overdue", ids.jinghong, "2023-H1");
    expect(overdue?.daysLeft).toBe(-363);
    expect(overdue?.message).toContain("已逾期 363 天");
    // submitted, approved: nothing to do
    expect(about(items, ids.menghai, "2023-H1")).toEqual([]);
    expect(about(items, ids.mengla, "2023-H2")).toEqual([]);
    // another prefecture's reports are not this unit's business; reporters have nothing to review
    expect(items.some((i) => i.link.startsWith(`/reports/${ids.kunming}/`))).toBe(false);
    expect(items.some((i) => i.kind === "to_review" || i.kind === "to_submit" || i.kind === "late_units")).toBe(false);
  });

  it("reminds at 7, 3 and 1 days, on the due date itself, and not before the 7-day window", async () => {
    const of = async (today: string) => find(await inboxFor(db, users.xsbn!, today), "deadline", ids.jinghong, "2024-H1");
    expect(await of("2024-07-07")).toBeUndefined();
    expect(await of("2024-07-08")).toMatchObject({ daysLeft: 7, step: 7 });
    expect(await of("2024-07-11")).toMatchObject({ daysLeft: 4, step: 7 });
    expect(await of("2024-07-12")).toMatchObject({ daysLeft: 3, step: 3 });
    expect(await of("2024-07-14")).toMatchObject({ daysLeft: 1, step: 1 });
    const dueToday = await of("2024-07-15");
    expect(dueToday).toMatchObject({ daysLeft: 0, step: 0 });
    expect(dueToday?.message).toContain("今天截止");
    const after = find(await inboxFor(db, users.xsbn!, "2024-07-16"), "overdue", ids.jinghong, "2024-H1");
    expect(after).toMatchObject({ daysLeft: -1, step: null });
  });

  it("speaks the user's language", async () => {
    const items = await inboxFor(db, users.xsbn!, TODAY, "en");
    expect(find(items, "deadline", ids.jinghong, "2024-H1")?.message).toContain("3 days left");
    expect(find(items, "deadline", ids.jinghong, "2024-H1")?.message).toContain("2024 H1");
    expect(find(await inboxFor(db, users.xsbn!, "2024-07-14", "en"), "deadline", ids.jinghong, "2024-H1")?.message).toContain("1 day left");
  });
});

describe("the inbox of a unit's leader", () => {
  it("asks the leader to sign off only the drafts the reporter handed over, besides the returned, due and overdue reports", async () => {
    // 勐腊县 2024-H1 is a draft merely saved: not the leader's to sign off yet, only a deadline
    let items = await inboxFor(db, users.xsbn_leader!, TODAY);
    expect(find(items, "to_submit", ids.mengla, "2024-H1")).toBeUndefined();
    expect(find(items, "deadline", ids.mengla, "2024-H1")).toMatchObject({ daysLeft: 3 });
    expect(find(items, "returned", ids.jinghong, "2023-H2")).toBeDefined();
    expect(find(items, "deadline", ids.jinghong, "2024-H1")).toBeDefined();
    expect(find(items, "overdue", ids.mengla, "2023-H1")).toBeDefined();
    // handed over (提交审签): it waits for the leader, whatever its due date, and only once
    await db.updateTable("period_reports").set({ ready_at: "2024-06-30T02:00:00.000Z" }).where("organization_id", "=", ids.mengla).where("status", "=", "draft").execute();
    items = await inboxFor(db, users.xsbn_leader!, TODAY);
    expect(find(items, "to_submit", ids.mengla, "2024-H1")).toMatchObject({ daysLeft: 3 });
    expect(about(items, ids.mengla, "2024-H1")).toHaveLength(1);
    expect(find(await inboxFor(db, users.xsbn_leader!, "2024-07-01"), "to_submit", ids.mengla, "2024-H1")).toBeDefined();
    // the reporter who handed it over is not asked to sign it off
    expect(find(await inboxFor(db, users.xsbn!, TODAY), "to_submit", ids.mengla, "2024-H1")).toBeUndefined();
    await db.updateTable("period_reports").set({ ready_at: null }).where("organization_id", "=", ids.mengla).where("status", "=", "draft").execute();
  });

  it("orders by kind, the overdue reports newest first", async () => {
    const items = await inboxFor(db, users.xsbn_leader!, TODAY);
    const kinds = items.map((i) => i.kind);
    const order = ["returned", "to_submit", "overdue", "deadline"];
    expect([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(kinds);
    const overdue = items.filter((i) => i.kind === "overdue").map((i) => i.date);
    expect([...overdue].sort().reverse()).toEqual(overdue);
  });

  it("keeps to the leader's own prefecture", async () => {
    const items = await inboxFor(db, users.kunming_leader!, TODAY);
    expect(items.every((i) => i.link.startsWith(`/reports/${ids.kunming}/`))).toBe(true);
    // 昆明市 2024-H1 is submitted: no reminder for it
    expect(about(items, ids.kunming, "2024-H1")).toEqual([]);
    expect(find(items, "overdue", ids.kunming, "2023-H1")).toBeDefined();
  });
});

describe("the inbox of reviewers, officials and administrators", () => {
  it("gives reviewers the submitted reports, oldest first, and the count of late units", async () => {
    const items = await inboxFor(db, users.reviewer!, TODAY);
    const review = items.filter((i) => i.kind === "to_review");
    expect(review.map((i) => i.link)).toEqual([`/reports/${ids.mengla}/2023-H2`, `/reports/${ids.kunming}/2024-H1`]);
    expect(review[0]!.date).toBe("2024-07-03");
    expect(review[0]!.message).toContain("勐腊县");
    const late = items.filter((i) => i.kind === "late_units");
    expect(late).toHaveLength(1);
    const lateUnits = await listLateUnits(db, TODAY);
    expect(late[0]!.message).toContain(`${lateUnits.length} 个单位`);
    expect(late[0]!.link).toBe("/monitoring");
    expect(items.some((i) => i.kind === "deadline" || i.kind === "overdue")).toBe(false);
  });

  it("gives officials and administrators the late units only", async () => {
    for (const name of ["official", "admin"]) {
      const items = await inboxFor(db, users[name]!, TODAY);
      expect(items.map((i) => i.kind), name).toEqual(["late_units"]);
    }
    // before anything was due nobody is late, and their inbox is empty
    expect(await inboxFor(db, users.official!, "2023-07-15")).toEqual([]);
  });
});

describe("the inbox page and the badge", () => {
  it("loads for every role and sends the signed-out to sign in", async () => {
    for (const name of Object.keys(users)) {
      const response = await call(inboxRoute.loader, "/inbox", { cookie: await sessionCookieFor(name) });
      expect(response.status, name).toBe(200);
      const data = await jsonOf(response);
      expect(data.today).toBe(todayInChina());
      expect(data.items.every((i: any) => typeof i.message === "string" && i.message && i.link && i.date)).toBe(true);
    }
    const anonymous = await call(inboxRoute.loader, "/inbox");
    expect(anonymous.status).toBe(302);
  });

  it("puts the number of items on the navigation's 待办 link", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const data = await jsonOf(await call(root.loader, "/", { cookie }));
    const expected = (await inboxFor(db, users.reviewer!, todayInChina())).length;
    expect(data.inboxCount).toBe(expected);
    expect(await inboxCount(db, users.reviewer!, todayInChina())).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect((await jsonOf(await call(root.loader, "/login"))).inboxCount).toBe(0);
  });

  it("drops the reminders of a closed period, which can no longer be reported", async () => {
    const h1_2023 = (await getPeriodByCode(db, "2023-H1"))!;
    expect(find(await inboxFor(db, users.xsbn!, TODAY), "overdue", ids.jinghong, "2023-H1")).toBeDefined();
    await setPeriodClosed(db, h1_2023.id, true, "年度评估已完成", users.admin!.id);
    expect(find(await inboxFor(db, users.xsbn!, TODAY), "overdue", ids.jinghong, "2023-H1")).toBeUndefined();
  });

  it("shows a resubmitted report to the reviewer as fixed, and drops it from the unit's inbox", async () => {
    const jinghong = await unit("yn-xsbn-jinghong");
    const h2_2023 = (await getPeriodByCode(db, "2023-H2"))!;
    vi.useFakeTimers({ toFake: ["Date"] });
    await at("2024-07-11T02:00:00Z", () => submitReport(db, users.xsbn_leader!, jinghong, h2_2023));
    vi.useRealTimers();
    expect(about(await inboxFor(db, users.xsbn!, TODAY), ids.jinghong, "2023-H2")).toEqual([]);
    const review = (await inboxFor(db, users.reviewer!, TODAY)).filter((i) => i.kind === "to_review");
    expect(review.at(-1)?.link).toBe(`/reports/${ids.jinghong}/2023-H2`);
    expect(review.at(-1)?.message).toContain("重新报送");
  });
});
