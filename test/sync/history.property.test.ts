// Property: whatever order, duplication and delay GoodTime's deliveries arrive
// in, and whatever transient faults Lever responds with, the panel ends up as
// the newest version in Lever, never twice, absent after a cancel, and quiet
// once converged. fast-check prints the seed and the failing case.

import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { panelObjectName } from "../../src/goodtime/routes";
import { SCREEN_OPPORTUNITY_ID } from "../support/fixtures";
import { eventType, expectLeverMatches, leverPanelsFor, successfulWrites, type PanelVersion } from "../support/convergence";
import { adminRequest, clearSandboxCalls, createTenant, sandboxJson, sandboxRequest, sendEvent, waitForSettled, type TestTenant } from "../support/service";

const RUNS = 40;
const BASE_START = Date.parse("2027-02-01T09:00:00Z");
const TIMEZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"];
const EVENT_TITLES = ["Architecture", "Coding", "Values", "Debrief"];
const INTERVIEWERS = ["dev@acme.example", "emi@acme.example", "ben@acme.example"];

interface VersionSpec {
  cancel: boolean;
  timezone: number;
  events: { slot: number; shift: number; interviewer: number }[];
}

const versionSpec: fc.Arbitrary<VersionSpec> = fc.record({
  cancel: fc.integer({ min: 0, max: 6 }).map((value) => value === 0),
  timezone: fc.integer({ min: 0, max: TIMEZONES.length - 1 }),
  events: fc.uniqueArray(
    fc.record({ slot: fc.integer({ min: 0, max: 3 }), shift: fc.integer({ min: 0, max: 8 }), interviewer: fc.integer({ min: 0, max: 2 }) }),
    { minLength: 1, maxLength: 3, selector: (event) => event.slot },
  ),
});

const faultRule = fc.oneof(
  fc.record({ status: fc.constantFrom(429, 500, 502, 503) }),
  fc.record({ status: fc.constant(429), retryAfterSeconds: fc.constant(1) }),
  fc.record({ applyThenFail: fc.constantFrom({ status: 500 }, { drop: true } as const) }),
);

const historyCase = fc.record({
  versions: fc.array(versionSpec, { minLength: 1, maxLength: 5 }),
  // Each delivery is a version index; duplicates are GoodTime's retries.
  extraDeliveries: fc.array(fc.nat(), { maxLength: 4 }),
  order: fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
  concurrent: fc.boolean(),
  faults: fc.array(fc.record({ rule: faultRule, probability: fc.double({ min: 0.05, max: 0.3, noNaN: true }), seed: fc.nat() }), {
    maxLength: 3,
  }),
});

function buildVersion(externalPanelId: string, version: number, spec: VersionSpec): PanelVersion {
  return {
    id: `evt-${externalPanelId}-v${version}`,
    type: eventType(version, spec.cancel),
    occurredAt: new Date(BASE_START - 86_400_000 + version * 1000).toISOString(),
    onBehalfOf: "ben@acme.example",
    scheduledPanel: {
      externalPanelId,
      version,
      status: spec.cancel ? "canceled" : "confirmed",
      candidateId: SCREEN_OPPORTUNITY_ID,
      title: `Property loop ${externalPanelId}`,
      timezone: TIMEZONES[spec.timezone]!,
      scheduledEvents: spec.events.map((event) => {
        const start = BASE_START + event.slot * 90 * 60_000 + event.shift * 5 * 60_000;
        return {
          externalEventId: `${externalPanelId}-${event.slot}`,
          title: EVENT_TITLES[event.slot]!,
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 45 * 60_000).toISOString(),
          location: `Room ${event.slot}`,
          interviewers: [{ email: INTERVIEWERS[event.interviewer]!, name: "Interviewer" }],
        };
      }),
    },
  };
}

describe("panel history property", () => {
  let tenant: TestTenant;
  let caseNumber = 0;

  beforeAll(async () => {
    tenant = await createTenant("property");
    await sandboxJson(tenant.leverApiKey, "PATCH", "/_sandbox/users/717f7bbb-7eb1-5488-8b84-62eb5ea39b00", { email: "dev@acme.example" });
    await sandboxJson(tenant.leverApiKey, "PATCH", "/_sandbox/users/83b3387d-fb51-5af5-b5e8-b1ba4456d899", { email: "emi@acme.example" });
    await sandboxJson(tenant.leverApiKey, "PATCH", "/_sandbox/users/e1412f14-5a8a-5751-89b6-0c723c277860", { email: "ben@acme.example" });
    await sandboxJson(tenant.leverApiKey, "PUT", "/_sandbox/rate-limit", { perSecond: 200, burst: 400 });
    const raised = await adminRequest("PATCH", `/tenants/${tenant.slug}`, { rateLimitPerSecond: 100, rateLimitBurst: 200 });
    await raised.body?.cancel();
  });

  it("converges on the newest version", async () => {
    await fc.assert(
      fc.asyncProperty(historyCase, async (input) => {
        const externalPanelId = `prop-${++caseNumber}`;
        const versions = input.versions.map((spec, index) => buildVersion(externalPanelId, index + 1, spec));
        const newest = versions.at(-1)!;

        const deliveries = [...versions, ...input.extraDeliveries.map((i) => versions[i % versions.length]!)];
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = input.order[i % input.order.length]! % (i + 1);
          [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
        }

        for (const fault of input.faults) {
          await sandboxJson(tenant.leverApiKey, "POST", "/_sandbox/faults", { ...fault.rule, probability: fault.probability, seed: fault.seed });
        }
        try {
          if (input.concurrent) {
            const responses = await Promise.all(deliveries.map((event) => sendEvent(tenant.integrationKey, event)));
            for (const response of responses) {
              expect([200, 202]).toContain(response.status);
              await response.body?.cancel();
            }
          } else {
            for (const event of deliveries) {
              const response = await sendEvent(tenant.integrationKey, event);
              expect([200, 202]).toContain(response.status);
              await response.body?.cancel();
            }
          }
          await waitForSettled(tenant.integrationKey, externalPanelId, newest.scheduledPanel.version, 60_000);
        } finally {
          const cleared = await sandboxRequest(tenant.leverApiKey, "DELETE", "/_sandbox/faults");
          await cleared.body?.cancel();
        }

        const panels = await leverPanelsFor(tenant.leverApiKey, SCREEN_OPPORTUNITY_ID, tenant.slug, externalPanelId);
        expectLeverMatches(panels, newest, externalPanelId);

        // Once converged, neither a drift check nor another alarm writes to Lever.
        await clearSandboxCalls(tenant.leverApiKey);
        const stub = env.SCHEDULED_PANEL.get(env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.tenantId, externalPanelId)));
        const outcome = await stub.reconcile();
        expect(outcome, externalPanelId).toBe("unchanged");
        await stub.wake();
        await waitForSettled(tenant.integrationKey, externalPanelId, newest.scheduledPanel.version, 10_000);
        expect(await successfulWrites(tenant.leverApiKey), externalPanelId).toBe(0);
      }),
      // Each failing case can take a minute to settle, so a failure is reported
      // with its seed and case as found, without shrinking.
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
