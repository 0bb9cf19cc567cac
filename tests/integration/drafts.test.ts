// The drafted progress report (文字材料): known data in, known sentences and numbers out — the seeded 西双版纳州
// 2023年上半年 draft states the published figures; empty periods and units without activity get a plain sentence;
// figures of an approved report come from its frozen snapshot and do not move when the ledger changes.
import { describe, expect, it } from "vitest";
import { stripNotes } from "~/components/DraftEditor";
import { createActivity } from "~/models/activity.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { getUserById } from "~/models/user.server";
import { periodFiguresByPlanItem } from "~/presenters/progress-draft.server";
import {
  type DraftActivity,
  type DraftData,
  chineseNumeral,
  composeDraft,
  draftProgressReport,
  formatAmount,
  formatMonths,
  tallyActivities,
  tallyPhrases,
} from "~/services/progress-draft.server";
import { approveReport, saveReport, submitReport } from "~/services/report-workflow.server";
import { db } from "~/utils/db.server";

async function unitByCode(code: string) {
  return db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", code).executeTakeFirstOrThrow();
}

async function period(code: string) {
  return (await getPeriodByCode(db, code))!;
}

async function draftFor(unitCode: string, periodCode: string) {
  return draftProgressReport(db, await unitByCode(unitCode), await period(periodCode));
}

