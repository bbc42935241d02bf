// GoodTime events for the benchmark: the fixture week as stored, and new
// panels built from two fixture panels so that every interviewer, feedback
// form and opportunity exists in a freshly seeded sandbox account.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/local-workers.ts";

const FIXTURE_DIR = join(ROOT, "fixtures", "goodtime");

export interface GoodTimeScheduledEvent {
  externalEventId: string;
  title: string;
  startTime: string;
  endTime: string;
  location?: string;
  interviewStepId?: string;
  interviewers: { email: string; name?: string; responseStatus?: string }[];
}

export interface GoodTimeEvent {
  id: string;
  type: string;
  occurredAt: string;
  onBehalfOf?: string;
  scheduledPanel: {
    externalPanelId: string;
    version: number;
    status: string;
    candidateId: string;
    applicationId?: string;
    title: string;
    timezone: string;
    externalUrl?: string;
    scheduledEvents: GoodTimeScheduledEvent[];
  };
}

export interface FixtureFile {
  file: string;
  event: GoodTimeEvent;
}

/** The fixture week (fixtures/goodtime/*.json) in file-name order. */
export function loadFixtureWeek(): FixtureFile[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((file) => ({ file, event: JSON.parse(readFileSync(join(FIXTURE_DIR, file), "utf8")) as GoodTimeEvent }));
}

/** Panel templates: "onsite" has three events and four interviewers, "screen" one event and one interviewer. */
export type PanelTemplate = "onsite" | "screen";

const TEMPLATE_FILES: Record<PanelTemplate, string> = {
  onsite: "01-onsite-created.json",
  screen: "08-screen-interviewer-fixed.json",
};

/**
 * Builds version `version` of a new scheduled panel from a fixture panel. The
 * panel and event ids are derived from `externalPanelId`, so they are distinct
 * per panel. `shiftMinutes` moves the start and end of the template's last
 * event, which makes each version a real change for Lever.
 */
export function buildPanelEvent(
  template: PanelTemplate,
  externalPanelId: string,
  version: number,
  options: { shiftMinutes?: number } = {},
): GoodTimeEvent {
  const base = JSON.parse(readFileSync(join(FIXTURE_DIR, TEMPLATE_FILES[template]), "utf8")) as GoodTimeEvent;
  const panel = base.scheduledPanel;
  const events = panel.scheduledEvents.map((event, index) => ({ ...event, externalEventId: `${externalPanelId}-e${index + 1}` }));

  const shiftMs = (options.shiftMinutes ?? 0) * 60_000;
  const last = events[events.length - 1]!;
  last.startTime = new Date(Date.parse(last.startTime) + shiftMs).toISOString();
  last.endTime = new Date(Date.parse(last.endTime) + shiftMs).toISOString();

  return {
    ...base,
    id: `evt_${externalPanelId}_v${version}`,
    type: version === 1 ? "scheduled_panel.created" : "scheduled_panel.updated",
    scheduledPanel: {
      ...panel,
      externalPanelId,
      version,
      externalUrl: `https://app.goodtime.example/dashboard/interview/${externalPanelId}`,
      scheduledEvents: events,
    },
  };
}
