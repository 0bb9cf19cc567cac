// Activity types and statuses named the way ledgers name them: the form's labels in both languages, each part of
// "会议/论坛", the codes, and synonyms; and a type guessed from a title.
import { translator } from "~/i18n/translator.server";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, type ActivityStatus, type ActivityType } from "~/schemas/activity";
import { nameKey } from "./values";

const zhT = translator("zh-CN");
const enT = translator("en");

const TYPE_SYNONYMS: Record<ActivityType, string[]> = {
  outbound_visit: ["出访", "出国访问", "出访活动", "赴外访问", "外出访问", "outbound", "visit abroad", "outgoing visit"],
  inbound_visit: ["来访", "来访接待", "接待来访", "外宾来访", "接待", "inbound", "incoming visit", "visit received"],
  meeting: ["会议", "论坛", "会议论坛", "会谈", "会见", "研讨会", "座谈会", "meeting", "forum", "conference", "talks", "seminar"],
  agreement: ["签署协议", "备忘录", "签约", "协议", "签署备忘录", "agreement", "mou", "memorandum", "signing"],
  sister_city: ["友好城市", "友城", "缔结友好城市", "结好", "友好城市结好", "sister city", "sister cities", "twinning", "friendship city"],
  aid_project: ["援助", "民生项目", "援助项目", "援建", "aid", "assistance", "livelihood project"],
  training: ["培训", "培训班", "研修", "training", "course"],
  festival: ["节庆", "文化活动", "节庆活动", "文艺演出", "展览", "文化交流", "festival", "cultural event", "exhibition"],
  other: ["其他", "其它", "other", "others"],
};
const STATUS_SYNONYMS: Record<ActivityStatus, string[]> = {
  planned: ["计划", "计划中", "拟开展", "拟办", "筹备", "筹备中", "未开始", "planned", "plan", "upcoming", "not started"],
  ongoing: ["进行中", "正在进行", "实施中", "推进中", "在建", "ongoing", "in progress", "underway"],
  completed: ["已完成", "完成", "已办结", "办结", "已结束", "结束", "completed", "complete", "done", "finished"],
  cancelled: ["取消", "已取消", "撤销", "cancelled", "canceled"],
};

function labelMap<T extends string>(codes: readonly T[], prefix: string, synonyms: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const code of codes) {
    const names = [code, code.replace(/_/g, " "), zhT(`${prefix}.${code}`), enT(`${prefix}.${code}`), ...synonyms[code]];
    for (const name of names) {
      map.set(nameKey(name), code);
      for (const part of name.split("/")) if (part.trim()) map.set(nameKey(part), code);
    }
  }
  return map;
}
let typeMap: Map<string, ActivityType> | null = null;
let statusMap: Map<string, ActivityStatus> | null = null;
export function parseType(text: string): ActivityType | null {
  typeMap ??= labelMap(ACTIVITY_TYPES, "activity.type", TYPE_SYNONYMS);
  return typeMap.get(nameKey(text)) ?? null;
}
export function parseStatus(text: string): ActivityStatus | null {
  statusMap ??= labelMap(ACTIVITY_STATUSES, "activity.status", STATUS_SYNONYMS);
  return statusMap.get(nameKey(text)) ?? null;
}

const TYPE_HINTS: [ActivityType, RegExp][] = [
  ["sister_city", /友好城市|友城|结好|sister cit/i],
  ["agreement", /签署|签订|签约|备忘录|协议|agreement|mou\b|memorandum/i],
  ["training", /培训|研修|training/i],
  ["aid_project", /援助|援建|捐赠|民生项目|\baid\b|donat/i],
  ["festival", /节|文化周|文艺|演出|展览|festival|exhibition/i],
  ["meeting", /会议|论坛|研讨会|座谈会|会谈|会见|博览会|meeting|forum|conference|seminar/i],
  ["outbound_visit", /出访|赴|visit to/i],
  ["inbound_visit", /来访|来滇|接待|delegation from/i],
];
export function typeFromTitle(title: string): ActivityType | null {
  return TYPE_HINTS.find(([, re]) => re.test(title))?.[0] ?? null;
}
