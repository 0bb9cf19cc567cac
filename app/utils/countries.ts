// Counterpart countries as a Chinese foreign-affairs office names them. Our own list, not the runtime's CLDR data:
// CLDR offers 台湾 as a country, China and its special administrative regions as counterparts, and English names
// ("Myanmar (Burma)", "South Korea") that China does not use. See docs/decisions/010-country-list.md.
//
// The list: the sovereign states China's Ministry of Foreign Affairs lists, by ISO 3166-1 alpha-2 code, with the
// Chinese short name the Ministry writes and one English name as China's official English writes it.
// Taiwan, Hong Kong and Macao are parts of China, and China is not a counterpart of itself: none of them is ever
// offered, stored or shown as a counterpart country (exchanges with them are not foreign affairs here).

export const MEKONG_COUNTRIES = ["KH", "LA", "MM", "TH", "VN"] as const;

/**
 * Southeast Asia (东南亚) as the sister-city figures count it ("东南亚49对"): the members of ASEAN, Timor-Leste
 * (admitted in October 2025, and in Southeast Asia in any case) among them.
 */
export const SOUTHEAST_ASIAN_COUNTRIES = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"] as const;

export function isSoutheastAsian(code: string): boolean {
  return (SOUTHEAST_ASIAN_COUNTRIES as readonly string[]).includes(code);
}

