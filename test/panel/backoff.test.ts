import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_CAP_MS, MIN_RETRY_DELAY_MS, retryDelayMs } from "../../src/panel/backoff";

describe("retryDelayMs", () => {
  it("grows exponentially at the top of the jitter range", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 0.999999, undefined, 1_000))).toEqual([
      1_999, 3_999, 7_999, 15_999,
    ]);
  });

  it("stays within the cap", () => {
    expect(retryDelayMs(40, 0.999999, undefined, 2_000)).toBeLessThanOrEqual(DEFAULT_RETRY_CAP_MS);
    expect(retryDelayMs(40, 0.999999, undefined, 20, 1_000)).toBe(999);
  });

  it("never returns less than the floor", () => {
    expect(retryDelayMs(1, 0, undefined, 2_000)).toBe(MIN_RETRY_DELAY_MS);
  });

  it("prefers Retry-After", () => {
    expect(retryDelayMs(1, 0.5, 7_000, 2_000)).toBe(7_000);
    expect(retryDelayMs(1, 0.5, 0, 2_000)).toBe(MIN_RETRY_DELAY_MS);
  });
});
