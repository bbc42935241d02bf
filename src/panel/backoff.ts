// Retry timing for transient Lever failures. Pure: randomness and clock come in.

export const DEFAULT_RETRY_BASE_MS = 2_000;
export const DEFAULT_RETRY_CAP_MS = 30 * 60_000;
/** Transient failures are retried this long before the panel needs attention. */
export const RETRY_WINDOW_MS = 72 * 60 * 60_000;
/** Retries never fire sooner than this (or than the base, when configured lower), so an alarm never re-arms for "now". */
export const MIN_RETRY_DELAY_MS = 500;

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(cap, base * 2^attempt)],
 * floored at MIN_RETRY_DELAY_MS. A Retry-After from Lever wins when present.
 */
export function retryDelayMs(
  attempt: number,
  random: number,
  retryAfterMs: number | undefined,
  baseMs: number = DEFAULT_RETRY_BASE_MS,
  capMs: number = DEFAULT_RETRY_CAP_MS,
): number {
  const floor = Math.min(MIN_RETRY_DELAY_MS, baseMs);
  if (retryAfterMs !== undefined) return Math.max(floor, retryAfterMs);
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(floor, Math.floor(random * ceiling));
}
