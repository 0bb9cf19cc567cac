import { describe, expect, it } from "vitest";
import { fenToWanFixed2, fenToWanText, wanTextToFen } from "./money";

describe("万元 ↔ fen", () => {
  it("converts exactly, without floating point", () => {
    expect(wanTextToFen("30")).toBe(30_000_000);
    expect(wanTextToFen("223.36")).toBe(223_360_000);
    expect(wanTextToFen("0.000001")).toBe(1);
    expect(wanTextToFen("0.1")).toBe(100_000); // 0.1 is not exact in binary floating point
    expect(wanTextToFen("30万元")).toBeNull();
    expect(wanTextToFen("1e3")).toBeNull();
    expect(wanTextToFen("1.0000001")).toBeNull();
  });

  it("prints amounts back the way they were typed, and rounded to two decimals for reports", () => {
    expect(fenToWanText(223_360_000)).toBe("223.36");
    expect(fenToWanText(30_000_000)).toBe("30");
    expect(fenToWanText(1)).toBe("0.000001");
    expect(fenToWanFixed2(25_100_000)).toBe("25.10");
    expect(fenToWanFixed2(5_000)).toBe("0.01"); // half up
    expect(fenToWanFixed2(4_999)).toBe("0.00");
  });
});
