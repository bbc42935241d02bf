// TenantGate Durable Object: one per tenant, a token bucket in front of the
// tenant's Lever credential. Every Lever call of the tenant, from any panel
// object or route, reserves a slot here first.

import { DurableObject } from "cloudflare:workers";
import { log } from "../shared/log";
import { reserve, slowDown, type BucketLimits, type BucketState, type Reservation } from "./bucket";

/** Pause after a 429 that carried no Retry-After. */
const DEFAULT_429_PAUSE_MS = 2_000;

export class TenantGate extends DurableObject {
  // The bucket lives in memory only. After an eviction it starts full, which
  // allows one extra burst; Lever's own limiter (and its 429) bounds that case.
  #state: BucketState | null = null;

  async reserve(limits: BucketLimits, maxWaitMs: number): Promise<Reservation> {
    const now = Date.now();
    const current = this.#state ?? { tokens: limits.burst, updatedAt: now, pausedUntil: 0 };
    const result = reserve(current, limits, now, maxWaitMs);
    this.#state = result.state;
    return result.reservation;
  }

  async reportRateLimited(limits: BucketLimits, retryAfterMs: number | undefined, tenantId: string): Promise<void> {
    const now = Date.now();
    const pauseMs = retryAfterMs ?? DEFAULT_429_PAUSE_MS;
    this.#state = slowDown(this.#state ?? { tokens: 0, updatedAt: now, pausedUntil: 0 }, limits, now, pauseMs);
    log("warn", "gate.tenant.slowed", { tenantId, delayMs: pauseMs });
  }
}
