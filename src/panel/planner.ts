// Decides which Lever calls turn what Lever has into what GoodTime wants.
// Pure: the panel object executes the first step, records the result and plans
// again, so a plan never runs on stale knowledge.

import type { LeverInterviewBody, LeverPanelFields } from "../lever/schemas";
import type { DesiredLeverPanel } from "./desired";

/** The service's last view of one scheduled panel in Lever: what it read or wrote there. */
export interface KnownLeverPanel {
  panelId: string;
  opportunityId: string;
  fields: LeverPanelFields;
  /** Keyed by GoodTime externalEventId. */
  interviews: Record<string, { interviewId: string; body: LeverInterviewBody }>;
}

export type LeverStep =
  | { kind: "create_panel" }
  | { kind: "delete_panel"; panelId: string; opportunityId: string }
  | { kind: "add_interview"; externalEventId: string }
  | { kind: "update_interview"; externalEventId: string; interviewId: string }
  | { kind: "delete_interview"; externalEventId: string; interviewId: string };

/**
 * Plans the Lever calls, in order. Adds come before updates and deletes come
 * last, so the panel never becomes empty on the way (Lever deletes a panel when
 * its last interview goes). A change of opportunity or of a panel-level field
 * deletes the panel and creates it again, because interviews cannot be moved.
 */
export function planLeverCalls(desired: DesiredLeverPanel | null, known: KnownLeverPanel | null): LeverStep[] {
  if (!desired) {
    return known ? [{ kind: "delete_panel", panelId: known.panelId, opportunityId: known.opportunityId }] : [];
  }
  if (desired.interviews.length === 0) {
    return known ? [{ kind: "delete_panel", panelId: known.panelId, opportunityId: known.opportunityId }] : [];
  }
  if (!known) return [{ kind: "create_panel" }];

  if (known.opportunityId !== desired.opportunityId || !sameJson(known.fields, desired.fields)) {
    return [{ kind: "delete_panel", panelId: known.panelId, opportunityId: known.opportunityId }, { kind: "create_panel" }];
  }

  const steps: LeverStep[] = [];
  const wanted = new Set(desired.interviews.map((interview) => interview.externalEventId));

  for (const interview of desired.interviews) {
    if (!ownEntry(known.interviews, interview.externalEventId)) {
      steps.push({ kind: "add_interview", externalEventId: interview.externalEventId });
    }
  }
  for (const interview of desired.interviews) {
    const current = ownEntry(known.interviews, interview.externalEventId);
    if (current && !sameJson(current.body, interview.body)) {
      steps.push({ kind: "update_interview", externalEventId: interview.externalEventId, interviewId: current.interviewId });
    }
  }
  for (const [externalEventId, current] of Object.entries(known.interviews)) {
    if (!wanted.has(externalEventId)) {
      steps.push({ kind: "delete_interview", externalEventId, interviewId: current.interviewId });
    }
  }
  return steps;
}

/**
 * Reads an own property only. Event ids such as "constructor" or "toString"
 * are valid GoodTime ids and must not find Object.prototype's members.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Compares two JSON values regardless of object key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([x], [y]) => compareKeys(x, y)),
      );
    }
    return inner;
  });
}

function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
