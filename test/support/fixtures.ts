// The shared fixture week of GoodTime events, and copies with fresh ids so
// each test owns its panels.

import onsiteCreated from "../../fixtures/goodtime/01-onsite-created.json";
import onsiteRescheduled from "../../fixtures/goodtime/02-onsite-coding-rescheduled.json";
import onsiteSwapped from "../../fixtures/goodtime/03-onsite-interviewer-swapped.json";
import onsiteAdded from "../../fixtures/goodtime/04-onsite-event-added.json";
import onsiteRetry from "../../fixtures/goodtime/05-onsite-retry-of-02.json";
import onsiteCanceled from "../../fixtures/goodtime/06-onsite-canceled.json";
import screenUnknown from "../../fixtures/goodtime/07-screen-unknown-interviewer.json";
import screenFixed from "../../fixtures/goodtime/08-screen-interviewer-fixed.json";

export type FixtureEvent = typeof onsiteCreated & { scheduledPanel: { applicationId?: string } };

export const FIXTURE_WEEK = [
  onsiteCreated,
  onsiteRescheduled,
  onsiteSwapped,
  onsiteAdded,
  onsiteRetry,
  onsiteCanceled,
  screenUnknown,
  screenFixed,
] as FixtureEvent[];

export const ONSITE_PANEL_ID = onsiteCreated.scheduledPanel.externalPanelId;
export const SCREEN_PANEL_ID = screenUnknown.scheduledPanel.externalPanelId;
export const ONSITE_OPPORTUNITY_ID = onsiteCreated.scheduledPanel.candidateId;
export const SCREEN_OPPORTUNITY_ID = screenUnknown.scheduledPanel.candidateId;

export const LEVER_USERS = {
  ada: "60e740c0-dd21-5207-898c-10fe492f86bc",
  ben: "e1412f14-5a8a-5751-89b6-0c723c277860",
  chloe: "f2879a0d-4a3e-54a8-bf84-0140c4a68bb7",
  dev: "717f7bbb-7eb1-5488-8b84-62eb5ea39b00",
  emi: "83b3387d-fb51-5af5-b5e8-b1ba4456d899",
  farah: "8f6fcb3c-b93b-58b4-b0ac-44939f1f4a2c",
  gus: "6eca95f7-cacf-5acd-9a57-47d0166d4221",
} as const;

export const FEEDBACK_TEMPLATES = {
  systemDesign: "9a33a894-2cec-5edd-8f82-ccf98001abf2",
  coding: "168a3475-df39-57d5-92d6-4ff80226c860",
  values: "fb72f2fc-b34c-59c2-abc4-965452ad4edb",
  phoneScreen: "2f70ec2a-7595-512b-8551-b63736c1eb30",
} as const;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A fixture event moved onto its own panel and event ids, so a test can send
 * it without meeting another test's state. `suffix` keeps the ids valid.
 */
export function withFreshIds(event: FixtureEvent, suffix: string): FixtureEvent {
  const copy = clone(event);
  copy.id = `${copy.id}-${suffix}`;
  copy.scheduledPanel.externalPanelId = `${copy.scheduledPanel.externalPanelId}-${suffix}`;
  return copy;
}
