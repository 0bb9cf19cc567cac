// The register's rules with known dates: partial dates, the three-year window, the classification, and how the
// register moves the indicators (a 意向书 is not a pair, countries are distinct, Southeast Asia is ASEAN's).
import { describe, expect, it } from "vitest";
import { REGISTER_MEASURES, classify, countingMonthOf, exchangeWindowStart, isCandidate, isPartialDate, lastDayOf, registerLevelChanges } from "./sister-cities";

describe("dates at a document's precision", () => {
  it("takes a year, a month or a real day, and counts each from its last day", () => {
    expect(["2003", "2003-06", "2024-02-29"].every(isPartialDate)).toBe(true);
    expect(["03", "2003-13", "2023-02-29", "2003-6-1", "2003年", ""].some(isPartialDate)).toBe(false);
    expect(lastDayOf("2003")).toBe("2003-12-31");
    expect(lastDayOf("2024-02")).toBe("2024-02-29");
    expect(lastDayOf("2003-06-15")).toBe("2003-06-15");
    expect(countingMonthOf("2024")).toBe("2024-12");
  });
});

describe("classification", () => {
  const today = "2026-12-07";
  it("is active with an exchange in the last three years, dormant otherwise", () => {
    expect(exchangeWindowStart(today)).toBe("2023-12-07");
    expect(exchangeWindowStart("2028-02-29")).toBe("2025-02-28");
    expect(classify("2024-12-07", today)).toBe("active");
    expect(classify("2023-12-07", today)).toBe("active");
    expect(classify("2023-12-06", today)).toBe("dormant");
    expect(classify("2022-12-07", today)).toBe("dormant");
    expect(classify(null, today)).toBe("dormant");
  });
  it("lists as candidates only local bodies with two exchanges and no relationship", () => {
    expect(isCandidate({ level: "province", exchanges: 2, hasRelationship: false })).toBe(true);
    expect(isCandidate({ level: "province", exchanges: 1, hasRelationship: false })).toBe(false);
    expect(isCandidate({ level: "city", exchanges: 5, hasRelationship: true })).toBe(false);
    expect(isCandidate({ level: "organization", exchanges: 5, hasRelationship: false })).toBe(false);
  });
});

describe("the register's changes to the indicators", () => {
  const pair = (country_code: string, established_on: string | null, extra: Partial<{ stage: string; ended_on: string | null }> = {}) => ({
    stage: "established",
    country_code,
    established_on,
    ended_on: null,
    ...extra,
  });
  const register = [
    pair("LA", "2003"), // in the baseline
    pair("JP", null), // undated: in the baseline
    pair("LA", "2024-03-10"), // a new pair, a country already held
    pair("BR", "2024"), // a new country, known by its year: from December
    pair("BR", "2025-05"), // a second pair in it: no new country
    pair("KR", "2024-05-01", { stage: "letter_of_intent" }), // not a pair
    pair("MM", "2010", { ended_on: "2025-02" }), // ended after the baseline
  ];
  it("adds the pairs established after the baseline year, month by month, and takes off those that ended", () => {
    expect(Object.fromEntries(registerLevelChanges(register, "sister_city_pairs", 2022))).toEqual({ "2024-03": 1, "2024-12": 1, "2025-05": 1, "2025-02": -1 });
  });
  it("counts a country once, when its first pair in force comes after the baseline", () => {
    expect(Object.fromEntries(registerLevelChanges(register, "sister_city_countries", 2022))).toEqual({ "2024-12": 1, "2025-02": -1 });
  });
  it("counts Southeast Asia as the ASEAN members", () => {
    expect(Object.fromEntries(registerLevelChanges(register, "sister_city_pairs_sea", 2022))).toEqual({ "2024-03": 1, "2025-02": -1 });
    expect(Object.fromEntries(registerLevelChanges([pair("TL", "2024-01")], "sister_city_pairs_sea", 2022))).toEqual({ "2024-01": 1 });
  });
  it("narrows to the definition's countries", () => {
    expect(Object.fromEntries(registerLevelChanges(register, "sister_city_pairs", 2022, ["BR"]))).toEqual({ "2024-12": 1, "2025-05": 1 });
  });
});

describe("the measures' names", () => {
  it("fit indicators.computation (varchar(30) on PostgreSQL)", () => {
    for (const m of REGISTER_MEASURES) expect(m.length, m).toBeLessThanOrEqual(30);
  });
});
