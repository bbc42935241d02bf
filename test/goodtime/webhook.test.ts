// POST /v1/goodtime/webhooks: every response of the contract, and nothing stored
// for any rejected request.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { generateIntegrationKey } from "../../src/shared/keys";
import { FIXTURE_WEEK, clone, withFreshIds } from "../support/fixtures";
import {
  SUPER_ADMIN_EMAIL,
  adminRequest,
  createTenant,
  getSyncRecord,
  sendEvent,
  serviceFetch,
  waitForSettled,
  type TestTenant,
} from "../support/service";

const created = FIXTURE_WEEK[0]!;
const MAX_BODY_BYTES = 256 * 1024;

async function countIndexedPanels(): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM scheduled_panels").first<{ n: number }>();
  return row!.n;
}

function post(key: string | null, body: BodyInit | null, headers: Record<string, string> = {}): Promise<Response> {
  return serviceFetch("/v1/goodtime/webhooks", {
    method: "POST",
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body,
    // @ts-expect-error duplex is required by the runtime for streamed bodies
    duplex: "half",
  });
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

describe("webhook errors", () => {
  let tenant: TestTenant;
  let indexedBefore: number;

  beforeAll(async () => {
    tenant = await createTenant("webhook-errors");
  });

  async function expectNothingStored(externalPanelId: string) {
    expect(await countIndexedPanels()).toBe(indexedBefore);
    const response = await serviceFetch(`/v1/goodtime/scheduled-panels/${externalPanelId}`, {
      headers: { authorization: `Bearer ${tenant.integrationKey}` },
    });
    await expectError(response, 404, "not_found");
  }

  it.each([
    ["no Authorization header", null as string | null],
    ["malformed key", "not-a-key"],
    ["unknown well-formed key", generateIntegrationKey()],
  ])("rejects %s with invalid_key", async (_name, key) => {
    indexedBefore = await countIndexedPanels();
    const event = withFreshIds(created, "auth");
    const response = await post(key, JSON.stringify(event), { "content-type": "application/json" });
    await expectError(response, 401, "invalid_key");
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    await expectNothingStored(event.scheduledPanel.externalPanelId);
  });

  it("rejects a key with one character changed", async () => {
    const last = tenant.integrationKey.at(-1) === "A" ? "B" : "A";
    const tampered = tenant.integrationKey.slice(0, -1) + last;
    const response = await post(tampered, JSON.stringify(created), { "content-type": "application/json" });
    await expectError(response, 401, "invalid_key");
  });

  it("rejects a Basic Authorization header", async () => {
    const response = await serviceFetch("/v1/goodtime/webhooks", {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${tenant.integrationKey}:`)}`, "content-type": "application/json" },
      body: JSON.stringify(created),
    });
    await expectError(response, 401, "invalid_key");
  });

  it.each([
    ["no Content-Type", {}],
    ["text/plain", { "content-type": "text/plain" }],
    ["form data", { "content-type": "application/x-www-form-urlencoded" }],
  ])("rejects %s with unsupported_media_type", async (_name, headers: Record<string, string>) => {
    indexedBefore = await countIndexedPanels();
    const event = withFreshIds(created, "media");
    const response = await post(tenant.integrationKey, JSON.stringify(event), headers);
    await expectError(response, 415, "unsupported_media_type");
    await expectNothingStored(event.scheduledPanel.externalPanelId);
  });

  it("accepts application/json with a charset", async () => {
    const event = withFreshIds(created, "charset");
    const response = await post(tenant.integrationKey, JSON.stringify(event), {
      "content-type": "application/json; charset=utf-8",
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "accepted" });
  });

  it("rejects a declared Content-Length over 256 KiB", async () => {
    indexedBefore = await countIndexedPanels();
    const event = withFreshIds(created, "big");
    event.scheduledPanel.title = "x".repeat(MAX_BODY_BYTES);
    const response = await post(tenant.integrationKey, JSON.stringify(event), { "content-type": "application/json" });
    await expectError(response, 413, "payload_too_large");
    await expectNothingStored(event.scheduledPanel.externalPanelId);
  });

  it("rejects a chunked body over 256 KiB", async () => {
    indexedBefore = await countIndexedPanels();
    const event = withFreshIds(created, "chunked");
    const text = JSON.stringify({ ...event, padding: "y".repeat(MAX_BODY_BYTES) });
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 16 * 1024) {
          controller.enqueue(bytes.slice(offset, offset + 16 * 1024));
        }
        controller.close();
      },
    });
    const response = await post(tenant.integrationKey, stream, { "content-type": "application/json" });
    await expectError(response, 413, "payload_too_large");
    await expectNothingStored(event.scheduledPanel.externalPanelId);
  });

  it.each([
    ["an empty body", ""],
    ["malformed JSON", '{"id": "evt_1",'],
    ["a JSON string of a number", "12"],
  ])("rejects %s", async (name, body) => {
    indexedBefore = await countIndexedPanels();
    const response = await post(tenant.integrationKey, body, { "content-type": "application/json" });
    if (name === "a JSON string of a number") {
      const error = await expectError(response, 400, "invalid_event");
      expect(error).toMatchObject({ error: { issues: [{ path: "(body)" }] } });
    } else {
      await expectError(response, 400, "invalid_json");
    }
    expect(await countIndexedPanels()).toBe(indexedBefore);
  });

  it("rejects a body that is not UTF-8", async () => {
    const response = await post(tenant.integrationKey, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), {
      "content-type": "application/json",
    });
    await expectError(response, 400, "invalid_json");
  });

  it("lists every failing field path", async () => {
    indexedBefore = await countIndexedPanels();
    const event = withFreshIds(created, "schema") as unknown as Record<string, any>;
    event.type = "scheduled_panel.moved";
    event.occurredAt = "yesterday";
    event.scheduledPanel.timezone = "Mars/Olympus_Mons";
    event.scheduledPanel.version = -1;
    event.scheduledPanel.scheduledEvents[0].endTime = event.scheduledPanel.scheduledEvents[0].startTime;
    event.scheduledPanel.scheduledEvents[1].interviewers[0].email = "not-an-email";
    event.scheduledPanel.scheduledEvents[2].externalEventId = event.scheduledPanel.scheduledEvents[0].externalEventId;

    const response = await post(tenant.integrationKey, JSON.stringify(event), { "content-type": "application/json" });
    const body = (await expectError(response, 400, "invalid_event")) as unknown as {
      error: { issues: { path: string; message: string }[] };
    };
    const paths = body.error.issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(
      [
        "type",
        "occurredAt",
        "scheduledPanel.timezone",
        "scheduledPanel.version",
        "scheduledPanel.scheduledEvents.0.endTime",
        "scheduledPanel.scheduledEvents.1.interviewers.0.email",
        "scheduledPanel.scheduledEvents.2.externalEventId",
      ].sort(),
    );
    await expectNothingStored(event.scheduledPanel.externalPanelId);
  });

  it.each([
    ["an unsafe externalPanelId", (e: any) => (e.scheduledPanel.externalPanelId = "../../evil"), "scheduledPanel.externalPanelId"],
    ["a confirmed panel with no events", (e: any) => (e.scheduledPanel.scheduledEvents = []), "scheduledPanel.scheduledEvents"],
    ["an event with no interviewers", (e: any) => (e.scheduledPanel.scheduledEvents[0].interviewers = []), "scheduledPanel.scheduledEvents.0.interviewers"],
    ["an interview longer than a day", (e: any) => (e.scheduledPanel.scheduledEvents[0].endTime = "2026-12-16T14:00:00Z"), "scheduledPanel.scheduledEvents.0.endTime"],
    ["a local time without offset", (e: any) => (e.scheduledPanel.scheduledEvents[0].startTime = "2026-12-14T14:00:00"), "scheduledPanel.scheduledEvents.0.startTime"],
    ["a missing candidateId", (e: any) => delete e.scheduledPanel.candidateId, "scheduledPanel.candidateId"],
    ["an interviewer listed twice", (e: any) => e.scheduledPanel.scheduledEvents[1].interviewers.push({ email: "EMI.SATO@acme.example" }), "scheduledPanel.scheduledEvents.1.interviewers.1.email"],
  ])("rejects %s", async (_name, mutate, path) => {
    const event = clone(created) as any;
    event.id = `evt-invalid-${path.replace(/\W/g, "")}`;
    mutate(event);
    const response = await post(tenant.integrationKey, JSON.stringify(event), { "content-type": "application/json" });
    const body = (await expectError(response, 400, "invalid_event")) as unknown as { error: { issues: { path: string }[] } };
    expect(body.error.issues.map((issue) => issue.path)).toContain(path);
  });

  it("answers 503 when the panel object cannot store", async () => {
    indexedBefore = await countIndexedPanels();
    const event = withFreshIds(created, "storage");
    const spy = vi.spyOn(env.SCHEDULED_PANEL, "get").mockImplementation(
      () =>
        ({
          receive: async () => {
            throw new Error("simulated storage failure");
          },
        }) as never,
    );
    try {
      const response = await post(tenant.integrationKey, JSON.stringify(event), { "content-type": "application/json" });
      await expectError(response, 503, "unavailable");
      expect(response.headers.get("retry-after")).not.toBeNull();
    } finally {
      spy.mockRestore();
    }
    await expectNothingStored(event.scheduledPanel.externalPanelId);
  });
});

