// Tenant and integration-key queries on D1.

import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { decryptSecret, importEncryptionKey } from "../shared/crypto";
import { integrationKeys, tenants, type IntegrationKeyRow, type TenantRow } from "./schema";

export function database(db: D1Database) {
  return drizzle(db);
}

export async function findTenantById(db: D1Database, tenantId: string): Promise<TenantRow | undefined> {
  return database(db).select().from(tenants).where(eq(tenants.id, tenantId)).get();
}

export async function findTenantBySlug(db: D1Database, slug: string): Promise<TenantRow | undefined> {
  return database(db).select().from(tenants).where(eq(tenants.slug, slug)).get();
}

export interface KeyLookup {
  key: IntegrationKeyRow;
  tenant: TenantRow;
}

/** Finds a key by its SHA-256, revoked or not, with its tenant. */
export async function findKeyByHash(db: D1Database, keyHash: string): Promise<KeyLookup | undefined> {
  const row = await database(db)
    .select({ key: integrationKeys, tenant: tenants })
    .from(integrationKeys)
    .innerJoin(tenants, eq(integrationKeys.tenantId, tenants.id))
    .where(eq(integrationKeys.keyHash, keyHash))
    .get();
  return row ?? undefined;
}

export async function listActiveKeys(db: D1Database, tenantId: string): Promise<IntegrationKeyRow[]> {
  return database(db)
    .select()
    .from(integrationKeys)
    .where(and(eq(integrationKeys.tenantId, tenantId), isNull(integrationKeys.revokedAt)))
    .all();
}

/** Context strings bind each ciphertext to its tenant and column. */
export function leverApiKeyContext(tenantId: string): string {
  return `tenant:${tenantId}:lever_api_key`;
}

export function leverWebhookTokenContext(tenantId: string): string {
  return `tenant:${tenantId}:lever_webhook_token`;
}

export async function decryptLeverApiKey(tenant: TenantRow, encryptionKey: string): Promise<string> {
  const key = await importEncryptionKey(encryptionKey);
  return decryptSecret(key, tenant.leverApiKeyEncrypted, leverApiKeyContext(tenant.id));
}
