// The shared fixture week replayed through the real webhook, the panel objects
// and the Lever sandbox: after each step, the exact Lever writes and state.

import { beforeAll, describe, expect, it } from "vitest";
import {
  FEEDBACK_TEMPLATES,
  FIXTURE_WEEK,
  LEVER_USERS,
  ONSITE_OPPORTUNITY_ID,
  ONSITE_PANEL_ID,
  SCREEN_OPPORTUNITY_ID,
  SCREEN_PANEL_ID,
} from "../support/fixtures";
import {
  SANDBOX_ORIGIN,
  SERVICE_ORIGIN,
  clearSandboxCalls,
  createTenant,
  leverWrites,
  ourLeverPanels,
  sendEvent,
  waitForSettled,
  type LeverPanelBody,
  type TestTenant,
} from "../support/service";

const [created, rescheduled, swapped, added, retried, canceled, screenUnknown, screenFixed] = FIXTURE_WEEK;

describe("fixture week", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("fixture-week");
  });

  async function replay(event: unknown, expectedStatus: number, expectedBody: string) {
    await clearSandboxCalls(tenant.leverApiKey);
    const response = await sendEvent(tenant.integrationKey, event);
    expect(response.status).toBe(expectedStatus);
    expect(await response.json()).toEqual({ status: expectedBody });
  }

  async function onlyOnsitePanel(): Promise<LeverPanelBody> {
    const panels = await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID);
    expect(panels).toHaveLength(1);
    return panels[0]!;
  }

  it("01 creates one panel with three interviews", async () => {
    await replay(created, 202, "accepted");
    const record = await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 1);
    expect(record.state).toBe("synced");
    expect(await leverWrites(tenant.leverApiKey)).toEqual({ "POST /v1/opportunities/:opportunity/panels": 1 });

    const panel = await onlyOnsitePanel();
    expect(panel.externallyManaged).toBe(true);
    expect(panel.externalUrl).toBe(`${SERVICE_ORIGIN}/links/fixture-week/panels/${ONSITE_PANEL_ID}`);
    expect(panel.timezone).toBe("America/New_York");
    expect(panel.note).toBe("Onsite loop — Senior Backend Engineer");
    expect(panel.applications).toEqual(["5bcb811e-d36c-5738-beaa-e93db556c4c0"]);
    expect(panel.interviews.map((i) => i.subject)).toEqual(["System design", "Coding", "Values and collaboration"]);
    expect(panel.interviews.map((i) => i.date)).toEqual([
      Date.parse("2026-12-14T14:00:00Z"),
      Date.parse("2026-12-14T15:15:00Z"),
      Date.parse("2026-12-14T17:00:00Z"),
    ]);
    expect(panel.interviews.map((i) => i.duration)).toEqual([60, 60, 45]);
    expect(panel.interviews.map((i) => i.location)).toEqual([
      "https://meet.example/onsite-room-1",
      "https://meet.example/onsite-room-1",
      "Room Ada, 4th floor",
    ]);
    expect(panel.interviews.map((i) => i.feedbackTemplate)).toEqual([
      FEEDBACK_TEMPLATES.systemDesign,
      FEEDBACK_TEMPLATES.coding,
      FEEDBACK_TEMPLATES.values,
    ]);
    expect(panel.interviews[0]!.interviewers.map((i) => [i.id, i.feedbackTemplate])).toEqual([
      [LEVER_USERS.dev, FEEDBACK_TEMPLATES.systemDesign],
      [LEVER_USERS.chloe, FEEDBACK_TEMPLATES.systemDesign],
    ]);
    expect(panel.interviews[0]!.interviewers[1]!.name).toBe("Chloé Dubois");

    expect(record.leverPanelId).toBe(panel.id);
    expect(record.scheduledEvents.map((e) => e.leverInterviewId)).toEqual(panel.interviews.map((i) => i.id));
    expect(record.scheduledEvents[0]!.interviewers[0]!.scorecardUrl).toBe(
      `${SANDBOX_ORIGIN}/interviews/${panel.interviews[0]!.id}`,
    );
  });

  it("02 moves the coding interview with one update", async () => {
    const before = await onlyOnsitePanel();
    await replay(rescheduled, 202, "accepted");
    await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 2);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({
      "PUT /v1/opportunities/:opportunity/interviews/:interview": 1,
    });

    const panel = await onlyOnsitePanel();
    expect(panel.id).toBe(before.id);
    const coding = panel.interviews.find((i) => i.subject === "Coding")!;
    expect(coding.id).toBe(before.interviews[1]!.id);
    expect(coding.date).toBe(Date.parse("2026-12-14T16:00:00Z"));
    expect(coding.duration).toBe(60);
  });

  it("03 swaps the values interviewer with one update", async () => {
    await replay(swapped, 202, "accepted");
    await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 3);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({
      "PUT /v1/opportunities/:opportunity/interviews/:interview": 1,
    });
    const values = (await onlyOnsitePanel()).interviews.find((i) => i.subject === "Values and collaboration")!;
    expect(values.interviewers.map((i) => i.id)).toEqual([LEVER_USERS.ada]);
  });

  it("04 adds the hiring manager chat with one create", async () => {
    await replay(added, 202, "accepted");
    await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 4);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({ "POST /v1/opportunities/:opportunity/interviews": 1 });
    const panel = await onlyOnsitePanel();
    expect(panel.interviews).toHaveLength(4);
    const chat = panel.interviews.find((i) => i.subject === "Hiring manager chat")!;
    expect(chat.duration).toBe(30);
    expect(chat.feedbackTemplate ?? null).toBeNull();
    expect(chat.interviewers.map((i) => i.id)).toEqual([LEVER_USERS.ben]);
  });

  it("05 answers the retried delivery as a duplicate", async () => {
    await replay(retried, 200, "duplicate");
    const record = await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 4);
    expect(record.appliedVersion).toBe(4);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({});
  });

  it("06 deletes the canceled loop with one call", async () => {
    await replay(canceled, 202, "accepted");
    const record = await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 5);
    expect(record.state).toBe("canceled");
    expect(await leverWrites(tenant.leverApiKey)).toEqual({
      "DELETE /v1/opportunities/:opportunity/panels/:panel": 1,
    });
    expect(await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).toEqual([]);
  });

  it("07 holds the screen whose interviewer has no Lever account", async () => {
    await replay(screenUnknown, 202, "accepted");
    const record = await waitForSettled(tenant.integrationKey, SCREEN_PANEL_ID, 1);
    expect(record.state).toBe("needs_attention");
    expect(record.reason).toBe("interviewer_not_in_lever");
    expect(record.reasonDetail?.emails).toEqual(["new.hire@acme.example"]);
    expect(await leverWrites(tenant.leverApiKey)).toEqual({});
    expect(await ourLeverPanels(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID)).toEqual([]);
  });

  it("08 creates the fixed screen across the DST change", async () => {
    await replay(screenFixed, 202, "accepted");
    const record = await waitForSettled(tenant.integrationKey, SCREEN_PANEL_ID, 2);
    expect(record.state).toBe("synced");
    expect(record.reason).toBeNull();
    expect(await leverWrites(tenant.leverApiKey)).toEqual({ "POST /v1/opportunities/:opportunity/panels": 1 });

    const panels = await ourLeverPanels(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID);
    expect(panels).toHaveLength(1);
    const panel = panels[0]!;
    expect(panel.note).toBe("Phone screen — Données & ML 🤖");
    expect(panel.timezone).toBe("America/New_York");
    expect(panel.interviews).toHaveLength(1);
    const screen = panel.interviews[0]!;
    expect(new Date(screen.date).toISOString()).toBe("2027-03-14T17:00:00.000Z");
    expect(
      new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", minute: "2-digit" }).format(
        screen.date,
      ),
    ).toBe("1:00 PM");
    expect(screen.duration).toBe(30);
    expect(screen.feedbackTemplate).toBe(FEEDBACK_TEMPLATES.phoneScreen);
    expect(screen.interviewers.map((i) => i.id)).toEqual([LEVER_USERS.emi]);
  });

  it("end state keeps the onsite canceled", async () => {
    const onsite = await waitForSettled(tenant.integrationKey, ONSITE_PANEL_ID, 5);
    expect(onsite.state).toBe("canceled");
    expect(onsite.leverPanelId).toBeNull();
    expect(await ourLeverPanels(tenant.leverApiKey, ONSITE_OPPORTUNITY_ID)).toEqual([]);
  });
});
