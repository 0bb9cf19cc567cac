// The plan's indicators as seeded. Baselines are the published figures of the reference documents
// (/work/shared/reference/local-reports); the documents give no targets, so the plan and period targets here are
// illustrative working targets an administrator is expected to revise. Each plan target is set on its own and is
// deliberately not the sum of the period targets given (only some periods have one).
import type { IndicatorComputation, IndicatorUnit } from "~/schemas/indicator";
import type { ActivityType } from "./types";

// Every seeded computed indicator counts the matching activities of the unit whatever plan item they serve (offices
// tag a visit by its subject, and it is still one of the unit's 出访团组); the plan item is where it is rated.

export interface IndicatorSeed {
  /** stable slug: the seed finds an indicator by it and never overwrites what is there */
  code: string;
  planCode: string;
  nameZh: string;
  nameEn: string;
  unit: IndicatorUnit;
  baselineValue: number;
  baselineYear: number;
  targetValue: number;
  direction: "up" | "down";
  measure: "stock" | "flow";
  source: "computed" | "entered";
  computation: IndicatorComputation | null;
  /** the activity types counted; empty: every type */
  activityTypes: ActivityType[];
  /** half-year period code → target (a level for stock, the period's quantity for flow) */
  periodTargets: Record<string, number>;
  /** where the baseline comes from, so it can be checked */
  sourceNote: string;
}

