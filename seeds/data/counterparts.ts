import type { CounterpartSeed } from "./types";

// The counterpart register as the reference documents (reference/local-reports/*.txt) name its bodies: the foreign
// governments, cities and institutions Yunnan's offices visit, receive, sign with and run projects for.
// Names in Chinese are the standard ones, without the country (kept in countryCode); English names as China's
// official English writes them; the local name where it is known. The documents' other spellings are aliases:
// 占巴色省 (xishuangbanna-fao-reply-2023) is 占巴塞省, 暹罗省 and 吉晋南市 (yunnan-sister-cities-40-years-2021) are
// 暹粒省 and 古晋南市, 布菜金厄 and 帕拉索基 are that document's OCR of 布莱金厄 and 帕拉茨基, 沙撈越 its 沙捞越.
// The first 28 were the seed's foreign organizations; migration 2026-12-08T1000 moved them here with these codes.
export const counterparts: CounterpartSeed[] = [
  // ── Laos ──────────────────────────────────────────────────────────────────────────────────────────
  { code: "la-luang-prabang", countryCode: "LA", level: "province", nameZh: "琅勃拉邦省", nameEn: "Luang Prabang Province", nameLocal: "ແຂວງຫຼວງພະບາງ", aliases: ["朗勃拉邦省"] },
  { code: "la-luang-prabang-city", countryCode: "LA", level: "city", nameZh: "琅勃拉邦市", nameEn: "Luang Prabang City", nameLocal: "", aliases: ["朗勃拉邦市"] },
  { code: "la-champasak", countryCode: "LA", level: "province", nameZh: "占巴塞省", nameEn: "Champasak Province", nameLocal: "ແຂວງຈຳປາສັກ", aliases: ["占巴色省", "Champassak Province"] },
  { code: "la-luang-namtha", countryCode: "LA", level: "province", nameZh: "南塔省", nameEn: "Luang Namtha Province", nameLocal: "ແຂວງຫຼວງນ້ຳທາ", aliases: ["琅南塔省"] },
  { code: "la-bokeo", countryCode: "LA", level: "province", nameZh: "波乔省", nameEn: "Bokeo Province", nameLocal: "ແຂວງບໍ່ແກ້ວ", aliases: ["博胶省"] },
  { code: "la-sainyabuli", countryCode: "LA", level: "province", nameZh: "沙耶武里省", nameEn: "Sainyabuli Province", nameLocal: "ແຂວງໄຊຍະບູລີ", aliases: ["沙耶武里", "Xayaboury Province", "Xayabury Province"] },
  { code: "la-phongsaly", countryCode: "LA", level: "province", nameZh: "丰沙里省", nameEn: "Phongsaly Province", nameLocal: "ແຂວງຜົ້ງສາລີ", aliases: ["丰沙里", "Phongsali Province"] },
  { code: "la-vientiane", countryCode: "LA", level: "city", nameZh: "万象市", nameEn: "Vientiane Capital", nameLocal: "ນະຄອນຫຼວງວຽງຈັນ", aliases: ["万象", "Vientiane"] },
  { code: "la-ministry-of-health", countryCode: "LA", level: "national", nameZh: "卫生部", nameEn: "Ministry of Health", nameLocal: "ກະຊວງສາທາລະນະສຸກ", aliases: [] },

  // ── Myanmar ───────────────────────────────────────────────────────────────────────────────────────
  { code: "mm-special-region-4", countryCode: "MM", level: "district", nameZh: "第四特区", nameEn: "Special Region 4 (Mongla), Shan State", nameLocal: "", aliases: ["缅四特区", "掸邦第四特区"] },
  { code: "mm-kengtung", countryCode: "MM", level: "city", nameZh: "景栋", nameEn: "Kengtung, Shan State", nameLocal: "ကျိုင်းတုံမြို့", aliases: ["景栋地区", "景栋市", "Kyaingtong"] },
  { code: "mm-yangon", countryCode: "MM", level: "city", nameZh: "仰光市", nameEn: "Yangon", nameLocal: "ရန်ကုန်မြို့", aliases: ["仰光"] },
  { code: "mm-mandalay", countryCode: "MM", level: "province", nameZh: "曼德勒省", nameEn: "Mandalay Region", nameLocal: "မန္တလေးတိုင်းဒေသကြီး", aliases: ["曼德勒"] },
  { code: "mm-muse", countryCode: "MM", level: "city", nameZh: "木姐", nameEn: "Muse, Shan State", nameLocal: "မူဆယ်မြို့", aliases: ["木姐地区", "木姐市"] },
  { code: "mm-lashio", countryCode: "MM", level: "city", nameZh: "腊戍市", nameEn: "Lashio, Shan State", nameLocal: "လားရှိုးမြို့", aliases: ["腊戍"] },

  // ── Cambodia ──────────────────────────────────────────────────────────────────────────────────────
  { code: "kh-siem-reap", countryCode: "KH", level: "province", nameZh: "暹粒省", nameEn: "Siem Reap Province", nameLocal: "ខេត្តសៀមរាប", aliases: ["暹罗省", "暹粒"] },
  { code: "kh-banteay-meanchey", countryCode: "KH", level: "province", nameZh: "班迭棉吉省", nameEn: "Banteay Meanchey Province", nameLocal: "ខេត្តបន្ទាយមានជ័យ", aliases: ["班迭棉吉"] },
  { code: "kh-phnom-penh", countryCode: "KH", level: "city", nameZh: "金边市", nameEn: "Phnom Penh", nameLocal: "រាជធានីភ្នំពេញ", aliases: ["金边"] },
  { code: "kh-sihanoukville", countryCode: "KH", level: "city", nameZh: "西哈努克市", nameEn: "Sihanoukville", nameLocal: "ក្រុងព្រះសីហនុ", aliases: ["西哈努克港", "西港"] },

  // ── Viet Nam ──────────────────────────────────────────────────────────────────────────────────────
  { code: "vn-lao-cai", countryCode: "VN", level: "province", nameZh: "老街省", nameEn: "Lao Cai Province", nameLocal: "Tỉnh Lào Cai", aliases: ["老街"] },
  { code: "vn-ha-giang", countryCode: "VN", level: "province", nameZh: "河江省", nameEn: "Ha Giang Province", nameLocal: "Tỉnh Hà Giang", aliases: ["河江"] },
  { code: "vn-lai-chau", countryCode: "VN", level: "province", nameZh: "莱州省", nameEn: "Lai Chau Province", nameLocal: "Tỉnh Lai Châu", aliases: [] },
  { code: "vn-dien-bien", countryCode: "VN", level: "province", nameZh: "奠边省", nameEn: "Dien Bien Province", nameLocal: "Tỉnh Điện Biên", aliases: ["奠边"] },

  // ── Thailand ──────────────────────────────────────────────────────────────────────────────────────
  { code: "th-chiang-rai", countryCode: "TH", level: "province", nameZh: "清莱府", nameEn: "Chiang Rai Province", nameLocal: "จังหวัดเชียงราย", aliases: ["清莱"] },
  { code: "th-mae-fah-luang-university", countryCode: "TH", level: "organization", nameZh: "皇太后大学", nameEn: "Mae Fah Luang University", nameLocal: "มหาวิทยาลัยแม่ฟ้าหลวง", aliases: [] },

  // ── Asia beyond the Mekong ────────────────────────────────────────────────────────────────────────
  { code: "kr-uijeongbu", countryCode: "KR", level: "city", nameZh: "京畿道议政府市", nameEn: "Uijeongbu City, Gyeonggi Province", nameLocal: "의정부시", aliases: ["议政府市"] },
  { code: "kr-jeollabuk", countryCode: "KR", level: "province", nameZh: "全罗北道", nameEn: "Jeollabuk-do Province", nameLocal: "전라북도", aliases: [] },
  { code: "kr-chungcheongnam", countryCode: "KR", level: "province", nameZh: "忠清南道", nameEn: "Chungcheongnam-do Province", nameLocal: "충청남도", aliases: [] },
  { code: "kr-incheon", countryCode: "KR", level: "city", nameZh: "仁川市", nameEn: "Incheon Metropolitan City", nameLocal: "인천광역시", aliases: ["仁川广域市", "仁川"] },
  { code: "jp-fujisawa", countryCode: "JP", level: "city", nameZh: "藤泽市", nameEn: "Fujisawa City", nameLocal: "藤沢市", aliases: ["藤泽"] },
  { code: "jp-iwate", countryCode: "JP", level: "province", nameZh: "岩手县", nameEn: "Iwate Prefecture", nameLocal: "岩手県", aliases: [] },
  { code: "my-kuching-south", countryCode: "MY", level: "city", nameZh: "古晋南市", nameEn: "Kuching South City", nameLocal: "Kuching Selatan", aliases: ["吉晋南市"] },
  { code: "my-sarawak", countryCode: "MY", level: "province", nameZh: "沙捞越州", nameEn: "Sarawak State", nameLocal: "", aliases: ["沙撈越州", "砂拉越州", "沙捞越"] },
  { code: "id-bali", countryCode: "ID", level: "province", nameZh: "巴厘省", nameEn: "Bali Province", nameLocal: "Provinsi Bali", aliases: ["巴厘"] },
  { code: "np-pokhara", countryCode: "NP", level: "city", nameZh: "博克拉市", nameEn: "Pokhara", nameLocal: "पोखरा", aliases: ["博卡拉", "博克拉"] },
  { code: "lk-gampola", countryCode: "LK", level: "city", nameZh: "加姆波勒市", nameEn: "Gampola", nameLocal: "ගම්පොළ", aliases: ["甘波拉"] },
  { code: "mn-arkhangai", countryCode: "MN", level: "province", nameZh: "后杭盖省", nameEn: "Arkhangai Province", nameLocal: "Архангай аймаг", aliases: ["后杭爱省"] },
  { code: "ir-gilan", countryCode: "IR", level: "province", nameZh: "吉兰省", nameEn: "Gilan Province", nameLocal: "استان گیلان", aliases: [] },
  // the sister cities of 楚雄州, 保山市 and 昭通市 (yunnan-sister-cities-40-years-2021), named as that document writes them
  { code: "il-yoav", countryCode: "IL", level: "district", nameZh: "约阿夫地区", nameEn: "Yoav Regional Council", nameLocal: "מועצה אזורית יואב", aliases: [] },
  { code: "il-tamar", countryCode: "IL", level: "city", nameZh: "塔玛市", nameEn: "Tamar", nameLocal: "", aliases: [] },
  { code: "il-afula", countryCode: "IL", level: "district", nameZh: "阿夫拉地区", nameEn: "Afula", nameLocal: "", aliases: [] },

  // ── Europe and the Americas ───────────────────────────────────────────────────────────────────────
  { code: "ru-dubna", countryCode: "RU", level: "city", nameZh: "杜布纳市", nameEn: "Dubna", nameLocal: "Дубна", aliases: ["杜布纳"] },
  { code: "ru-vladimir", countryCode: "RU", level: "province", nameZh: "弗拉基米尔州", nameEn: "Vladimir Oblast", nameLocal: "Владимирская область", aliases: [] },
  { code: "ch-arosa", countryCode: "CH", level: "city", nameZh: "阿罗萨市", nameEn: "Arosa", nameLocal: "", aliases: ["阿罗萨"] },
  { code: "ch-zurich", countryCode: "CH", level: "city", nameZh: "苏黎世市", nameEn: "Zurich", nameLocal: "Zürich", aliases: ["苏黎世"] },
  { code: "cz-olomouc", countryCode: "CZ", level: "province", nameZh: "奥洛莫茨州", nameEn: "Olomouc Region", nameLocal: "Olomoucký kraj", aliases: ["奥洛穆茨州"] },
  { code: "cz-palacky-university", countryCode: "CZ", level: "organization", nameZh: "帕拉茨基大学", nameEn: "Palacký University Olomouc", nameLocal: "Univerzita Palackého v Olomouci", aliases: ["帕拉索基大学", "奥洛莫茨州帕拉茨基大学", "奥洛莫茨州帕拉索基大学"] },
  { code: "it-lodi", countryCode: "IT", level: "province", nameZh: "洛迪省", nameEn: "Province of Lodi", nameLocal: "Provincia di Lodi", aliases: [] },
  { code: "it-umbria", countryCode: "IT", level: "province", nameZh: "翁布里亚大区", nameEn: "Umbria Region", nameLocal: "Umbria", aliases: ["翁布里亚"] },
  { code: "ro-timisoara", countryCode: "RO", level: "city", nameZh: "蒂米什瓦拉市", nameEn: "Timișoara", nameLocal: "Timișoara", aliases: ["蒂米什瓦拉"] },
  { code: "se-blekinge", countryCode: "SE", level: "province", nameZh: "布莱金厄省", nameEn: "Blekinge County", nameLocal: "Blekinge län", aliases: ["布菜金厄省"] },
  { code: "ie-clare", countryCode: "IE", level: "province", nameZh: "克莱尔郡", nameEn: "County Clare", nameLocal: "Contae an Chláir", aliases: [] },
  { code: "us-delaware", countryCode: "US", level: "province", nameZh: "特拉华州", nameEn: "State of Delaware", nameLocal: "", aliases: [] },
  { code: "cl-los-rios", countryCode: "CL", level: "province", nameZh: "大河区", nameEn: "Los Ríos Region", nameLocal: "Región de Los Ríos", aliases: [] },
  { code: "ar-misiones", countryCode: "AR", level: "province", nameZh: "米西奥内斯省", nameEn: "Misiones Province", nameLocal: "Provincia de Misiones", aliases: [] },
];