describe("webhook acceptance", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("webhook-accept");
  });

  it("answers duplicate for a repeated event id", async () => {
    const event = withFreshIds(created, "dup");
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const again = await sendEvent(tenant.integrationKey, event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: "duplicate" });
  });

  it("answers stale for an older or equal version", async () => {
    const newer = withFreshIds(created, "stale");
    newer.scheduledPanel.version = 5;
    expect((await sendEvent(tenant.integrationKey, newer)).status).toBe(202);

    for (const version of [4, 5]) {
      const older = clone(newer);
      older.id = `${newer.id}-v${version}`;
      older.scheduledPanel.version = version;
      older.scheduledPanel.title = "An older title";
      const response = await sendEvent(tenant.integrationKey, older);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "stale" });
    }
    const record = await waitForSettled(tenant.integrationKey, newer.scheduledPanel.externalPanelId, 5);
    expect(record.version).toBe(5);
  });

  it("answers 403 for a revoked key on the next request", async () => {
    const second = await adminRequest("POST", `/tenants/${tenant.slug}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL });
    const { integrationKey, key } = (await second.json()) as { integrationKey: string; key: { id: string } };
    const event = withFreshIds(created, "revoked");
    expect((await sendEvent(integrationKey, event)).status).toBe(202);

    const revoked = await adminRequest("POST", `/tenants/${tenant.slug}/keys/${key.id}/revoke`, {
      actingUserEmail: SUPER_ADMIN_EMAIL,
    });
    expect(revoked.status).toBe(200);
    await revoked.body?.cancel();

    const next = clone(event);
    next.id = `${event.id}-after`;
    next.scheduledPanel.version = 2;
    await expectError(await sendEvent(integrationKey, next), 403, "integration_disabled");
    const record = await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId);
    expect(record.version).toBe(1);
  });

  it("answers 403 while the integration is turned off", async () => {
    const other = await createTenant("webhook-disabled");
    const off = await adminRequest("PUT", `/tenants/${other.slug}/integration`, {
      enabled: false,
      actingUserEmail: SUPER_ADMIN_EMAIL,
    });
    expect(off.status).toBe(200);
    await off.body?.cancel();
    const before = await countIndexedPanels();
    await expectError(await sendEvent(other.integrationKey, withFreshIds(created, "off")), 403, "integration_disabled");
    expect(await countIndexedPanels()).toBe(before);
  });
});

describe("tenant isolation", () => {
  it("keeps panels with the same id apart", async () => {
    const tenantA = await createTenant("isolation-a");
    const tenantB = await createTenant("isolation-b");
    const event = withFreshIds(created, "shared");
    expect((await sendEvent(tenantA.integrationKey, event)).status).toBe(202);
    const recordA = await waitForSettled(tenantA.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(recordA.state).toBe("synced");

    const hidden = await serviceFetch(`/v1/goodtime/scheduled-panels/${event.scheduledPanel.externalPanelId}`, {
      headers: { authorization: `Bearer ${tenantB.integrationKey}` },
    });
    await expectError(hidden, 404, "not_found");

    const hostile = clone(event);
    hostile.id = `${event.id}-b`;
    hostile.scheduledPanel.version = 9;
    hostile.scheduledPanel.title = "Changed by tenant B";
    expect((await sendEvent(tenantB.integrationKey, hostile)).status).toBe(202);
    await waitForSettled(tenantB.integrationKey, event.scheduledPanel.externalPanelId, 9);

    const afterA = await getSyncRecord(tenantA.integrationKey, event.scheduledPanel.externalPanelId);
    expect(afterA.version).toBe(1);
    expect(afterA.leverPanelId).toBe(recordA.leverPanelId);
  });
});
