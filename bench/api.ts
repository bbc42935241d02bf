// HTTP helpers for the benchmark: the service's admin and GoodTime APIs and
// the Lever sandbox's control API, all on 127.0.0.1.

import { requestJson, sleep } from "../scripts/local-workers.ts";
import type { GoodTimeEvent } from "./events.ts";

export const SUPER_ADMIN_EMAIL = "ada.okafor@acme.example";
const GOODTIME_ORIGIN = "https://app.goodtime.example";

export interface Endpoints {
  serviceUrl: string;
  sandboxUrl: string;
  adminToken: string;
}

/** A service tenant wired to its own sandbox account. Both keys are secrets: never print them. */
export interface BenchTenant {
  slug: string;
  integrationKey: string;
  sandboxApiKey: string;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
}

export interface SyncRecord {
  externalPanelId: string;
  state: string;
  reason: string | null;
  version: number;
  appliedVersion: number | null;
  opportunityId: string;
  leverPanelId: string | null;
  updatedAt: string;
}

export interface CallRecord {
  method: string;
  route: string;
  path: string;
  status: number | null;
  at: number;
}

export interface CallSummary {
  total: number;
  writes: number;
  byRoute: Record<string, number>;
  calls: CallRecord[];
}

export interface SandboxInterview {
  id: string;
  subject: string;
  note: string;
  date: number;
  duration: number;
  location: string;
  canceledAt?: number | null;
  feedbackTemplate: string | null;
  interviewers: { id: string; feedbackTemplate?: string | null }[];
}

export interface SandboxPanel {
  id: string;
  note: string;
  timezone: string;
  externalUrl: string | null;
  externallyManaged: boolean;
  canceledAt?: number | null;
  interviews: SandboxInterview[];
}

export interface SandboxState {
  opportunities: { id: string; panels: SandboxPanel[] }[];
}

/** True for a settled sync record: the version is applied, or it needs attention. */
export function isSettled(record: SyncRecord, version: number): boolean {
  if (record.version < version) return false;
  if (record.state === "needs_attention") return true;
  return record.appliedVersion === record.version && record.state !== "pending" && record.state !== "retrying";
}

/**
 * Creates a tenant on a fresh sandbox account: the tenant, its rate limit, the
 * integration enabled by the Super Admin, and one integration key.
 */
export async function createTenant(
  endpoints: Endpoints,
  slug: string,
  limits: { perSecond: number; burst: number },
): Promise<BenchTenant> {
  const account = (await requestJson("POST", `${endpoints.sandboxUrl}/_sandbox/accounts`, {})) as { apiKey: string };

  await admin(endpoints, "POST", "/tenants", {
    slug,
    name: `Benchmark ${slug}`,
    leverApiBaseUrl: `${endpoints.sandboxUrl}/v1`,
    leverApiKey: account.apiKey,
    leverAppOrigin: endpoints.sandboxUrl,
    goodtimeOrigin: GOODTIME_ORIGIN,
  });
  const updated = (await admin(endpoints, "PATCH", `/tenants/${slug}`, {
    rateLimitPerSecond: limits.perSecond,
    rateLimitBurst: limits.burst,
  })) as { tenant: { rateLimitPerSecond: number; rateLimitBurst: number } };
  await admin(endpoints, "PUT", `/tenants/${slug}/integration`, { enabled: true, actingUserEmail: SUPER_ADMIN_EMAIL });
  const generated = (await admin(endpoints, "POST", `/tenants/${slug}/keys`, { actingUserEmail: SUPER_ADMIN_EMAIL })) as {
    integrationKey: string;
  };

  return {
    slug,
    integrationKey: generated.integrationKey,
    sandboxApiKey: account.apiKey,
    rateLimitPerSecond: updated.tenant.rateLimitPerSecond,
    rateLimitBurst: updated.tenant.rateLimitBurst,
  };
}

export function admin(endpoints: Endpoints, method: string, path: string, body?: unknown): Promise<unknown> {
  return requestJson(method, `${endpoints.serviceUrl}/admin/v1${path}`, body, {
    authorization: `Bearer ${endpoints.adminToken}`,
  });
}

export interface WebhookResult {
  httpStatus: number;
  /** `status` of a 2xx response (accepted, duplicate, stale) or the error code. */
  outcome: string;
  durationMs: number;
}

