// The state a ScheduledPanel object stores about its panel, and the sync
// record that GoodTime reads back.

import type { GoodTimeEvent } from "../goodtime/schemas";
import { ownEntry, type KnownLeverPanel } from "./planner";

export type SyncState = "pending" | "synced" | "retrying" | "needs_attention" | "canceled" | "removed_in_lever";

/** Stable reason codes; the README lists what each means and what heals it. */
export type ReasonCode =
  | "interviewer_not_in_lever"
  | "interviewer_deactivated"
  | "feedback_form_not_found"
  | "opportunity_not_found"
  | "no_perform_as_user"
  | "lever_rejected"
  | "lever_auth_failed"
  | "lever_unavailable"
  | "integration_disabled"
  | "tenant_not_found";

export interface ReasonDetail {
  /** Interviewer emails behind interviewer_not_in_lever or interviewer_deactivated. */
  emails?: string[];
  /** Feedback template ids behind feedback_form_not_found. */
  feedbackTemplateIds?: string[];
  leverStatus?: number;
  leverCode?: string;
  leverMessage?: string;
}

export interface DesiredEvent {
  eventId: string;
  type: GoodTimeEvent["type"];
  occurredAt: string;
  onBehalfOf: string | undefined;
  version: number;
  panel: GoodTimeEvent["scheduledPanel"];
}

export interface PanelRecord {
  tenantId: string;
  externalPanelId: string;
  desired: DesiredEvent;
  appliedVersion: number | null;
  /** The object's last view of the Lever panel, as written or read; null when no Lever panel exists. */
  lever: KnownLeverPanel | null;
  state: SyncState;
  reason: ReasonCode | null;
  reasonDetail: ReasonDetail | null;
  /** Version whose sync failed permanently; it is not retried until a newer version or a recheck. */
  failedVersion: number | null;
  retry: { attempt: number; firstFailureAt: number; dueAt: number } | null;
  /** Set before a panel create; while set and no panel is known, the create's outcome is unknown. */
  createIntent: { opportunityId: string; startedAt: number } | null;
  /** Set before an interview is added; while set, that add's outcome is unknown. */
  addIntent: { externalEventId: string; panelId: string; subject: string; date: number; duration: number } | null;
  /** The Lever write in flight, so that Lever's webhook echo of our own delete is not taken for a user's. */
  inFlight: { kind: string; panelId: string | null; interviewId: string | null } | null;
  /** The whole panel was canceled by a Lever user while GoodTime was at `version`. */
  removedInLever: { version: number; at: number } | null;
  /** Interviews canceled by a Lever user: externalEventId → GoodTime version at that time. */
  removedEvents: Record<string, number>;
  /** Lever user id per interviewer email (normalized), from the last resolution. */
  leverUserIds: Record<string, string>;
  /** Lever opportunity state seen on the last read. */
  opportunityArchived: boolean;
  /** The opportunity GoodTime named, as Lever resolved it at `checkedAt` (a merge changes the id). */
  opportunity: { requestedId: string; id: string; checkedAt: number } | null;
  /** Version for which a Lever 400 already caused a fresh lookup of the interviewers. */
  userRecheckVersion: number | null;
  /** When the oldest version not yet in Lever arrived; bounds how long updates are coalesced. */
  pendingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SyncRecordInterviewer {
  email: string;
  leverUserId: string | null;
  /** Lever feedback link for the calendar invite (GoodTime calls it scorecardUrl). */
  scorecardUrl: string | null;
}

export interface SyncRecordEvent {
  externalEventId: string;
  leverInterviewId: string | null;
  removedInLever: boolean;
  scorecardUrl: string | null;
  interviewers: SyncRecordInterviewer[];
}

export interface SyncRecord {
  externalPanelId: string;
  state: SyncState;
  reason: ReasonCode | null;
  reasonDetail: ReasonDetail | null;
  version: number;
  appliedVersion: number | null;
  opportunityId: string;
  opportunityArchived: boolean;
  leverPanelId: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
  scheduledEvents: SyncRecordEvent[];
}

export function feedbackLink(leverAppOrigin: string, interviewId: string): string {
  return `${leverAppOrigin.replace(/\/+$/, "")}/interviews/${interviewId}`;
}

/** Builds the view GoodTime reads: ids per event and the feedback link per interviewer. */
export function toSyncRecord(
  record: PanelRecord,
  leverAppOrigin: string,
  leverUserIdByEmail: ReadonlyMap<string, string>,
): SyncRecord {
  const events = record.desired.panel.scheduledEvents.map((event): SyncRecordEvent => {
    const known = record.lever ? ownEntry(record.lever.interviews, event.externalEventId) : undefined;
    const link = known ? feedbackLink(leverAppOrigin, known.interviewId) : null;
    return {
      externalEventId: event.externalEventId,
      leverInterviewId: known?.interviewId ?? null,
      removedInLever: (ownEntry(record.removedEvents, event.externalEventId) ?? -1) >= record.desired.version,
      scorecardUrl: link,
      interviewers: event.interviewers.map((interviewer) => ({
        email: interviewer.email,
        leverUserId: leverUserIdByEmail.get(interviewer.email.trim().toLowerCase()) ?? null,
        scorecardUrl: link,
      })),
    };
  });

  return {
    externalPanelId: record.externalPanelId,
    state: record.state,
    reason: record.reason,
    reasonDetail: record.reasonDetail,
    version: record.desired.version,
    appliedVersion: record.appliedVersion,
    opportunityId: record.lever?.opportunityId ?? record.opportunity?.id ?? record.desired.panel.candidateId,
    opportunityArchived: record.opportunityArchived,
    leverPanelId: record.lever?.panelId ?? null,
    nextAttemptAt: record.retry ? new Date(record.retry.dueAt).toISOString() : null,
    updatedAt: new Date(record.updatedAt).toISOString(),
    scheduledEvents: events,
  };
}
