// The everyday words people type when they look for a plan item in the activity form: what a local foreign-affairs
// office calls its work (友城, 禁毒, 出访), which the plan's own text often does not say. The picker searches these
// besides the item's code, title and text. One list, kept here beside the plan it describes (plan.ts); extend it
// when a reporter could not find an item by the word they used.

/** Words per loggable plan item, Chinese first, then English. */
export const PLAN_ITEM_WORDS: Record<string, readonly string[]> = {
  "4.1.1": ["高层互访", "会见", "会谈", "会晤", "领导人", "外长", "政党", "人大", "政协", "治国理政", "政治对话", "high-level visit", "talks", "political dialogue"],
  "4.1.2": ["执法", "司法", "警务", "公安", "边境管理", "联合巡逻", "湄公河巡逻", "法院", "检察", "law enforcement", "police", "judicial", "patrol"],
  "4.1.3.1": ["卫生", "医疗", "义诊", "疫情", "疾控", "传染病", "疟疾", "艾滋病", "光明行", "医院", "health", "medical", "epidemic", "hospital"],
  "4.1.3.2": ["禁毒", "毒品", "替代种植", "跨国犯罪", "电诈", "电信诈骗", "网络赌博", "拐卖", "走私", "反恐", "drugs", "narcotics", "drug control", "alternative development", "crime", "trafficking", "fraud"],
  "4.1.3.3": ["防灾", "减灾", "救灾", "应急", "救援", "地震", "洪水", "disaster", "emergency", "relief", "flood"],
  "4.2.1": ["铁路", "中老铁路", "公路", "口岸", "航空", "航线", "物流", "通关", "陆海新通道", "航运", "railway", "road", "port of entry", "logistics", "customs clearance"],
  "4.2.2": ["产能", "产业园", "工业园", "园区", "投资", "企业合作", "industrial park", "production capacity", "investment"],
  "4.2.3": ["贸易", "经贸", "博览会", "展会", "南博会", "商品交易会", "跨境电商", "边合区", "跨合区", "经济合作区", "招商", "trade", "expo", "fair", "cross-border economic zone"],
  "4.2.4": ["能源", "电力", "电网", "水电", "光伏", "新能源", "energy", "power grid", "electricity", "solar"],
  "4.2.5": ["农业", "农技", "种植", "替代种植", "橡胶", "种子", "畜牧", "动物疫病", "渔业", "agriculture", "farming", "crops", "livestock"],
  "4.2.6": ["扶贫", "减贫", "乡村振兴", "民生", "援助", "民生项目", "示范村", "poverty", "aid", "livelihood", "rural"],
  "4.2.7": ["数字经济", "数字", "电商", "互联网", "大数据", "5G", "digital", "e-commerce", "internet"],
  "4.2.8": ["科技", "技术转移", "创新", "联合实验室", "联合研究", "science", "technology", "innovation", "laboratory"],
  "4.2.9": ["国企", "国有企业", "state-owned"],
  "4.2.10": ["中小企业", "小微企业", "民营企业", "SME", "small business"],
  "4.2.11": ["金融", "银行", "人民币", "本币结算", "跨境支付", "保险", "finance", "bank", "currency", "payment"],
  "4.2.12": ["水资源", "澜沧江", "湄公河", "水文", "水利", "流域", "water", "river", "hydrology"],
  "4.2.13": ["气候变化", "低碳", "减排", "climate", "low carbon"],
  "4.2.14": ["生态", "环保", "环境", "林业", "森林", "野生动物", "亚洲象", "保护区", "生物多样性", "ecology", "environment", "forestry", "wildlife", "elephant"],
  "4.3.1": ["文化", "艺术", "演出", "文艺", "非遗", "体育", "比赛", "赛事", "泼水节", "节庆", "culture", "arts", "performance", "sports", "festival"],
  "4.3.2": ["旅游", "游客", "旅行社", "景区", "自驾游", "tourism", "tourist", "travel"],
  "4.3.3": ["教育", "培训", "留学生", "奖学金", "学校", "大学", "职业教育", "研修班", "人才", "education", "training", "students", "scholarship", "university"],
  "4.3.4": ["新闻", "媒体", "记者", "电视", "广播", "宣传", "采访", "media", "news", "journalists", "press"],
  "4.3.5": ["民族", "跨境民族", "ethnic"],
  "4.3.6": ["宗教", "佛教", "寺庙", "religion", "buddhism", "temple"],
  "4.3.7": ["民间交流", "民间", "青年", "妇女", "友好协会", "志愿者", "人文交流", "友好往来", "people-to-people", "youth", "women", "volunteers", "friendship association"],
  "5.1": ["项目管理", "项目监督", "专项基金项目", "project management", "monitoring"],
  "5.2": ["专项基金", "澜湄合作专项基金", "资金", "基金", "special fund", "funding"],
  "5.3": ["智库", "研究", "学者", "湄公河研究中心", "知名人士论坛", "think tank", "research", "scholars"],
  "5.4": ["友好城市", "友城", "国际友城", "结好", "缔结友好", "姊妹城市", "地方政府", "地方合作", "出访", "来访", "外事", "代表团", "互访", "交流互访", "边境", "州长", "省长", "地方政府合作论坛", "sister city", "twin city", "local government", "visit", "delegation", "border"],
  "5.5": ["国际组织", "第三方", "湄公河委员会", "湄委会", "international organization", "third party", "Mekong River Commission"],
};

/**
 * The items offered first for each activity type: where offices usually count such work. Visits and sister-city
 * work are counted under 5.4 (地方支撑) whatever their subject; the subject's item is the main one when there is one.
 */
export const SUGGESTED_ITEMS_BY_TYPE: Record<string, readonly string[]> = {
  outbound_visit: ["5.4", "4.1.1", "4.3.7"],
  inbound_visit: ["5.4", "4.1.1", "4.3.7"],
  meeting: ["5.4", "4.1.1", "5.3"],
  agreement: ["5.4", "4.2.3", "4.1.1"],
  sister_city: ["5.4", "4.3.7"],
  aid_project: ["4.2.6", "4.1.3.1", "5.2"],
  training: ["4.3.3", "4.2.5", "4.1.3.1"],
  festival: ["4.3.1", "4.3.2", "4.3.7"],
  other: [],
};
