// The Super Admin check behind every integration change: only an active Lever
// user whose accessRole is "super admin" may enable, disable, generate or
// revoke, and Lever is asked at the moment of each action.

import { beforeAll, describe, expect, it } from "vitest";
import { LEVER_USERS } from "../support/fixtures";
import { SUPER_ADMIN_EMAIL, adminRequest, createTenant, sandboxJson, type TestTenant } from "../support/service";

const FORBIDDEN_MESSAGE = "Only an active Lever Super Admin can change the GoodTime integration or its keys.";
const DEACTIVATED_SUPER_ADMIN_EMAIL = "hana.former@acme.example";

interface Snapshot {
  integrationEnabled: boolean;
  integrationUserId: string | null;
  keys: { id: string; revokedAt: string | null }[];
  auditEntries: number;
}

async function snapshot(slug: string): Promise<Snapshot> {
  const shown = await adminRequest("GET", `/tenants/${slug}`);
  expect(shown.status).toBe(200);
  const body = (await shown.json()) as {
    tenant: { integrationEnabled: boolean; integrationUserId: string | null };
    keys: { id: string; revokedAt: string | null }[];
  };
  const audit = await adminRequest("GET", `/tenants/${slug}/audit?limit=500`);
  const { entries } = (await audit.json()) as { entries: unknown[] };
  return {
    integrationEnabled: body.tenant.integrationEnabled,
    integrationUserId: body.tenant.integrationUserId,
    keys: body.keys.map((key) => ({ id: key.id, revokedAt: key.revokedAt })),
    auditEntries: entries.length,
  };
}

type Action = "enable" | "disable" | "generate" | "revoke";

function perform(action: Action, slug: string, email: string, keyId: string): Promise<Response> {
  switch (action) {
    case "enable":
      return adminRequest("PUT", `/tenants/${slug}/integration`, { enabled: true, actingUserEmail: email });
    case "disable":
      return adminRequest("PUT", `/tenants/${slug}/integration`, { enabled: false, actingUserEmail: email });
    case "generate":
      return adminRequest("POST", `/tenants/${slug}/keys`, { actingUserEmail: email });
    case "revoke":
      return adminRequest("POST", `/tenants/${slug}/keys/${keyId}/revoke`, { actingUserEmail: email });
  }
}

async function expectForbidden(response: Response): Promise<void> {
  expect(response.status).toBe(403);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("forbidden");
  expect(body.error.message).toBe(FORBIDDEN_MESSAGE);
}

const DENIED_USERS: [string, string][] = [
  ["admin", "ben.hartley@acme.example"],
  ["team member", "chloe.dubois@acme.example"],
  ["interviewer", "dev.patel@acme.example"],
  ["limited team member", "farah.haddad@acme.example"],
  ["deactivated interviewer", "gus.lindqvist@acme.example"],
  ["deactivated super admin", DEACTIVATED_SUPER_ADMIN_EMAIL],
  ["unknown user", "nobody@acme.example"],
];
const ACTIONS: Action[] = ["enable", "disable", "generate", "revoke"];

describe("super admin check", () => {
  let tenant: TestTenant;
  let keyId: string;

  beforeAll(async () => {
    tenant = await createTenant("roles-denied");
    const created = await sandboxJson<{ data: { id: string } }>(tenant.leverApiKey, "POST", "/_sandbox/users", {
      name: "Hana Former",
      email: DEACTIVATED_SUPER_ADMIN_EMAIL,
      accessRole: "super admin",
      deactivatedAt: Date.now() - 60_000,
    });
    expect(created.data.id).toBeTruthy();
    keyId = (await snapshot(tenant.slug)).keys[0]!.id;
  });

  const cases = DENIED_USERS.flatMap(([role, email]) => ACTIONS.map((action) => [role, action, email] as const));

  it.each(cases)("rejects %s on %s", async (_role, action, email) => {
    const before = await snapshot(tenant.slug);
    await expectForbidden(await perform(action, tenant.slug, email, keyId));
    expect(await snapshot(tenant.slug)).toEqual(before);
  });

  it("allows the super admin every action", async () => {
    const allowed = await createTenant("roles-allowed");
    const firstKey = (await snapshot(allowed.slug)).keys[0]!.id;

    const disabled = await perform("disable", allowed.slug, SUPER_ADMIN_EMAIL, firstKey);
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { tenant: { integrationEnabled: boolean } }).tenant.integrationEnabled).toBe(false);

    const enabled = await perform("enable", allowed.slug, SUPER_ADMIN_EMAIL, firstKey);
    expect(enabled.status).toBe(200);
    const enabledBody = (await enabled.json()) as { tenant: { integrationEnabled: boolean; integrationUserId: string } };
    expect(enabledBody.tenant.integrationEnabled).toBe(true);
    expect(enabledBody.tenant.integrationUserId).toBe(LEVER_USERS.ada);

    const generated = await perform("generate", allowed.slug, SUPER_ADMIN_EMAIL, firstKey);
    expect(generated.status).toBe(201);
    const generatedBody = (await generated.json()) as { key: { createdBy: string } };
    expect(generatedBody.key.createdBy).toBe(LEVER_USERS.ada);

    const revoked = await perform("revoke", allowed.slug, SUPER_ADMIN_EMAIL, firstKey);
    expect(revoked.status).toBe(200);
    const revokedBody = (await revoked.json()) as { key: { revokedAt: string | null; revokedBy: string } };
    expect(revokedBody.key.revokedAt).not.toBeNull();
    expect(revokedBody.key.revokedBy).toBe(LEVER_USERS.ada);
  });

  it("accepts the email in any case", async () => {
    const mixed = await createTenant("roles-email-case");
    const response = await perform("disable", mixed.slug, "Ada.Okafor@ACME.example", "unused");
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect((await snapshot(mixed.slug)).integrationEnabled).toBe(false);
  });

  it("asks Lever at each action", async () => {
    const demoted = await createTenant("roles-demoted");
    const demote = await sandboxJson<{ data: { accessRole: string } }>(
      demoted.leverApiKey,
      "PATCH",
      `/_sandbox/users/${LEVER_USERS.ada}`,
      { accessRole: "admin" },
    );
    expect(demote.data.accessRole).toBe("admin");
    await expectForbidden(await perform("disable", demoted.slug, SUPER_ADMIN_EMAIL, "unused"));
    expect((await snapshot(demoted.slug)).integrationEnabled).toBe(true);

    await sandboxJson(demoted.leverApiKey, "PATCH", `/_sandbox/users/${LEVER_USERS.ada}`, { accessRole: "super admin" });
    const restored = await perform("disable", demoted.slug, SUPER_ADMIN_EMAIL, "unused");
    expect(restored.status).toBe(200);
    await restored.body?.cancel();

    await sandboxJson(demoted.leverApiKey, "PATCH", `/_sandbox/users/${LEVER_USERS.ada}`, { deactivatedAt: Date.now() });
    await expectForbidden(await perform("enable", demoted.slug, SUPER_ADMIN_EMAIL, "unused"));
    expect((await snapshot(demoted.slug)).integrationEnabled).toBe(false);
  });

  it("rejects an invalid acting email", async () => {
    const before = await snapshot(tenant.slug);
    const response = await adminRequest("POST", `/tenants/${tenant.slug}/keys`, { actingUserEmail: "not-an-email" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.issues.map((issue) => issue.path)).toContain("actingUserEmail");
    expect(await snapshot(tenant.slug)).toEqual(before);
  });
});
