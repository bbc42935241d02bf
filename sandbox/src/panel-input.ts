import { z } from "zod";
import type { Account } from "./accounts";
import { ApiError } from "./errors";
import { FEEDBACK_REMINDERS, type Interview, type Interviewer, type Opportunity } from "./types";

// Request bodies of Lever's panel and interview writes, and the checks that need account data.
// Unknown fields are dropped, so a client may send back a resource it read.

const optionalText = z.string().nullish();

const interviewerInput = z.object({
  id: z.string().min(1),
  feedbackTemplate: z.string().nullish(),
});

export const interviewInput = z.object({
  subject: optionalText,
  note: optionalText,
  interviewers: z.array(interviewerInput).min(1),
  date: z.number().int().positive(),
  duration: z.number().int().positive(),
  location: optionalText,
  feedbackTemplate: z.string().nullish(),
  feedbackReminder: z.enum(FEEDBACK_REMINDERS).nullish(),
});

export const interviewWithPanelInput = interviewInput.extend({ panel: z.string().min(1) });

export const panelInput = z.object({
  applications: z.array(z.string()).min(1).optional(),
  timezone: z.string().min(1),
  feedbackReminder: z.enum(FEEDBACK_REMINDERS).optional(),
  note: optionalText,
  externalUrl: optionalText,
  externallyManaged: z.boolean().optional(),
  interviews: z.array(interviewInput).min(1),
});

export type InterviewInput = z.infer<typeof interviewInput>;
export type PanelInput = z.infer<typeof panelInput>;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function checkFeedbackTemplate(account: Account, templateId: string | null | undefined, path: string): void {
  if (templateId == null) return;
  if (!account.feedbackTemplates.has(templateId)) {
    throw new ApiError(400, `${path}: feedback template ${templateId} not found`);
  }
}

/** Check the users and feedback templates an interview refers to. `path` prefixes messages, e.g. "interviews[1]". */
export function checkInterviewReferences(account: Account, input: InterviewInput, path: string): void {
  const prefix = path === "" ? "" : `${path}.`;
  checkFeedbackTemplate(account, input.feedbackTemplate, `${prefix}feedbackTemplate`);
  input.interviewers.forEach((interviewer, index) => {
    const at = `${prefix}interviewers[${index}]`;
    const user = account.users.get(interviewer.id)?.value;
    if (!user) throw new ApiError(400, `${at}.id: interviewer ${interviewer.id} is not a user of this account`);
    if (user.deactivatedAt !== null) throw new ApiError(400, `${at}.id: interviewer ${interviewer.id} is deactivated`);
    checkFeedbackTemplate(account, interviewer.feedbackTemplate, `${at}.feedbackTemplate`);
  });
}

export function checkPanelReferences(account: Account, opportunity: Opportunity, input: PanelInput): void {
  if (!isValidTimeZone(input.timezone)) {
    throw new ApiError(400, `timezone: ${JSON.stringify(input.timezone)} is not an IANA time zone name`);
  }
  for (const applicationId of input.applications ?? []) {
    if (!opportunity.applications.includes(applicationId)) {
      throw new ApiError(400, `applications: application ${applicationId} does not belong to opportunity ${opportunity.id}`);
    }
  }
  if (input.externalUrl != null && !isHttpUrl(input.externalUrl)) {
    throw new ApiError(400, `externalUrl: ${JSON.stringify(input.externalUrl)} is not an absolute http(s) URL`);
  }
  input.interviews.forEach((interview, index) => checkInterviewReferences(account, interview, `interviews[${index}]`));
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function toInterviewers(account: Account, input: InterviewInput): Interviewer[] {
  return input.interviewers.map((ref) => {
    const user = account.users.get(ref.id)?.value;
    if (!user) throw new ApiError(400, `interviewer ${ref.id} is not a user of this account`);
    return { id: user.id, email: user.email, name: user.name, feedbackTemplate: ref.feedbackTemplate ?? input.feedbackTemplate ?? null };
  });
}

/** Fields an interview keeps from its panel, its creator and the time it was first created. */
export interface InterviewContext {
  id: string;
  panelId: string;
  timezone: string;
  panelFeedbackReminder: Interview["feedbackReminder"];
  user: string;
  stage: string | null;
  createdAt: number;
  feedbackForms: string[];
  canceledAt: number | null;
}

/**
 * Build an interview from a checked request body. Optional fields left out take their defaults,
 * which is also how a PUT clears them.
 */
export function buildInterview(account: Account, input: InterviewInput, context: InterviewContext): Interview {
  return {
    id: context.id,
    panel: context.panelId,
    subject: input.subject ?? "",
    note: input.note ?? "",
    interviewers: toInterviewers(account, input),
    timezone: context.timezone,
    createdAt: context.createdAt,
    date: input.date,
    duration: input.duration,
    location: input.location ?? null,
    feedbackTemplate: input.feedbackTemplate ?? null,
    feedbackForms: context.feedbackForms,
    feedbackReminder: input.feedbackReminder ?? context.panelFeedbackReminder,
    user: context.user,
    stage: context.stage,
    canceledAt: context.canceledAt,
    postings: [],
    gcalEventUrl: null,
  };
}
