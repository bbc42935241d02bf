import { allocateSeq, type Account, type StoredPanel } from "./accounts";
import { ApiError } from "./errors";
import {
  buildInterview,
  checkInterviewReferences,
  checkPanelReferences,
  type InterviewInput,
  type PanelInput,
} from "./panel-input";
import type { Interview, InterviewEvent, Opportunity, Panel } from "./types";
import { emitInterviewEvent, type InterviewEventData, type WaitUntil } from "./webhooks";

// Panel and interview writes shared by the Lever API and the control API. Callers check permissions first.

export function requireOpportunity(account: Account, opportunityId: string): Opportunity {
  const stored = account.opportunities.get(opportunityId);
  if (!stored) throw new ApiError(404, "Opportunity not found");
  return stored.value;
}

export function requirePanel(account: Account, opportunityId: string, panelId: string): StoredPanel {
  const stored = account.panels.get(panelId);
  if (!stored || stored.opportunityId !== opportunityId) throw new ApiError(404, "Panel not found");
  return stored;
}

export function requireInterview(
  account: Account,
  opportunityId: string,
  interviewId: string,
): { stored: StoredPanel; interview: Interview } {
  for (const stored of account.panels.values()) {
    if (stored.opportunityId !== opportunityId) continue;
    const interview = stored.panel.interviews.find((candidate) => candidate.id === interviewId);
    if (interview) return { stored, interview };
  }
  throw new ApiError(404, "Interview not found");
}

export function panelsOfOpportunity(account: Account, opportunityId: string): StoredPanel[] {
  return [...account.panels.values()].filter((stored) => stored.opportunityId === opportunityId).sort((a, b) => a.seq - b.seq);
}

async function emit(
  account: Account,
  event: InterviewEvent,
  stored: StoredPanel,
  interview: Interview,
  timestamps: Pick<InterviewEventData, "createdAt" | "updatedAt" | "deletedAt">,
  waitUntil: WaitUntil,
): Promise<void> {
  const data: InterviewEventData = { interviewId: interview.id, panelId: stored.panel.id, opportunityId: stored.opportunityId, ...timestamps };
  await emitInterviewEvent(account.webhook, account.deliveries, event, data, waitUntil);
}

export async function createPanel(
  account: Account,
  opportunity: Opportunity,
  input: PanelInput,
  userId: string,
  waitUntil: WaitUntil,
): Promise<Panel> {
  checkPanelReferences(account, opportunity, input);
  const now = Date.now();
  const panelId = crypto.randomUUID();
  const feedbackReminder = input.feedbackReminder ?? "frequently";
  const interviews = input.interviews.map((interviewInput) =>
    buildInterview(account, interviewInput, {
      id: crypto.randomUUID(),
      panelId,
      timezone: input.timezone,
      panelFeedbackReminder: feedbackReminder,
      user: userId,
      stage: opportunity.stage,
      createdAt: now,
      feedbackForms: [],
      canceledAt: null,
    }),
  );
  const panel: Panel = {
    id: panelId,
    applications: input.applications ?? [...opportunity.applications],
    canceledAt: null,
    createdAt: now,
    timezone: input.timezone,
    feedbackReminder,
    user: userId,
    note: input.note ?? null,
    externalUrl: input.externalUrl ?? null,
    externallyManaged: input.externallyManaged ?? false,
    interviews,
  };
  const stored: StoredPanel = { seq: allocateSeq(account), opportunityId: opportunity.id, panel };
  for (const interview of interviews) account.interviewSeq.set(interview.id, allocateSeq(account));
  account.panels.set(panelId, stored);
  for (const interview of interviews) await emit(account, "interviewCreated", stored, interview, { createdAt: now }, waitUntil);
  return panel;
}

export async function addInterview(
  account: Account,
  stored: StoredPanel,
  input: InterviewInput,
  userId: string,
  waitUntil: WaitUntil,
): Promise<Interview> {
  checkInterviewReferences(account, input, "");
  const now = Date.now();
  const opportunity = requireOpportunity(account, stored.opportunityId);
  const interview = buildInterview(account, input, {
    id: crypto.randomUUID(),
    panelId: stored.panel.id,
    timezone: stored.panel.timezone,
    panelFeedbackReminder: stored.panel.feedbackReminder,
    user: userId,
    stage: opportunity.stage,
    createdAt: now,
    feedbackForms: [],
    canceledAt: stored.panel.canceledAt,
  });
  stored.panel.interviews.push(interview);
  account.interviewSeq.set(interview.id, allocateSeq(account));
  await emit(account, "interviewCreated", stored, interview, { createdAt: now }, waitUntil);
  return interview;
}

/** Replace every writable field of `current` with `input`. The id, creator, creation time and stage stay. */
export async function replaceInterview(
  account: Account,
  stored: StoredPanel,
  current: Interview,
  input: InterviewInput,
  waitUntil: WaitUntil,
): Promise<Interview> {
  checkInterviewReferences(account, input, "");
  const replacement = buildInterview(account, input, {
    id: current.id,
    panelId: stored.panel.id,
    timezone: stored.panel.timezone,
    panelFeedbackReminder: stored.panel.feedbackReminder,
    user: current.user,
    stage: current.stage,
    createdAt: current.createdAt,
    feedbackForms: current.feedbackForms,
    canceledAt: current.canceledAt,
  });
  const index = stored.panel.interviews.findIndex((candidate) => candidate.id === current.id);
  stored.panel.interviews[index] = replacement;
  await emit(account, "interviewUpdated", stored, replacement, { updatedAt: Date.now() }, waitUntil);
  return replacement;
}

/** Delete one interview. Deleting the last interview of a panel deletes the panel too. */
export async function deleteInterview(account: Account, stored: StoredPanel, interviewId: string, waitUntil: WaitUntil): Promise<void> {
  const interview = stored.panel.interviews.find((candidate) => candidate.id === interviewId);
  if (!interview) throw new ApiError(404, "Interview not found");
  stored.panel.interviews = stored.panel.interviews.filter((candidate) => candidate.id !== interviewId);
  account.interviewSeq.delete(interviewId);
  if (stored.panel.interviews.length === 0) account.panels.delete(stored.panel.id);
  await emit(account, "interviewDeleted", stored, interview, { deletedAt: Date.now() }, waitUntil);
}

export async function deletePanel(account: Account, stored: StoredPanel, waitUntil: WaitUntil): Promise<void> {
  account.panels.delete(stored.panel.id);
  const deletedAt = Date.now();
  for (const interview of stored.panel.interviews) {
    account.interviewSeq.delete(interview.id);
    await emit(account, "interviewDeleted", stored, interview, { deletedAt }, waitUntil);
  }
}

/** Mark a panel and its interviews canceled, imitating a cancel in Lever's UI. Canceled panels stay listed. */
export async function cancelPanel(account: Account, stored: StoredPanel, waitUntil: WaitUntil): Promise<void> {
  const canceledAt = Date.now();
  stored.panel.canceledAt = canceledAt;
  for (const interview of stored.panel.interviews) {
    interview.canceledAt = canceledAt;
    await emit(account, "interviewUpdated", stored, interview, { updatedAt: canceledAt }, waitUntil);
  }
}
