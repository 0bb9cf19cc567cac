// The submission matrix: statuses, overdue and late submissions, completeness and timeliness, computed for a
// fixed "today" from reports that went through the real review workflow at controlled times.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getOrganization } from "~/models/organization.server";
import { getReportFor } from "~/models/period-report.server";
import { generatePeriods, getPeriodByCode } from "~/models/reporting-period.server";
import { classifyReport } from "~/domain/reporting";
import { listLateUnits } from "~/models/period-report.server";
import { buildSubmissionMatrix, chinaDateOf, todayInChina } from "~/presenters/monitoring.server";
import * as matrixRoute from "~/routes/monitoring._index";
import {
  type WorkflowResult,
  approveReport,
  returnReport,
  saveReport,
  submitReport,
} from "~/services/report-workflow.server";
import { type SessionUser, getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { call, jsonOf, makeRequest, sessionCookieFor, unitId } from "../helpers";

const TODAY = "2025-08-01";

async function sessionUser(username: string): Promise<SessionUser> {
  const user = await getUser(makeRequest("/", { cookie: await sessionCookieFor(username) }));
  if (!user) throw new Error(`no session for ${username}`);
  return user;
}

async function unit(code: string) {
  const row = await getOrganization(db, await unitId(code));
  if (!row) throw new Error(code);
  return row;
}

async function period(code: string) {
  const row = await getPeriodByCode(db, code);
  if (!row) throw new Error(code);
  return row;
}

/** Runs a workflow step as if at the given moment (UTC), and insists that it succeeded. */
async function at(moment: string, step: () => Promise<WorkflowResult>) {
  vi.setSystemTime(new Date(moment));
  const result = await step();
  expect(result, moment).toMatchObject({ ok: true });
}

let reporter: SessionUser;
let leader: SessionUser;
let reviewer: SessionUser;

beforeAll(async () => {
  reporter = await sessionUser("xsbn");
  leader = await sessionUser("xsbn_leader");
  reviewer = await sessionUser("reviewer");
  const [mengla, jinghong, menghai] = await Promise.all([
    unit("yn-xsbn-mengla"),
    unit("yn-xsbn-jinghong"),
    unit("yn-xsbn-menghai"),
  ]);
  const [h1_2024, h2_2024, h1_2025, h2_2025] = await Promise.all([
    period("2024-H1"),
    period("2024-H2"),
    period("2025-H1"),
    period("2025-H2"),
  ]);
  const agriculture = await db.selectFrom("plan_items").select("id").where("code", "=", "4.2.5").executeTakeFirstOrThrow();
  const draft = async (u: typeof mengla, p: typeof h1_2024) =>
    saveReport(db, reporter, u, p, {
      // the version the form was opened at: 0 before the report exists
      version: (await getReportFor(db, u.id, p.id))?.version ?? 0,
      items: [{ planItemId: agriculture.id, progress: "开展边境农业合作。", problems: "", nextSteps: "", coordination: "" }],
      commitments: [],
    });
  vi.useFakeTimers({ toFake: ["Date"] });
  // 勐腊县: on time and approved (2024-H1, due 2024-07-15)
  await at("2024-07-08T03:00:00Z", () => draft(mengla, h1_2024));
  await at("2024-07-10T02:00:00Z", () => submitReport(db, leader, mengla, h1_2024));
  await at("2024-07-20T02:00:00Z", () => approveReport(db, reviewer, mengla, h1_2024));
  // 勐腊县: first submitted a day after the due date (2024-H2, due 2025-01-15)
  await at("2025-01-16T01:00:00Z", () => submitReport(db, leader, mengla, h2_2024));
  // 勐腊县: submitted on time, returned after the due date, not resubmitted (2025-H1, due 2025-07-15)
  await at("2025-07-14T01:00:00Z", () => submitReport(db, leader, mengla, h1_2025));
  await at("2025-07-20T01:00:00Z", () =>
    returnReport(db, reviewer, mengla, h1_2025, { reason: "请补充出访团组的人次。", itemReasons: [] }),
  );
  // 勐腊县: a draft of a period not yet due (2025-H2, due 2026-01-15)
  await at("2025-07-25T01:00:00Z", () => draft(mengla, h2_2025));
  // the due date is a date in China: 23:30 on the 15th in Beijing is on time, 00:30 on the 16th is late
  await at("2024-07-15T15:30:00Z", () => submitReport(db, leader, jinghong, h1_2024));
  await at("2024-07-15T16:30:00Z", () => submitReport(db, leader, menghai, h1_2024));
  vi.useRealTimers();
});

afterAll(() => {
  vi.useRealTimers();
});

const rowOf = (matrix: Awaited<ReturnType<typeof buildSubmissionMatrix>>, name: string) => {
  const row = matrix.rows.find((r) => r.unit.name_zh === name);
  if (!row) throw new Error(name);
  return row;
};
const cellOf = (row: ReturnType<typeof rowOf>, code: string) => {
  const cell = row.cells.find((c) => c.periodCode === code);
  if (!cell) throw new Error(code);
  return cell;
};

describe("the submission matrix", () => {
  it("has the prefecture- and county-level units as rows, each county under its prefecture", async () => {
    const matrix = await buildSubmissionMatrix(db, { today: TODAY, kind: "half" });
    const names = matrix.rows.map((r) => r.unit.name_zh);
    expect(names[0]).toBe("昆明市");
    expect(names).not.toContain("云南省");
    expect(names).not.toContain("澜湄合作中国秘书处");
    expect(matrix.rows.every((r) => r.unit.kind === "prefecture" || r.unit.kind === "county")).toBe(true);
    const xsbn = names.indexOf("西双版纳傣族自治州");
    expect(names.slice(xsbn + 1, xsbn + 4).sort()).toEqual(["勐海县", "勐腊县", "景洪市"].sort());
    expect(matrix.rows[xsbn]!.unit.depth).toBe(0);
    expect(matrix.rows[xsbn + 1]!.unit.depth).toBe(1);
    expect(names.indexOf("香格里拉市")).toBe(names.indexOf("迪庆藏族自治州") + 1);
    // 16 prefectures and the 5 counties of the seed
    expect(matrix.rows).toHaveLength(21);
  });

  it("has as columns the periods of the kind that have started by today", async () => {
    const matrix = await buildSubmissionMatrix(db, { today: TODAY, kind: "half" });
    expect(matrix.periods.map((p) => p.code)).toEqual(["2023-H1", "2023-H2", "2024-H1", "2024-H2", "2025-H1", "2025-H2"]);
    const y2024 = await buildSubmissionMatrix(db, { today: TODAY, kind: "half", year: 2024 });
    expect(y2024.periods.map((p) => p.code)).toEqual(["2024-H1", "2024-H2"]);
    // on the first day of a half it starts to show
    const first = await buildSubmissionMatrix(db, { today: "2025-07-01", kind: "half" });
    expect(first.periods.at(-1)!.code).toBe("2025-H2");
    expect((await buildSubmissionMatrix(db, { today: "2025-06-30", kind: "half" })).periods.at(-1)!.code).toBe("2025-H1");
  });

  it("shows each report's state, overdue periods and a first submission after the due date", async () => {
    const matrix = await buildSubmissionMatrix(db, { today: TODAY, kind: "half" });
    const mengla = rowOf(matrix, "勐腊县");
    expect(cellOf(mengla, "2023-H1")).toMatchObject({ status: "none", duePassed: true, overdue: true, lateSubmission: false });
    expect(cellOf(mengla, "2024-H1")).toMatchObject({ status: "approved", overdue: false, onTime: true, lateSubmission: false, firstSubmittedOn: "2024-07-10" });
    expect(cellOf(mengla, "2024-H2")).toMatchObject({ status: "submitted", overdue: false, onTime: false, lateSubmission: true, firstSubmittedOn: "2025-01-16" });
    // returned after the due date and not resubmitted: overdue, though its first submission was on time
    expect(cellOf(mengla, "2025-H1")).toMatchObject({ status: "returned", overdue: true, onTime: true, lateSubmission: false });
    expect(cellOf(mengla, "2025-H2")).toMatchObject({ status: "draft", duePassed: false, overdue: false });

    const jinghong = rowOf(matrix, "景洪市");
    const menghai = rowOf(matrix, "勐海县");
    expect(cellOf(jinghong, "2024-H1")).toMatchObject({ status: "submitted", onTime: true, lateSubmission: false, firstSubmittedOn: "2024-07-15" });
    expect(cellOf(menghai, "2024-H1")).toMatchObject({ status: "submitted", onTime: false, lateSubmission: true, firstSubmittedOn: "2024-07-16" });
  });

  it("computes completeness and timeliness over the periods past their due date, and flags late units", async () => {
    const matrix = await buildSubmissionMatrix(db, { today: TODAY, kind: "half" });
    const mengla = rowOf(matrix, "勐腊县");
    // due: 2023-H1, 2023-H2, 2024-H1, 2024-H2, 2025-H1 (2025-H2 is not due until 2026-01-15)
    expect(mengla).toMatchObject({ dueCount: 5, submittedCount: 2, onTimeCount: 2, overdueCount: 3, late: true });
    expect(mengla.completeness).toBeCloseTo(2 / 5);
    expect(mengla.timeliness).toBeCloseTo(2 / 5);
    const jinghong = rowOf(matrix, "景洪市");
    expect(jinghong).toMatchObject({ dueCount: 5, submittedCount: 1, onTimeCount: 1, late: true });

    // within 2024 alone, 勐腊县 has nothing outstanding: complete, half of it on time
    const y2024 = rowOf(await buildSubmissionMatrix(db, { today: TODAY, kind: "half", year: 2024 }), "勐腊县");
    expect(y2024).toMatchObject({ dueCount: 2, submittedCount: 2, onTimeCount: 1, overdueCount: 0, late: false, completeness: 1, timeliness: 0.5 });

    // before any due date there is nothing to rate
    const early = rowOf(await buildSubmissionMatrix(db, { today: "2023-03-01", kind: "half" }), "勐腊县");
    expect(early).toMatchObject({ dueCount: 0, completeness: null, timeliness: null, late: false });

    expect(matrix.totals.lateUnitCount).toBe(matrix.rows.filter((r) => r.late).length);
    expect(matrix.totals.unitCount).toBe(21);
  });

  it("counts the due date itself as on time, and the day after as past due", () => {
    const due = { due_date: "2025-07-15" };
    expect(classifyReport(undefined, due, "2025-07-15")).toMatchObject({ duePassed: false, overdue: false });
    expect(classifyReport(undefined, due, "2025-07-16")).toMatchObject({ duePassed: true, overdue: true });
    expect(classifyReport({ status: "draft", first_submitted_at: null }, due, "2025-07-16").overdue).toBe(true);
    expect(classifyReport({ status: "approved", first_submitted_at: "2025-07-15T15:59:59.000Z" }, due, "2025-08-01")).toMatchObject({
      overdue: false,
      onTime: true,
    });
    expect(classifyReport({ status: "submitted", first_submitted_at: "2025-07-15T16:00:00.000Z" }, due, "2025-08-01")).toMatchObject({
      lateSubmission: true,
      onTime: false,
    });
    expect(chinaDateOf("2025-12-31T16:00:00.000Z")).toBe("2026-01-01");
    expect(todayInChina(new Date("2026-11-22T16:30:00Z"))).toBe("2026-11-23");
    expect(todayInChina(new Date("2026-11-22T15:30:00Z"))).toBe("2026-11-22");
  });

  it("narrows to a unit's subtree", async () => {
    const xsbn = await unit("yn-xsbn");
    const matrix = await buildSubmissionMatrix(db, { today: TODAY, kind: "half", unitPath: xsbn.path });
    expect(matrix.rows.map((r) => r.unit.name_zh)[0]).toBe("西双版纳傣族自治州");
    expect(matrix.rows).toHaveLength(4);
    expect(matrix.rows.slice(1).every((r) => r.unit.depth === 1)).toBe(true);
  });

  it("lists the late units over every period, with how many periods each is overdue for", async () => {
    const late = await listLateUnits(db, TODAY);
    const mengla = late.find((u) => u.name_zh === "勐腊县");
    expect(mengla?.overdue_count).toBe(3);
    expect(late.some((u) => u.name_zh === "云南省")).toBe(false);
    // before the first due date nobody is late
    expect(await listLateUnits(db, "2023-07-15")).toEqual([]);
    const matrix = await buildSubmissionMatrix(db, { today: TODAY, kind: "half" });
    expect(late.map((u) => u.id).sort()).toEqual(matrix.rows.filter((r) => r.late).map((r) => r.unit.id).sort());
  });
});

describe("the /monitoring page", () => {
  const users = ["xsbn", "xsbn_leader", "kunming", "kunming_leader", "reviewer", "official", "admin"];

  it("loads for every signed-in role, read-only, and sends the signed-out to sign in", async () => {
    for (const username of users) {
      const response = await call(matrixRoute.loader, "/monitoring", { cookie: await sessionCookieFor(username) });
      expect(response.status, username).toBe(200);
      const data = await jsonOf(response);
      expect(data.params.kind).toBe("half");
      expect(data.matrix.today).toBe(todayInChina());
      expect(data.matrix.rows).toHaveLength(21);
    }
    const anonymous = await call(matrixRoute.loader, "/monitoring");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/monitoring")}`);
    expect(matrixRoute).not.toHaveProperty("action");
  });

  it("shows the workflow's reports in the cells, linking each to its report", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    const mengla = await unitId("yn-xsbn-mengla");
    const data = await jsonOf(await call(matrixRoute.loader, `/monitoring?unit=${xsbn}&year=2024`, { cookie }));
    expect(data.invalid).toEqual([]);
    expect(data.params).toEqual({ kind: "half", year: 2024, unit: xsbn });
    const row = data.matrix.rows.find((r: any) => r.unit.id === mengla);
    // newest period first, each cell under its own period's column
    expect(data.matrix.periods.map((p: any) => p.code)).toEqual(["2024-H2", "2024-H1"]);
    expect(row.cells.map((c: any) => [c.periodCode, c.status])).toEqual([
      ["2024-H2", "submitted"],
      ["2024-H1", "approved"],
    ]);
    expect(data.matrix.rows).toHaveLength(4);
    expect(data.choices.kinds).toEqual(["half"]);
    expect(data.choices.years).toContain(2024);
  });

  it("opens on the newest period, the oldest last, with the same rates as in time order", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const data = await jsonOf(await call(matrixRoute.loader, "/monitoring", { cookie }));
    const inTime = await buildSubmissionMatrix(db, { today: data.matrix.today, kind: "half" });
    const codes = data.matrix.periods.map((p: any) => p.code);
    expect(codes[0]).toBe(inTime.periods.at(-1)!.code);
    expect(codes.at(-1)).toBe("2023-H1");
    expect(codes).toEqual(inTime.periods.map((p) => p.code).reverse());
    for (const row of data.matrix.rows) {
      expect(row.cells.map((c: any) => c.periodCode), row.unit.name_zh).toEqual(codes);
      const same = inTime.rows.find((r) => r.unit.id === row.unit.id)!;
      expect([row.completeness, row.timeliness, row.late]).toEqual([same.completeness, same.timeliness, same.late]);
    }
  });

  it("answers a malformed or unknown filter with 400 naming it, still showing the matrix without it", async () => {
    const cookie = await sessionCookieFor("reviewer");
    const secretariat = await unitId("lmc-cn-secretariat");
    for (const [path, param] of [
      ["/monitoring?kind=weekly", "kind"],
      ["/monitoring?kind=quarter", "kind"],
      ["/monitoring?year=abc", "year"],
      ["/monitoring?year=2031", "year"],
      ["/monitoring?unit=abc", "unit"],
      ["/monitoring?unit=999999", "unit"],
      [`/monitoring?unit=${secretariat}`, "unit"],
    ] as const) {
      const response = await call(matrixRoute.loader, path, { cookie });
      expect(response.status, path).toBe(400);
      const data = await jsonOf(response);
      expect(data.invalid, path).toEqual([param]);
      expect(data.matrix.rows.length, path).toBe(21);
    }
  });

  it("offers other cadences once their periods exist", async () => {
    await generatePeriods(db, { kind: "quarter", fromYear: 2024, toYear: 2024, dueDays: 10 }, null);
    const cookie = await sessionCookieFor("official");
    const data = await jsonOf(await call(matrixRoute.loader, "/monitoring?kind=quarter", { cookie }));
    expect(data.invalid).toEqual([]);
    expect(data.choices.kinds).toEqual(["quarter", "half"]);
    expect(data.matrix.periods.map((p: any) => p.code)).toEqual(["2024-Q4", "2024-Q3", "2024-Q2", "2024-Q1"]);
    // half stays the default
    expect((await jsonOf(await call(matrixRoute.loader, "/monitoring", { cookie }))).params.kind).toBe("half");
  });
});
