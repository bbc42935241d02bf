// Lever webhooks: signature, freshness and replay checks, and a cancel made in
// Lever staying canceled until GoodTime sends a strictly newer version.

import { beforeAll, describe, expect, it } from "vitest";
import fixtureDelivery from "../../fixtures/lever/webhook-interviewDeleted.json";
import { hmacSha256Hex } from "../../src/shared/crypto";
import { checkLeverDelivery } from "../../src/lever/webhook-signature";
import { RECONCILE_LIMITS, reconcileOnce } from "../../src/reconcile/scheduled";
import { env } from "cloudflare:workers";
import { FIXTURE_WEEK, ONSITE_OPPORTUNITY_ID, clone, withFreshIds } from "../support/fixtures";
import {
  adminRequest,
  clearSandboxCalls,
  createTenant,
  getSyncRecord,
  leverWrites,
  ourLeverPanels,
  sandboxJson,
  sandboxRequest,
  sendEvent,
  serviceFetch,
  waitForSettled,
  type TestTenant,
} from "../support/service";

const FIXTURE_TOKEN = "lvr-sig-token-demo-0123456789abcdef0123456789abcdef";
const SIGNATURE_TOKEN = "test-signature-token-for-webhooks";
const created = FIXTURE_WEEK[0]!;

interface Delivery {
  id: string;
  event: string;
  payload: { triggeredAt: number; event: string; token: string; signature: string; data: Record<string, unknown> };
}

describe("lever delivery signature", () => {
  it("verifies the shared fixture", async () => {
    expect(await checkLeverDelivery(fixtureDelivery, FIXTURE_TOKEN, fixtureDelivery.triggeredAt)).toBe("valid");
  });

  it("rejects the fixture with another token", async () => {
    expect(await checkLeverDelivery(fixtureDelivery, `${FIXTURE_TOKEN}x`, fixtureDelivery.triggeredAt)).toBe("invalid_signature");
  });

  it("rejects the fixture six minutes later", async () => {
    expect(await checkLeverDelivery(fixtureDelivery, FIXTURE_TOKEN, fixtureDelivery.triggeredAt + 6 * 60_000)).toBe("stale_delivery");
  });
});

