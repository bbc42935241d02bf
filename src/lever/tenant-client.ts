// Builds a tenant's Lever client: decrypted credential, per-call timeout, and
// every request paced by the tenant's TenantGate, whose bucket a 429 slows down.

import type { Bindings, ServiceConfig } from "../config";
import { decryptLeverApiKey } from "../db/tenants";
import type { TenantRow } from "../db/schema";
import { log } from "../shared/log";
import { createLeverClient, type LeverClient } from "./client";

/** Maximum wait for a rate-limit slot spent in place; longer waits re-arm the caller's alarm instead. */
export const MAX_INLINE_GATE_WAIT_MS = 1_000;

/**
 * Thrown before a request when the tenant's gate cannot grant a slot soon:
 * the rate limit is exhausted, or the tenant's credential is blocked after a 401.
 */
export class GateDeferred extends Error {
  readonly retryAt: number;
  readonly blockedBy: "lever_auth_failed" | null;
  constructor(retryAt: number, blockedBy: "lever_auth_failed" | null = null) {
    super(
      blockedBy
        ? `Lever rejected this account's credential; calls wait until ${new Date(retryAt).toISOString()} or a new key`
        : `the tenant's Lever rate limit defers this call until ${new Date(retryAt).toISOString()}`,
    );
    this.name = "GateDeferred";
    this.retryAt = retryAt;
    this.blockedBy = blockedBy;
  }
}

export async function createTenantLeverClient(
  env: Bindings,
  config: ServiceConfig,
  tenant: TenantRow,
  context: { externalPanelId?: string; maxInlineWaitMs?: number; onRedirect?: (fromPath: string, toPath: string) => void } = {},
): Promise<LeverClient> {
  if (!config.encryptionKey) throw new Error("ENCRYPTION_KEY is not configured");
  const apiKey = await decryptLeverApiKey(tenant, config.encryptionKey);
  const gate = env.TENANT_GATE.get(env.TENANT_GATE.idFromName(tenant.id));
  const limits = { perSecond: tenant.rateLimitPerSecond, burst: tenant.rateLimitBurst };
  const maxInlineWaitMs = context.maxInlineWaitMs ?? MAX_INLINE_GATE_WAIT_MS;

  return createLeverClient({
    baseUrl: tenant.leverApiBaseUrl,
    apiKey,
    timeoutMs: config.leverTimeoutMs,
    onRedirect: context.onRedirect,
    async beforeRequest() {
      const reservation = await gate.reserve(limits, maxInlineWaitMs);
      if (!reservation.granted) {
        throw new GateDeferred(reservation.retryAt, "blockedBy" in reservation ? reservation.blockedBy : null);
      }
      const waitMs = reservation.startAt - Date.now();
      if (waitMs > 0) await scheduler.wait(waitMs);
    },
    async afterResponse(info) {
      const fields = {
        tenantId: tenant.id,
        externalPanelId: context.externalPanelId,
        method: info.method,
        route: info.route,
        status: info.status,
        durationMs: info.durationMs,
      };
      if (info.status >= 200 && info.status < 400) log("debug", "lever.request.completed", fields);
      else log("warn", "lever.request.failed", fields);
      if (info.status === 429) await gate.reportRateLimited(limits, info.retryAfterMs, tenant.id);
      if (info.status === 401) await gate.reportAuthFailure(tenant.id);
    },
  });
}
