// Checks used by the failure tests: what Lever must show for a GoodTime panel
// version, compared field by field with the sandbox's panels.

import { expect } from "vitest";
import { LEVER_USERS, SCREEN_OPPORTUNITY_ID } from "./fixtures";
import {
  SERVICE_ORIGIN,
  leverPanels,
  sandboxJson,
  sandboxRequest,
  sendEvent,
  waitForSettled,
  type LeverPanelBody,
  type SandboxCalls,
  type TestTenant,
} from "./service";

const USER_ID_BY_EMAIL = new Map<string, string>(Object.entries(LEVER_USERS).map(([name, id]) => [`${name}@acme.example`, id]));

export interface PanelVersion {
  id: string;
  type: "scheduled_panel.created" | "scheduled_panel.updated" | "scheduled_panel.canceled";
  occurredAt: string;
  onBehalfOf: string;
  scheduledPanel: {
    externalPanelId: string;
    version: number;
    status: string;
    candidateId: string;
    title: string;
    timezone: string;
    scheduledEvents: {
      externalEventId: string;
      title: string;
      startTime: string;
      endTime: string;
      location: string;
      interviewers: { email: string; name: string }[];
    }[];
  };
}

/** Our panels in Lever for one GoodTime panel id (normally zero or one). */
export async function leverPanelsFor(apiKey: string, opportunityId: string, slug: string, externalPanelId: string): Promise<LeverPanelBody[]> {
  const panels = await leverPanels(apiKey, opportunityId);
  return panels.filter((panel) => panel.externalUrl === `${SERVICE_ORIGIN}/links/${slug}/panels/${externalPanelId}`);
}

/** Asserts that Lever shows exactly the given version: one panel with its interviews, or none after a cancel. */
export function expectLeverMatches(panels: LeverPanelBody[], version: PanelVersion, context: string): void {
  if (version.type === "scheduled_panel.canceled") {
    expect(panels, `${context}: canceled panel must not exist in Lever`).toEqual([]);
    return;
  }
  expect(panels.length, `${context}: exactly one Lever panel`).toBe(1);
  const panel = panels[0]!;
  expect(panel.timezone, `${context}: timezone`).toBe(version.scheduledPanel.timezone);
  expect(panel.note, `${context}: title`).toBe(version.scheduledPanel.title);

  const actual = panel.interviews
    .map((interview) => ({
      subject: interview.subject,
      date: interview.date,
      duration: interview.duration,
      location: interview.location ?? "",
      interviewers: interview.interviewers.map((i) => i.id),
    }))
    .sort((a, b) => a.subject.localeCompare(b.subject));
  const expected = version.scheduledPanel.scheduledEvents
    .map((event) => ({
      subject: event.title,
      date: Date.parse(event.startTime),
      duration: Math.round((Date.parse(event.endTime) - Date.parse(event.startTime)) / 60_000),
      location: event.location,
      interviewers: event.interviewers.map((i) => USER_ID_BY_EMAIL.get(i.email)!),
    }))
    .sort((a, b) => a.subject.localeCompare(b.subject));
  expect(actual, `${context}: interviews`).toEqual(expected);
}

export async function successfulWrites(apiKey: string): Promise<number> {
  const calls = await sandboxJson<SandboxCalls>(apiKey, "GET", "/_sandbox/calls");
  return calls.writes;
}

const BASE_START = Date.parse("2027-01-11T15:00:00Z");

/** A panel version with one or two interviews; `shift` moves them and `cancel` cancels the panel. */
/** Returns the GoodTime event type for a panel version. */
export function eventType(version: number, cancel: boolean): PanelVersion["type"] {
  if (cancel) return "scheduled_panel.canceled";
  return version === 1 ? "scheduled_panel.created" : "scheduled_panel.updated";
}

export function panelVersion(externalPanelId: string, version: number, options: { shift?: number; cancel?: boolean; second?: boolean } = {}): PanelVersion {
  const start = BASE_START + (options.shift ?? 0) * 15 * 60_000;
  const events = [
    {
      externalEventId: `${externalPanelId}-a`,
      title: "Architecture",
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + 45 * 60_000).toISOString(),
      location: "Room 1",
      interviewers: [{ email: "dev@acme.example", name: "Dev" }],
    },
  ];
  if (options.second) {
    events.push({
      externalEventId: `${externalPanelId}-b`,
      title: "Debrief",
      startTime: new Date(start + 60 * 60_000).toISOString(),
      endTime: new Date(start + 90 * 60_000).toISOString(),
      location: "Room 2",
      interviewers: [{ email: "emi@acme.example", name: "Emi" }],
    });
  }
  return {
    id: `evt-${externalPanelId}-v${version}`,
    type: eventType(version, options.cancel ?? false),
    occurredAt: new Date(BASE_START - 86_400_000 + version * 1000).toISOString(),
    onBehalfOf: "ben@acme.example",
    scheduledPanel: {
      externalPanelId,
      version,
      status: options.cancel ? "canceled" : "confirmed",
      candidateId: SCREEN_OPPORTUNITY_ID,
      title: `Loop ${externalPanelId}`,
      timezone: "Europe/Berlin",
      scheduledEvents: events,
    },
  };
}

export async function addUsersForShortEmails(apiKey: string): Promise<void> {
  // The generated panels name interviewers by short emails; the sandbox needs matching users.
  await sandboxJson(apiKey, "PATCH", "/_sandbox/users/717f7bbb-7eb1-5488-8b84-62eb5ea39b00", { email: "dev@acme.example" });
  await sandboxJson(apiKey, "PATCH", "/_sandbox/users/83b3387d-fb51-5af5-b5e8-b1ba4456d899", { email: "emi@acme.example" });
  await sandboxJson(apiKey, "PATCH", "/_sandbox/users/e1412f14-5a8a-5751-89b6-0c723c277860", { email: "ben@acme.example" });
}

export async function addFaults(apiKey: string, rules: Record<string, unknown>[]): Promise<void> {
  for (const rule of rules) await sandboxJson(apiKey, "POST", "/_sandbox/faults", rule);
}

export async function clearFaults(apiKey: string): Promise<void> {
  const response = await sandboxRequest(apiKey, "DELETE", "/_sandbox/faults");
  await response.body?.cancel();
}

export async function settleAll(tenant: TestTenant, finals: PanelVersion[], timeoutMs: number): Promise<void> {
  await Promise.all(
    finals.map((version) => waitForSettled(tenant.integrationKey, version.scheduledPanel.externalPanelId, version.scheduledPanel.version, timeoutMs)),
  );
}