describe("lever webhooks", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("lever-hooks");
    const patched = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { leverWebhookToken: SIGNATURE_TOKEN });
    expect(patched.status).toBe(200);
    await patched.body?.cancel();
    await sandboxJson(tenant.leverApiKey, "PUT", "/_sandbox/webhooks", {
      signatureToken: SIGNATURE_TOKEN,
      events: ["interviewCreated", "interviewUpdated", "interviewDeleted"],
    });
  });

  function postDelivery(payload: unknown) {
    return serviceFetch(`/v1/lever/webhooks/${tenant.slug}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
  }

  async function takeDeliveries(): Promise<Delivery[]> {
    const { data } = await sandboxJson<{ data: Delivery[] }>(tenant.leverApiKey, "GET", "/_sandbox/webhooks/deliveries");
    const cleared = await sandboxRequest(tenant.leverApiKey, "DELETE", "/_sandbox/webhooks/deliveries");
    await cleared.body?.cancel();
    return data;
  }

  async function forwardDeliveries(): Promise<string[]> {
    const statuses: string[] = [];
    for (const delivery of await takeDeliveries()) {
      const response = await postDelivery(delivery.payload);
      expect(response.status).toBe(200);
      statuses.push(`${delivery.event}:${((await response.json()) as { status: string }).status}`);
    }
    return statuses;
  }

  async function signed(event: string, data: Record<string, unknown>, triggeredAt = Date.now(), token = crypto.randomUUID()) {
    return { triggeredAt, event, token, signature: await hmacSha256Hex(SIGNATURE_TOKEN, `${token}${triggeredAt}`), data };
  }

  async function syncPanel(suffix: string) {
    const event = withFreshIds(created, suffix);
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(record.state).toBe("synced");
    return { event, record };
  }

  it("answers Lever's connection check", async () => {
    const response = await postDelivery({});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("ignores the echo of our own writes", async () => {
    await takeDeliveries();
    const { event, record } = await syncPanel("echo");
    expect(await forwardDeliveries()).toEqual([
      "interviewCreated:ignored",
      "interviewCreated:ignored",
      "interviewCreated:ignored",
    ]);

    const smaller = clone(event);
    smaller.id = `${event.id}-v2`;
    smaller.scheduledPanel.version = 2;
    smaller.scheduledPanel.scheduledEvents.pop();
    expect((await sendEvent(tenant.integrationKey, smaller)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect(await forwardDeliveries()).toEqual(["interviewDeleted:ignored"]);

    const after = await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId);
    expect(after.state).toBe("synced");
    expect(after.leverPanelId).toBe(record.leverPanelId);
    expect(after.scheduledEvents.map((e) => e.removedInLever)).toEqual([false, false]);
  });

  it("keeps one interview canceled in Lever", async () => {
    await takeDeliveries();
    const { event, record } = await syncPanel("one-gone");
    await takeDeliveries();
    const coding = record.scheduledEvents[1]!;

    const deleted = await sandboxRequest(
      tenant.leverApiKey,
      "DELETE",
      `/_sandbox/opportunities/${ONSITE_OPPORTUNITY_ID}/interviews/${coding.leverInterviewId}`,
    );
    expect(deleted.status).toBe(204);
    await deleted.body?.cancel();
    expect(await forwardDeliveries()).toEqual(["interviewDeleted:accepted"]);

    const marked = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(marked.state).toBe("synced");
    expect(marked.scheduledEvents.map((e) => e.removedInLever)).toEqual([false, true, false]);
    expect(marked.scheduledEvents[1]!.leverInterviewId).toBeNull();

    await clearSandboxCalls(tenant.leverApiKey);
    const replay = await sendEvent(tenant.integrationKey, event);
    expect(await replay.json()).toEqual({ status: "duplicate" });
    await reconcileOnce(env as never, Date.now(), { ...RECONCILE_LIMITS, recheckAfterMs: 0 });
    await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({});
    const panel = (await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).find((p) => p.id === record.leverPanelId)!;
    expect(panel.interviews.map((i) => i.subject)).toEqual(["System design", "Values and collaboration"]);

    const newer = clone(event);
    newer.id = `${event.id}-v2`;
    newer.scheduledPanel.version = 2;
    expect((await sendEvent(tenant.integrationKey, newer)).status).toBe(202);
    const restored = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect(restored.scheduledEvents.map((e) => e.removedInLever)).toEqual([false, false, false]);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({ "POST /v1/opportunities/:opportunity/interviews": 1 });
  });

  it("keeps a panel canceled in Lever", async () => {
    await takeDeliveries();
    const { event, record } = await syncPanel("all-gone");
    await takeDeliveries();

    const deleted = await sandboxRequest(
      tenant.leverApiKey,
      "DELETE",
      `/_sandbox/opportunities/${ONSITE_OPPORTUNITY_ID}/panels/${record.leverPanelId}`,
    );
    expect(deleted.status).toBe(204);
    await deleted.body?.cancel();
    expect(await forwardDeliveries()).toEqual([
      "interviewDeleted:accepted",
      "interviewDeleted:accepted",
      "interviewDeleted:accepted",
    ]);

    const removed = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(removed.state).toBe("removed_in_lever");
    expect(removed.leverPanelId).toBeNull();

    await clearSandboxCalls(tenant.leverApiKey);
    const older = clone(event);
    older.id = `${event.id}-late`;
    expect(await (await sendEvent(tenant.integrationKey, older)).json()).toEqual({ status: "stale" });
    await reconcileOnce(env as never, Date.now(), { ...RECONCILE_LIMITS, recheckAfterMs: 0 });
    expect((await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId)).state).toBe("removed_in_lever");
    expect(await leverWrites(tenant.leverApiKey)).toEqual({});
    const ours = await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID);
    expect(ours.filter((p) => p.externalUrl?.endsWith(event.scheduledPanel.externalPanelId))).toEqual([]);

    const newer = clone(event);
    newer.id = `${event.id}-v2`;
    newer.scheduledPanel.version = 2;
    expect((await sendEvent(tenant.integrationKey, newer)).status).toBe(202);
    const recreated = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect(recreated.state).toBe("synced");
    expect(recreated.leverPanelId).not.toBeNull();
    expect(recreated.leverPanelId).not.toBe(record.leverPanelId);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({ "POST /v1/opportunities/:opportunity/panels": 1 });
  });

  it("rejects a forged signature", async () => {
    const { event, record } = await syncPanel("forged");
    const payload = await signed("interviewDeleted", {
      interviewId: record.scheduledEvents[0]!.leverInterviewId,
      panelId: record.leverPanelId,
      opportunityId: ONSITE_OPPORTUNITY_ID,
    });
    payload.signature = payload.signature.replace(/^./, (c) => (c === "a" ? "b" : "a"));
    const response = await postDelivery(payload);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_signature");
    const after = await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId);
    expect(after.scheduledEvents[0]!.removedInLever).toBe(false);
  });

  it("rejects a stale triggeredAt", async () => {
    const { event, record } = await syncPanel("stale-hook");
    const payload = await signed(
      "interviewDeleted",
      { interviewId: record.scheduledEvents[0]!.leverInterviewId, panelId: record.leverPanelId },
      Date.now() - 6 * 60_000,
    );
    const response = await postDelivery(payload);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("stale_delivery");
    const after = await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId);
    expect(after.scheduledEvents[0]!.removedInLever).toBe(false);
  });

  it("rejects a replayed token", async () => {
    const { event, record } = await syncPanel("replay-hook");
    const unrelated = await signed("interviewUpdated", { interviewId: "nothing", panelId: record.leverPanelId });
    expect((await postDelivery(unrelated)).status).toBe(200);

    const replay = await signed(
      "interviewDeleted",
      { interviewId: record.scheduledEvents[0]!.leverInterviewId, panelId: record.leverPanelId },
      Date.now(),
      unrelated.token,
    );
    const response = await postDelivery(replay);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("replayed_delivery");
    const after = await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId);
    expect(after.scheduledEvents[0]!.removedInLever).toBe(false);
  });

  it("rejects deliveries for an unknown tenant", async () => {
    const response = await serviceFetch("/v1/lever/webhooks/nobody-here", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(fixtureDelivery),
    });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
