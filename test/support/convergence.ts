// Checks used by the failure tests: what Lever must show for a GoodTime panel
// version, compared field by field with the sandbox's panels.

import { expect } from "vitest";
import { LEVER_USERS } from "./fixtures";
import { SERVICE_ORIGIN, leverPanels, sandboxJson, type LeverPanelBody, type SandboxCalls } from "./service";

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
