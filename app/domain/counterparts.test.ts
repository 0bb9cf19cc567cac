// How the counterpart register reads names: folding, splitting a 对方机构 text, a country at the start or end, and
// resolving every spelling to one body.
import { describe, expect, it } from "vitest";
import { CounterpartMatcher, bodyFullName, counterpartKey, counterpartNames, guessLevel, isDescription, splitCountry } from "./counterparts";

const register = new CounterpartMatcher([
  { id: 1, country_code: "LA", name_zh: "占巴塞省", name_en: "Champasak Province", name_local: "ແຂວງຈຳປາສັກ", aliases: ["占巴色省"] },
  { id: 2, country_code: "LA", name_zh: "琅勃拉邦省", name_en: "Luang Prabang Province", name_local: "", aliases: [] },
  { id: 3, country_code: "LA", name_zh: "琅勃拉邦市", name_en: "Luang Prabang City", name_local: "", aliases: [] },
  { id: 4, country_code: "VN", name_zh: "老街省", name_en: "Lao Cai Province", name_local: "Tỉnh Lào Cai", aliases: [] },
  { id: 5, country_code: "MY", name_zh: "古晋南市", name_en: "Kuching South City", name_local: "", aliases: ["吉晋南市"] },
  { id: 6, country_code: "TH", name_zh: "皇家大学", name_en: "", name_local: "", aliases: [] },
  { id: 7, country_code: "KH", name_zh: "皇家大学", name_en: "", name_local: "", aliases: [] },
]);

describe("names of counterpart bodies", () => {
  it("fold width, case, spaces, punctuation and Latin accents, and keep other scripts' marks", () => {
    expect(counterpartKey("占巴塞省")).toBe(counterpartKey(" 占 巴 塞 省 "));
    expect(counterpartKey("Champasak Province")).toBe(counterpartKey("ＣＨＡＭＰＡＳＡＫ　province."));
    expect(counterpartKey("Tỉnh Điện Biên")).toBe("tinhdienbien");
    expect(counterpartKey("ແຂວງຈຳປາສັກ")).not.toBe(counterpartKey("ແຂວງຈາປາສກ"));
  });

  it("split a 对方机构 text into its names, leaving out an 等 tail and bracketed remarks", () => {
    expect(counterpartNames("老挝波乔省、老挝沙耶武里省等周边国家地方政府")).toEqual(["老挝波乔省", "老挝沙耶武里省"]);
    expect(counterpartNames("柬埔寨暹粒省，柬埔寨班迭棉吉省；缅甸木姐")).toEqual(["柬埔寨暹粒省", "柬埔寨班迭棉吉省", "缅甸木姐"]);
    expect(counterpartNames("13个国家（依托我省驻外商务代表处）")).toEqual(["13个国家"]);
  });

  it("read a country at the start in Chinese and at the end in English, and China's parts as refused", () => {
    expect(splitCountry("老挝占巴塞省")).toEqual({ country: "LA", refused: null, rest: "占巴塞省" });
    expect(splitCountry("Champasak Province, Laos")).toEqual({ country: "LA", refused: null, rest: "Champasak Province" });
    expect(splitCountry("印度尼西亚巴厘省").country).toBe("ID");
    // "Lao Cai" is in Viet Nam: an English name does not open with its country
    expect(splitCountry("Lao Cai Province").country).toBeNull();
    expect(splitCountry("台湾某协会")).toMatchObject({ country: null, refused: "TW" });
    expect(splitCountry("占巴塞省")).toEqual({ country: null, refused: null, rest: "占巴塞省" });
  });

  it("tell descriptions (countries, groups) from names", () => {
    for (const d of ["老挝", "周边国家", "老挝北部各省", "20余个国家", "澜湄合作成员国", "“四国九方”各方", "工商界团组"]) expect(isDescription(d), d).toBe(true);
    for (const n of ["占巴塞省", "老挝南塔省农林厅", "皇太后大学"]) expect(isDescription(n), n).toBe(false);
  });

  it("guess a new body's level from how its name ends", () => {
    expect(guessLevel("南塔省农林厅")).toBe("organization");
    expect(guessLevel("巴铺村")).toBe("village");
    expect(guessLevel("勐醒县")).toBe("district");
    expect(guessLevel("清莱府")).toBe("province");
    expect(guessLevel("博克拉市")).toBe("city");
    expect(guessLevel("卫生部")).toBe("national");
    expect(guessLevel("Mae Fah Luang University")).toBe("organization");
  });
});

describe("resolving against the register", () => {
  it("finds one body by any spelling, with or without its country, in either language or its own", () => {
    for (const name of ["占巴塞省", "老挝占巴塞省", "占巴色省", "老挝占巴色省", "Champasak Province", "Champasak Province, Laos", "champasak  province", "ແຂວງຈຳປາສັກ"]) {
      expect(register.resolveName(name), name).toMatchObject({ kind: "body", id: 1 });
    }
    expect(register.resolveName("Lao Cai Province")).toMatchObject({ kind: "body", id: 4 });
    expect(register.resolveName("越南老街省")).toMatchObject({ kind: "body", id: 4 });
    expect(register.resolveName("马来西亚吉晋南市")).toMatchObject({ kind: "body", id: 5 });
  });

  it("does not take a body of another country for the one named", () => {
    expect(register.resolveName("泰国占巴塞省")).toMatchObject({ kind: "unknown", country: "TH", bare: "占巴塞省" });
  });

  it("asks which, for a name two bodies share, unless the country says", () => {
    expect(register.resolveName("皇家大学")).toMatchObject({ kind: "ambiguous", ids: [6, 7] });
    expect(register.resolveName("泰国皇家大学")).toMatchObject({ kind: "body", id: 6 });
  });

  it("says what an unknown name could be: its country, and bodies with names close to it", () => {
    expect(register.resolveName("老挝占巴赛省")).toMatchObject({ kind: "unknown", country: "LA", bare: "占巴赛省", similar: [1] });
    expect(register.resolveName("老挝南塔省农林厅")).toMatchObject({ kind: "unknown", country: "LA", bare: "南塔省农林厅" });
  });

  it("resolves a whole text, each body once, descriptions aside", () => {
    const found = register.resolveText("老挝占巴塞省、老挝占巴色省、周边国家、老挝琅勃拉邦市等");
    expect(found.map((r) => r.kind)).toEqual(["body", "description", "body"]);
    expect(found.filter((r) => r.kind === "body").map((r) => (r as { id: number }).id)).toEqual([1, 3]);
  });

  it("writes a body as a ledger does, in either language", () => {
    const body = { country_code: "LA", name_zh: "占巴塞省", name_en: "Champasak Province" };
    expect(bodyFullName(body, "zh-CN")).toBe("老挝占巴塞省");
    expect(bodyFullName(body, "en")).toBe("Champasak Province, Laos");
  });
});
