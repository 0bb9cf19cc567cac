import { describe, expect, it } from "vitest";
import { defaultProgressPeriod, percentOfTarget, progressFrom } from "./indicator-progress.server";

describe("percent of target", () => {
  it("up + stock: the share of the way from the baseline to the target", () => {
    // 103 → 115 sister-city pairs; at 106, 3 of 12 → 25 %
    expect(percentOfTarget({ direction: "up", measure: "stock", baseline: 103, target: 115, actual: 106 })).toBeCloseTo(25);
    expect(percentOfTarget({ direction: "up", measure: "stock", baseline: 103, target: 115, actual: 103 })).toBe(0);
    expect(percentOfTarget({ direction: "up", measure: "stock", baseline: 103, target: 115, actual: 115 })).toBe(100);
    // beyond the target, and below the baseline: reported as they are, not clipped
    expect(percentOfTarget({ direction: "up", measure: "stock", baseline: 103, target: 115, actual: 118 })).toBeCloseTo(125);
    expect(percentOfTarget({ direction: "up", measure: "stock", baseline: 103, target: 115, actual: 100 })).toBeCloseTo(-25);
  });

  it("down + stock: the share of the way down from the baseline to the target", () => {
    // 40 → 20 (e.g. pending cases); at 35, 5 of 20 → 25 %; at 20, done; at 10, 150 %
    expect(percentOfTarget({ direction: "down", measure: "stock", baseline: 40, target: 20, actual: 35 })).toBeCloseTo(25);
    expect(percentOfTarget({ direction: "down", measure: "stock", baseline: 40, target: 20, actual: 20 })).toBe(100);
    expect(percentOfTarget({ direction: "down", measure: "stock", baseline: 40, target: 20, actual: 10 })).toBeCloseTo(150);
    // going up when it should go down is negative progress
    expect(percentOfTarget({ direction: "down", measure: "stock", baseline: 40, target: 20, actual: 44 })).toBeCloseTo(-20);
  });

  it("up + flow: what was done so far over the target; the baseline plays no part", () => {
    expect(percentOfTarget({ direction: "up", measure: "flow", baseline: 32, target: 40, actual: 10 })).toBeCloseTo(25);
    expect(percentOfTarget({ direction: "up", measure: "flow", baseline: 0, target: 470, actual: 47 })).toBeCloseTo(10);
    expect(percentOfTarget({ direction: "up", measure: "flow", baseline: 0, target: 40, actual: 0 })).toBe(0);
  });

  it("down + flow: 100 % while at or under the ceiling, then target/actual", () => {
    expect(percentOfTarget({ direction: "down", measure: "flow", baseline: 50, target: 20, actual: 15 })).toBe(100);
    expect(percentOfTarget({ direction: "down", measure: "flow", baseline: 50, target: 20, actual: 20 })).toBe(100);
    expect(percentOfTarget({ direction: "down", measure: "flow", baseline: 50, target: 20, actual: 25 })).toBeCloseTo(80);
    expect(percentOfTarget({ direction: "down", measure: "flow", baseline: 50, target: 20, actual: 40 })).toBeCloseTo(50);
  });

  it("returns null, never NaN or Infinity, where the ratio has no meaning", () => {
    const cases = [
      // target equal to the baseline
      { direction: "up", measure: "stock", baseline: 10, target: 10, actual: 12 },
      { direction: "down", measure: "stock", baseline: 10, target: 10, actual: 8 },
      { direction: "up", measure: "stock", baseline: 0, target: 0, actual: 0 },
      // a zero target to grow towards
      { direction: "up", measure: "flow", baseline: 0, target: 0, actual: 5 },
      { direction: "up", measure: "flow", baseline: 0, target: 0, actual: 0 },
      // no actual yet
      { direction: "up", measure: "flow", baseline: 0, target: 10, actual: null },
      { direction: "down", measure: "stock", baseline: 10, target: 5, actual: null },
    ] as const;
    for (const c of cases) expect(percentOfTarget(c), JSON.stringify(c)).toBeNull();
  });

  it("a zero ceiling is met at zero and missed above it, still finite", () => {
    expect(percentOfTarget({ direction: "down", measure: "flow", baseline: 3, target: 0, actual: 0 })).toBe(100);
    expect(percentOfTarget({ direction: "down", measure: "flow", baseline: 3, target: 0, actual: 4 })).toBe(0);
    expect(percentOfTarget({ direction: "down", measure: "stock", baseline: 5, target: 0, actual: 0 })).toBe(100);
  });
});

describe("progress from actuals", () => {
  const flowUp = { direction: "up", measure: "flow", baseline_value: 0, target_value: 100 } as const;

  it("compares the period's quantity with the period target for a flow, and the level for a stock", () => {
    const flow = progressFrom(flowUp, { end_date: "2024-06-30" }, { actualToDate: 30, actualInPeriod: 8, periodTarget: 10 });
    expect(flow.percent).toBeCloseTo(30);
    expect(flow.periodPercent).toBeCloseTo(80);
    const stock = progressFrom(
      { direction: "up", measure: "stock", baseline_value: 103, target_value: 115 },
      { end_date: "2024-12-31" },
      { actualToDate: 106, actualInPeriod: 1, periodTarget: 107 },
    );
    expect(stock.percent).toBeCloseTo(25);
    // 3 of the 4 pairs the period aimed for
    expect(stock.periodPercent).toBeCloseTo(75);
  });

  it("has no period % without a period target, and keeps the plan target its own", () => {
    const p = progressFrom(flowUp, { end_date: "2024-06-30" }, { actualToDate: 30, actualInPeriod: 8, periodTarget: null });
    expect(p.periodPercent).toBeNull();
    expect(p.target).toBe(100);
  });

  it("expects the share of the plan's five years elapsed at the end of the period", () => {
    expect(progressFrom(flowUp, { end_date: "2027-12-31" }, { actualToDate: 0, actualInPeriod: 0, periodTarget: null }).expected).toBe(1);
    expect(progressFrom(flowUp, { end_date: "2025-06-30" }, { actualToDate: 0, actualInPeriod: 0, periodTarget: null }).expected).toBeCloseTo(0.5, 2);
    expect(progressFrom(flowUp, { end_date: "2023-12-31" }, { actualToDate: 0, actualInPeriod: 0, periodTarget: null }).expected).toBeCloseTo(0.2, 2);
  });
});

describe("the default period", () => {
  const periods = [
    { code: "2024-H1", start_date: "2024-01-01", end_date: "2024-06-30" },
    { code: "2024-Q2", start_date: "2024-04-01", end_date: "2024-06-30" },
    { code: "2024-H2", start_date: "2024-07-01", end_date: "2024-12-31" },
    { code: "2023-H2", start_date: "2023-07-01", end_date: "2023-12-31" },
  ];
  it("is the latest one that has ended, the longer of two ending together", () => {
    expect(defaultProgressPeriod(periods, "2024-11-22")?.code).toBe("2024-H1");
    expect(defaultProgressPeriod(periods, "2025-01-01")?.code).toBe("2024-H2");
  });
  it("is the first one when none has ended", () => {
    expect(defaultProgressPeriod(periods, "2023-03-01")?.code).toBe("2023-H2");
    expect(defaultProgressPeriod([], "2023-03-01")).toBeUndefined();
  });
});
