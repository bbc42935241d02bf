// Failure behaviour of the sync engine against the Lever sandbox's injected
// faults: a chaos run over many panels, a 429 storm, and retries from alarms.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { panelObjectName } from "../../src/goodtime/routes";
import type { PanelRecord } from "../../src/panel/record";
import { SCREEN_OPPORTUNITY_ID } from "../support/fixtures";
import {
  addFaults,
  addUsersForShortEmails,
  clearFaults,
  expectLeverMatches,
  leverPanelsFor,
  panelVersion,
  settleAll,
  successfulWrites,
  type PanelVersion,
} from "../support/convergence";
import {
  adminRequest,
  clearSandboxCalls,
  createTenant,
  getSyncRecord,
  sandboxJson,
  sendEvent,
  waitForSettled,
  type SandboxCalls,
} from "../support/service";

describe("sync under failure", () => {
  it("converges 50 panels through 30% faults", async () => {
    const tenant = await createTenant("chaos");
    await addUsersForShortEmails(tenant.leverApiKey);
    await sandboxJson(tenant.leverApiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 200, burst: 400 });
    const raised = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { rateLimitPerSecond: 100, rateLimitBurst: 200 });
    await raised.body?.cancel();

    // Seven kinds of fault, each on about 4-5% of calls: roughly 30% of Lever calls fail.
    await addFaults(tenant.leverApiKey, [
      { probability: 0.045, status: 429, seed: 1 },
      { probability: 0.045, status: 429, retryAfterSeconds: 1, seed: 2 },
      { probability: 0.045, status: 500, seed: 3 },
      { probability: 0.045, status: 503, seed: 4 },
      { method: "POST", probability: 0.1, applyThenFail: { status: 500 }, seed: 5 },
      { method: "DELETE", probability: 0.1, applyThenFail: { drop: true }, seed: 6 },
      { method: "PUT", probability: 0.1, applyThenFail: { drop: true }, seed: 7 },
      { probability: 0.01, hang: true, seed: 8 },
    ]);

    const finals: PanelVersion[] = [];
    const sends: Promise<Response>[] = [];
    for (let i = 0; i < 50; i++) {
      const id = `chaos-${i}`;
      const history = [
        panelVersion(id, 1, { second: i % 2 === 0 }),
        panelVersion(id, 2, { shift: 1, second: true }),
        panelVersion(id, 3, { shift: 2, second: i % 3 !== 0 }),
      ];
      if (i % 5 === 0) history.push(panelVersion(id, 4, { cancel: true, second: true }));
      finals.push(history.at(-1)!);
      // Newest first for a third of the panels, so older versions arrive late.
      const order = i % 3 === 0 ? [...history].reverse() : history;
      for (const version of order) sends.push(sendEvent(tenant.integrationKey, version));
    }
    const responses = await Promise.all(sends);
    for (const response of responses) {
      expect([200, 202]).toContain(response.status);
      await response.body?.cancel();
    }

    await settleAll(tenant, finals, 90_000);
    await clearFaults(tenant.leverApiKey);

    for (const version of finals) {
      const id = version.scheduledPanel.externalPanelId;
      const record = await getSyncRecord(tenant.integrationKey, id);
      expect(record.state, id).toBe(version.type === "scheduled_panel.canceled" ? "canceled" : "synced");
      const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, id);
      expectLeverMatches(panels, version, id);
    }
  }, 180_000);

  it("keeps a tenant within its bucket in a 429 storm", async () => {
    const tenant = await createTenant("storm");
    await addUsersForShortEmails(tenant.leverApiKey);
    await clearSandboxCalls(tenant.leverApiKey);
    await addFaults(tenant.leverApiKey, [
      { count: 15, status: 429 },
      { count: 10, status: 429, retryAfterSeconds: 1 },
    ]);

    const finals = Array.from({ length: 20 }, (_, i) => panelVersion(`storm-${i}`, 1, { second: true }));
    for (const response of await Promise.all(finals.map((version) => sendEvent(tenant.integrationKey, version)))) {
      expect(response.status).toBe(202);
      await response.body?.cancel();
    }
    await settleAll(tenant, finals, 90_000);

    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    const times = calls.calls.map((call) => call.at).sort((a, b) => a - b);
    const rateLimited = calls.calls.filter((call) => call.status === 429).length;
    expect(rateLimited).toBe(25);
    // The tenant's bucket (8 per second, burst 16) grants at most 16 + 8 calls in any
    // one-second window. The sandbox logs arrival times, and calls granted 125 ms apart
    // can arrive closer together on a loaded machine, so two calls of slack are allowed.
    for (const start of times) {
      const inWindow = times.filter((at) => at >= start && at < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(26);
    }
    for (const version of finals) {
      const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, version.scheduledPanel.externalPanelId);
      expectLeverMatches(panels, version, version.scheduledPanel.externalPanelId);
    }
  }, 120_000);

  it("retries a failed create from its alarm", async () => {
    const tenant = await createTenant("alarm-retry");
    await addUsersForShortEmails(tenant.leverApiKey);
    await clearSandboxCalls(tenant.leverApiKey);
    await addFaults(tenant.leverApiKey, [{ route: "POST /v1/opportunities/:opportunity/panels", count: 3, status: 503 }]);

    const version = panelVersion("alarm-retry", 1);
    expect((await sendEvent(tenant.integrationKey, version)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, "alarm-retry", 1);
    expect(record.state).toBe("synced");

    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    const creates = calls.calls.filter((call) => call.method === "POST" && call.route.endsWith("/panels"));
    expect(creates.map((call) => call.status)).toEqual([503, 503, 503, 201]);
    // Each 503 left the create's outcome unknown, so the object listed panels before trying again.
    const lists = calls.calls.filter((call) => call.method === "GET" && call.route.endsWith("/panels"));
    expect(lists).toHaveLength(3);
    expect(calls.writes).toBe(1);
  });

  it("gives up after 72 hours of failures", async () => {
    const tenant = await createTenant("give-up");
    await addUsersForShortEmails(tenant.leverApiKey);
    await addFaults(tenant.leverApiKey, [{ route: "POST /v1/opportunities/:opportunity/panels", status: 503 }]);
    expect((await sendEvent(tenant.integrationKey, panelVersion("give-up", 1))).status).toBe(202);

    let record = await getSyncRecord(tenant.integrationKey, "give-up");
    for (let i = 0; i < 200 && record.state !== "retrying"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      record = await getSyncRecord(tenant.integrationKey, "give-up");
    }
    expect(record.state).toBe("retrying");

    // The first failure now lies 73 hours back.
    const stub = env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.tenantId, "give-up")));
    await runInDurableObject(stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ record: string }>("SELECT record FROM panel_record").one();
      const stored = JSON.parse(row.record) as PanelRecord;
      stored.retry!.firstFailureAt = Date.now() - 73 * 60 * 60_000;
      state.storage.sql.exec("UPDATE panel_record SET record = ?", JSON.stringify(stored));
    });
    await stub.wake();

    const settled = await waitForSettled(tenant.integrationKey, "give-up", 1);
    expect(settled.state).toBe("needs_attention");
    expect(settled.reason).toBe("lever_unavailable");
  });

  it("ignores an alarm fired twice", async () => {
    const tenant = await createTenant("alarm-twice");
    await addUsersForShortEmails(tenant.leverApiKey);
    const version = panelVersion("alarm-twice", 1, { second: true });
    expect((await sendEvent(tenant.integrationKey, version)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, "alarm-twice", 1);
    await clearSandboxCalls(tenant.leverApiKey);

    const stub = env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.tenantId, "alarm-twice")));
    await runInDurableObject(stub, async (instance) => {
      await instance.alarm();
      await instance.alarm();
    });
    await runDurableObjectAlarm(stub);
    expect(await successfulWrites(tenant.leverApiKey)).toBe(0);
    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    expect(calls.total).toBe(0);
  });

  it("adopts a panel created before an eviction", async () => {
    const tenant = await createTenant("evicted");
    await addUsersForShortEmails(tenant.leverApiKey);
    const first = panelVersion("evicted", 1);
    expect((await sendEvent(tenant.integrationKey, first)).status).toBe(202);
    const synced = await waitForSettled(tenant.integrationKey, "evicted", 1);

    // The object is evicted after Lever applied the create and before the result was stored.
    const stub = env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.tenantId, "evicted")));
    await runInDurableObject(stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ record: string }>("SELECT record FROM panel_record").one();
      const record = JSON.parse(row.record) as PanelRecord;
      record.createIntent = { opportunityId: record.lever!.opportunityId, startedAt: Date.now() };
      record.lever = null;
      record.appliedVersion = null;
      record.state = "pending";
      state.storage.sql.exec("UPDATE panel_record SET record = ?", JSON.stringify(record));
    });
    await clearSandboxCalls(tenant.leverApiKey);

    const second = panelVersion("evicted", 2, { shift: 1 });
    expect((await sendEvent(tenant.integrationKey, second)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, "evicted", 2);
    expect(record.leverPanelId).toBe(synced.leverPanelId);
    const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, "evicted");
    expectLeverMatches(panels, second, "evicted");
    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    expect(calls.calls.filter((call) => call.method === "POST" && call.route.endsWith("/panels"))).toEqual([]);
  });

  it("recreates an adopted panel of an older version", async () => {
    const tenant = await createTenant("adopt-older");
    await addUsersForShortEmails(tenant.leverApiKey);
    expect((await sendEvent(tenant.integrationKey, panelVersion("adopt-older", 1))).status).toBe(202);
    await waitForSettled(tenant.integrationKey, "adopt-older", 1);

    // The object lost track of the version 1 panel while a create was pending.
    const stub = env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.tenantId, "adopt-older")));
    await runInDurableObject(stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ record: string }>("SELECT record FROM panel_record").one();
      const record = JSON.parse(row.record) as PanelRecord;
      record.createIntent = { opportunityId: record.lever!.opportunityId, startedAt: Date.now() };
      record.lever = null;
      state.storage.sql.exec("UPDATE panel_record SET record = ?", JSON.stringify(record));
    });

    const moved = panelVersion("adopt-older", 2);
    moved.scheduledPanel.timezone = "Asia/Tokyo";
    expect((await sendEvent(tenant.integrationKey, moved)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, "adopt-older", 2);
    const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, "adopt-older");
    expectLeverMatches(panels, moved, "adopt-older");
  });

  it("adopts an interview whose add was dropped", async () => {
    const tenant = await createTenant("dropped-add");
    await addUsersForShortEmails(tenant.leverApiKey);
    expect((await sendEvent(tenant.integrationKey, panelVersion("dropped-add", 1))).status).toBe(202);
    await waitForSettled(tenant.integrationKey, "dropped-add", 1);
    await addFaults(tenant.leverApiKey, [{ route: "POST /v1/opportunities/:opportunity/interviews", count: 1, applyThenFail: { drop: true } }]);

    const second = panelVersion("dropped-add", 2, { second: true });
    expect((await sendEvent(tenant.integrationKey, second)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, "dropped-add", 2);
    const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, "dropped-add");
    expectLeverMatches(panels, second, "dropped-add");
  });
});
