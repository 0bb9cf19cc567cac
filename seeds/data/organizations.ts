import type { OrganizationSeed } from "./types";

// Reporting units, parents before children.
// Yunnan's 16 prefecture-level units are all listed; counties are those the reference documents name
// (plus 勐海县, so that Xishuangbanna's three county-level units are complete).
// Foreign counterpart bodies are not units: they are in the counterpart register (counterparts.ts).

export const organizations: OrganizationSeed[] = [
  // ── China: province ─────────────────────────────────────────────────────────────────────────────
  { code: "yn", parentCode: null, kind: "province", nameZh: "云南省", nameEn: "Yunnan Province", countryCode: "CN" },

  // ── Yunnan: the 16 prefecture-level units (8 prefecture-level cities, 8 autonomous prefectures) ──
  { code: "yn-km", parentCode: "yn", kind: "prefecture", nameZh: "昆明市", nameEn: "Kunming", countryCode: "CN" },
  { code: "yn-qj", parentCode: "yn", kind: "prefecture", nameZh: "曲靖市", nameEn: "Qujing", countryCode: "CN" },
  { code: "yn-yx", parentCode: "yn", kind: "prefecture", nameZh: "玉溪市", nameEn: "Yuxi", countryCode: "CN" },
  { code: "yn-bs", parentCode: "yn", kind: "prefecture", nameZh: "保山市", nameEn: "Baoshan", countryCode: "CN" },
  { code: "yn-zt", parentCode: "yn", kind: "prefecture", nameZh: "昭通市", nameEn: "Zhaotong", countryCode: "CN" },
  { code: "yn-lj", parentCode: "yn", kind: "prefecture", nameZh: "丽江市", nameEn: "Lijiang", countryCode: "CN" },
  { code: "yn-pe", parentCode: "yn", kind: "prefecture", nameZh: "普洱市", nameEn: "Pu'er", countryCode: "CN" },
  { code: "yn-lc", parentCode: "yn", kind: "prefecture", nameZh: "临沧市", nameEn: "Lincang", countryCode: "CN" },
  {
    code: "yn-cx",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "楚雄彝族自治州",
    nameEn: "Chuxiong Yi Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-hh",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "红河哈尼族彝族自治州",
    nameEn: "Honghe Hani and Yi Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-ws",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "文山壮族苗族自治州",
    nameEn: "Wenshan Zhuang and Miao Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-xsbn",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "西双版纳傣族自治州",
    nameEn: "Xishuangbanna Dai Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-dl",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "大理白族自治州",
    nameEn: "Dali Bai Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-dh",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "德宏傣族景颇族自治州",
    nameEn: "Dehong Dai and Jingpo Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-nj",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "怒江傈僳族自治州",
    nameEn: "Nujiang Lisu Autonomous Prefecture",
    countryCode: "CN",
  },
  {
    code: "yn-dq",
    parentCode: "yn",
    kind: "prefecture",
    nameZh: "迪庆藏族自治州",
    nameEn: "Diqing Tibetan Autonomous Prefecture",
    countryCode: "CN",
  },

  // ── Yunnan: county-level units named in the documents ───────────────────────────────────────────
  { code: "yn-xsbn-jinghong", parentCode: "yn-xsbn", kind: "county", nameZh: "景洪市", nameEn: "Jinghong City", countryCode: "CN" },
  { code: "yn-xsbn-menghai", parentCode: "yn-xsbn", kind: "county", nameZh: "勐海县", nameEn: "Menghai County", countryCode: "CN" },
  { code: "yn-xsbn-mengla", parentCode: "yn-xsbn", kind: "county", nameZh: "勐腊县", nameEn: "Mengla County", countryCode: "CN" },
  { code: "yn-dq-shangri-la", parentCode: "yn-dq", kind: "county", nameZh: "香格里拉市", nameEn: "Shangri-La City", countryCode: "CN" },
  {
    code: "yn-lc-shuangjiang",
    parentCode: "yn-lc",
    kind: "county",
    nameZh: "双江拉祜族佤族布朗族傣族自治县",
    nameEn: "Shuangjiang Lahu, Va, Blang and Dai Autonomous County",
    countryCode: "CN",
  },

  // ── LMC secretariat ─────────────────────────────────────────────────────────────────────────────
  {
    code: "lmc-cn-secretariat",
    parentCode: null,
    kind: "secretariat",
    nameZh: "澜湄合作中国秘书处",
    nameEn: "Lancang-Mekong Cooperation China Secretariat",
    countryCode: "CN",
  },
  {
    code: "lmc-cn-yn-liaison",
    parentCode: "lmc-cn-secretariat",
    kind: "liaison_office",
    nameZh: "澜湄合作中国秘书处云南联络办公室",
    nameEn: "Yunnan Liaison Office of the Lancang-Mekong Cooperation China Secretariat",
    countryCode: "CN",
  },
];