/** code → [Chinese short name, English name]. */
const NAMES: Record<string, readonly [zh: string, en: string]> = {
  AD: ["安道尔", "Andorra"],
  AE: ["阿联酋", "United Arab Emirates"],
  AF: ["阿富汗", "Afghanistan"],
  AG: ["安提瓜和巴布达", "Antigua and Barbuda"],
  AL: ["阿尔巴尼亚", "Albania"],
  AM: ["亚美尼亚", "Armenia"],
  AO: ["安哥拉", "Angola"],
  AR: ["阿根廷", "Argentina"],
  AT: ["奥地利", "Austria"],
  AU: ["澳大利亚", "Australia"],
  AZ: ["阿塞拜疆", "Azerbaijan"],
  BA: ["波斯尼亚和黑塞哥维那", "Bosnia and Herzegovina"],
  BB: ["巴巴多斯", "Barbados"],
  BD: ["孟加拉国", "Bangladesh"],
  BE: ["比利时", "Belgium"],
  BF: ["布基纳法索", "Burkina Faso"],
  BG: ["保加利亚", "Bulgaria"],
  BH: ["巴林", "Bahrain"],
  BI: ["布隆迪", "Burundi"],
  BJ: ["贝宁", "Benin"],
  BN: ["文莱", "Brunei"],
  BO: ["玻利维亚", "Bolivia"],
  BR: ["巴西", "Brazil"],
  BS: ["巴哈马", "Bahamas"],
  BT: ["不丹", "Bhutan"],
  BW: ["博茨瓦纳", "Botswana"],
  BY: ["白俄罗斯", "Belarus"],
  BZ: ["伯利兹", "Belize"],
  CA: ["加拿大", "Canada"],
  CD: ["刚果（金）", "Democratic Republic of the Congo"],
  CF: ["中非", "Central African Republic"],
  CG: ["刚果（布）", "Republic of the Congo"],
  CH: ["瑞士", "Switzerland"],
  CI: ["科特迪瓦", "Côte d'Ivoire"],
  CK: ["库克群岛", "Cook Islands"],
  CL: ["智利", "Chile"],
  CM: ["喀麦隆", "Cameroon"],
  CO: ["哥伦比亚", "Colombia"],
  CR: ["哥斯达黎加", "Costa Rica"],
  CU: ["古巴", "Cuba"],
  CV: ["佛得角", "Cabo Verde"],
  CY: ["塞浦路斯", "Cyprus"],
  CZ: ["捷克", "Czech Republic"],
  DE: ["德国", "Germany"],
  DJ: ["吉布提", "Djibouti"],
  DK: ["丹麦", "Denmark"],
  DM: ["多米尼克", "Dominica"],
  DO: ["多米尼加", "Dominican Republic"],
  DZ: ["阿尔及利亚", "Algeria"],
  EC: ["厄瓜多尔", "Ecuador"],
  EE: ["爱沙尼亚", "Estonia"],
  EG: ["埃及", "Egypt"],
  ER: ["厄立特里亚", "Eritrea"],
  ES: ["西班牙", "Spain"],
  ET: ["埃塞俄比亚", "Ethiopia"],
  FI: ["芬兰", "Finland"],
  FJ: ["斐济", "Fiji"],
  FM: ["密克罗尼西亚联邦", "Federated States of Micronesia"],
  FR: ["法国", "France"],
  GA: ["加蓬", "Gabon"],
  GB: ["英国", "United Kingdom"],
  GD: ["格林纳达", "Grenada"],
  GE: ["格鲁吉亚", "Georgia"],
  GH: ["加纳", "Ghana"],
  GM: ["冈比亚", "Gambia"],
  GN: ["几内亚", "Guinea"],
  GQ: ["赤道几内亚", "Equatorial Guinea"],
  GR: ["希腊", "Greece"],
  GT: ["危地马拉", "Guatemala"],
  GW: ["几内亚比绍", "Guinea-Bissau"],
  GY: ["圭亚那", "Guyana"],
  HN: ["洪都拉斯", "Honduras"],
  HR: ["克罗地亚", "Croatia"],
  HT: ["海地", "Haiti"],
  HU: ["匈牙利", "Hungary"],
  ID: ["印度尼西亚", "Indonesia"],
  IE: ["爱尔兰", "Ireland"],
  IL: ["以色列", "Israel"],
  IN: ["印度", "India"],
  IQ: ["伊拉克", "Iraq"],
  IR: ["伊朗", "Iran"],
  IS: ["冰岛", "Iceland"],
  IT: ["意大利", "Italy"],
  JM: ["牙买加", "Jamaica"],
  JO: ["约旦", "Jordan"],
  JP: ["日本", "Japan"],
  KE: ["肯尼亚", "Kenya"],
  KG: ["吉尔吉斯斯坦", "Kyrgyzstan"],
  KH: ["柬埔寨", "Cambodia"],
  KI: ["基里巴斯", "Kiribati"],
  KM: ["科摩罗", "Comoros"],
  KN: ["圣基茨和尼维斯", "Saint Kitts and Nevis"],
  KP: ["朝鲜", "Democratic People's Republic of Korea"],
  KR: ["韩国", "Republic of Korea"],
  KW: ["科威特", "Kuwait"],
  KZ: ["哈萨克斯坦", "Kazakhstan"],
  LA: ["老挝", "Laos"],
  LB: ["黎巴嫩", "Lebanon"],
  LC: ["圣卢西亚", "Saint Lucia"],
  LI: ["列支敦士登", "Liechtenstein"],
  LK: ["斯里兰卡", "Sri Lanka"],
  LR: ["利比里亚", "Liberia"],
  LS: ["莱索托", "Lesotho"],
  LT: ["立陶宛", "Lithuania"],
  LU: ["卢森堡", "Luxembourg"],
  LV: ["拉脱维亚", "Latvia"],
  LY: ["利比亚", "Libya"],
  MA: ["摩洛哥", "Morocco"],
  MC: ["摩纳哥", "Monaco"],
  MD: ["摩尔多瓦", "Moldova"],
  ME: ["黑山", "Montenegro"],
  MG: ["马达加斯加", "Madagascar"],
  MH: ["马绍尔群岛", "Marshall Islands"],
  MK: ["北马其顿", "North Macedonia"],
  ML: ["马里", "Mali"],
  MM: ["缅甸", "Myanmar"],
  MN: ["蒙古国", "Mongolia"],
  MR: ["毛里塔尼亚", "Mauritania"],
  MT: ["马耳他", "Malta"],
  MU: ["毛里求斯", "Mauritius"],
  MV: ["马尔代夫", "Maldives"],
  MW: ["马拉维", "Malawi"],
  MX: ["墨西哥", "Mexico"],
  MY: ["马来西亚", "Malaysia"],
  MZ: ["莫桑比克", "Mozambique"],
  NA: ["纳米比亚", "Namibia"],
  NE: ["尼日尔", "Niger"],
  NG: ["尼日利亚", "Nigeria"],
  NI: ["尼加拉瓜", "Nicaragua"],
  NL: ["荷兰", "Netherlands"],
  NO: ["挪威", "Norway"],
  NP: ["尼泊尔", "Nepal"],
  NR: ["瑙鲁", "Nauru"],
  NU: ["纽埃", "Niue"],
  NZ: ["新西兰", "New Zealand"],
  OM: ["阿曼", "Oman"],
  PA: ["巴拿马", "Panama"],
  PE: ["秘鲁", "Peru"],
  PG: ["巴布亚新几内亚", "Papua New Guinea"],
  PH: ["菲律宾", "Philippines"],
  PK: ["巴基斯坦", "Pakistan"],
  PL: ["波兰", "Poland"],
  PS: ["巴勒斯坦", "Palestine"],
  PT: ["葡萄牙", "Portugal"],
  PW: ["帕劳", "Palau"],
  PY: ["巴拉圭", "Paraguay"],
  QA: ["卡塔尔", "Qatar"],
  RO: ["罗马尼亚", "Romania"],
  RS: ["塞尔维亚", "Serbia"],
  RU: ["俄罗斯", "Russia"],
  RW: ["卢旺达", "Rwanda"],
  SA: ["沙特阿拉伯", "Saudi Arabia"],
  SB: ["所罗门群岛", "Solomon Islands"],
  SC: ["塞舌尔", "Seychelles"],
  SD: ["苏丹", "Sudan"],
  SE: ["瑞典", "Sweden"],
  SG: ["新加坡", "Singapore"],
  SI: ["斯洛文尼亚", "Slovenia"],
  SK: ["斯洛伐克", "Slovakia"],
  SL: ["塞拉利昂", "Sierra Leone"],
  SM: ["圣马力诺", "San Marino"],
  SN: ["塞内加尔", "Senegal"],
  SO: ["索马里", "Somalia"],
  SR: ["苏里南", "Suriname"],
  SS: ["南苏丹", "South Sudan"],
  ST: ["圣多美和普林西比", "Sao Tome and Principe"],
  SV: ["萨尔瓦多", "El Salvador"],
  SY: ["叙利亚", "Syria"],
  SZ: ["斯威士兰", "Eswatini"],
  TD: ["乍得", "Chad"],
  TG: ["多哥", "Togo"],
  TH: ["泰国", "Thailand"],
  TJ: ["塔吉克斯坦", "Tajikistan"],
  TL: ["东帝汶", "Timor-Leste"],
  TM: ["土库曼斯坦", "Turkmenistan"],
  TN: ["突尼斯", "Tunisia"],
  TO: ["汤加", "Tonga"],
  TR: ["土耳其", "Türkiye"],
  TT: ["特立尼达和多巴哥", "Trinidad and Tobago"],
  TV: ["图瓦卢", "Tuvalu"],
  TZ: ["坦桑尼亚", "Tanzania"],
  UA: ["乌克兰", "Ukraine"],
  UG: ["乌干达", "Uganda"],
  US: ["美国", "United States"],
  UY: ["乌拉圭", "Uruguay"],
  UZ: ["乌兹别克斯坦", "Uzbekistan"],
  VA: ["梵蒂冈", "Vatican"],
  VC: ["圣文森特和格林纳丁斯", "Saint Vincent and the Grenadines"],
  VE: ["委内瑞拉", "Venezuela"],
  VN: ["越南", "Viet Nam"],
  VU: ["瓦努阿图", "Vanuatu"],
  WS: ["萨摩亚", "Samoa"],
  YE: ["也门", "Yemen"],
  ZA: ["南非", "South Africa"],
  ZM: ["赞比亚", "Zambia"],
  ZW: ["津巴布韦", "Zimbabwe"],
};

