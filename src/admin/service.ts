// Tenant administration: create and update tenants, switch the integration,
// generate and revoke integration keys, all recorded in the audit log. Actions
// that change the integration require a Lever Super Admin, checked against
// Lever at the moment of the action.

import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Bindings, ServiceConfig } from "../config";
import { auditLog, integrationKeys, tenants, type IntegrationKeyRow, type TenantRow } from "../db/schema";
import { database, findTenantBySlug, leverApiKeyContext, leverWebhookTokenContext } from "../db/tenants";
import { normalizeEmail } from "../goodtime/schemas";
import { LeverError } from "../lever/client";
import { createTenantLeverClient, GateDeferred } from "../lever/tenant-client";
import { encryptSecret, importEncryptionKey, sha256Hex } from "../shared/crypto";
import { AppError } from "../shared/errors";
import { displayPrefixOf, generateIntegrationKey } from "../shared/keys";
import { log } from "../shared/log";

export const MAX_ACTIVE_KEYS = 2;

export interface TenantInput {
  slug: string;
  name: string;
  leverApiBaseUrl: string;
  leverApiKey: string;
  leverAppOrigin: string;
  goodtimeOrigin: string;
  leverWebhookToken?: string | undefined;
  rateLimitPerSecond?: number | undefined;
  rateLimitBurst?: number | undefined;
}

export type TenantUpdate = Partial<Omit<TenantInput, "slug">>;

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  leverApiBaseUrl: string;
  leverAppOrigin: string;
  goodtimeOrigin: string;
  integrationEnabled: boolean;
  integrationUserId: string | null;
  leverWebhookConfigured: boolean;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  createdAt: string;
  updatedAt: string;
}

export interface KeyView {
  id: string;
  displayPrefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export function toTenantView(tenant: TenantRow): TenantView {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    leverApiBaseUrl: tenant.leverApiBaseUrl,
    leverAppOrigin: tenant.leverAppOrigin,
    goodtimeOrigin: tenant.goodtimeOrigin,
    integrationEnabled: tenant.integrationEnabled,
    integrationUserId: tenant.integrationUserId,
    leverWebhookConfigured: tenant.leverWebhookTokenEncrypted !== null,
    rateLimitPerSecond: tenant.rateLimitPerSecond,
    rateLimitBurst: tenant.rateLimitBurst,
    createdAt: new Date(tenant.createdAt).toISOString(),
    updatedAt: new Date(tenant.updatedAt).toISOString(),
  };
}

export function toKeyView(key: IntegrationKeyRow): KeyView {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: key.id,
    displayPrefix: key.displayPrefix,
    createdBy: key.createdBy,
    createdAt: new Date(key.createdAt).toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
    revokedBy: key.revokedBy,
  };
}

export class AdminService {
  readonly #env: Bindings;
  readonly #config: ServiceConfig;
  readonly #actor: string;

  /** `actor` names the operator or session that performs the actions, for the audit log. */
  constructor(env: Bindings, config: ServiceConfig, actor: string) {
    this.#env = env;
    this.#config = config;
    this.#actor = actor;
  }

