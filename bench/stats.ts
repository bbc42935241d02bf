// Small statistics for the benchmark: percentiles, sliding-window peaks and
// the token-bucket lower bound on how long a number of calls must take.

/** Nearest-rank percentile of `values` (need not be sorted); NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Returns the largest number of timestamps inside any window of `windowMs`
 * (a window [t, t + windowMs) starting at some timestamp t), and where it starts.
 */
export function peakInWindow(timestamps: readonly number[], windowMs: number): { count: number; startAt: number | null } {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let bestStart: number | null = null;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    if (end - start > best) {
      best = end - start;
      bestStart = sorted[start]!;
    }
  }
  return { count: best, startAt: bestStart };
}

/**
 * Minimum time in ms for `calls` calls through a token bucket that starts full:
 * the first `burst` calls start at once and each further call waits 1/rate.
 */
export function bucketMinimumMs(calls: number, perSecond: number, burst: number): number {
  return (Math.max(0, calls - burst) * 1000) / perSecond;
}

/** Maximum number of calls a token bucket can admit within any window of `windowMs`. */
export function bucketWindowCapacity(perSecond: number, burst: number, windowMs: number): number {
  return Math.floor(burst + (perSecond * windowMs) / 1000);
}

/** Counts timestamps per whole second since `origin`, as a dense list. */
export function countPerSecond(timestamps: readonly number[], origin: number): number[] {
  const counts: number[] = [];
  for (const at of timestamps) {
    const second = Math.floor((at - origin) / 1000);
    if (second < 0) continue;
    while (counts.length <= second) counts.push(0);
    counts[second]! += 1;
  }
  return counts;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(1)} ms`;
}