/** Every counterpart country's code, alphabetically. */
export const COUNTRY_CODES: readonly string[] = Object.keys(NAMES).sort();

export function isCountryCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(NAMES, code);
}

/** The country's name in the user's language; a code not on the list comes back as itself. */
export function countryName(code: string, locale: string): string {
  const names = NAMES[code];
  if (!names) return code;
  return locale === "en" ? names[1] : names[0];
}

/** Mekong countries first (in their usual order), then the rest sorted by name in the user's language. */
export function orderedCountries(locale: string): { code: string; name: string; mekong: boolean }[] {
  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  const mekong = MEKONG_COUNTRIES.map((code) => ({ code, name: countryName(code, locale), mekong: true }));
  const rest = COUNTRY_CODES.filter((c) => !(MEKONG_COUNTRIES as readonly string[]).includes(c))
    .map((code) => ({ code, name: countryName(code, locale), mekong: false }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return [...mekong, ...rest];
}

/**
 * China, and the parts of China that other lists show as countries. Never counterpart countries: a form, an import or
 * a URL naming one is refused with the reason (`notCountryMessage`), and none is ever stored.
 */
export const NOT_COUNTRIES = ["CN", "TW", "HK", "MO"] as const;
export type NotCountry = (typeof NOT_COUNTRIES)[number];

/** Other names people write for a country (long forms, older or foreign spellings); each resolves to its one code. */
const OTHER_NAMES: Record<string, string[]> = {
  KH: ["柬埔寨王国", "Kingdom of Cambodia"],
  LA: ["老挝人民民主共和国", "寮国", "Lao PDR", "Lao", "Lao People's Democratic Republic"],
  MM: ["缅甸联邦共和国", "缅甸联邦", "Burma", "Myanmar (Burma)", "Republic of the Union of Myanmar"],
  TH: ["泰王国", "Kingdom of Thailand", "Siam"],
  VN: ["越南社会主义共和国", "Vietnam", "Socialist Republic of Viet Nam"],
  KR: ["大韩民国", "South Korea", "Korea"],
  KP: ["朝鲜民主主义人民共和国", "DPRK", "North Korea"],
  US: ["美利坚合众国", "USA", "United States of America", "America"],
  GB: ["大不列颠及北爱尔兰联合王国", "UK", "Britain", "Great Britain"],
  RU: ["俄罗斯联邦", "Russian Federation"],
  AE: ["阿拉伯联合酋长国", "UAE"],
  MN: ["蒙古"],
  PS: ["巴勒斯坦国", "巴勒斯坦领土", "State of Palestine"],
  CF: ["中非共和国"],
  DO: ["多米尼加共和国"],
  FM: ["密克罗尼西亚", "Micronesia"],
  CD: ["刚果民主共和国", "DR Congo", "DRC", "Congo - Kinshasa"],
  CG: ["刚果共和国", "Congo - Brazzaville"],
  CI: ["Ivory Coast"],
  CV: ["Cape Verde"],
  CZ: ["Czechia"],
  TR: ["Turkey", "土耳其共和国"],
  SZ: ["Swaziland", "Kingdom of Eswatini"],
  VA: ["Holy See", "Vatican City", "梵蒂冈城国"],
  IN: ["印度共和国"],
  JP: ["日本国"],
  SG: ["新加坡共和国"],
  MY: ["Malaya"],
  ID: ["印度尼西亚共和国", "印尼"],
  PH: ["菲律宾共和国"],
  BN: ["文莱达鲁萨兰国", "Brunei Darussalam"],
  BD: ["孟加拉", "孟加拉人民共和国"],
  LK: ["斯里兰卡民主社会主义共和国"],
  NP: ["尼泊尔联邦民主共和国"],
  PK: ["巴基斯坦伊斯兰共和国"],
  AU: ["澳洲"],
  NZ: ["纽西兰"],
};

/** What people write for China and the parts of China that other lists show as countries. */
const NOT_COUNTRY_NAMES: Record<NotCountry, string[]> = {
  CN: ["中国", "中华人民共和国", "中国大陆", "China", "PRC", "People's Republic of China", "Mainland China"],
  TW: ["台湾", "臺灣", "中国台湾", "中国台湾地区", "台湾地区", "台湾省", "中华台北", "Taiwan", "Taiwan, China", "Chinese Taipei"],
  HK: ["香港", "中国香港", "香港特别行政区", "中国香港特别行政区", "香港特區", "Hong Kong", "Hong Kong SAR", "Hong Kong, China", "HKSAR"],
  MO: ["澳门", "澳門", "中国澳门", "澳门特别行政区", "中国澳门特别行政区", "Macao", "Macau", "Macao SAR", "Macao, China", "MSAR"],
};

/** A name folded for matching: full-width forms, case, spaces and punctuation do not matter. */
export function countryKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s.,'’"“”()（）\-–—·、，;；:：/\\]/g, "");
}

let keys: { countries: Map<string, string>; notCountries: Map<string, NotCountry> } | null = null;
function nameKeys() {
  if (keys) return keys;
  const countries = new Map<string, string>();
  for (const [code, [zh, en]] of Object.entries(NAMES)) for (const n of [zh, en]) countries.set(countryKey(n), code);
  for (const [code, names] of Object.entries(OTHER_NAMES)) for (const n of names) countries.set(countryKey(n), code);
  const notCountries = new Map<string, NotCountry>();
  for (const code of NOT_COUNTRIES) for (const n of [code, ...NOT_COUNTRY_NAMES[code]]) notCountries.set(countryKey(n), code);
  return (keys = { countries, notCountries });
}

/** The code of a country written as its code or any of its names in either language; null when none. */
export function resolveCountry(text: string): string | null {
  const upper = text.normalize("NFKC").trim().toUpperCase();
  if (isCountryCode(upper)) return upper;
  return nameKeys().countries.get(countryKey(text)) ?? null;
}

/** Which of China or its parts a code or name means ("TW", "台湾", "Hong Kong, China"), or null. */
export function notCountry(text: string): NotCountry | null {
  return nameKeys().notCountries.get(countryKey(text)) ?? null;
}

/** The message key that says why a code or name is not a counterpart country. */
export function notCountryMessage(code: NotCountry): "errors.country_china" | "errors.country_part_of_china" {
  return code === "CN" ? "errors.country_china" : "errors.country_part_of_china";
}

/** Why a country filter in a URL was refused: the reason for China or its parts, else the general "ignored" note. */
export function countryRefusal(value: string | null): string | true {
  const part = value ? notCountry(value) : null;
  return part ? notCountryMessage(part) : true;
}

/** Chinese and English country names, for the places (drafts, imports) that look for them inside longer text. */
export function countryNamesForMatching(): { code: string; zh: string; en: string }[] {
  return COUNTRY_CODES.map((code) => ({ code, zh: NAMES[code]![0], en: NAMES[code]![1] }));
}

/**
 * Every name of every country on the list (its Chinese and English names and the other names people write), and of
 * China and its parts: what may open "老挝占巴塞省" or close "Champasak Province, Laos" (the counterpart register
 * reads a body's country from it).
 */
export function allCountryNames(): { code: string; names: string[]; notCountry: boolean }[] {
  return [
    ...COUNTRY_CODES.map((code) => ({ code, names: [...NAMES[code]!, ...(OTHER_NAMES[code] ?? [])], notCountry: false })),
    ...NOT_COUNTRIES.map((code) => ({ code, names: NOT_COUNTRY_NAMES[code], notCountry: true })),
  ];
}
