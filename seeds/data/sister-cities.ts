// The sister-city relationships the reference documents (reference/local-reports/*.txt) name, and only those, with
// dates only where a document gives them (a year alone stays a year). Each cites the words it rests on.
// Where a document speaks for the province ("我省", "我们", "我省领导向…外国友好州负责人致慰问信"), the pair is the
// province's (云南省). Bodies a document only mentions (a project, a visit, "友好关系" without a sister-city tie) are
// left out: 越南老街省, 爱尔兰克莱尔郡, 阿根廷米西奥内斯省, 瑞典布莱金厄省, 香格里拉市–阿罗萨市 (a joint brewery), 普洱市
// –丰沙里省 (a planting project), 西双版纳州–景栋 and 琅勃拉邦市 (aims, not ties). See ADR 015.
import type { SisterCityStage } from "~/domain/sister-cities";

export interface SisterCitySeed {
  /** stable key: the seed finds a relationship by it and never overwrites what is there */
  key: string;
  unitCode: string;
  bodyCode: string;
  stage: SisterCityStage;
  consensusOn?: string;
  letterOfIntentOn?: string;
  establishedOn?: string;
  letterOfIntentDocument?: string;
  establishedDocument?: string;
  /** the document and its words */
  source: string;
}

const FORTY = "yunnan-sister-cities-40-years-2021.txt";
const BANNA = "xishuangbanna-fao-reply-2023.txt";

const KUNMING_FIVE = "昆明市与5个国际友好城市(马来西亚吉晋南市、柬埔寨金边市、尼泊尔博克拉市、老挝万象市、缅甸仰光市)";
const LINCANG = "临沧市与俄罗斯杜布纳市、缅甸腊戍市、斯里兰卡加姆波勒市等国际友好城市";
const ISRAEL = "楚雄彝族自治州与以色列约阿夫地区、保山市与塔玛市、昭通市与阿夫拉地区建立了国际友好城市关系";
const FRIENDLY_STATES = "我省领导向意大利洛迪省、印度尼西亚巴厘省、泰国清莱府、捷克奥洛莫茨州、俄罗斯弗拉基米尔州等外国友好州负责人致慰问信";
const DONATIONS = "当国际友好城市面对疫情侵袭,我们…及时向韩国全罗北道、忠清南道、仁川市、意大利翁布里亚大区及洛迪省、柬埔寨暹罗省和班迭棉吉省、马来西亚沙撈越州、伊朗吉兰省等捐赠抗疫物资";
const SUPPORT = "我省与对口国际友好城市同舟共济、共克时艰。捷克奥洛莫茨州、罗马尼亚蒂米什瓦拉、智利大河区、柬埔寨暹罗省和班迭棉吉省…";

const formal = (key: string, unitCode: string, bodyCode: string, source: string, establishedOn?: string): SisterCitySeed => ({
  key,
  unitCode,
  bodyCode,
  stage: "established",
  establishedOn,
  source,
});

