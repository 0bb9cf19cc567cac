import type { OrganizationSeed } from "./types";

// Reporting units and counterparts, parents before children.
// Yunnan's 16 prefecture-level units are all listed; counties are those the reference documents name
// (plus 勐海县, so that Xishuangbanna's three county-level units are complete).
// Foreign bodies are the counterparts named in reference/local-reports/*.txt; where a document uses a
// variant or OCR-garbled name, the standard Chinese name is used (暹罗省 → 暹粒省, 占巴色省 → 占巴塞省,
// 吉晋南市 → 古晋南市).

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

  // ── Foreign counterpart bodies: Laos ────────────────────────────────────────────────────────────
  { code: "la-luang-prabang", parentCode: null, kind: "foreign_body", nameZh: "老挝琅勃拉邦省", nameEn: "Luang Prabang Province, Laos", countryCode: "LA" },
  { code: "la-luang-prabang-city", parentCode: null, kind: "foreign_body", nameZh: "老挝琅勃拉邦市", nameEn: "Luang Prabang City, Laos", countryCode: "LA" },
  { code: "la-champasak", parentCode: null, kind: "foreign_body", nameZh: "老挝占巴塞省", nameEn: "Champasak Province, Laos", countryCode: "LA" },
  { code: "la-luang-namtha", parentCode: null, kind: "foreign_body", nameZh: "老挝南塔省", nameEn: "Luang Namtha Province, Laos", countryCode: "LA" },
  { code: "la-bokeo", parentCode: null, kind: "foreign_body", nameZh: "老挝波乔省", nameEn: "Bokeo Province, Laos", countryCode: "LA" },
  { code: "la-sainyabuli", parentCode: null, kind: "foreign_body", nameZh: "老挝沙耶武里省", nameEn: "Sainyabuli Province, Laos", countryCode: "LA" },
  { code: "la-phongsaly", parentCode: null, kind: "foreign_body", nameZh: "老挝丰沙里省", nameEn: "Phongsaly Province, Laos", countryCode: "LA" },
  { code: "la-vientiane", parentCode: null, kind: "foreign_body", nameZh: "老挝万象市", nameEn: "Vientiane Capital, Laos", countryCode: "LA" },

  // ── Foreign counterpart bodies: Myanmar ─────────────────────────────────────────────────────────
  {
    code: "mm-special-region-4",
    parentCode: null,
    kind: "foreign_body",
    nameZh: "缅甸第四特区",
    nameEn: "Special Region 4 (Mongla), Shan State, Myanmar",
    countryCode: "MM",
  },
  { code: "mm-kengtung", parentCode: null, kind: "foreign_body", nameZh: "缅甸景栋", nameEn: "Kengtung, Shan State, Myanmar", countryCode: "MM" },
  { code: "mm-yangon", parentCode: null, kind: "foreign_body", nameZh: "缅甸仰光市", nameEn: "Yangon, Myanmar", countryCode: "MM" },
  { code: "mm-mandalay", parentCode: null, kind: "foreign_body", nameZh: "缅甸曼德勒省", nameEn: "Mandalay Region, Myanmar", countryCode: "MM" },
  { code: "mm-muse", parentCode: null, kind: "foreign_body", nameZh: "缅甸木姐", nameEn: "Muse, Shan State, Myanmar", countryCode: "MM" },
  { code: "mm-lashio", parentCode: null, kind: "foreign_body", nameZh: "缅甸腊戍市", nameEn: "Lashio, Shan State, Myanmar", countryCode: "MM" },

  // ── Foreign counterpart bodies: Cambodia ────────────────────────────────────────────────────────
  { code: "kh-siem-reap", parentCode: null, kind: "foreign_body", nameZh: "柬埔寨暹粒省", nameEn: "Siem Reap Province, Cambodia", countryCode: "KH" },
  {
    code: "kh-banteay-meanchey",
    parentCode: null,
    kind: "foreign_body",
    nameZh: "柬埔寨班迭棉吉省",
    nameEn: "Banteay Meanchey Province, Cambodia",
    countryCode: "KH",
  },
  { code: "kh-phnom-penh", parentCode: null, kind: "foreign_body", nameZh: "柬埔寨金边市", nameEn: "Phnom Penh, Cambodia", countryCode: "KH" },

  // ── Foreign counterpart bodies: Viet Nam ────────────────────────────────────────────────────────
  { code: "vn-lao-cai", parentCode: null, kind: "foreign_body", nameZh: "越南老街省", nameEn: "Lao Cai Province, Viet Nam", countryCode: "VN" },
  { code: "vn-ha-giang", parentCode: null, kind: "foreign_body", nameZh: "越南河江省", nameEn: "Ha Giang Province, Viet Nam", countryCode: "VN" },
  { code: "vn-lai-chau", parentCode: null, kind: "foreign_body", nameZh: "越南莱州省", nameEn: "Lai Chau Province, Viet Nam", countryCode: "VN" },
  { code: "vn-dien-bien", parentCode: null, kind: "foreign_body", nameZh: "越南奠边省", nameEn: "Dien Bien Province, Viet Nam", countryCode: "VN" },

  // ── Foreign counterpart bodies: Thailand ────────────────────────────────────────────────────────
  { code: "th-chiang-rai", parentCode: null, kind: "foreign_body", nameZh: "泰国清莱府", nameEn: "Chiang Rai Province, Thailand", countryCode: "TH" },

  // ── Foreign counterpart bodies outside the Mekong countries, named in the documents ─────────────
  {
    code: "kr-uijeongbu",
    parentCode: null,
    kind: "foreign_body",
    nameZh: "韩国京畿道议政府市",
    nameEn: "Uijeongbu City, Gyeonggi Province, Republic of Korea",
    countryCode: "KR",
  },
  { code: "my-kuching-south", parentCode: null, kind: "foreign_body", nameZh: "马来西亚古晋南市", nameEn: "Kuching South City, Malaysia", countryCode: "MY" },
  { code: "np-pokhara", parentCode: null, kind: "foreign_body", nameZh: "尼泊尔博克拉市", nameEn: "Pokhara, Nepal", countryCode: "NP" },
  { code: "ru-dubna", parentCode: null, kind: "foreign_body", nameZh: "俄罗斯杜布纳市", nameEn: "Dubna, Russia", countryCode: "RU" },
  { code: "lk-gampola", parentCode: null, kind: "foreign_body", nameZh: "斯里兰卡加姆波勒市", nameEn: "Gampola, Sri Lanka", countryCode: "LK" },
  { code: "ch-arosa", parentCode: null, kind: "foreign_body", nameZh: "瑞士阿罗萨市", nameEn: "Arosa, Switzerland", countryCode: "CH" },
];
