// Seeds the demo period report of 西双版纳州 for 2023年上半年, written from the prefecture's own account
// (reference/local-reports/xishuangbanna-fao-reply-2023.txt), taken through the real workflow: the reporter
// drafts, the leader submits, the reviewer approves, which freezes it. The dates are then set to those of the
// real reporting season. Idempotent: nothing happens when the report exists.
import { getReportFor } from "~/models/period-report.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { getUserById } from "~/models/user.server";
import { approveReport, saveReport, submitReport } from "~/services/report-workflow.server";
import type { DB } from "~/utils/db.server";

const NARRATIVES: Record<string, { progress: string; problems?: string; nextSteps?: string }> = {
  "5.4": {
    progress:
      "2023年上半年，州委领导出访新加坡、州政府领导出访老挝泰国各1次，全州各级政府代表团赴境外参加老挝波乔省“木棉花节”、老挝沙耶武里省“大象节”、老挝及缅甸境外罂粟替代种植项目验收等涉外活动共10批47人次。初步达成与老挝占巴色省建立友城的共识，完成与韩国京畿道议政府市缔结友好城市意向书的签订；为纪念与琅勃拉邦省建立友好城市20周年，召开视频交流会签署了2023年加强友好交流与合作备忘录。",
    nextSteps:
      "9月计划邀请老挝琅勃拉邦省政府代表团到我州交流访问；积极推进与老挝占巴塞省缔结友城手续报批工作；加强与韩国京畿道议政府市互访，争取尽快完成正式缔结友好城市工作。",
  },
  "4.2.6": {
    progress: "向老挝南塔省勐醒县巴铺村援建饮用水蓄水池项目，向缅四特区曼回村民小组援建价值人民币30万元公用社房1幢。",
    nextSteps: "积极向上级部门争取民间外交项目及资金，申报实施一批“小而美”项目。",
  },
  "4.3.7": {
    progress: "成功举办“民相亲、心相通”之中老、中缅边民大联欢系列活动，有效促进了中老、中缅边境人民“民相亲、心相通”，得到省委外办和省友协通报表扬。",
    nextSteps: "积极申报中老边民大联欢系列活动，面向老北各省完善常态友好联络机制，将勐腊县打造成“中老友好第一县”。",
  },
  "4.3.1": {
    progress: "创新开展“茶”外交，线上向境外友城展示普洱茶文化；组团赴老挝波乔省参加“木棉花节”、赴沙耶武里省参加“大象节”。",
  },
  "4.3.4": {
    progress: "州外办出品的《共饮一江水·胞波情谊深》获得“最佳创作奖”，展现中老友谊的作品《路缘》网络热度持续攀高。",
  },
  "4.1.3.2": {
    progress: "组织赴老挝及缅甸开展境外罂粟替代种植项目验收。",
  },
};

async function sessionUser(db: DB, username: string) {
  const row = await db.selectFrom("users").select("id").where("username", "=", username).executeTakeFirstOrThrow();
  return (await getUserById(db, row.id))!;
}

export async function seedDemoReports(db: DB): Promise<void> {
  const unit = await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("code", "=", "yn-xsbn").executeTakeFirst();
  const period = await getPeriodByCode(db, "2023-H1");
  if (!unit || !period || (await getReportFor(db, unit.id, period.id))) return;

  const items = await db.selectFrom("plan_items").select(["id", "code"]).where("code", "in", Object.keys(NARRATIVES)).execute();
  const reporter = await sessionUser(db, "xsbn");
  const leader = await sessionUser(db, "xsbn_leader");
  const reviewer = await sessionUser(db, "reviewer");
  const saved = await saveReport(db, reporter, unit, period, {
    version: 0,
    items: items.map((i) => ({
      planItemId: i.id,
      progress: NARRATIVES[i.code]!.progress,
      problems: NARRATIVES[i.code]!.problems ?? "",
      nextSteps: NARRATIVES[i.code]!.nextSteps ?? "",
      coordination: "",
    })),
    commitments: [],
  });
  if (!saved.ok) throw new Error(`demo report: ${saved.error}`);
  const submitted = await submitReport(db, leader, unit, period);
  if (!submitted.ok) throw new Error(`demo report: ${submitted.error}`);
  const approved = await approveReport(db, reviewer, unit, period);
  if (!approved.ok) throw new Error(`demo report: ${approved.error}`);

  // the reporting season of the real document: submitted before the 15 July deadline, approved a week later
  const submittedAt = "2023-07-12T02:30:00.000Z";
  const approvedAt = "2023-07-19T07:00:00.000Z";
  await db
    .updateTable("period_reports")
    .set({ first_submitted_at: submittedAt, submitted_at: submittedAt, reviewed_at: approvedAt, created_at: "2023-07-05T01:00:00.000Z", updated_at: approvedAt })
    .where("id", "=", saved.reportId)
    .execute();
  await db.updateTable("report_snapshots").set({ approved_at: approvedAt }).where("report_id", "=", saved.reportId).execute();
  for (const [action, at] of [
    ["report.save", "2023-07-05T01:00:00.000Z"],
    ["report.submit", submittedAt],
    ["report.approve", approvedAt],
  ] as const) {
    await db
      .updateTable("audit_log")
      .set({ at })
      .where("entity_type", "=", "period_report")
      .where("entity_id", "=", saved.reportId)
      .where("action", "=", action)
      .execute();
  }
}
