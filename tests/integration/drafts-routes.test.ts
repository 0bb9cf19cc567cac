// The drafts page and the two print views, through their loaders with real sessions: every role reads them, a
// visitor without a session is sent to sign in, a malformed parameter is a 400 and an unknown unit or period a 404.
import { describe, expect, it } from "vitest";
import * as draftsRoute from "~/routes/drafts";
import * as progressPrint from "~/routes/print.progress";
import * as reportPrint from "~/routes/reports.$unit.$period_.print";
import { call, jsonOf, sessionCookieFor, unitId } from "../helpers";

const ROLES = ["xsbn", "xsbn_leader", "kunming", "reviewer", "official", "admin"];

describe("/drafts", () => {
  it("drafts 西双版纳州's 2023年上半年 for every role", async () => {
    const xsbn = await unitId("yn-xsbn");
    for (const username of ROLES) {
      const response = await call(draftsRoute.loader, `/drafts?unit=${xsbn}&period=2023-H1`, { cookie: await sessionCookieFor(username) });
      expect(response.status, username).toBe(200);
      const data = await jsonOf(response);
      expect(data.draft.zh.text).toContain("10批47人次");
      expect(data.draft.zh.text).toContain("30万元");
      expect(data.draft.en.text).toContain("10 delegations abroad (47 person-trips)");
      expect(data.draft.sources).toMatchObject({ counted: 14, approved: 14, unreviewed: 0 });
      expect(data.draft.approvedReports).toEqual([{ name_zh: "西双版纳傣族自治州", name_en: "Xishuangbanna Dai Autonomous Prefecture", approvedOn: "2023-07-19" }]);
    }
  });

  it("drafts at once what it preselects: the user's own unit and the period to report on", async () => {
    const response = await call(draftsRoute.loader, "/drafts", { cookie: await sessionCookieFor("xsbn") });
    expect(response.status).toBe(200);
    const data = await jsonOf(response);
    expect(data.selected.unit).toBe(await unitId("yn-xsbn"));
    expect(data.selected.period).toMatch(/^\d{4}-H[12]$/);
    expect(data.draft.unit).toMatchObject({ id: data.selected.unit, name_zh: "西双版纳傣族自治州" });
    expect(data.draft.period.code).toBe(data.selected.period);
    expect(data.draft.zh.text).toContain("西双版纳傣族自治州");
    // a parameter given is kept, the other one defaults
    const onlyPeriod = await jsonOf(await call(draftsRoute.loader, "/drafts?period=2023-H1", { cookie: await sessionCookieFor("xsbn") }));
    expect(onlyPeriod.draft.zh.text).toContain("10批47人次");
    expect(data.choices.units.map((u: any) => u.name_zh)).toEqual(expect.arrayContaining(["云南省", "西双版纳傣族自治州", "勐腊县"]));
    expect(data.choices.units.map((u: any) => u.name_zh)).not.toContain("老挝琅勃拉邦省");
  });

  it("sends a visitor without a session to sign in", async () => {
    const response = await call(draftsRoute.loader, "/drafts?unit=1&period=2023-H1");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("answers 400 for a malformed unit or period, with the field marked", async () => {
    const cookie = await sessionCookieFor("official");
    for (const [query, field] of [
      ["unit=abc&period=2023-H1", "unit"],
      ["unit=1.5&period=2023-H1", "unit"],
      [`unit=${await unitId("yn-xsbn")}&period=2023-X1`, "period"],
      [`unit=${await unitId("yn-xsbn")}&period=<script>`, "period"],
    ] as const) {
      const response = await call(draftsRoute.loader, `/drafts?${query}`, { cookie });
      expect(response.status, query).toBe(400);
      const data = await jsonOf(response);
      expect(data.invalid).toEqual([field]);
      expect(data.draft).toBeNull();
    }
  });

  it("answers 404 for a unit or period that does not exist, or a unit that does not report", async () => {
    const cookie = await sessionCookieFor("official");
    const xsbn = await unitId("yn-xsbn");
    expect((await call(draftsRoute.loader, "/drafts?unit=999999&period=2023-H1", { cookie })).status).toBe(404);
    expect((await call(draftsRoute.loader, `/drafts?unit=${xsbn}&period=2099-H1`, { cookie })).status).toBe(404);
    // the secretariat does not report (foreign bodies, which did not either, are no longer units at all)
    expect((await call(draftsRoute.loader, `/drafts?unit=${await unitId("lmc-cn-secretariat")}&period=2023-H1`, { cookie })).status).toBe(404);
  });
});

describe("/reports/:unit/:period/print", () => {
  const path = (unit: number | string, period: string) => `/reports/${unit}/${period}/print`;

  it("lays out 西双版纳州's approved 2023年上半年 report for every role", async () => {
    const xsbn = await unitId("yn-xsbn");
    for (const username of ROLES) {
      const response = await call(reportPrint.loader, path(xsbn, "2023-H1"), {
        cookie: await sessionCookieFor(username),
        params: { unit: String(xsbn), period: "2023-H1" },
      });
      expect(response.status, username).toBe(200);
      const data = await jsonOf(response);
      expect(data.report.status).toBe("approved");
      expect(data.approvedAt).toBe("2023-07-19T07:00:00.000Z");
      expect(data.approvedBy).toBe("秘书处云南联络办公室 审核员");
      expect(data.submittedBy).toBe("西双版纳州外办 负责人");
      const local = data.sections.find((s: any) => s.code === "5.4");
      expect(local.activities.map((a: any) => a.title)).toContain("2023年上半年全州各级政府代表团赴境外涉外活动共10批47人次");
      expect(local.nextSteps).toContain("9月计划邀请老挝琅勃拉邦省政府代表团到我州交流访问");
    }
  });

  it("sends a visitor without a session to sign in, and answers 400 and 404 for bad parameters", async () => {
    const xsbn = String(await unitId("yn-xsbn"));
    expect((await call(reportPrint.loader, path(xsbn, "2023-H1"), { params: { unit: xsbn, period: "2023-H1" } })).status).toBe(302);
    const cookie = await sessionCookieFor("reviewer");
    const status = async (unit: string, period: string) => (await call(reportPrint.loader, path(unit, period), { cookie, params: { unit, period } })).status;
    expect(await status("abc", "2023-H1")).toBe(400);
    expect(await status(xsbn, "2023-Z1")).toBe(400);
    expect(await status("999999", "2023-H1")).toBe(404);
    expect(await status(xsbn, "2099-H1")).toBe(404);
    // a unit with no report yet prints its activities and an empty status
    expect(await status(String(await unitId("yn-xsbn-menghai")), "2023-H1")).toBe(200);
  });
});

describe("/print/progress", () => {
  it("lays out the plan-wide progress of 2023年上半年 for every role", async () => {
    for (const username of ROLES) {
      const response = await call(progressPrint.loader, "/print/progress?period=2023-H1", { cookie: await sessionCookieFor(username) });
      expect(response.status, username).toBe(200);
      const data = await jsonOf(response);
      expect(data.period.code).toBe("2023-H1");
      const support = data.groups.find((g: any) => g.code === "5");
      const local = support.items.find((i: any) => i.code === "5.4");
      expect(local.tally.byType.outbound_visit).toMatchObject({ delegations: 10, participants: 47 });
      expect(local.approved).toBe(local.tally.count);
      expect(data.groups.map((g: any) => g.code)).toEqual(["4.1", "4.2", "4.3", "5"]);
      expect(data.units.find((u: any) => u.name_zh === "西双版纳傣族自治州")).toMatchObject({ status: "approved", approvedOn: "2023-07-19" });
      expect(data.unitSummary.approved).toBeGreaterThanOrEqual(1);
    }
  });

  it("opens on the latest ended period without one, and answers 302, 400 and 404", async () => {
    const cookie = await sessionCookieFor("official");
    const response = await call(progressPrint.loader, "/print/progress", { cookie });
    expect(response.status).toBe(200);
    expect((await jsonOf(response)).period.code).toMatch(/^\d{4}-H[12]$/);
    expect((await call(progressPrint.loader, "/print/progress?period=2023-H1")).status).toBe(302);
    expect((await call(progressPrint.loader, "/print/progress?period=bad", { cookie })).status).toBe(400);
    expect((await call(progressPrint.loader, "/print/progress?period=2099-H1", { cookie })).status).toBe(404);
  });
});