async function planItemId(code: string) {
  return (await db.selectFrom("plan_items").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}

async function sessionUser(username: string) {
  const row = await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
  return (await getUserById(db, row.id))!;
}

function row(overrides: Partial<DraftActivity>): DraftActivity {
  return {
    id: 1,
    title: "活动",
    type: "other",
    status: "completed",
    start_date: "2024-03-01",
    end_date: "2024-03-02",
    counterpart_body: "",
    countries: [],
    delegations_count: null,
    participants_count: null,
    funding_cny_fen: null,
    outcome: "",
    organization_path: "/1/",
    primaryCode: "4.3.1",
    source: "unreviewed",
    ...overrides,
  };
}

function data(overrides: Partial<DraftData> = {}): DraftData {
  return {
    unit: { name_zh: "勐海县", name_en: "Menghai County", hasSubunits: false },
    period: { code: "2024-H1", kind: "half", year: 2024, seq: 1, start_date: "2024-01-01", end_date: "2024-06-30" },
    nextPeriod: null,
    planItems: [
      { code: "4.3", path: "/4/4.3/", kind: "pillar", title_zh: "社会人文合作", title_en: "Social, Cultural and People-to-People Exchanges" },
      { code: "4.3.1", path: "/4/4.3/4.3.1/", kind: "item", title_zh: "文化和体育", title_en: "Culture and Sports" },
    ],
    activities: [],
    carried: [],
    planned: [],
    reportTexts: [],
    reportTextsSource: null,
    issuedOn: "2024-07-10",
    approvedReports: [],
    reportStatus: "none",
    counterpartsEn: {},
    ...overrides,
  };
}

describe("numbers as the documents write them", () => {
  it("writes amounts in 万元 as published (30万元, 25.1万元, 223.36万元) and plainly in English", () => {
    expect(formatAmount(30_000_000, "zh-CN")).toBe("30万元");
    expect(formatAmount(25_100_000, "zh-CN")).toBe("25.1万元");
    expect(formatAmount(223_360_000, "zh-CN")).toBe("223.36万元");
    expect(formatAmount(12_345, "zh-CN")).toBe("0.01万元");
    expect(formatAmount(30_000_000, "en")).toBe("CNY 300,000");
    expect(formatAmount(2_233_600_050, "en")).toBe("CNY 22,336,000.50");
  });

  it("numbers headings and dates plans by month", () => {
    expect([1, 4, 10, 12, 20, 35].map(chineseNumeral)).toEqual(["一", "四", "十", "十二", "二十", "三十五"]);
    expect(formatMonths("2023-09-01", "2023-09-30", "zh-CN", 2023)).toBe("9月");
    expect(formatMonths("2023-09-01", "2023-12-31", "zh-CN", 2023)).toBe("9月至12月");
    expect(formatMonths("2023-09-01", "2024-12-31", "zh-CN", 2023)).toBe("2023年9月至2024年12月");
    expect(formatMonths("2023-09-01", "2023-09-30", "en", 2023)).toBe("Sep 2023");
    expect(formatMonths("2023-09-01", "2023-12-31", "en", 2023)).toBe("Sep–Dec 2023");
  });

  it("counts by type: a published total with its component visits sums to exactly the published figure", () => {
    const tally = tallyActivities([
      row({ type: "outbound_visit", delegations_count: 10, participants_count: 47 }),
      row({ type: "outbound_visit" }),
      row({ type: "outbound_visit" }),
      row({ type: "agreement" }),
      row({ type: "aid_project", funding_cny_fen: 30_000_000 }),
      row({ type: "aid_project" }),
      row({ type: "training", participants_count: 50 }),
      row({ type: "training", participants_count: 30 }),
      row({ type: "festival" }),
    ]);
    expect(tally.count).toBe(9);
    expect(tallyPhrases(tally, "zh-CN")).toEqual([
      "出访10批47人次",
      "签署合作协议或备忘录1份",
      "实施援助和民生项目2个（其中1个金额30万元）",
      "举办培训2期80人次",
      "举办节庆和文化活动1次",
    ]);
    expect(tallyPhrases(tally, "en")).toEqual([
      "10 delegations abroad (47 person-trips)",
      "1 agreement or memorandum signed",
      "2 aid or livelihood projects (CNY 300,000 for 1 of them)",
      "2 training courses (80 trainees)",
      "1 festival or cultural event",
    ]);
  });

  it("says which 批 have no 人次 instead of counting them as 0 people", () => {
    const tally = tallyActivities([
      row({ id: 1, type: "outbound_visit", delegations_count: 10, participants_count: 47 }),
      row({ id: 2, type: "outbound_visit", delegations_count: 1 }),
      row({ id: 3, type: "outbound_visit", delegations_count: 1 }),
    ]);
    expect(tallyPhrases(tally, "zh-CN")).toEqual(["出访12批47人次（其中2批未填人次）"]);
    expect(tallyPhrases(tally, "en")).toEqual(["12 delegations abroad (47 person-trips; 2 of the delegations without a count of people)"]);
    // only 批, no 人次 anywhere: the 批 alone, no 人次 figure at all
    expect(tallyPhrases(tallyActivities([row({ type: "inbound_visit", delegations_count: 2 })]), "zh-CN")).toEqual(["来访2批"]);
  });

  it("names visits logged without counts instead of writing 0批0人次", () => {
    const phrases = tallyPhrases(tallyActivities([row({ type: "outbound_visit" }), row({ type: "inbound_visit", delegations_count: 1 })]), "zh-CN");
    expect(phrases).toEqual(["出访1次（未单独填报批次、人次）", "来访1批"]);
    expect(phrases.join()).not.toMatch(/(^|[^\d])0(批|人次)/);
  });
});

describe("the drafting, from known data", () => {
  it("says plainly that nothing was done in an empty period, in both languages", () => {
    const zh = composeDraft(data(), "zh-CN").text;
    expect(zh).toContain("勐海县本期未开展对外交流合作活动（2024年上半年活动台账中无记录）。");
    expect(zh).not.toMatch(/(^|[^\d.])0(批|人次|项|个|份|次)/);
    const en = composeDraft(data(), "en").text;
    expect(en).toContain("Menghai County carried out no international exchange or cooperation activity in this period");
    expect(en).not.toMatch(/\b0 (delegations|activities)/);
  });

  it("writes the sections of a work report: what was done from the activities' outcomes, problems and next steps", () => {
    const draft = composeDraft(
      data({
        activities: [
          row({
            id: 1,
            type: "training",
            title: "中老农业技术培训班",
            participants_count: 40,
            countries: ["LA"],
            counterpart_body: "老挝南塔省农林厅",
            source: "approved",
            outcome: "举办中老农业技术培训班，培训老挝南塔省农技人员40人次",
          }),
          row({ id: 2, type: "festival", title: "泼水节中老边民联欢", start_date: "2024-04-13", end_date: "2024-04-15", countries: ["LA"] }),
          row({ id: 3, type: "meeting", title: "取消的会议", status: "cancelled" }),
        ],
        reportTexts: [{ code: "4.3.1", progress: "", problems: "培训经费不足，翻译力量薄弱。", nextSteps: "下半年举办第二期培训班。" }],
        reportTextsSource: "unreviewed",
        approvedReports: [{ name_zh: "勐海县", name_en: "Menghai County", approvedAt: "2024-07-10T02:00:00.000Z" }],
      }),
      "zh-CN",
    );
    expect(draft.text).toContain(
      "2024年上半年，勐海县围绕落实澜湄合作五年行动计划，共开展对外交流合作活动2项，其中举办培训1期40人次、举办节庆和文化活动1次。交流合作对象为老挝。",
    );
    expect(draft.text).toContain("一、主要工作及成效\n（一）社会人文合作\n1.文化和体育（4.3.1）。");
    // the outcome where there is one, else the activity as named
    expect(draft.text).toContain("1.文化和体育（4.3.1）。举办中老农业技术培训班，培训老挝南塔省农技人员40人次。泼水节中老边民联欢（老挝，4月）。以上共计举办培训1期40人次、举办节庆和文化活动1次。");
    expect(draft.text).toContain("二、存在的问题\n培训经费不足，翻译力量薄弱。");
    expect(draft.text).toContain("三、下一步工作打算\n（一）文化和体育（4.3.1）。下半年举办第二期培训班。");
    expect(draft.text).toMatch(/勐海县\n\n2024年7月10日$/);
    expect(draft.text).toContain("【数据来源：本段本期数据1项取自已审核通过的报告，1项尚未审核（泼水节中老边民联欢）】");
    expect(draft.text).toContain("【数据说明：本期计入统计的2项活动中，1项取自已审核通过的报告（勐海县2024年上半年报告，2024年7月10日审核通过），1项尚未审核，取自活动台账，可能变动】");
    expect(draft.text).not.toContain("取消的会议");
  });

  it("writes the report's 进展情况 and adds what it does not tell of", () => {
    const text = composeDraft(
      data({
        activities: [
          row({ id: 1, type: "training", title: "中老农业技术培训班", outcome: "培训老挝农技人员40人次", participants_count: 40 }),
          row({ id: 2, type: "festival", title: "泼水节中老边民联欢", outcome: "举办泼水节中老边民联欢活动，边民500余人参加" }),
        ],
        reportTexts: [{ code: "4.3.1", progress: "举办中老农业技术培训班，培训老挝农技人员40人次。", problems: "", nextSteps: "" }],
        reportTextsSource: "approved",
      }),
      "zh-CN",
    ).text;
    expect(text).toContain("1.文化和体育（4.3.1）。举办中老农业技术培训班，培训老挝农技人员40人次。此外，举办泼水节中老边民联欢活动，边民500余人参加。");
  });

  it("strips the editor's notes for copying", () => {
    const text = composeDraft(data({ activities: [row({ title: "测试活动" })] }), "zh-CN").text;
    expect(text).toContain("【");
    const clean = stripNotes(text);
    expect(clean).not.toContain("【");
    expect(clean).not.toMatch(/\n{3,}/);
    expect(clean).toContain("测试活动");
    expect(stripNotes("Title\n\n[Source: x]\n\nBody")).toBe("Title\n\nBody");
  });
});

describe("the seeded demo: 西双版纳州, 2023年上半年", () => {
  it("states the published figures", async () => {
    const draft = await draftFor("yn-xsbn", "2023-H1");
    const zh = draft.zh.text;
    expect(zh.split("\n")[0]).toBe("西双版纳傣族自治州2023年上半年落实澜湄合作五年行动计划工作情况报告");
    expect(zh).toContain(
      "2023年上半年，西双版纳傣族自治州及所属单位围绕落实澜湄合作五年行动计划，共开展对外交流合作活动14项，其中出访10批47人次、签署合作协议或备忘录1份、推进友好城市结好2项、实施援助和民生项目2个（其中1个金额30万元）、举办节庆和文化活动2次、开展其他交流活动1项。",
    );
    // the published figure, never 12批: the two leaders' visits are named in it, not added to it
    expect(zh).not.toMatch(/1[12]批/);
    expect(zh).toContain("10批47人次");
    expect(zh).toContain("30万元");
    expect(zh).not.toContain("30.00万元");
    // the 进展情况 of the approved report, in the sections of a work report
    expect(zh).toContain("一、主要工作及成效\n（一）政治安全事务\n1.打击跨国犯罪（4.1.3.2）。组织赴老挝及缅甸开展境外罂粟替代种植项目验收。");
    expect(zh).toContain("1.减贫（4.2.6）。向老挝南塔省勐醒县巴铺村援建饮用水蓄水池项目，向缅四特区曼回村民小组援建价值人民币30万元公用社房1幢。");
    expect(zh).toContain("为纪念与琅勃拉邦省建立友好城市20周年，召开视频交流会签署了2023年加强友好交流与合作备忘录。");
    expect(zh).toContain("完成与韩国京畿道议政府市缔结友好城市意向书的签订");
    expect(zh).toContain("持续推进此前开始的工作：近三年争取并拨付地方外事省对下专项经费223.36万元（2021年1月起）");
    expect(zh).toContain("二、存在的问题\n本期报告未列出需要协调解决的问题。");
    // the 下一步打算 of the approved report, and the next period's plans dated as the document dates them
    expect(zh).toContain("三、下一步工作打算\n");
    expect(zh).toContain("地方支撑（5.4）。9月计划邀请老挝琅勃拉邦省政府代表团到我州交流访问");
    expect(zh).toContain("（一）高层交往和政治对话合作（4.1.1）。2023年下半年安排：2023年9月至2024年12月邀请周边国家党政代表团来州参观考察和短期培训");
    // the unit and the day its report was approved, at the end
    expect(zh).toMatch(/西双版纳傣族自治州\n\n2023年7月19日$/);
    expect(zh).toContain("【数据说明：本期计入统计的14项活动均取自已审核通过的报告（西双版纳傣族自治州2023年上半年报告，2023年7月19日审核通过）");

    const en = draft.en.text;
    expect(en).toContain("10 delegations");
    expect(en).toContain("47");
    expect(en).toContain(
      "In the first half of 2023, Xishuangbanna Dai Autonomous Prefecture and the units under it carried out 14 international exchange and cooperation activities, including 10 delegations abroad (47 person-trips),",
    );
    expect(en).toContain("CNY 300,000");
    expect(en).toContain("1. Main work and results\n(1) Political and Security Issues\n1. 4.1.3.2 Combating Transnational Crime: ");
    expect(en).toContain("Planned for 2023 H2: Sep 2023: 邀请老挝琅勃拉邦省政府代表团来州交流访问 (Luang Prabang Province, Laos)");
    // in English, only the activities' own titles are in Chinese: not the next steps, types, countries or units
    expect(en).not.toContain("下一步打算");
    expect(en).not.toContain("积极向上级部门争取");
    expect(draft.sources).toMatchObject({ counted: 14, approved: 14, unreviewed: 0 });
  });

  it("has the same figures in the plan-wide progress report", async () => {
    const figures = await periodFiguresByPlanItem(db, await period("2023-H1"));
    const local = figures.get("5.4")!;
    expect(local.tally.byType.outbound_visit).toMatchObject({ delegations: 10, participants: 47 });
    expect(local.approved).toBe(local.tally.count);
    expect(figures.get("4.2.6")!.tally.fundingFen).toBe(30_000_000);
  });

  it("drafts a sensible sentence for a unit below it that did nothing", async () => {
    const draft = await draftFor("yn-xsbn-menghai", "2023-H1");
    expect(draft.zh.text).toContain("勐海县本期未开展对外交流合作活动（2023年上半年活动台账中无记录）。");
    expect(draft.zh.text).not.toMatch(/(^|[^\d.])0(批|人次|项|个|份|次)/);
    expect(draft.en.text).toContain("Menghai County carried out no international exchange or cooperation activity in this period");
    expect(draft.sources.counted).toBe(0);
  });

  it("drafts the last period of the plan, with nothing in it and no period after it", async () => {
    const draft = await draftFor("yn-xsbn", "2027-H2");
    expect(draft.zh.text).toContain("本期未开展对外交流合作活动");
    expect(draft.zh.text).not.toContain("下期");
  });
});

describe("visits logged with 批 but no 人次", () => {
  it("are said in the draft and kept apart in the plan-wide figures, never added as 0 people", async () => {
    const menghai = await unitByCode("yn-xsbn-menghai");
    const item = await planItemId("4.3.7");
    const visit = (title: string, delegationsCount: number, participantsCount: number | null) =>
      createActivity(
        db,
        {
          organizationId: menghai.id,
          title,
          type: "outbound_visit",
          startDate: "2025-04-10",
          endDate: "2025-04-12",
          status: "completed",
          primaryPlanItemId: item,
          otherPlanItemIds: [],
          countries: ["MM"],
          counterpartBody: "",
          location: "缅甸掸邦",
          delegationsCount,
          participantsCount,
          fundingCnyFen: null,
          fundingSource: "",
          outcome: `${title}，增进了边民友谊`,
          evidence: [],
        },
        null,
      );
    await visit("勐海县代表团赴缅甸掸邦参加边民联谊活动", 1, 6);
    await visit("县领导赴缅甸掸邦出席节庆活动", 2, null);
    const draft = await draftProgressReport(db, menghai, await period("2025-H1"));
    expect(draft.zh.text).toContain("出访3批6人次（其中2批未填人次）");
    expect(draft.en.text).toContain("3 delegations abroad (6 person-trips; 2 of the delegations without a count of people)");
    // the outcomes are the paragraph
    expect(draft.zh.text).toContain("勐海县代表团赴缅甸掸邦参加边民联谊活动，增进了边民友谊。县领导赴缅甸掸邦出席节庆活动，增进了边民友谊。");
    const figures = await periodFiguresByPlanItem(db, await period("2025-H1"));
    expect(figures.get("4.3.7")!.tally.byType.outbound_visit).toMatchObject({ delegations: 3, participants: 6, delegationsNoPeople: 2 });
  });
});

describe("approved figures come from the frozen snapshot", () => {
  it("writes an approved period's paragraphs from the outcomes as approved, whatever the ledger says later", async () => {
    const menghai = await unitByCode("yn-xsbn-menghai");
    const h2 = await period("2025-H2");
    const id = await createActivity(
      db,
      {
        organizationId: menghai.id,
        title: "勐海县与缅甸大其力县边境贸易座谈会",
        type: "meeting",
        startDate: "2025-09-16",
        endDate: "2025-09-16",
        status: "completed",
        primaryPlanItemId: await planItemId("4.2.3"),
        otherPlanItemIds: [],
        countries: ["MM"],
        counterpartBody: "",
        location: "勐海县打洛镇",
        delegationsCount: null,
        participantsCount: 40,
        fundingCnyFen: null,
        fundingSource: "",
        outcome: "与缅甸大其力县商定共同推进打洛口岸边民互市贸易，签署会议纪要1份",
        evidence: [],
      },
      null,
    );
    const saved = await saveReport(db, await sessionUser("xsbn"), menghai, h2, { version: 0, items: [], commitments: [] });
    expect(saved.ok).toBe(true);
    expect((await submitReport(db, await sessionUser("xsbn_leader"), menghai, h2)).ok).toBe(true);
    expect((await approveReport(db, await sessionUser("reviewer"), menghai, h2)).ok).toBe(true);
    await db.updateTable("activities").set({ outcome: "事后改写的成果" }).where("id", "=", id).execute();
    const draft = await draftProgressReport(db, menghai, h2);
    expect(draft.zh.text).toContain("1.贸易投资便利化（4.2.3）。与缅甸大其力县商定共同推进打洛口岸边民互市贸易，签署会议纪要1份。");
    expect(draft.zh.text).not.toContain("事后改写的成果");
  });

  it("labels the figures, and those of an approved report do not move when the ledger changes", async () => {
    const mengla = await unitByCode("yn-xsbn-mengla");
    const h1 = await period("2024-H1");
    const visit = await createActivity(
      db,
      {
        organizationId: mengla.id,
        title: "勐腊县代表团赴老挝南塔省开展边境合作交流",
        type: "outbound_visit",
        startDate: "2024-03-05",
        endDate: "2024-03-08",
        status: "completed",
        primaryPlanItemId: await planItemId("5.4"),
        otherPlanItemIds: [],
        countries: ["LA"],
        counterpartBody: "老挝南塔省",
        location: "老挝南塔省",
        delegationsCount: 2,
        participantsCount: 9,
        fundingCnyFen: 12_500_000,
        fundingSource: "县级财政",
        outcome: "",
        evidence: [],
      },
      null,
    );

    let draft = await draftProgressReport(db, mengla, h1);
    expect(draft.zh.text).toContain("出访2批9人次");
    expect(draft.zh.text).toContain("【数据说明：本期计入统计的1项活动尚未审核，取自活动台账，可能变动（本单位本期报告状态：未开始）");
    expect(draft.zh.text).toContain("【数据来源：本段本期数据尚未审核，取自活动台账，可能变动】");
    expect(draft.sources).toMatchObject({ counted: 1, approved: 0, unreviewed: 1 });

    // the report goes through the real workflow: drafted, submitted, approved (which freezes it)
    const item = await planItemId("5.4");
    const saved = await saveReport(db, await sessionUser("xsbn"), mengla, h1, {
      version: 0,
      items: [{ planItemId: item, progress: "赴老挝南塔省交流2批9人次。", problems: "", nextSteps: "下半年邀请南塔省代表团回访。", coordination: "" }],
      commitments: [],
    });
    expect(saved.ok).toBe(true);
    expect((await submitReport(db, await sessionUser("xsbn_leader"), mengla, h1)).ok).toBe(true);
    expect((await approveReport(db, await sessionUser("reviewer"), mengla, h1)).ok).toBe(true);

    draft = await draftProgressReport(db, mengla, h1);
    expect(draft.zh.text).toContain("【数据说明：本期计入统计的1项活动取自已审核通过的报告（勐腊县2024年上半年报告，");
    expect(draft.zh.text).toContain("1.地方支撑（5.4）。赴老挝南塔省交流2批9人次。");
    expect(draft.zh.text).toContain("（一）地方支撑（5.4）。下半年邀请南塔省代表团回访。");
    expect(draft.zh.text).toContain("进展情况等文字取自已审核通过的报告");
    expect(draft.sources).toMatchObject({ counted: 1, approved: 1, unreviewed: 0 });

    // the ledger changes underneath (straight in the database, past the freeze): the approved figures stay
    await db.updateTable("activities").set({ participants_count: 99, delegations_count: 5, funding_cny_fen: 99_000_000 }).where("id", "=", visit).execute();
    draft = await draftProgressReport(db, mengla, h1);
    expect(draft.zh.text).toContain("出访2批9人次");
    expect(draft.zh.text).toContain("12.5万元");
    expect(draft.zh.text).not.toContain("99");
    expect(draft.en.text).toContain("2 delegations abroad (9 person-trips)");
    const figures = await periodFiguresByPlanItem(db, h1);
    expect(figures.get("5.4")!.tally.byType.outbound_visit).toMatchObject({ delegations: 2, participants: 9 });
    expect(figures.get("5.4")!.approved).toBe(1);

    // the prefecture above it: 勐腊县's figures approved, its own new activity not yet reviewed
    const xsbn = await unitByCode("yn-xsbn");
    await createActivity(
      db,
      {
        organizationId: xsbn.id,
        title: "西双版纳州与琅勃拉邦省友好交流座谈会",
        type: "meeting",
        startDate: "2024-05-20",
        endDate: "2024-05-20",
        status: "completed",
        primaryPlanItemId: item,
        otherPlanItemIds: [],
        countries: ["LA"],
        counterpartBody: "老挝琅勃拉邦省",
        location: "景洪市",
        delegationsCount: null,
        participantsCount: 30,
        fundingCnyFen: null,
        fundingSource: "",
        outcome: "",
        evidence: [],
      },
      null,
    );
    const parent = await draftProgressReport(db, xsbn, h1);
    expect(parent.sources).toMatchObject({ counted: 2, approved: 1, unreviewed: 1 });
    expect(parent.zh.text).toContain("本期计入统计的2项活动中，1项取自已审核通过的报告（勐腊县2024年上半年报告，");
    expect(parent.zh.text).toContain("出访2批9人次、举办或参加会议、论坛1次");
    expect(parent.zh.text).toContain("【数据来源：本段本期数据1项取自已审核通过的报告，1项尚未审核（西双版纳州与琅勃拉邦省友好交流座谈会）");
    expect(parent.en.text).toContain("[About the figures: 2 activities counted; from approved reports: 1 (the 2024 H1 report of Mengla County, approved on ");
    expect(parent.en.text).toContain("not yet reviewed: 1 (live activity ledger, may change)");
  });
});