  async createTenant(input: TenantInput): Promise<TenantView> {
    if (await findTenantBySlug(this.#env.DB, input.slug)) {
      throw new AppError(409, "conflict", `A tenant with slug ${JSON.stringify(input.slug)} already exists.`);
    }
    const now = Date.now();
    const id = crypto.randomUUID();
    const key = await this.#encryptionKey();
    const row: TenantRow = {
      id,
      slug: input.slug,
      name: input.name,
      leverApiBaseUrl: input.leverApiBaseUrl,
      leverApiKeyEncrypted: await encryptSecret(key, input.leverApiKey, leverApiKeyContext(id)),
      leverAppOrigin: input.leverAppOrigin,
      leverWebhookTokenEncrypted: input.leverWebhookToken
        ? await encryptSecret(key, input.leverWebhookToken, leverWebhookTokenContext(id))
        : null,
      goodtimeOrigin: input.goodtimeOrigin,
      integrationUserId: null,
      integrationEnabled: false,
      rateLimitPerSecond: input.rateLimitPerSecond ?? 8,
      rateLimitBurst: input.rateLimitBurst ?? 16,
      createdAt: now,
      updatedAt: now,
    };
    const orm = database(this.#env.DB);
    await orm.batch([orm.insert(tenants).values(row), this.#audit(id, "tenant.created", { slug: input.slug }, now)]);
    return toTenantView(row);
  }

  async updateTenant(slug: string, update: TenantUpdate): Promise<TenantView> {
    const tenant = await this.#tenant(slug);
    const now = Date.now();
    const key = await this.#encryptionKey();
    const set: Partial<TenantRow> = { updatedAt: now };
    if (update.name !== undefined) set.name = update.name;
    if (update.leverApiBaseUrl !== undefined) set.leverApiBaseUrl = update.leverApiBaseUrl;
    if (update.leverAppOrigin !== undefined) set.leverAppOrigin = update.leverAppOrigin;
    if (update.goodtimeOrigin !== undefined) set.goodtimeOrigin = update.goodtimeOrigin;
    if (update.rateLimitPerSecond !== undefined) set.rateLimitPerSecond = update.rateLimitPerSecond;
    if (update.rateLimitBurst !== undefined) set.rateLimitBurst = update.rateLimitBurst;
    if (update.leverApiKey !== undefined) {
      set.leverApiKeyEncrypted = await encryptSecret(key, update.leverApiKey, leverApiKeyContext(tenant.id));
    }
    if (update.leverWebhookToken !== undefined) {
      set.leverWebhookTokenEncrypted = await encryptSecret(key, update.leverWebhookToken, leverWebhookTokenContext(tenant.id));
    }

    const orm = database(this.#env.DB);
    // Field names only: values may be secrets or personal data.
    const changed = Object.keys(update).filter((field) => update[field as keyof TenantUpdate] !== undefined);
    await orm.batch([
      orm.update(tenants).set(set).where(eq(tenants.id, tenant.id)),
      this.#audit(tenant.id, "tenant.updated", { fields: changed }, now),
    ]);
    if (update.leverApiKey !== undefined) {
      // A new credential may fix a 401: let the tenant's panels call Lever again.
      await this.#env.TENANT_GATE.get(this.#env.TENANT_GATE.idFromName(tenant.id)).clearAuthFailure();
    }
    return toTenantView({ ...tenant, ...set });
  }

  /** Lists tenants by slug, at most `limit` of them. */
  async listTenants(limit: number): Promise<TenantView[]> {
    const rows = await database(this.#env.DB).select().from(tenants).orderBy(asc(tenants.slug)).limit(limit).all();
    return rows.map(toTenantView);
  }

  async getTenant(slug: string): Promise<TenantView> {
    return toTenantView(await this.#tenant(slug));
  }

  async setIntegrationEnabled(slug: string, enabled: boolean, actingUserEmail: string): Promise<TenantView> {
    const tenant = await this.#tenant(slug);
    const superAdmin = await this.#requireSuperAdmin(tenant, actingUserEmail);
    const now = Date.now();
    const set: Partial<TenantRow> = { integrationEnabled: enabled, updatedAt: now };
    if (enabled) set.integrationUserId = superAdmin.id;

    const orm = database(this.#env.DB);
    await orm.batch([
      orm.update(tenants).set(set).where(eq(tenants.id, tenant.id)),
      this.#audit(tenant.id, enabled ? "integration.enabled" : "integration.disabled", { leverUserId: superAdmin.id }, now),
    ]);
    return toTenantView({ ...tenant, ...set });
  }

  /** Generates a key and returns it in full, the only time it is ever available. */
  async generateKey(slug: string, actingUserEmail: string): Promise<{ key: string; view: KeyView }> {
    const tenant = await this.#tenant(slug);
    const superAdmin = await this.#requireSuperAdmin(tenant, actingUserEmail);
    const key = generateIntegrationKey();
    const now = Date.now();
    const row: IntegrationKeyRow = {
      id: crypto.randomUUID(),
      tenantId: tenant.id,
      keyHash: await sha256Hex(key),
      displayPrefix: displayPrefixOf(key),
      createdBy: superAdmin.id,
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
      revokedBy: null,
    };

    // The limit is checked inside the INSERT itself, and the audit row is
    // written only if the key row was, both in one batch (one transaction),
    // so concurrent requests cannot leave more than two active keys.
    const detail = JSON.stringify({ keyId: row.id, displayPrefix: row.displayPrefix, leverUserId: superAdmin.id });
    const [inserted] = await this.#env.DB.batch([
      this.#env.DB.prepare(
        `INSERT INTO integration_keys (id, tenant_id, key_hash, display_prefix, created_by, created_at)
         SELECT ?, ?, ?, ?, ?, ?
         WHERE (SELECT count(*) FROM integration_keys WHERE tenant_id = ? AND revoked_at IS NULL) < ?`,
      ).bind(row.id, row.tenantId, row.keyHash, row.displayPrefix, row.createdBy, row.createdAt, tenant.id, MAX_ACTIVE_KEYS),
      this.#env.DB.prepare(
        `INSERT INTO audit_log (tenant_id, actor, action, detail, at)
         SELECT ?, ?, 'key.generated', ?, ? WHERE EXISTS (SELECT 1 FROM integration_keys WHERE id = ?)`,
      ).bind(tenant.id, this.#actor, detail, now, row.id),
    ]);
    if (!inserted || inserted.meta.changes !== 1) {
      throw new AppError(
        409,
        "conflict",
        `This account already has ${MAX_ACTIVE_KEYS} active keys. Revoke one before generating another.`,
      );
    }
    log("info", "admin.action.recorded", { tenantId: tenant.id, action: "key.generated", keyId: row.id });
    return { key, view: toKeyView(row) };
  }

  async listKeys(slug: string): Promise<KeyView[]> {
    const tenant = await this.#tenant(slug);
    const rows = await database(this.#env.DB)
      .select()
      .from(integrationKeys)
      .where(eq(integrationKeys.tenantId, tenant.id))
      .orderBy(desc(integrationKeys.createdAt))
      .all();
    return rows.map(toKeyView);
  }

  async revokeKey(slug: string, keyId: string, actingUserEmail: string): Promise<KeyView> {
    const tenant = await this.#tenant(slug);
    const superAdmin = await this.#requireSuperAdmin(tenant, actingUserEmail);
    const orm = database(this.#env.DB);
    const key = await orm
      .select()
      .from(integrationKeys)
      .where(and(eq(integrationKeys.id, keyId), eq(integrationKeys.tenantId, tenant.id)))
      .get();
    if (!key) throw new AppError(404, "not_found", `No key with id ${JSON.stringify(keyId)} in this account.`);
    if (key.revokedAt !== null) return toKeyView(key);

    const now = Date.now();
    await orm.batch([
      orm
        .update(integrationKeys)
        .set({ revokedAt: now, revokedBy: superAdmin.id })
        .where(eq(integrationKeys.id, key.id)),
      this.#audit(tenant.id, "key.revoked", { keyId: key.id, displayPrefix: key.displayPrefix, leverUserId: superAdmin.id }, now),
    ]);
    return toKeyView({ ...key, revokedAt: now, revokedBy: superAdmin.id });
  }

  async listAudit(slug: string, limit: number) {
    const tenant = await this.#tenant(slug);
    const rows = await database(this.#env.DB)
      .select()
      .from(auditLog)
      .where(eq(auditLog.tenantId, tenant.id))
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .all();
    return rows.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      detail: JSON.parse(row.detail) as unknown,
      at: new Date(row.at).toISOString(),
    }));
  }

  async #tenant(slug: string): Promise<TenantRow> {
    const tenant = await findTenantBySlug(this.#env.DB, slug);
    if (!tenant) throw new AppError(404, "not_found", `No tenant with slug ${JSON.stringify(slug)}.`);
    return tenant;
  }

  // Asks Lever now, not a cache: a Super Admin demoted a minute ago must not act.
  async #requireSuperAdmin(tenant: TenantRow, actingUserEmail: string): Promise<{ id: string }> {
    const email = normalizeEmail(actingUserEmail);
    let users;
    try {
      const client = await createTenantLeverClient(this.#env, this.#config, tenant, { maxInlineWaitMs: 5_000 });
      users = await client.findUsersByEmail(email, true);
    } catch (error) {
      if (error instanceof GateDeferred && error.blockedBy) {
        throw new AppError(502, "lever_rejected", "Lever rejected the tenant's API key. Store a working key, then try again.");
      }
      if (error instanceof GateDeferred || (error instanceof LeverError && error.transient)) {
        throw new AppError(503, "lever_unavailable", "Lever did not respond to the Super Admin check. Try again shortly.");
      }
      if (error instanceof LeverError) {
        throw new AppError(502, "lever_rejected", "Lever rejected the Super Admin check. Check the tenant's Lever API key.", {
          detail: `${error.status} ${error.leverCode ?? ""}`,
        });
      }
      throw error;
    }

    const user = users.find((candidate) => normalizeEmail(candidate.email) === email && !candidate.deactivatedAt);
    if (!user || user.accessRole !== "super admin") {
      log("warn", "admin.request.rejected", { tenantId: tenant.id, code: "forbidden" });
      throw new AppError(
        403,
        "forbidden",
        "Only an active Lever Super Admin can change the GoodTime integration or its keys.",
      );
    }
    return { id: user.id };
  }

  async #encryptionKey(): Promise<CryptoKey> {
    if (!this.#config.encryptionKey) {
      throw new AppError(503, "unavailable", "The service has no ENCRYPTION_KEY secret; tenants cannot be stored.");
    }
    return importEncryptionKey(this.#config.encryptionKey);
  }

  #audit(tenantId: string, action: string, detail: Record<string, unknown>, now: number) {
    log("info", "admin.action.recorded", { tenantId, action });
    return database(this.#env.DB)
      .insert(auditLog)
      .values({ tenantId, actor: this.#actor, action, detail: JSON.stringify(detail), at: now });
  }
}
