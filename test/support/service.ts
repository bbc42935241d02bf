// Helpers that drive the service the way GoodTime, operators and Lever do:
// through the Worker's own fetch handler and the Lever sandbox over HTTP.

import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export const SANDBOX_ORIGIN = "https://lever-sandbox.test";
export const GOODTIME_ORIGIN = "https://app.goodtime.example";
export const SERVICE_ORIGIN = "https://sync.test";
export const ADMIN_TOKEN = "test-admin-token";
export const SUPER_ADMIN_EMAIL = "ada.okafor@acme.example";

export function serviceFetch(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${SERVICE_ORIGIN}${path}`, init));
}

export async function adminRequest(method: string, path: string, body?: unknown): Promise<Response> {
  return serviceFetch(`/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface TestTenant {
  slug: string;
  tenantId: string;
  integrationKey: string;
  leverApiKey: string;
}

/** Creates a fresh sandbox account and an enabled tenant on it with one integration key. */
export async function createTenant(slug: string, options: { leverApiKey?: string } = {}): Promise<TestTenant> {
  const leverApiKey = options.leverApiKey ?? (await createSandboxAccount());
  const created = await adminRequest("POST", "/tenants", {
    slug,
    name: `Acme (${slug})`,
    leverApiBaseUrl: `${SANDBOX_ORIGIN}/v1`,
    leverApiKey,
    leverAppOrigin: SANDBOX_ORIGIN,
    goodtimeOrigin: GOODTIME_ORIGIN,
  });
  expect(created.status).toBe(201);
  const { tenant } = (await created.json()) as { tenant: { id: string } };

  const enabled = await adminRequest("PUT", `/tenants/${slug}/integration`, {
    enabled: true,
    actingUserEmail: SUPER_ADMIN_EMAIL,
  });
  expect(enabled.status).toBe(200);
  await enabled.body?.cancel();

  const key = await adminRequest("POST", `/tenants/${slug}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL });
  expect(key.status).toBe(201);
  const { integrationKey } = (await key.json()) as { integrationKey: string };
  await sandboxRequest(leverApiKey, "DELETE", "/_sandbox/calls");
  return { slug, tenantId: tenant.id, integrationKey, leverApiKey };
}

export function sendEvent(integrationKey: string, event: unknown): Promise<Response> {
  return serviceFetch("/v1/goodtime/webhooks", {
    method: "POST",
    headers: { authorization: `Bearer ${integrationKey}`, "content-type": "application/json" },
    body: JSON.stringify(event),
  });
}

export async function sendEventExpecting(integrationKey: string, event: unknown, status: string): Promise<void> {
  const response = await sendEvent(integrationKey, event);
  const body = (await response.json()) as { status?: string };
  expect(body.status).toBe(status);
}

export async function getSyncRecord(integrationKey: string, externalPanelId: string): Promise<SyncRecordBody> {
  const response = await serviceFetch(`/v1/goodtime/scheduled-panels/${externalPanelId}`, {
    headers: { authorization: `Bearer ${integrationKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SyncRecordBody;
}

export interface SyncRecordBody {
  externalPanelId: string;
  state: string;
  reason: string | null;
  reasonDetail: { emails?: string[]; feedbackTemplateIds?: string[]; leverMessage?: string } | null;
  version: number;
  appliedVersion: number | null;
  opportunityId: string;
  leverPanelId: string | null;
  scheduledEvents: {
    externalEventId: string;
    leverInterviewId: string | null;
    removedInLever: boolean;
    scorecardUrl: string | null;
    interviewers: { email: string; leverUserId: string | null; scorecardUrl: string | null }[];
  }[];
}

const SETTLED_STATES = new Set(["synced", "canceled", "needs_attention", "removed_in_lever"]);

/**
 * Polls the sync record until the panel has settled on `version`: its alarm
 * has run and it reached a final state for that version. Alarms fire on their
 * own in the test runtime, so this waits for the real runtime behaviour.
 */
export async function waitForSettled(
  integrationKey: string,
  externalPanelId: string,
  version: number,
  timeoutMs = 15_000,
): Promise<SyncRecordBody> {
  const deadline = Date.now() + timeoutMs;
  let last: SyncRecordBody | undefined;
  while (Date.now() < deadline) {
    last = await getSyncRecord(integrationKey, externalPanelId);
    const settledOnVersion =
      last.version === version &&
      SETTLED_STATES.has(last.state) &&
      (last.state === "needs_attention" || last.appliedVersion === version);
    if (settledOnVersion) return last;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`panel ${externalPanelId} did not settle on version ${version}: ${JSON.stringify(last)}`);
}

// --- Lever sandbox -------------------------------------------------------

export async function createSandboxAccount(): Promise<string> {
  const response = await fetch(`${SANDBOX_ORIGIN}/_sandbox/accounts`, { method: "POST" });
  expect(response.status).toBe(201);
  const { apiKey } = (await response.json()) as { apiKey: string };
  return apiKey;
}

export async function sandboxRequest(apiKey: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${SANDBOX_ORIGIN}${path}`, {
    method,
    headers: { authorization: `Basic ${btoa(`${apiKey}:`)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Reads from the sandbox as a test assertion. The test shares the account's
 * Lever rate limit with the service, so a 429 is waited out here.
 */
export async function sandboxJson<T>(apiKey: string, method: string, path: string, body?: unknown): Promise<T> {
  let response = await sandboxRequest(apiKey, method, path, body);
  for (let attempt = 0; response.status === 429 && attempt < 20; attempt++) {
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    response = await sandboxRequest(apiKey, method, path, body);
  }
  expect(response.ok, `${method} ${path} answered ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

export interface SandboxCalls {
  total: number;
  writes: number;
  byRoute: Record<string, number>;
  calls: { method: string; route: string; path: string; status: number; at: number }[];
}

/** Successful Lever write calls (POST, PUT, DELETE) since the log was last cleared, by route. */
export async function leverWrites(apiKey: string): Promise<Record<string, number>> {
  const calls = await sandboxJson<SandboxCalls>(apiKey, "GET", "/_sandbox/calls");
  const writes: Record<string, number> = {};
  for (const call of calls.calls) {
    if (call.method === "GET" || call.status < 200 || call.status >= 300) continue;
    const key = `${call.method} ${call.route}`.replace(/^(\w+) \1 /, "$1 ");
    writes[key] = (writes[key] ?? 0) + 1;
  }
  return writes;
}

export async function clearSandboxCalls(apiKey: string): Promise<void> {
  const response = await sandboxRequest(apiKey, "DELETE", "/_sandbox/calls");
  await response.body?.cancel();
}

export interface LeverPanelBody {
  id: string;
  externalUrl: string | null;
  externallyManaged: boolean;
  timezone: string;
  note: string;
  applications: string[];
  interviews: {
    id: string;
    subject: string;
    date: number;
    duration: number;
    location: string;
    feedbackTemplate: string | null;
    interviewers: { id: string; email: string; name: string; feedbackTemplate: string | null }[];
  }[];
}

/** Lists the opportunity's panels as Lever does, walking every page. */
export async function leverPanels(apiKey: string, opportunityId: string): Promise<LeverPanelBody[]> {
  const panels: LeverPanelBody[] = [];
  let offset: string | undefined;
  for (let page = 0; page < 100; page++) {
    const query = offset ? `limit=100&offset=${encodeURIComponent(offset)}` : "limit=100";
    const result = await sandboxJson<{ data: LeverPanelBody[]; hasNext: boolean; next?: string }>(
      apiKey,
      "GET",
      `/v1/opportunities/${opportunityId}/panels?${query}`,
    );
    panels.push(...result.data);
    if (!result.hasNext || !result.next) return panels;
    offset = result.next;
  }
  throw new Error(`more than 100 pages of panels on opportunity ${opportunityId}`);
}

/** Panels on the opportunity that this service manages (its deep link as externalUrl). */
export async function ourLeverPanels(apiKey: string, opportunityId: string): Promise<LeverPanelBody[]> {
  const panels = await leverPanels(apiKey, opportunityId);
  return panels.filter((panel) => panel.externalUrl?.startsWith(`${SERVICE_ORIGIN}/links/`));
}
