// Authenticates GoodTime with the tenant's integration key
// (`Authorization: Bearer <key>`), looked up by its SHA-256.

import { createMiddleware } from "hono/factory";
import { findKeyByHash } from "../db/tenants";
import type { IntegrationKeyRow, TenantRow } from "../db/schema";
import { integrationKeys } from "../db/schema";
import { database } from "../db/tenants";
import { eq } from "drizzle-orm";
import type { Bindings } from "../config";
import { AppError } from "../shared/errors";
import { sha256Hex } from "../shared/crypto";
import { isWellFormedIntegrationKey } from "../shared/keys";

/** Last-use times are written at most this often per key, to keep D1 writes off the hot path. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface GoodTimeAuthVariables {
  tenant: TenantRow;
  integrationKey: IntegrationKeyRow;
}

/**
 * Rejects missing, malformed and unknown keys alike with 401 `invalid_key`, and
 * revoked keys or disabled tenants with 403 `integration_disabled` unless
 * `allowDisabledTenant` is set (the connection check reports the switch instead).
 */
export function requireIntegrationKey(options: { allowDisabledTenant?: boolean } = {}) {
  return createMiddleware<{ Bindings: Bindings; Variables: GoodTimeAuthVariables }>(
    async function integrationKeyAuth(c, next) {
      const key = bearerToken(c.req.header("authorization"));
      if (!key || !isWellFormedIntegrationKey(key)) throw invalidKey();

      const found = await findKeyByHash(c.env.DB, await sha256Hex(key));
      if (!found) throw invalidKey();
      if (found.key.revokedAt !== null) {
        throw new AppError(403, "integration_disabled", "This integration key has been revoked. Generate a new key in Lever.");
      }
      if (!found.tenant.integrationEnabled && !options.allowDisabledTenant) {
        throw new AppError(403, "integration_disabled", "The GoodTime integration is turned off for this Lever account.");
      }

      c.set("tenant", found.tenant);
      c.set("integrationKey", found.key);
      await next();

      const now = Date.now();
      if (c.res.status < 400 && now - (found.key.lastUsedAt ?? 0) > LAST_USED_WRITE_INTERVAL_MS) {
        c.executionCtx.waitUntil(
          database(c.env.DB)
            .update(integrationKeys)
            .set({ lastUsedAt: now })
            .where(eq(integrationKeys.id, found.key.id))
            .run()
            .then(() => undefined, () => undefined),
        );
      }
    },
  );
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function invalidKey(): AppError {
  return new AppError(401, "invalid_key", "The integration key is missing, malformed or unknown.");
}