/** Posts one GoodTime event to the webhook and times it until the whole response is read. */
export async function sendEvent(endpoints: Endpoints, tenant: BenchTenant, event: GoodTimeEvent): Promise<WebhookResult> {
  const started = performance.now();
  const response = await fetch(`${endpoints.serviceUrl}/v1/goodtime/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.integrationKey}`, "content-type": "application/json" },
    body: JSON.stringify(event),
  });
  const text = await response.text();
  const durationMs = performance.now() - started;
  let outcome = "";
  try {
    const body = JSON.parse(text) as { status?: string; error?: { code?: string } };
    outcome = body.status ?? body.error?.code ?? "";
  } catch {
    outcome = `non-JSON response: ${text.slice(0, 80)}`;
  }
  return { httpStatus: response.status, outcome, durationMs };
}

export async function getSyncRecord(endpoints: Endpoints, tenant: BenchTenant, externalPanelId: string): Promise<SyncRecord> {
  return (await requestJson("GET", `${endpoints.serviceUrl}/v1/goodtime/scheduled-panels/${externalPanelId}`, undefined, {
    authorization: `Bearer ${tenant.integrationKey}`,
  })) as SyncRecord;
}

/** Polls the sync record every `pollMs` until it settles on `version`; throws after `timeoutMs`. */
export async function waitForSettled(
  endpoints: Endpoints,
  tenant: BenchTenant,
  externalPanelId: string,
  version: number,
  options: { timeoutMs: number; pollMs: number },
): Promise<SyncRecord> {
  const deadline = Date.now() + options.timeoutMs;
  let last: SyncRecord | undefined;
  while (Date.now() < deadline) {
    last = await getSyncRecord(endpoints, tenant, externalPanelId);
    if (isSettled(last, version)) return last;
    await sleep(options.pollMs);
  }
  throw new Error(
    `panel ${externalPanelId} did not settle on version ${version} within ${options.timeoutMs / 1000} s; last record: ${JSON.stringify(last)}`,
  );
}

function sandboxHeaders(tenant: BenchTenant): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${tenant.sandboxApiKey}:`).toString("base64")}` };
}

/** Reads the sandbox account's call log. Control calls under /_sandbox are not logged or rate limited. */
export async function sandboxCalls(endpoints: Endpoints, tenant: BenchTenant): Promise<CallSummary> {
  return (await requestJson("GET", `${endpoints.sandboxUrl}/_sandbox/calls`, undefined, sandboxHeaders(tenant))) as CallSummary;
}

export async function clearSandboxCalls(endpoints: Endpoints, tenant: BenchTenant): Promise<void> {
  await requestJson("DELETE", `${endpoints.sandboxUrl}/_sandbox/calls`, undefined, sandboxHeaders(tenant));
}

export async function sandboxState(endpoints: Endpoints, tenant: BenchTenant): Promise<SandboxState> {
  return (await requestJson("GET", `${endpoints.sandboxUrl}/_sandbox/state`, undefined, sandboxHeaders(tenant))) as SandboxState;
}

export async function sandboxRateLimit(endpoints: Endpoints, tenant: BenchTenant): Promise<{ perSecond: number; burst: number }> {
  return (await requestJson("GET", `${endpoints.sandboxUrl}/_sandbox/rate-limit`, undefined, sandboxHeaders(tenant))) as {
    perSecond: number;
    burst: number;
  };
}

export async function setSandboxRateLimit(endpoints: Endpoints, tenant: BenchTenant, limits: { perSecond: number; burst: number }): Promise<void> {
  await requestJson("PUT", `${endpoints.sandboxUrl}/_sandbox/rate-limit`, limits, sandboxHeaders(tenant));
}

/** Counts of the tenant's panels per sync state, from the service's D1 index. */
export async function panelsByState(endpoints: Endpoints, slug: string): Promise<Record<string, number>> {
  const body = (await admin(endpoints, "GET", `/tenants/${slug}/panels-by-state`)) as { panels: Record<string, number> };
  return body.panels;
}

/** Runs `task` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, () => worker()));
  return results;
}

/** Lever write calls that succeeded, as the sandbox's own summary counts them. */
export function isSuccessfulWrite(call: CallRecord): boolean {
  return ["POST", "PUT", "DELETE"].includes(call.method) && call.status !== null && call.status >= 200 && call.status < 300;
}
