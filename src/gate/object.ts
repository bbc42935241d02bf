// TenantGate Durable Object: one per tenant, a token bucket in front of the
// tenant's Lever credential. Every Lever call of the tenant, from any panel
// object or route, reserves a slot here first.

import { DurableObject } from "cloudflare:workers";
import { log } from "../shared/log";
import { reserve, slowDown, type BucketLimits, type BucketState, type Reservation } from "./bucket";

/** Pause after a 429 that carried no Retry-After. */
const DEFAULT_429_PAUSE_MS = 2_000;
/** A claimed lookup that has not ended after this long is handed to the next caller. */
const LOOKUP_CLAIM_MS = 5_000;
/** How long the tenant's calls stay blocked after Lever rejected the credential. */
export const AUTH_FAILURE_BLOCK_MS = 15 * 60_000;

export type GateReservation = Reservation | { granted: false; retryAt: number; blockedBy: "lever_auth_failed" };

export class TenantGate extends DurableObject {
  // The bucket lives in memory only. After an eviction it starts full, which
  // allows one extra burst; Lever's own limiter (and its 429) bounds that case.
  #state: BucketState | null = null;
  #authBlockedUntil = 0;
  #lookups = new Map<string, { startedAt: number; done: Promise<void>; finish: () => void }>();

  async reserve(limits: BucketLimits, maxWaitMs: number): Promise<GateReservation> {
    const now = Date.now();
    if (this.#authBlockedUntil > now) {
      return { granted: false, retryAt: this.#authBlockedUntil, blockedBy: "lever_auth_failed" };
    }
    const current = this.#state ?? { tokens: limits.burst, updatedAt: now, pausedUntil: 0 };
    const result = reserve(current, limits, now, maxWaitMs);
    this.#state = result.state;
    return result.reservation;
  }

  /**
   * Blocks every Lever call of the tenant after Lever rejected its credential
   * (401), so that its panels wait instead of each repeating the failure.
   */
  async reportAuthFailure(tenantId: string): Promise<void> {
    this.#authBlockedUntil = Date.now() + AUTH_FAILURE_BLOCK_MS;
    log("warn", "gate.tenant.blocked", { tenantId, reason: "lever_auth_failed", delayMs: AUTH_FAILURE_BLOCK_MS });
  }

  /** Lifts a credential block, for example after an operator stored a new Lever API key. */
  async clearAuthFailure(): Promise<void> {
    this.#authBlockedUntil = 0;
  }

  /**
   * Claims a shared Lever lookup (a user email, the feedback templates) for
   * the caller. Returns false while another caller's claim is younger than
   * LOOKUP_CLAIM_MS, so panels that start together ask Lever once.
   */
  async beginLookup(key: string): Promise<boolean> {
    const current = this.#lookups.get(key);
    if (current && Date.now() - current.startedAt < LOOKUP_CLAIM_MS) return false;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    current?.finish();
    this.#lookups.set(key, { startedAt: Date.now(), done, finish });
    return true;
  }

  async endLookup(key: string): Promise<void> {
    const current = this.#lookups.get(key);
    this.#lookups.delete(key);
    current?.finish();
  }

  /** Waits for the current claim on the key to end, at most LOOKUP_CLAIM_MS. */
  async waitForLookup(key: string): Promise<void> {
    const current = this.#lookups.get(key);
    if (!current) return;
    await Promise.race([current.done, scheduler.wait(LOOKUP_CLAIM_MS)]);
  }

  async reportRateLimited(limits: BucketLimits, retryAfterMs: number | undefined, tenantId: string): Promise<void> {
    const now = Date.now();
    const pauseMs = retryAfterMs ?? DEFAULT_429_PAUSE_MS;
    this.#state = slowDown(this.#state ?? { tokens: 0, updatedAt: now, pausedUntil: 0 }, limits, now, pauseMs);
    log("warn", "gate.tenant.slowed", { tenantId, delayMs: pauseMs });
  }
}