export const indicatorSeeds: IndicatorSeed[] = [
  {
    code: "sister-cities",
    planCode: "5.4",
    nameZh: "国际友好城市（全省累计对数）",
    nameEn: "International sister-city pairs (Yunnan, cumulative)",
    unit: "对",
    baselineValue: 103,
    baselineYear: 2022,
    targetValue: 115,
    direction: "up",
    measure: "stock",
    source: "computed",
    // the sister-city register's formal pairs established after 2022, added to the published 103
    computation: "sister_city_pairs",
    activityTypes: [],
    periodTargets: { "2023-H2": 105, "2024-H2": 107, "2025-H2": 110, "2026-H2": 112 },
    sourceNote:
      "yunnan-fao-decade-briefing-2022.txt: 截至目前，我省与36国缔结国际友好城市103对（2022年8月）; yunnan-sister-cities-40-years-2021.txt: 103对",
  },
  {
    code: "sister-city-countries",
    planCode: "5.4",
    nameZh: "国际友好城市所在国家（全省累计）",
    nameEn: "Countries with sister-city pairs (Yunnan, cumulative)",
    unit: "个",
    baselineValue: 36,
    baselineYear: 2022,
    targetValue: 38,
    direction: "up",
    measure: "stock",
    source: "computed",
    computation: "sister_city_countries",
    activityTypes: [],
    periodTargets: {},
    sourceNote:
      "yunnan-fao-decade-briefing-2022.txt: 截至目前，我省与36国缔结国际友好城市103对（2022年8月）; yunnan-sister-cities-40-years-2021.txt: 与世界五大洲的36个国家缔结国际友好城市关系103对（2021年11月）",
  },
  {
    code: "sister-cities-southeast-asia",
    planCode: "5.4",
    nameZh: "东南亚国家国际友好城市（全省累计对数）",
    nameEn: "Sister-city pairs in Southeast Asia (Yunnan, cumulative)",
    unit: "对",
    baselineValue: 49,
    baselineYear: 2021,
    targetValue: 55,
    direction: "up",
    measure: "stock",
    source: "computed",
    computation: "sister_city_pairs_sea",
    activityTypes: [],
    periodTargets: {},
    sourceNote:
      "yunnan-sister-cities-40-years-2021.txt: 全省在东南亚国家的国际友好城市总数达49对（2021年11月）. yunnan-fao-decade-briefing-2022.txt gives the same 49 as 与南亚东南亚国家友城总数 (2022年8月); both cannot hold, since the documents also name South Asian pairs (博克拉市, 加姆波勒市): the sister-city office's own wording is taken",
  },
  {
    code: "border-villages",
    planCode: "4.3.7",
    nameZh: "边境友好村寨（结好对数）",
    nameEn: "Twinned border villages (pairs)",
    unit: "对",
    baselineValue: 23,
    baselineYear: 2022,
    targetValue: 30,
    direction: "up",
    measure: "stock",
    source: "entered",
    computation: null,
    activityTypes: [],
    periodTargets: { "2024-H2": 25, "2025-H2": 27 },
    sourceNote: "yunnan-fao-decade-briefing-2022.txt: 在边境县(市)开创边境友好村寨合作新模式，与老挝、缅甸、越南23个边境村寨结好",
  },
  {
    code: "livelihood-projects",
    planCode: "4.2.6",
    nameZh: "境外民生项目（2023年起新实施；基线32个为截至2022年累计）",
    nameEn: "Livelihood projects abroad, new from 2023 (baseline: 32 in total up to 2022)",
    unit: "个",
    baselineValue: 32,
    baselineYear: 2022,
    targetValue: 40,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "count",
    activityTypes: ["aid_project"],
    periodTargets: { "2023-H1": 2, "2023-H2": 4, "2024-H1": 4, "2024-H2": 4 },
    sourceNote:
      "yunnan-fao-decade-briefing-2022.txt: 依托我省驻13个国家商务代表处，实施捐赠太阳能路灯、乡村道路修复、清洁饮水、农贸市场改造等32个民生项目",
  },
  {
    code: "outbound-delegations",
    planCode: "5.4",
    nameZh: "出访团组（批次）",
    nameEn: "Delegations sent abroad",
    unit: "批",
    baselineValue: 0,
    baselineYear: 2022,
    targetValue: 100,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "sum_delegations",
    activityTypes: ["outbound_visit"],
    periodTargets: { "2023-H1": 10, "2023-H2": 10, "2024-H1": 10, "2024-H2": 10 },
    sourceNote: "xishuangbanna-fao-reply-2023.txt: 2023年上半年……涉外活动共10批47人次 (no 2022 figure published: baseline 0)",
  },
  {
    code: "outbound-participants",
    planCode: "5.4",
    nameZh: "出访人员（人次）",
    nameEn: "People sent abroad (person-times)",
    unit: "人次",
    baselineValue: 0,
    baselineYear: 2022,
    targetValue: 470,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "sum_participants",
    activityTypes: ["outbound_visit"],
    periodTargets: { "2023-H1": 47, "2023-H2": 47, "2024-H1": 47, "2024-H2": 47 },
    sourceNote: "xishuangbanna-fao-reply-2023.txt: 共10批47人次 (no 2022 figure published: baseline 0)",
  },
  {
    code: "inbound-delegations",
    planCode: "5.4",
    nameZh: "来访团组（批次）",
    nameEn: "Delegations received",
    unit: "批",
    baselineValue: 0,
    baselineYear: 2022,
    targetValue: 50,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "sum_delegations",
    activityTypes: ["inbound_visit"],
    periodTargets: { "2023-H2": 2, "2024-H1": 5, "2024-H2": 5 },
    sourceNote: "xishuangbanna-fao-reply-2023.txt: 9月计划邀请老挝琅勃拉邦省政府代表团到我州交流访问 (no 2022 figure published: baseline 0)",
  },
  {
    code: "training-participants",
    planCode: "4.3.3",
    nameZh: "培训人数（人次）",
    nameEn: "People trained (person-times)",
    unit: "人次",
    baselineValue: 150,
    baselineYear: 2022,
    targetValue: 1000,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "sum_participants",
    activityTypes: ["training"],
    periodTargets: { "2024-H1": 100, "2024-H2": 100 },
    sourceNote:
      "yunnan-sister-cities-40-years-2021.txt: 柬埔寨农业技术培训 2019年50人、2021年线上100人 (baseline: the 150 trained in the ledger's trainings before the plan)",
  },
  {
    code: "foreign-affairs-funding",
    planCode: "5.2",
    nameZh: "对外交流合作资金（万元）",
    nameEn: "Funding for international exchange and cooperation (CNY 10k)",
    unit: "万元",
    baselineValue: 248.46,
    baselineYear: 2022,
    targetValue: 500,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "sum_funding",
    activityTypes: [],
    periodTargets: { "2024-H1": 50, "2024-H2": 50 },
    sourceNote:
      "xishuangbanna-fao-reply-2023.txt: 近三年来，争取并拨付了地方外事省对下专项经费223.36万元、州级外事接待经费25.1万元 (baseline: the sum, 248.46)",
  },
  {
    code: "cooperation-documents",
    planCode: "5.4",
    nameZh: "签署合作文件（协议、备忘录）",
    nameEn: "Cooperation documents signed (agreements, MoUs)",
    unit: "个",
    baselineValue: 0,
    baselineYear: 2022,
    targetValue: 20,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "count",
    activityTypes: ["agreement"],
    periodTargets: { "2023-H1": 1, "2023-H2": 2, "2024-H1": 2, "2024-H2": 2 },
    sourceNote:
      "xishuangbanna-fao-reply-2023.txt: 签署了《中国云南省西双版纳州与老挝琅勃拉邦省2023年加强友好交流与合作备忘录》 (no 2022 figure published: baseline 0)",
  },
];