export const sisterCities: SisterCitySeed[] = [
  // ── 昆明市 ──────────────────────────────────────────────────────────────────────────────────────
  // The 40th anniversary of Yunnan's sister-city work fell on 5 November 2021, forty years after this first pair.
  formal("km-fujisawa", "yn-km", "jp-fujisawa", `${FORTY}: 2021年11月5日,是我省国际友好城市工作40周年纪念日。40年前,昆明市与日本藤泽市缔结了我省第1对国际友好城市`, "1981-11-05"),
  formal("km-zurich", "yn-km", "ch-zurich", `${FORTY}: 昆明市与瑞士苏黎世市缔结国际友好城市关系30多年来`),
  formal("km-kuching-south", "yn-km", "my-kuching-south", `${FORTY}: ${KUNMING_FIVE}`),
  formal("km-phnom-penh", "yn-km", "kh-phnom-penh", `${FORTY}: ${KUNMING_FIVE}`),
  formal("km-pokhara", "yn-km", "np-pokhara", `${FORTY}: ${KUNMING_FIVE}`),
  formal("km-vientiane", "yn-km", "la-vientiane", `${FORTY}: ${KUNMING_FIVE}`),
  formal("km-yangon", "yn-km", "mm-yangon", `${FORTY}: ${KUNMING_FIVE}`),

  // ── 临沧市, 楚雄州, 保山市, 昭通市 ──────────────────────────────────────────────────────────────
  formal("lc-dubna", "yn-lc", "ru-dubna", `${FORTY}: ${LINCANG}`),
  formal("lc-lashio", "yn-lc", "mm-lashio", `${FORTY}: ${LINCANG}`),
  formal("lc-gampola", "yn-lc", "lk-gampola", `${FORTY}: ${LINCANG}`),
  formal("cx-yoav", "yn-cx", "il-yoav", `${FORTY}: ${ISRAEL}`),
  formal("bs-tamar", "yn-bs", "il-tamar", `${FORTY}: ${ISRAEL}`),
  formal("zt-afula", "yn-zt", "il-afula", `${FORTY}: ${ISRAEL}`),

  // ── 西双版纳州 ──────────────────────────────────────────────────────────────────────────────────
  // The 20th anniversary was marked in 2023: established in 2003 (the year only).
  formal("xsbn-luang-prabang", "yn-xsbn", "la-luang-prabang", `${BANNA}: 为纪念西双版纳州与琅勃拉邦省建立友好城市20周年，召开视频交流会签署了《中国云南省西双版纳州与老挝琅勃拉邦省2023年加强友好交流与合作备忘录》`, "2003"),
  {
    key: "xsbn-uijeongbu",
    unitCode: "yn-xsbn",
    bodyCode: "kr-uijeongbu",
    stage: "letter_of_intent",
    letterOfIntentDocument: "西双版纳州与韩国京畿道议政府市缔结友好城市意向书",
    source: `${BANNA}: 完成了西双版纳州与韩国京畿道议政府市缔结友好城市意向书的签订……争取尽快完成正式缔结为友好城市工作`,
  },
  {
    key: "xsbn-champasak",
    unitCode: "yn-xsbn",
    bodyCode: "la-champasak",
    stage: "consensus",
    source: `${BANNA}: 初步达成了与老挝占巴色省建立友城的共识……积极推进与老挝占巴塞省缔结友城手续报批工作`,
  },

  // ── 云南省 ──────────────────────────────────────────────────────────────────────────────────────
  formal("yn-banteay-meanchey", "yn", "kh-banteay-meanchey", `${FORTY}: 柬埔寨班迭棉吉省省长孙巴沃:两省自2011年建立友好省关系以来`, "2011"),
  formal("yn-siem-reap", "yn", "kh-siem-reap", `${FORTY}: ${DONATIONS}; 2018年12月,我省在柬埔寨暹罗省开展了“促进友城友好交流—中柬旅游高级人才研讨班”`),
  formal("yn-olomouc", "yn", "cz-olomouc", `${FORTY}: 捷克奥洛莫茨州州长伊日·罗兹博日尔:…云南省与奥洛莫茨州的友好省州关系; ${FRIENDLY_STATES}`),
  formal("yn-arkhangai", "yn", "mn-arkhangai", `${FORTY}: 蒙古国后杭盖省省长蒙赫那森:…将积极推动两省在友好省关系框架下开展…务实交流合作`),
  formal("yn-delaware", "yn", "us-delaware", `${FORTY}: 美国特拉华州州长安妮·布洛克:…希望在友好省州关系框架下,共同推动…友好交流合作`),
  formal("yn-lodi", "yn", "it-lodi", `${FORTY}: ${FRIENDLY_STATES}`),
  formal("yn-bali", "yn", "id-bali", `${FORTY}: ${FRIENDLY_STATES}`),
  formal("yn-chiang-rai", "yn", "th-chiang-rai", `${FORTY}: ${FRIENDLY_STATES}`),
  formal("yn-vladimir", "yn", "ru-vladimir", `${FORTY}: ${FRIENDLY_STATES}`),
  formal("yn-jeollabuk", "yn", "kr-jeollabuk", `${FORTY}: ${DONATIONS}`),
  formal("yn-chungcheongnam", "yn", "kr-chungcheongnam", `${FORTY}: ${DONATIONS}; 2017年9月,韩国忠清南道青少年代表团一行16人访滇`),
  formal("yn-incheon", "yn", "kr-incheon", `${FORTY}: ${DONATIONS}`),
  formal("yn-umbria", "yn", "it-umbria", `${FORTY}: ${DONATIONS}`),
  formal("yn-sarawak", "yn", "my-sarawak", `${FORTY}: ${DONATIONS}`),
  formal("yn-gilan", "yn", "ir-gilan", `${FORTY}: ${DONATIONS}`),
  formal("yn-timisoara", "yn", "ro-timisoara", `${FORTY}: ${SUPPORT}`),
  formal("yn-los-rios", "yn", "cl-los-rios", `${FORTY}: ${SUPPORT}`),
  formal("yn-iwate", "yn", "jp-iwate", `${FORTY}: 自2012年起,以国际友好城市为平台……2019年7月,云南青少年代表团赴日本岩手县进行了友好访问`),
];
