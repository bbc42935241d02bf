export const DEFAULT_REQUESTS_PER_SECOND = 10;
export const DEFAULT_BURST = 20;

/**
 * Token bucket per API key, as Lever documents its limit: a steady 10 requests per second
 * with bursts up to 20. A rejected request takes no token.
 */
export class TokenBucket {
  perSecond = DEFAULT_REQUESTS_PER_SECOND;
  burst = DEFAULT_BURST;
  private tokens = DEFAULT_BURST;
  private updatedAt = Date.now();

  /** Set new limits and refill the bucket to `burst`. */
  configure(perSecond: number, burst: number): void {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.updatedAt = Date.now();
  }

  tryTake(now = Date.now()): boolean {
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.perSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
