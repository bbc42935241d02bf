// Drift reconciliation from the cron handler: retries healed panels, puts
// changed interviews back, deletes orphans, and leaves Lever cancels alone.

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { readConfig } from "../../src/config";
import { RECONCILE_LIMITS, reconcileOnce } from "../../src/reconcile/scheduled";
import { FIXTURE_WEEK, ONSITE_OPPORTUNITY_ID, SCREEN_PANEL_ID, clone, withFreshIds } from "../support/fixtures";
import {
  SERVICE_ORIGIN,
  clearSandboxCalls,
  createTenant,
  getSyncRecord,
  leverWrites,
  ourLeverPanels,
  sandboxJson,
  sandboxRequest,
  sendEvent,
  waitForSettled,
  type TestTenant,
} from "../support/service";

const created = FIXTURE_WEEK[0]!;
const screenUnknown = FIXTURE_WEEK[6]!;
const ALL_NOW = { ...RECONCILE_LIMITS, recheckAfterMs: 0 };

describe("reconciliation", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("reconcile");
  });

  async function syncPanel(suffix: string) {
    const event = withFreshIds(created, suffix);
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    return { event, record };
  }

  it("runs from the cron handler and logs a summary", async () => {
    const logs = vi.spyOn(console, "log");
    const controller = createScheduledController({ scheduledTime: new Date(), cron: "*/5 * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, { ...env, LOG_LEVEL: "info" } as never, ctx);
    await waitOnExecutionContext(ctx);
    const summaries = logs.mock.calls
      .map(([line]) => JSON.parse(String(line)) as { event: string })
      .filter((entry) => entry.event === "reconcile.run.finished");
    logs.mockRestore();
    readConfig(env as never);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ level: "info", retried: expect.any(Number), checked: expect.any(Number) });
  });

  it("puts back an interview changed in Lever", async () => {
    const { event, record } = await syncPanel("changed");
    const coding = record.scheduledEvents[1]!.leverInterviewId!;
    await sandboxJson(tenant.leverApiKey, "PATCH", `/_sandbox/opportunities/${ONSITE_OPPORTUNITY_ID}/interviews/${coding}`, {
      date: Date.parse("2026-12-24T09:00:00Z"),
      duration: 15,
    });
    await clearSandboxCalls(tenant.leverApiKey);

    const summary = await reconcileOnce(env as never, Date.now(), ALL_NOW);
    expect(summary.repaired).toBeGreaterThanOrEqual(1);
    await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    const panel = (await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).find((p) => p.id === record.leverPanelId)!;
    const restored = panel.interviews.find((i) => i.id === coding)!;
    expect(restored.date).toBe(Date.parse("2026-12-14T15:15:00Z"));
    expect(restored.duration).toBe(60);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({ "PUT /v1/opportunities/:opportunity/interviews/:interview": 1 });
  });

  it("marks a panel missing in Lever as removed there", async () => {
    const { event, record } = await syncPanel("missing");
    const deleted = await sandboxRequest(tenant.leverApiKey, "DELETE", `/_sandbox/opportunities/${ONSITE_OPPORTUNITY_ID}/panels/${record.leverPanelId}`);
    expect(deleted.status).toBe(204);
    await deleted.body?.cancel();
    await clearSandboxCalls(tenant.leverApiKey);

    await reconcileOnce(env as never, Date.now(), ALL_NOW);
    const after = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(after.state).toBe("removed_in_lever");
    await reconcileOnce(env as never, Date.now(), ALL_NOW);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({});
    expect((await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId)).state).toBe("removed_in_lever");
  });

  it("deletes an orphan of a canceled panel", async () => {
    const { event } = await syncPanel("orphan");
    const cancel = clone(event);
    cancel.id = `${event.id}-cancel`;
    cancel.type = "scheduled_panel.canceled";
    cancel.scheduledPanel.version = 2;
    cancel.scheduledPanel.status = "canceled";
    expect((await sendEvent(tenant.integrationKey, cancel)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 2);

    // A panel with our link appears in Lever after the cancel, as a late retry elsewhere could leave one.
    const externalUrl = `${SERVICE_ORIGIN}/links/${tenant.slug}/panels/${event.scheduledPanel.externalPanelId}`;
    await sandboxJson(tenant.leverApiKey, "POST", `/v1/opportunities/${ONSITE_OPPORTUNITY_ID}/panels?perform_as=60e740c0-dd21-5207-898c-10fe492f86bc`, {
      timezone: "America/New_York",
      externalUrl,
      externallyManaged: true,
      interviews: [{ subject: "Stray", date: Date.parse("2026-12-14T14:00:00Z"), duration: 30, interviewers: [{ id: "60e740c0-dd21-5207-898c-10fe492f86bc" }] }],
    });
    expect((await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).filter((p) => p.externalUrl === externalUrl)).toHaveLength(1);

    await reconcileOnce(env as never, Date.now(), ALL_NOW);
    await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect((await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).filter((p) => p.externalUrl === externalUrl)).toEqual([]);
    expect((await getSyncRecord(tenant.integrationKey, event.scheduledPanel.externalPanelId)).state).toBe("canceled");
  });

  it("heals a missing interviewer once added", async () => {
    const other = await createTenant("reconcile-heal");
    expect((await sendEvent(other.integrationKey, screenUnknown)).status).toBe(202);
    const held = await waitForSettled(other.integrationKey, SCREEN_PANEL_ID, 1);
    expect(held.reason).toBe("interviewer_not_in_lever");

    await sandboxJson(other.leverApiKey, "POST", "/_sandbox/users", {
      name: "New Hire",
      email: "new.hire@acme.example",
      accessRole: "interviewer",
    });
    await reconcileOnce(env as never, Date.now(), ALL_NOW);
    const healed = await waitForSettled(other.integrationKey, SCREEN_PANEL_ID, 1);
    expect(healed.state).toBe("synced");
    expect(healed.leverPanelId).not.toBeNull();
  });
});
