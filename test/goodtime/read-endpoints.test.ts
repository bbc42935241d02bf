// The read endpoints GoodTime calls and the sync outcomes it reads back: feedback forms, interviewer
// checks, the connection check, perform_as, and opportunity churn in Lever.

import { beforeAll, describe, expect, it } from "vitest";
import { FEEDBACK_TEMPLATES, FIXTURE_WEEK, LEVER_USERS, ONSITE_OPPORTUNITY_ID, clone, withFreshIds } from "../support/fixtures";
import {
  SUPER_ADMIN_EMAIL,
  adminRequest,
  clearSandboxCalls,
  createTenant,
  getSyncRecord,
  leverPanels,
  sandboxJson,
  sendEvent,
  serviceFetch,
  waitForSettled,
  type SandboxCalls,
  type TestTenant,
} from "../support/service";

const created = FIXTURE_WEEK[0]!;

describe("goodtime read endpoints", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("reads");
  });

  function get(path: string, key = tenant.integrationKey) {
    return serviceFetch(path, { headers: { authorization: `Bearer ${key}` } });
  }

  async function leverGets(route: string): Promise<number> {
    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    return calls.calls.filter((call) => call.method === "GET" && call.route.endsWith(route)).length;
  }

  it("lists feedback forms and caches them", async () => {
    await clearSandboxCalls(tenant.leverApiKey);
    const first = await get("/v1/goodtime/feedback-forms");
    expect(first.status).toBe(200);
    const body = (await first.json()) as { feedbackForms: { id: string; name: string; group: { name: string } | null }[] };
    expect(body.feedbackForms.map((form) => [form.id, form.name, form.group?.name])).toEqual([
      [FEEDBACK_TEMPLATES.systemDesign, "System design interview", "Engineering"],
      [FEEDBACK_TEMPLATES.coding, "Coding interview", "Engineering"],
      [FEEDBACK_TEMPLATES.values, "Values and collaboration", "All roles"],
      [FEEDBACK_TEMPLATES.phoneScreen, "Phone screen", "All roles"],
    ]);
    const second = await get("/v1/goodtime/feedback-forms");
    expect(await second.json()).toEqual(body);
    expect(await leverGets("/feedback_templates")).toBe(1);
  });

  it("reads every page of feedback forms", async () => {
    const other = await createTenant("reads-many-forms");
    for (let i = 0; i < 105; i++) {
      await sandboxJson(other.leverApiKey, "POST", "/_sandbox/feedback_templates", { text: `Extra form ${i}` });
    }
    const response = await get("/v1/goodtime/feedback-forms", other.integrationKey);
    const body = (await response.json()) as { feedbackForms: unknown[] };
    expect(body.feedbackForms).toHaveLength(109);
  });

  it("checks interviewers before scheduling", async () => {
    const query = ["ADA.Okafor@acme.example", "  emi.sato@acme.example ", "gus.lindqvist@acme.example", "nobody@acme.example"]
      .map((email) => `email=${encodeURIComponent(email)}`)
      .join("&");
    const response = await get(`/v1/goodtime/interviewers?${query}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      interviewers: [
        { email: "ada.okafor@acme.example", status: "active", leverUserId: LEVER_USERS.ada, name: "Ada Okafor", accessRole: "super admin" },
        { email: "emi.sato@acme.example", status: "active", leverUserId: LEVER_USERS.emi, name: "Emi Sato", accessRole: "interviewer" },
        { email: "gus.lindqvist@acme.example", status: "deactivated", leverUserId: LEVER_USERS.gus, name: "Gus Lindqvist", accessRole: "interviewer" },
        { email: "nobody@acme.example", status: "not_found", leverUserId: null, name: null, accessRole: null },
      ],
    });
  });

  it("rejects more than 50 emails", async () => {
    const query = Array.from({ length: 51 }, (_, i) => `email=person${i}@acme.example`).join("&");
    const response = await get(`/v1/goodtime/interviewers?${query}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain("51");
  });

  it("names malformed emails", async () => {
    const response = await get("/v1/goodtime/interviewers?email=ok@acme.example&email=not-an-email&email=");
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { issues: { message: string }[] } };
    expect(body.error.issues.map((issue) => issue.message)).toEqual([
      '"not-an-email" is not an email address',
      '"" is not an email address',
    ]);
  });

  it("reports the connection", async () => {
    const response = await get("/v1/goodtime/connection");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tenant: { slug: "reads", name: "Acme (reads)" }, integrationEnabled: true });
  });

  it("reports a turned-off connection", async () => {
    const other = await createTenant("reads-off");
    const off = await adminRequest("PUT", `/tenants/${other.slug}/integration`, { enabled: false, actingUserEmail: SUPER_ADMIN_EMAIL });
    await off.body?.cancel();
    const response = await get("/v1/goodtime/connection", other.integrationKey);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tenant: { slug: "reads-off", name: "Acme (reads-off)" }, integrationEnabled: false });
  });
});

