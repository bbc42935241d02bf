// Inputs at the edges of the contract: what the webhook rejects up front, and
// panels whose shape used to trip the sync (many interviewers, event ids that
// are Object.prototype names, time zone spellings, users deactivated late).

import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { RECONCILE_LIMITS, reconcileOnce } from "../../src/reconcile/scheduled";
import { FIXTURE_WEEK, LEVER_USERS, ONSITE_OPPORTUNITY_ID, clone, withFreshIds } from "../support/fixtures";
import {
  SUPER_ADMIN_EMAIL,
  adminRequest,
  createTenant,
  getSyncRecord,
  ourLeverPanels,
  sandboxJson,
  sendEvent,
  serviceFetch,
  waitForSettled,
  type TestTenant,
} from "../support/service";

const created = FIXTURE_WEEK[0]!;

async function expectRejected(tenant: TestTenant, event: unknown, path: string, message?: string) {
  const response = await sendEvent(tenant.integrationKey, event);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; issues: { path: string; message: string }[] } };
  expect(body.error.code).toBe("invalid_event");
  const issue = body.error.issues.find((candidate) => candidate.path === path);
  expect(issue, JSON.stringify(body.error.issues)).toBeDefined();
  if (message) expect(issue!.message).toContain(message);
}

describe("webhook edge cases", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("edges");
  });

  it("rejects an instant before 1970", async () => {
    const event = withFreshIds(created, "year-zero") as any;
    event.scheduledPanel.scheduledEvents[0].startTime = "0000-01-01T00:00:00Z";
    await expectRejected(tenant, event, "scheduledPanel.scheduledEvents.0.startTime", "1970");
  });

  it("rejects an interview shorter than a minute", async () => {
    const event = withFreshIds(created, "short") as any;
    event.scheduledPanel.scheduledEvents[0].endTime = "2026-12-14T14:00:20Z";
    await expectRejected(tenant, event, "scheduledPanel.scheduledEvents.0.endTime", "at least one minute");
  });

  it("rejects 24 hours and 29 seconds", async () => {
    const event = withFreshIds(created, "long") as any;
    event.scheduledPanel.scheduledEvents[0].endTime = "2026-12-15T14:00:29Z";
    await expectRejected(tenant, event, "scheduledPanel.scheduledEvents.0.endTime", "24 hours");
  });

  it("rejects a UTC offset as time zone", async () => {
    const event = withFreshIds(created, "offset-zone") as any;
    event.scheduledPanel.timezone = "+05:00";
    await expectRejected(tenant, event, "scheduledPanel.timezone", "IANA");
  });

  it("rejects control characters and lone surrogates", async () => {
    const control = withFreshIds(created, "control") as any;
    control.scheduledPanel.title = "Onsite\u0000loop";
    await expectRejected(tenant, control, "scheduledPanel.title", "control characters");

    const escape = withFreshIds(created, "escape") as any;
    escape.scheduledPanel.scheduledEvents[0].title = "\u001b[31mred";
    await expectRejected(tenant, escape, "scheduledPanel.scheduledEvents.0.title", "control characters");

    const surrogate = withFreshIds(created, "surrogate") as any;
    surrogate.scheduledPanel.scheduledEvents[0].interviewers[0].name = "Dev \ud800";
    await expectRejected(tenant, surrogate, "scheduledPanel.scheduledEvents.0.interviewers.0.name", "well-formed");
  });

  it("rejects more than 100 distinct interviewers", async () => {
    const event = withFreshIds(created, "crowd") as any;
    event.scheduledPanel.scheduledEvents = [0, 1, 2].map((slot) => ({
      ...clone(created.scheduledPanel.scheduledEvents[0]!),
      externalEventId: `crowd-${slot}`,
      interviewers: Array.from({ length: 34 }, (_, i) => ({ email: `person${slot}-${i}@acme.example` })),
    }));
    await expectRejected(tenant, event, "scheduledPanel.scheduledEvents", "at most 100 distinct interviewers");
  });

  it("rejects an overlong interviewer email lookup", async () => {
    const response = await serviceFetch(`/v1/goodtime/interviewers?email=${"a".repeat(5000)}%40acme.example`, {
      headers: { authorization: `Bearer ${tenant.integrationKey}` },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });
});

