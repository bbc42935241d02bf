// Integration keys: only their SHA-256 is stored, revocation takes effect on
// the next request, two keys may be active during rotation, and every admin
// action leaves an audit entry without secrets.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/shared/crypto";
import { FIXTURE_WEEK, withFreshIds } from "../support/fixtures";
import {
  GOODTIME_ORIGIN,
  SANDBOX_ORIGIN,
  SUPER_ADMIN_EMAIL,
  adminRequest,
  createSandboxAccount,
  createTenant,
  sendEvent,
  waitForSettled,
} from "../support/service";

const created = FIXTURE_WEEK[0]!;

async function generateKey(slug: string): Promise<{ integrationKey: string; id: string }> {
  const response = await adminRequest("POST", `/tenants/${slug}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL });
  expect(response.status).toBe(201);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as { integrationKey: string; key: { id: string } };
  return { integrationKey: body.integrationKey, id: body.key.id };
}

async function revokeKey(slug: string, keyId: string): Promise<void> {
  const response = await adminRequest("POST", `/tenants/${slug}/keys/${keyId}/revoke`, { actingUserEmail: SUPER_ADMIN_EMAIL });
  expect(response.status).toBe(200);
  await response.body?.cancel();
}

async function keyIdOf(slug: string, integrationKey: string): Promise<string> {
  const response = await adminRequest("GET", `/tenants/${slug}/keys`);
  const { keys } = (await response.json()) as { keys: { id: string; displayPrefix: string; revokedAt: string | null }[] };
  const matches = keys.filter((key) => integrationKey.startsWith(key.displayPrefix) && key.revokedAt === null);
  expect(matches).toHaveLength(1);
  return matches[0]!.id;
}

/** Sends a fresh copy of the first fixture event and returns the status and error code, if any. */
async function tryWebhook(integrationKey: string, suffix: string): Promise<{ status: number; code: string | undefined }> {
  const event = withFreshIds(created, suffix);
  const response = await sendEvent(integrationKey, event);
  const body = (await response.json()) as { error?: { code: string } };
  // An accepted event starts a sync; let it finish so no Lever call outlives the test file.
  if (response.status === 202) await waitForSettled(integrationKey, event.scheduledPanel.externalPanelId, 1);
  return { status: response.status, code: body.error?.code };
}

/** Reads every row of every application table in D1 as text. */
async function dumpDatabase(): Promise<string> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  expect(tables.map((table) => table.name)).toContain("integration_keys");
  const parts: string[] = [];
  for (const { name } of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    parts.push(JSON.stringify(results));
  }
  return parts.join("\n");
}

describe("key storage", () => {
  it("stores only the key hash", async () => {
    const tenant = await createTenant("keys-hash");
    const row = await env.DB.prepare("SELECT * FROM integration_keys WHERE tenant_id = ?")
      .bind(tenant.tenantId)
      .first<Record<string, unknown>>();
    expect(row).not.toBeNull();
    expect(row!.key_hash).toBe(await sha256Hex(tenant.integrationKey));
    expect(row!.display_prefix).toBe(tenant.integrationKey.slice(0, 9));

    const secretPart = tenant.integrationKey.slice(9);
    for (const [column, value] of Object.entries(row!)) {
      expect(String(value), column).not.toContain(tenant.integrationKey);
      expect(String(value), column).not.toContain(secretPart);
    }
  });

  it("keeps keys out of every table", async () => {
    const tenant = await createTenant("keys-dump");
    const second = await generateKey(tenant.slug);
    const dump = await dumpDatabase();
    expect(dump).toContain(await sha256Hex(second.integrationKey));
    for (const key of [tenant.integrationKey, second.integrationKey]) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(9));
    }
    expect(dump).not.toContain(tenant.leverApiKey);
  });

  it("lists keys without the secret", async () => {
    const tenant = await createTenant("keys-list");
    const response = await adminRequest("GET", `/tenants/${tenant.slug}/keys`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain(tenant.integrationKey.slice(0, 9));
    expect(text).not.toContain(tenant.integrationKey);
    expect(text).not.toContain("keyHash");
  });
});

describe("key revocation", () => {
  it("rejects a revoked key on the next webhook", async () => {
    const tenant = await createTenant("keys-revoke");
    expect(await tryWebhook(tenant.integrationKey, "keys-revoke-1")).toEqual({ status: 202, code: undefined });

    await revokeKey(tenant.slug, await keyIdOf(tenant.slug, tenant.integrationKey));
    expect(await tryWebhook(tenant.integrationKey, "keys-revoke-2")).toEqual({ status: 403, code: "integration_disabled" });
  });

  it("rejects every key while disabled", async () => {
    const tenant = await createTenant("keys-disabled");
    const response = await adminRequest("PUT", `/tenants/${tenant.slug}/integration`, {
      enabled: false,
      actingUserEmail: SUPER_ADMIN_EMAIL,
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(await tryWebhook(tenant.integrationKey, "keys-disabled")).toEqual({ status: 403, code: "integration_disabled" });
  });

  it("revokes an already revoked key idempotently", async () => {
    const tenant = await createTenant("keys-revoke-twice");
    const keyId = await keyIdOf(tenant.slug, tenant.integrationKey);
    await revokeKey(tenant.slug, keyId);
    const audit = await adminRequest("GET", `/tenants/${tenant.slug}/audit`);
    const before = ((await audit.json()) as { entries: unknown[] }).entries.length;
    await revokeKey(tenant.slug, keyId);
    const after = await adminRequest("GET", `/tenants/${tenant.slug}/audit`);
    expect(((await after.json()) as { entries: unknown[] }).entries.length).toBe(before);
  });
});

describe("key rotation", () => {
  it("allows two active keys", async () => {
    const tenant = await createTenant("keys-rotation");
    const second = await generateKey(tenant.slug);
    expect(second.integrationKey).not.toBe(tenant.integrationKey);

    expect(await tryWebhook(tenant.integrationKey, "keys-rotation-old")).toEqual({ status: 202, code: undefined });
    expect(await tryWebhook(second.integrationKey, "keys-rotation-new")).toEqual({ status: 202, code: undefined });
  });

  it("rejects a third active key with 409", async () => {
    const tenant = await createTenant("keys-third");
    await generateKey(tenant.slug);

    const third = await adminRequest("POST", `/tenants/${tenant.slug}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL });
    expect(third.status).toBe(409);
    const body = (await third.json()) as { error: { code: string; message: string }; integrationKey?: string };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toContain("Revoke one before generating another");
    expect(body.integrationKey).toBeUndefined();

    const listed = await adminRequest("GET", `/tenants/${tenant.slug}/keys`);
    const { keys } = (await listed.json()) as { keys: unknown[] };
    expect(keys).toHaveLength(2);
  });

  it("keeps the limit under concurrent requests", async () => {
    const tenant = await createTenant("keys-concurrent");
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => adminRequest("POST", `/tenants/${tenant.slug}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL })),
    );
    const statuses = responses.map((response) => response.status).sort();
    for (const response of responses) await response.body?.cancel();
    expect(statuses).toEqual([201, 409, 409, 409]);

    const active = await env.DB.prepare("SELECT count(*) AS n FROM integration_keys WHERE tenant_id = ? AND revoked_at IS NULL")
      .bind(tenant.tenantId)
      .first<{ n: number }>();
    expect(active!.n).toBe(2);
    const audited = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE tenant_id = ? AND action = 'key.generated'")
      .bind(tenant.tenantId)
      .first<{ n: number }>();
    expect(audited!.n).toBe(2);
  });

  it("allows a new key after revoking one", async () => {
    const tenant = await createTenant("keys-replace");
    const second = await generateKey(tenant.slug);
    await revokeKey(tenant.slug, await keyIdOf(tenant.slug, tenant.integrationKey));
    const third = await generateKey(tenant.slug);

    expect(await tryWebhook(tenant.integrationKey, "keys-replace-old")).toEqual({ status: 403, code: "integration_disabled" });
    expect(await tryWebhook(second.integrationKey, "keys-replace-second")).toEqual({ status: 202, code: undefined });
    expect(await tryWebhook(third.integrationKey, "keys-replace-third")).toEqual({ status: 202, code: undefined });
  });
});

describe("admin audit", () => {
  it("records every action without secrets", async () => {
    const leverApiKey = await createSandboxAccount();
    const webhookToken = `whtok-${crypto.randomUUID()}`;
    const slug = "audit-actions";
    const createdTenant = await adminRequest("POST", "/tenants", {
      slug,
      name: "Acme (audit)",
      leverApiBaseUrl: `${SANDBOX_ORIGIN}/v1`,
      leverApiKey,
      leverAppOrigin: SANDBOX_ORIGIN,
      goodtimeOrigin: GOODTIME_ORIGIN,
      leverWebhookToken: webhookToken,
    });
    expect(createdTenant.status).toBe(201);
    await createdTenant.body?.cancel();

    const updated = await adminRequest("PATCH", `/tenants/${slug}`, { name: "Acme (audit, renamed)", leverApiKey });
    expect(updated.status).toBe(200);
    await updated.body?.cancel();
    const enabled = await adminRequest("PUT", `/tenants/${slug}/integration`, { enabled: true, actingUserEmail: SUPER_ADMIN_EMAIL });
    expect(enabled.status).toBe(200);
    await enabled.body?.cancel();
    const key = await generateKey(slug);
    await revokeKey(slug, key.id);
    const disabled = await adminRequest("PUT", `/tenants/${slug}/integration`, { enabled: false, actingUserEmail: SUPER_ADMIN_EMAIL });
    expect(disabled.status).toBe(200);
    await disabled.body?.cancel();

    const response = await adminRequest("GET", `/tenants/${slug}/audit`);
    const text = await response.text();
    const { entries } = JSON.parse(text) as { entries: { action: string; actor: string; detail: Record<string, unknown> }[] };
    expect(entries.map((entry) => entry.action)).toEqual([
      "integration.disabled",
      "key.revoked",
      "key.generated",
      "integration.enabled",
      "tenant.updated",
      "tenant.created",
    ]);
    expect(entries.every((entry) => entry.actor === "operator")).toBe(true);
    expect(entries[4]!.detail).toEqual({ fields: ["name", "leverApiKey"] });
    expect(entries[2]!.detail.keyId).toBe(key.id);

    for (const secret of [key.integrationKey, key.integrationKey.slice(9), leverApiKey, webhookToken]) {
      expect(text).not.toContain(secret);
    }
    const { results } = await env.DB.prepare("SELECT * FROM audit_log").all();
    const stored = JSON.stringify(results);
    for (const secret of [key.integrationKey, leverApiKey, webhookToken]) {
      expect(stored).not.toContain(secret);
    }
  });

  it("records nothing for a rejected action", async () => {
    const tenant = await createTenant("audit-rejected");
    const before = await adminRequest("GET", `/tenants/${tenant.slug}/audit`);
    const count = ((await before.json()) as { entries: unknown[] }).entries.length;
    const rejected = await adminRequest("POST", `/tenants/${tenant.slug}/keys`, { actingUserEmail: "ben.hartley@acme.example" });
    expect(rejected.status).toBe(403);
    await rejected.body?.cancel();
    const after = await adminRequest("GET", `/tenants/${tenant.slug}/audit`);
    expect(((await after.json()) as { entries: unknown[] }).entries).toHaveLength(count);
  });
});
