// Deep links from Lever to GoodTime: redirects only to the tenant's configured
// GoodTime origin, small pages for unknown or canceled panels.

import { beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_WEEK, clone, withFreshIds } from "../support/fixtures";
import { GOODTIME_ORIGIN, SUPER_ADMIN_EMAIL, adminRequest, createTenant, sendEvent, serviceFetch, waitForSettled, type TestTenant } from "../support/service";

const created = FIXTURE_WEEK[0]!;

describe("deep links", () => {
  let tenant: TestTenant;
  let livePanelId: string;
  let canceledPanelId: string;

  beforeAll(async () => {
    tenant = await createTenant("links");
    const live = withFreshIds(created, "live");
    livePanelId = live.scheduledPanel.externalPanelId;
    expect((await sendEvent(tenant.integrationKey, live)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, livePanelId, 1);

    const gone = withFreshIds(created, "gone");
    canceledPanelId = gone.scheduledPanel.externalPanelId;
    expect((await sendEvent(tenant.integrationKey, gone)).status).toBe(202);
    const cancel = clone(gone);
    cancel.id = `${gone.id}-cancel`;
    cancel.type = "scheduled_panel.canceled";
    cancel.scheduledPanel.version = 2;
    cancel.scheduledPanel.status = "canceled";
    expect((await sendEvent(tenant.integrationKey, cancel)).status).toBe(202);
    await waitForSettled(tenant.integrationKey, canceledPanelId, 2);
  });

  async function get(path: string) {
    const response = await serviceFetch(path, { redirect: "manual" });
    const text = await response.text();
    return { status: response.status, location: response.headers.get("location"), text, type: response.headers.get("content-type") };
  }

  it("redirects Schedule in GoodTime to the candidate", async () => {
    const result = await get("/links/links/candidates/72cddc9f-0a0b-51f6-8ec5-3f00c94c7fac/schedule");
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${GOODTIME_ORIGIN}/dashboard/candidates/lever/72cddc9f-0a0b-51f6-8ec5-3f00c94c7fac/schedule`);
  });

  it("redirects View in External App to the interview", async () => {
    const result = await get(`/links/links/panels/${livePanelId}`);
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${GOODTIME_ORIGIN}/dashboard/interview/${livePanelId}`);
  });

  it("shows a page for an unknown panel", async () => {
    const result = await get("/links/links/panels/no-such-panel");
    expect(result.status).toBe(404);
    expect(result.location).toBeNull();
    expect(result.type).toContain("text/html");
    expect(result.text).toContain("Interview not found");
  });

  it("shows a page for a canceled panel", async () => {
    const result = await get(`/links/links/panels/${canceledPanelId}`);
    expect(result.status).toBe(410);
    expect(result.location).toBeNull();
    expect(result.text).toContain("canceled");
  });

  it("shows a page for an unknown tenant", async () => {
    const result = await get(`/links/nobody/panels/${livePanelId}`);
    expect(result.status).toBe(404);
    expect(result.location).toBeNull();
  });

  it.each([
    "/links/links/candidates/%2F%2Fevil.example/schedule",
    "/links/links/candidates/%2f%2fevil.example/schedule",
    "/links/links/candidates/@evil.example/schedule",
    "/links/links/candidates/javascript:alert(1)/schedule",
    "/links/links/candidates/%5Cevil.example/schedule",
    "/links/links/candidates/user:pass@evil.example/schedule",
    "/links/links/panels/%2F%2Fevil.example",
    "/links/links/panels/..%2F..%2Fadmin",
    "/links/links/panels/https:%2F%2Fevil.example",
    "//evil.example/links/links/panels/x",
    "/links//evil.example/panels/x",
    "/links/%2F%2Fevil.example/panels/x",
    "/links/LINKS/panels/x",
    "/links/links/candidates/a%00b/schedule",
  ])("refuses %s without redirecting", async (path) => {
    const response = await exportsFetchRaw(path);
    expect([400, 404]).toContain(response.status);
    expect(response.location).toBeNull();
  });

  it("says when the integration is turned off", async () => {
    const other = await createTenant("links-off");
    const off = await adminRequest("PUT", `/tenants/${other.slug}/integration`, { enabled: false, actingUserEmail: SUPER_ADMIN_EMAIL });
    await off.body?.cancel();
    const result = await get("/links/links-off/candidates/72cddc9f-0a0b-51f6-8ec5-3f00c94c7fac/schedule");
    expect(result.status).toBe(403);
    expect(result.location).toBeNull();
    expect(result.text).toContain("turned off");
  });
});

// Builds the URL by hand so that odd paths reach the Worker as written.
async function exportsFetchRaw(path: string) {
  const response = await serviceFetch(path, { redirect: "manual" });
  await response.arrayBuffer();
  return { status: response.status, location: response.headers.get("location") };
}
