// Token bucket arithmetic for the per-tenant Lever rate limit. Pure: the caller
// passes the clock. Tokens may go negative: a reservation taken while the bucket
// is empty is a debt that later refills pay off, which spaces granted calls
// exactly 1/rate apart.

export interface BucketState {
  tokens: number;
  updatedAt: number;
  /** No call may start before this instant (set by a 429 from Lever). */
  pausedUntil: number;
}

export interface BucketLimits {
  perSecond: number;
  burst: number;
}

export type Reservation = { granted: true; startAt: number } | { granted: false; retryAt: number };

export function refill(state: BucketState, limits: BucketLimits, now: number): BucketState {
  const elapsedMs = Math.max(0, now - state.updatedAt);
  const tokens = Math.min(limits.burst, state.tokens + (elapsedMs * limits.perSecond) / 1000);
  return { ...state, tokens, updatedAt: Math.max(now, state.updatedAt) };
}

/**
 * Reserves one call. Granted when the call can start within `maxWaitMs`; the
 * caller then waits until `startAt`. Otherwise nothing is reserved and
 * `retryAt` estimates when to ask again.
 */
export function reserve(
  state: BucketState,
  limits: BucketLimits,
  now: number,
  maxWaitMs: number,
): { state: BucketState; reservation: Reservation } {
  const current = refill(state, limits, now);
  const tokenAt = current.tokens >= 1 ? now : now + ((1 - current.tokens) * 1000) / limits.perSecond;
  const startAt = Math.max(tokenAt, current.pausedUntil);
  if (startAt - now > maxWaitMs) {
    return { state: current, reservation: { granted: false, retryAt: Math.ceil(startAt) } };
  }
  return {
    state: { ...current, tokens: current.tokens - 1 },
    reservation: { granted: true, startAt: Math.ceil(startAt) },
  };
}

/** Applies a 429 from Lever: the whole tenant pauses and restarts with an empty bucket. */
export function slowDown(state: BucketState, limits: BucketLimits, now: number, pauseMs: number): BucketState {
  const current = refill(state, limits, now);
  return { tokens: Math.min(current.tokens, 0), updatedAt: current.updatedAt, pausedUntil: Math.max(current.pausedUntil, now + pauseMs) };
}
