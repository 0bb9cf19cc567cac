import { describe, expect, it } from "vitest";
import { formatDate, formatDateRange, formatDateTime, formatWan } from "./format";
import { translator } from "./translator.server";

describe("formatting as Chinese government documents do", () => {
  it("writes dates and ranges", () => {
    expect(formatDate("2023-08-08", "zh-CN")).toBe("2023年8月8日");
    expect(formatDate("2023-08-08", "en")).toBe("8 Aug 2023");
    expect(formatDateRange("2023-01-01", "2023-06-30", "zh-CN")).toBe("2023年1月1日至6月30日");
    expect(formatDateRange("2023-12-30", "2024-01-02", "zh-CN")).toBe("2023年12月30日至2024年1月2日");
    expect(formatDateRange("2023-05-03", "2023-05-06", "zh-CN")).toBe("2023年5月3日至6日");
    expect(formatDateRange("2023-05-03", "2023-05-03", "zh-CN")).toBe("2023年5月3日");
  });

  it("shows times in China Standard Time", () => {
    expect(formatDateTime("2026-11-22T16:30:00.000Z", "zh-CN")).toBe("2026年11月23日 00:30");
  });

  it("writes money in 万元 with two decimals", () => {
    expect(formatWan(223_360_000, "zh-CN")).toBe("223.36万元");
    expect(formatWan(30_000_000, "zh-CN")).toBe("30.00万元");
    expect(formatWan(1_234_500_000_000, "zh-CN")).toBe("1,234,500.00万元");
    expect(formatWan(null, "zh-CN")).toBe("");
  });
});

describe("t()", () => {
  it("answers a key that is not in the catalogs with the key itself, even one named after an Object property", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const t = translator(locale);
      for (const key of ["__proto__", "constructor", "toString", "no.such.key"]) expect(t(key)).toBe(key);
    }
    expect(translator("en")("plan.count", { count: "1" })).toBe("1 activity");
    expect(translator("en")("plan.count", { count: "2" })).toBe("2 activities");
  });
});
