// A 401 from Lever blocks the whole tenant: its other panels wait instead of
// repeating the failure.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RECONCILE_LIMITS, reconcileOnce } from "../../src/reconcile/scheduled";
import { FIXTURE_WEEK, withFreshIds } from "../support/fixtures";
import { adminRequest, clearSandboxCalls, createTenant, serviceFetch, sandboxJson, sendEvent, waitForSettled, type SandboxCalls } from "../support/service";

describe("lever credential rejected", () => {
  it("blocks every panel of the tenant", async () => {
    const tenant = await createTenant("auth-failure");
    await clearSandboxCalls(tenant.leverApiKey);
    await sandboxJson(tenant.leverApiKey, "POST", "/_sandbox/faults", { status: 401, count: 1 });

    const first = withFreshIds(FIXTURE_WEEK[0]!, "auth-1");
    expect((await sendEvent(tenant.integrationKey, first)).status).toBe(202);
    const firstRecord = await waitForSettled(tenant.integrationKey, first.scheduledPanel.externalPanelId, 1);
    expect(firstRecord.state).toBe("needs_attention");
    expect(firstRecord.reason).toBe("lever_auth_failed");

    const second = withFreshIds(FIXTURE_WEEK[0]!, "auth-2");
    expect((await sendEvent(tenant.integrationKey, second)).status).toBe(202);
    const secondRecord = await waitForSettled(tenant.integrationKey, second.scheduledPanel.externalPanelId, 1);
    expect(secondRecord.reason).toBe("lever_auth_failed");

    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    expect(calls.calls.map((call) => call.status)).toEqual([401]);

    // GoodTime's own reads name the credential problem instead of a rate limit.
    const lookup = await serviceFetch("/v1/goodtime/interviewers?email=someone.new%40acme.example", {
      headers: { authorization: `Bearer ${tenant.integrationKey}` },
    });
    expect(lookup.status).toBe(502);
    expect(((await lookup.json()) as { error: { code: string } }).error.code).toBe("lever_rejected");
  });

  it("resumes after a new credential is stored", async () => {
    const tenant = await createTenant("auth-renewed");
    await sandboxJson(tenant.leverApiKey, "POST", "/_sandbox/faults", { status: 401, count: 1 });
    const event = withFreshIds(FIXTURE_WEEK[0]!, "renewed");
    expect((await sendEvent(tenant.integrationKey, event)).status).toBe(202);
    expect((await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1)).reason).toBe("lever_auth_failed");

    const renewed = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { leverApiKey: tenant.leverApiKey });
    expect(renewed.status).toBe(200);
    await renewed.body?.cancel();
    await reconcileOnce(env as never, Date.now(), { ...RECONCILE_LIMITS, recheckAfterMs: 0 });
    const record = await waitForSettled(tenant.integrationKey, event.scheduledPanel.externalPanelId, 1);
    expect(record.state).toBe("synced");
  });
});
