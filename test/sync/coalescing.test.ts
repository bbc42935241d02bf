// How the sync saves Lever calls: updates that arrive together become one
// write of the newest version, and panels that start together share their
// user lookups. Kept apart from the fault tests, whose hanging requests slow
// everything in their file down.

import { describe, expect, it } from "vitest";
import { SCREEN_OPPORTUNITY_ID } from "../support/fixtures";
import { addFaults, addUsersForShortEmails, expectLeverMatches, leverPanelsFor, panelVersion, settleAll, successfulWrites } from "../support/convergence";
import { clearSandboxCalls, createTenant, sandboxJson, sendEvent, waitForSettled, type SandboxCalls } from "../support/service";

describe("call savings", () => {
  it("asks Lever once per user for panels that start together", async () => {
    const tenant = await createTenant("shared-lookups");
    await addUsersForShortEmails(tenant.leverApiKey);
    await clearSandboxCalls(tenant.leverApiKey);
    // Slow user lookups keep the first lookups in flight while the other panels start.
    await addFaults(tenant.leverApiKey, [{ route: "GET /v1/users", count: 60, latencyMs: 500 }]);

    const finals = Array.from({ length: 20 }, (_, i) => panelVersion(`shared-${i}`, 1, { second: true }));
    for (const response of await Promise.all(finals.map((version) => sendEvent(tenant.integrationKey, version)))) {
      expect(response.status).toBe(202);
      await response.body?.cancel();
    }
    await settleAll(tenant, finals, 60_000);

    const calls = await sandboxJson<SandboxCalls>(tenant.leverApiKey, "GET", "/_sandbox/calls");
    const userLookups = calls.calls.filter((call) => call.method === "GET" && call.route.endsWith("/users"));
    // Three distinct people: two interviewers and the coordinator behind onBehalfOf.
    expect(userLookups).toHaveLength(3);
    expect(calls.calls.filter((call) => call.method === "POST")).toHaveLength(20);
  }, 90_000);

  it("collapses updates during a slow call", async () => {
    const tenant = await createTenant("burst");
    await addUsersForShortEmails(tenant.leverApiKey);
    expect((await sendEvent(tenant.integrationKey, panelVersion("burst", 1, { second: true }))).status).toBe(202);
    await waitForSettled(tenant.integrationKey, "burst", 1);
    await clearSandboxCalls(tenant.leverApiKey);

    // The first update's first Lever call takes 5 s; nineteen more updates arrive at once meanwhile.
    await addFaults(tenant.leverApiKey, [{ route: "PUT /v1/opportunities/:opportunity/interviews/:interview", count: 1, latencyMs: 5_000 }]);
    expect((await sendEvent(tenant.integrationKey, panelVersion("burst", 2, { shift: 2, second: true }))).status).toBe(202);
    const versions = Array.from({ length: 19 }, (_, i) => panelVersion("burst", i + 3, { shift: i + 3, second: true }));
    // Sent at once, some arrive after a newer version and get the stale response (200).
    for (const response of await Promise.all(versions.map((version) => sendEvent(tenant.integrationKey, version)))) {
      expect([200, 202]).toContain(response.status);
      await response.body?.cancel();
    }
    await waitForSettled(tenant.integrationKey, "burst", 21, 30_000);
    const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, "burst");
    expectLeverMatches(panels, panelVersion("burst", 21, { shift: 21, second: true }), "burst");
    // Both interviews move, so the newest version alone costs two updates. A third write
    // happens when version 2's first update was already in flight as the others arrived.
    const writes = await successfulWrites(tenant.leverApiKey);
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writes).toBeLessThanOrEqual(3);
  });
});
