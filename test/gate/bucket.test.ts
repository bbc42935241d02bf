import { describe, expect, it } from "vitest";
import { reserve, slowDown, type BucketState } from "../../src/gate/bucket";

const limits = { perSecond: 8, burst: 16 };
const full = (now: number): BucketState => ({ tokens: 16, updatedAt: now, pausedUntil: 0 });

describe("token bucket", () => {
  it("grants the burst at once", () => {
    let state = full(0);
    for (let i = 0; i < 16; i++) {
      const result = reserve(state, limits, 0, 0);
      expect(result.reservation).toEqual({ granted: true, startAt: 0 });
      state = result.state;
    }
    expect(reserve(state, limits, 0, 0).reservation.granted).toBe(false);
  });

  it("spaces calls at the rate after the burst", () => {
    let state = full(0);
    const starts: number[] = [];
    for (let i = 0; i < 24; i++) {
      const result = reserve(state, limits, 0, 10_000);
      if (!result.reservation.granted) throw new Error("expected a grant");
      starts.push(result.reservation.startAt);
      state = result.state;
    }
    expect(starts.slice(0, 16)).toEqual(Array(16).fill(0));
    expect(starts.slice(16)).toEqual([125, 250, 375, 500, 625, 750, 875, 1000]);
  });

  it("never exceeds the rate over any second", () => {
    let state = full(0);
    const starts: number[] = [];
    for (let now = 0; now < 5_000; now += 7) {
      const result = reserve(state, limits, now, 0);
      state = result.state;
      if (result.reservation.granted) starts.push(result.reservation.startAt);
    }
    for (const start of starts) {
      const inWindow = starts.filter((s) => s >= start && s < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(limits.burst + limits.perSecond);
    }
    const afterBurst = starts.filter((s) => s >= 2_000 && s < 3_000).length;
    expect(afterBurst).toBeLessThanOrEqual(limits.perSecond + 1);
  });

  it("declines when the wait is too long", () => {
    const empty: BucketState = { tokens: 0, updatedAt: 0, pausedUntil: 0 };
    expect(reserve(empty, limits, 0, 100).reservation).toEqual({ granted: false, retryAt: 125 });
  });

  it("pauses the tenant after a 429", () => {
    const paused = slowDown(full(0), limits, 0, 3_000);
    expect(paused.tokens).toBe(0);
    expect(reserve(paused, limits, 0, 10_000).reservation).toEqual({ granted: true, startAt: 3_000 });
  });
});