describe("sync outcomes", () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant("outcomes");
  });

  async function performAsOfPanelCreate(): Promise<string | null> {
    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    const create = calls.calls.find((call) => call.method === "POST" && call.route.endsWith("/panels"));
    return create ? new URL(create.path, "https://x").searchParams.get("perform_as") : null;
  }

  it("acts as the coordinator when allowed", async () => {
    await clearSandboxCalls(tenant.leverApiKey);
    const event = withFreshIds(created, "as-ben");
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(await performAsOfPanelCreate()).toBe(LEVER_USERS.ben);
  });

  it("falls back to the integration user", async () => {
    for (const [suffix, onBehalfOf] of [
      ["as-interviewer", "dev.patel@acme.example"],
      ["as-unknown", "someone.else@acme.example"],
      ["as-deactivated", "gus.lindqvist@acme.example"],
    ] as const) {
      await clearSandboxCalls(tenant.leverApiKey);
      const event = withFreshIds(created, suffix);
      event.onBehalfOf = onBehalfOf;
      expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
      await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
      expect(await performAsOfPanelCreate(), suffix).toBe(LEVER_USERS.ada);
    }
  });

  it("holds an unknown feedback form", async () => {
    const event = withFreshIds(created, "no-form");
    event.scheduledPanel.scheduledEvents[1]!.interviewStepId = "00000000-0000-4000-8000-000000000000";
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(record.state).toBe("needs_attention");
    expect(record.reason).toBe("feedback_form_not_found");
    expect(record.reasonDetail?.feedbackTemplateIds).toEqual(["00000000-0000-4000-8000-000000000000"]);
    expect(record.leverPanelId).toBeNull();
  });

  it("holds a deactivated interviewer", async () => {
    const event = withFreshIds(created, "deactivated");
    event.scheduledPanel.scheduledEvents[0]!.interviewers[0]!.email = "gus.lindqvist@acme.example";
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(record.reason).toBe("interviewer_deactivated");
    expect(record.reasonDetail?.emails).toEqual(["gus.lindqvist@acme.example"]);
  });

  it("holds an unknown opportunity", async () => {
    const event = withFreshIds(created, "no-opp");
    event.scheduledPanel.candidateId = "00000000-0000-4000-8000-00000000dead";
    delete (event.scheduledPanel as { applicationId?: string }).applicationId;
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(record.state).toBe("needs_attention");
    expect(record.reason).toBe("opportunity_not_found");
  });

  it("clears a permanent failure with a newer version", async () => {
    const event = withFreshIds(created, "heal-newer");
    event.scheduledPanel.scheduledEvents[1]!.interviewStepId = "00000000-0000-4000-8000-000000000000";
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    expect((await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1)).state).toBe("needs_attention");
    const fixed = clone(withFreshIds(created, "heal-newer"));
    fixed.id = `${fixed.id}-v2`;
    fixed.scheduledPanel.version = 2;
    expect((await sendEvent(tenant.integrationKey, fixed)).status).toBe(202);
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect(record.state).toBe("synced");
    expect(record.reason).toBeNull();
  });

  it("reports an archived opportunity", async () => {
    const other = await createTenant("outcomes-archived");
    await sandboxJson(other.leverApiKey, "PATCH", `/_sandbox/opportunities/${ONSITE_OPPORTUNITY_ID}`, {
      archived: { archivedAt: Date.now(), reason: "Hired elsewhere" },
    });
    const event = withFreshIds(created, "archived");
    expect((await sendEvent(other.integrationKey, event)).status).toBe(202);
    const record = (await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 1)) as unknown as {
      state: string;
      opportunityArchived: boolean;
    };
    expect(record.state).toBe("synced");
    expect(record.opportunityArchived).toBe(true);
  });

  it("follows a merged opportunity", async () => {
    const other = await createTenant("outcomes-merged");
    const survivor = await sandboxJson<{ data: { id: string } }>(other.leverApiKey, "POST", "/_sandbox/opportunities", {
      name: "Merged candidate",
    });
    const event = withFreshIds(created, "merged");
    delete (event.scheduledPanel as { applicationId?: string }).applicationId;
    expect((await sendEvent(other.integrationKey, event)).status).toBe(202);
    const before = await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(before.opportunityId).toBe(ONSITE_OPPORTUNITY_ID);

    await sandboxJson(other.leverApiKey, "POST", `/_sandbox/opportunities/${ONSITE_OPPORTUNITY_ID}/merge`, { into: survivor.data.id });
    const moved = clone(event);
    moved.id = `${event.id}-v2`;
    moved.scheduledPanel.version = 2;
    moved.scheduledPanel.scheduledEvents[0]!.title = "System design (after merge)";
    expect((await sendEvent(other.integrationKey, moved)).status).toBe(202);
    const after = await waitForSettled(other.integrationKey, event.scheduledPanel.externalPanelId, 2);
    expect(after.state).toBe("synced");
    expect(after.opportunityId).toBe(survivor.data.id);
    expect(after.leverPanelId).toBe(before.leverPanelId);
    const panels = await leverPanels(other.leverApiKey, survivor.data.id);
    const ours = panels.filter((panel) => panel.id === before.leverPanelId);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.interviews[0]!.subject).toBe("System design (after merge)");
  });
});
