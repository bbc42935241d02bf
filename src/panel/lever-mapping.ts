// Conversions between Lever's panel and interview objects and the panel
// object's record of them. Pure, so the adoption rules can be read apart from
// the Durable Object's control flow.

import type { LeverInterview, LeverInterviewBody, LeverPanel, LeverPanelFields } from "../lever/schemas";
import type { DesiredLeverPanel } from "./desired";
import type { KnownLeverPanel } from "./planner";

// Lever returns interviews in the order they were sent, so the created panel's
// interviews pair with the desired ones by position.
export function knownFromCreate(created: LeverPanel, desired: DesiredLeverPanel): KnownLeverPanel {
  const interviews: KnownLeverPanel["interviews"] = {};
  desired.interviews.forEach((interview, index) => {
    const leverInterview = created.interviews[index];
    if (leverInterview) interviews[interview.externalEventId] = { interviewId: leverInterview.id, body: interview.body };
  });
  return { panelId: created.id, opportunityId: desired.opportunityId, fields: desired.fields, interviews };
}

// An adopted panel's interviews are paired by position as well, with the bodies
// Lever reports, so the planner updates whatever differs from the desired state.
export function knownFromLeverPanel(
  panel: LeverPanel,
  opportunityId: string,
  desired: DesiredLeverPanel | null,
): KnownLeverPanel {
  const interviews: KnownLeverPanel["interviews"] = {};
  const desiredInterviews = desired?.interviews ?? [];
  panel.interviews.forEach((interview, index) => {
    const key = desiredInterviews[index]?.externalEventId ?? `adopted-${interview.id}`;
    interviews[key] = { interviewId: interview.id, body: bodyFromLeverInterview(interview) };
  });
  return {
    panelId: panel.id,
    opportunityId,
    fields: fieldsFromLeverPanel(panel, desired),
    interviews,
  };
}

// Panel-level fields as Lever reports them, so that an adopted panel left by an
// older version (another time zone, say) is recreated rather than assumed
// current. Lever fills `applications` itself when a create names none, so
// they are compared only when the desired panel names some.
function fieldsFromLeverPanel(panel: LeverPanel, desired: DesiredLeverPanel | null): LeverPanelFields {
  const fields: LeverPanelFields = {
    timezone: panel.timezone ?? "",
    note: panel.note ?? "",
    externalUrl: panel.externalUrl ?? "",
    externallyManaged: true,
  };
  if (desired?.fields.applications) fields.applications = panel.applications ?? [];
  return fields;
}

/** Reads the fields the service writes back from a Lever interview, in the shape the service writes them. */
export function bodyFromLeverInterview(interview: LeverInterview): LeverInterviewBody {
  const body: LeverInterviewBody = {
    subject: interview.subject ?? "",
    note: interview.note ?? "",
    date: interview.date,
    duration: interview.duration,
    location: interview.location ?? "",
    interviewers: interview.interviewers.map((interviewer) =>
      interviewer.feedbackTemplate ? { id: interviewer.id, feedbackTemplate: interviewer.feedbackTemplate } : { id: interviewer.id },
    ),
  };
  if (interview.feedbackTemplate) body.feedbackTemplate = interview.feedbackTemplate;
  return body;
}
