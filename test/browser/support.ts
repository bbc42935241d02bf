// Helpers for the Node-side end-to-end tests: the URLs and token that
// global-setup.ts provides, admin API calls, sandbox accounts and fixture events.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, inject } from "vitest";

export const ROOT = resolve(import.meta.dirname, "../..");
export const SUPER_ADMIN_EMAIL = "ada.okafor@acme.example";
export const ADMIN_EMAIL = "ben.hartley@acme.example";
export const GOODTIME_ORIGIN = "https://app.goodtime.example";

export function serviceUrl(): string {
  return inject("serviceUrl");
}

export function sandboxUrl(): string {
  return inject("sandboxUrl");
}

export function adminToken(): string {
  return inject("adminToken");
}

export async function adminApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${serviceUrl()}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken()}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

/** Creates a sandbox account seeded with the Lever fixtures and returns its API key. */
export async function createSandboxAccount(): Promise<string> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/accounts`, { method: "POST" });
  expect(response.status).toBe(201);
  const { apiKey } = (await response.json()) as { apiKey: string };
  return apiKey;
}

/** Creates a disabled tenant with no key on a fresh sandbox account. */
export async function createTenant(slug: string): Promise<void> {
  const created = await adminApi("POST", "/tenants", {
    slug,
    name: `Acme (${slug})`,
    leverApiBaseUrl: `${sandboxUrl()}/v1`,
    leverApiKey: await createSandboxAccount(),
    leverAppOrigin: sandboxUrl(),
    goodtimeOrigin: GOODTIME_ORIGIN,
  });
  expect(created.status).toBe(201);
}

/** Returns the first fixture event with its event and panel ids suffixed, so the test owns them. */
export function fixtureEvent(suffix: string): Record<string, unknown> {
  const event = JSON.parse(readFileSync(join(ROOT, "fixtures/goodtime/01-onsite-created.json"), "utf8")) as {
    id: string;
    scheduledPanel: { externalPanelId: string };
  };
  event.id = `${event.id}-${suffix}`;
  event.scheduledPanel.externalPanelId = `${event.scheduledPanel.externalPanelId}-${suffix}`;
  return event;
}

export async function sendWebhook(integrationKey: string, event: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${serviceUrl()}/v1/goodtime/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${integrationKey}`, "content-type": "application/json" },
    body: JSON.stringify(event),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}