describe("sync edge cases", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("sync-edges");
    await sandboxJson(tenant.leverApiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 500, burst: 500 });
    const raised = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { rateLimitPerSecond: 100, rateLimitBurst: 200 });
    await raised.body?.cancel();
  });

  it("holds a panel of 100 unknown interviewers", async () => {
    const event = withFreshIds(created, "hundred") as any;
    event.scheduledPanel.scheduledEvents = [0, 1].map((slot) => ({
      ...clone(created.scheduledPanel.scheduledEvents[0]!),
      externalEventId: `hundred-${slot}`,
      interviewers: Array.from({ length: 50 }, (_, i) => ({ email: `ghost${slot}-${i}@acme.example` })),
    }));
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1, 30_000);
    expect(record.state).toBe("needs_attention");
    expect(record.reason).toBe("interviewer_not_in_lever");
    expect(record.reasonDetail?.emails).toHaveLength(100);
  });

  it("syncs event ids named like Object members", async () => {
    const first = withFreshIds(created, "proto");
    first.scheduledPanel.scheduledEvents = first.scheduledPanel.scheduledEvents.slice(0, 1);
    expect((await sendEvent(tenant.integrationKey, first)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, first.scheduledPanel.externalPanelId, 1);

    const second = clone(first);
    second.id = `${first.id}-v2`;
    second.scheduledPanel.version = 2;
    for (const name of ["constructor", "toString", "hasOwnProperty"]) {
      second.scheduledPanel.scheduledEvents.push({ ...clone(first.scheduledPanel.scheduledEvents[0]!), externalEventId: name, title: `Event ${name}` });
    }
    expect((await sendEvent(tenant.integrationKey, second)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, first.scheduledPanel.externalPanelId, 2);
    expect(record.state).toBe("synced");
    expect(record.scheduledEvents.map((e) => e.removedInLever)).toEqual([false, false, false, false]);
    expect(record.scheduledEvents.every((e) => e.leverInterviewId !== null)).toBe(true);
    const panel = (await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).find((p) => p.id === record.leverPanelId)!;
    expect(panel.interviews.map((i) => i.subject).sort()).toEqual(
      ["Event constructor", "Event hasOwnProperty", "Event toString", "System design"].sort(),
    );
  });

  it("writes the canonical time zone name", async () => {
    const event = withFreshIds(created, "zone-case");
    event.scheduledPanel.timezone = "america/new_york";
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    const panel = (await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).find((p) => p.id === record.leverPanelId)!;
    expect(panel.timezone).toBe("America/New_York");
  });

  it("reports an interviewer deactivated after caching", async () => {
    const other = await createTenant("late-deactivation");
    const event = withFreshIds(created, "late");
    expect((await sendEvent(other.integrationKey, event)).status).toBe(202);
    await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 1);

    await sandboxJson(other.leverApiKey, "PATCH", `/_sandbox/users/${LEVER_USERS.farah}`, { deactivatedAt: Date.now() });
    const moved = clone(event);
    moved.id = `${event.id}-v2`;
    moved.scheduledPanel.version = 2;
    moved.scheduledPanel.scheduledEvents[2]!.startTime = "2026-12-14T17:15:00Z";
    moved.scheduledPanel.scheduledEvents[2]!.endTime = "2026-12-14T18:00:00Z";
    expect((await sendEvent(other.integrationKey, moved)).status).toBe(202);
    const record = await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect(record.state).toBe("needs_attention");
    expect(record.reason).toBe("interviewer_deactivated");
    expect(record.reasonDetail?.emails).toEqual(["farah.haddad@acme.example"]);

    await sandboxJson(other.leverApiKey, "PATCH", `/_sandbox/users/${LEVER_USERS.farah}`, { deactivatedAt: null });
    await reconcileOnce(env as never, Date.now(), { ...RECONCILE_LIMITS, recheckAfterMs: 0 });
    expect((await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 2)).state).toBe("synced");
  });

  it("clears the disabled reason once enabled", async () => {
    const other = await createTenant("toggle");
    const event = withFreshIds(created, "toggle");
    expect((await sendEvent(other.integrationKey, event)).status).toBe(202);
    await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 1);

    for (const enabled of [false, true]) {
      const toggled = await adminRequest("PUT", `/tenants/${other.slug}/integration`, { enabled, actingUserEmail: SUPER_ADMIN_EMAIL });
      await toggled.body?.cancel();
      await reconcileOnce(env as never, Date.now(), { ...RECONCILE_LIMITS, recheckAfterMs: 0 });
    }
    const record = await getSyncRecord(other.integrationKey, event.scheduledPanel.externalPanelId);
    expect(record.state).toBe("synced");
    expect(record.reason).toBeNull();
  });
});
