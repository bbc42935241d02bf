// Builds the Lever panel that a GoodTime scheduled panel should become. Pure:
// interviewer emails arrive already resolved to Lever user ids.

import { durationMinutes, normalizeEmail, type GoodTimeScheduledPanel } from "../goodtime/schemas";
import type { LeverInterviewBody, LeverPanelFields } from "../lever/schemas";

export interface DesiredInterview {
  externalEventId: string;
  body: LeverInterviewBody;
}

export interface DesiredLeverPanel {
  opportunityId: string;
  fields: LeverPanelFields;
  interviews: DesiredInterview[];
}

export function buildDesiredPanel(
  panel: GoodTimeScheduledPanel,
  externalUrl: string,
  leverUserIdByEmail: ReadonlyMap<string, string>,
  skipEventIds: ReadonlySet<string> = new Set(),
): DesiredLeverPanel {
  const interviews = panel.scheduledEvents
    .filter((event) => !skipEventIds.has(event.externalEventId))
    .map((event): DesiredInterview => {
      const feedbackTemplate = event.interviewStepId;
      const body: LeverInterviewBody = {
        subject: event.title,
        note: "",
        date: Date.parse(event.startTime),
        duration: durationMinutes(event.startTime, event.endTime),
        location: event.location ?? "",
        interviewers: event.interviewers.map((interviewer) => {
          const id = leverUserIdByEmail.get(normalizeEmail(interviewer.email));
          if (!id) throw new Error("interviewer email was not resolved before building the panel");
          return feedbackTemplate ? { id, feedbackTemplate } : { id };
        }),
      };
      if (feedbackTemplate) body.feedbackTemplate = feedbackTemplate;
      return { externalEventId: event.externalEventId, body };
    });

  const fields: LeverPanelFields = {
    timezone: panel.timezone,
    note: panel.title,
    externalUrl,
    externallyManaged: true,
  };
  if (panel.applicationId) fields.applications = [panel.applicationId];

  return { opportunityId: panel.candidateId, fields, interviews };
}
