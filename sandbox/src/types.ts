// Lever API v1 resource shapes, as the sandbox stores and returns them.

export const ACCESS_ROLES = ["super admin", "admin", "team member", "limited team member", "interviewer"] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

export const FEEDBACK_REMINDERS = ["once", "daily", "frequently", "none"] as const;
export type FeedbackReminder = (typeof FEEDBACK_REMINDERS)[number];

export const INTERVIEW_EVENTS = ["interviewCreated", "interviewUpdated", "interviewDeleted"] as const;
export type InterviewEvent = (typeof INTERVIEW_EVENTS)[number];

export interface User {
  id: string;
  name: string;
  username: string;
  email: string;
  accessRole: AccessRole;
  photo: string | null;
  createdAt: number;
  deactivatedAt: number | null;
  externalDirectoryId: string | null;
  linkedContactIds: string[] | null;
  jobTitle: string | null;
  managerId: string | null;
}

export interface FeedbackTemplate {
  id: string;
  text: string;
  group: { id: string; name: string } | null;
  instructions: string;
  createdAt: number;
  updatedAt: number;
  stage: string | null;
  fields: unknown[];
}

export interface ArchivedState {
  archivedAt: number;
  reason: string;
}

export interface Opportunity {
  id: string;
  name: string;
  headline: string;
  contact: string;
  emails: string[];
  phones: unknown[];
  confidentiality: string;
  location: string;
  stage: string | null;
  stageChanges: unknown[];
  origin: string;
  sourcedBy: string | null;
  owner: string | null;
  followers: string[];
  applications: string[];
  createdAt: number;
  updatedAt: number;
  lastInteractionAt: number;
  lastAdvancedAt: number;
  snoozedUntil: number | null;
  archived: ArchivedState | null;
  isAnonymized: boolean;
  urls: { list: string; show: string };
  tags: string[];
  sources: string[];
}

export interface Interviewer {
  id: string;
  email: string;
  name: string;
  feedbackTemplate: string | null;
}

export interface Interview {
  id: string;
  panel: string;
  subject: string;
  note: string;
  interviewers: Interviewer[];
  timezone: string;
  createdAt: number;
  /** Start time, epoch milliseconds. */
  date: number;
  /** Length in minutes. */
  duration: number;
  location: string | null;
  feedbackTemplate: string | null;
  feedbackForms: string[];
  feedbackReminder: FeedbackReminder;
  user: string;
  stage: string | null;
  canceledAt: number | null;
  postings: string[];
  gcalEventUrl: string | null;
}

export interface Panel {
  id: string;
  applications: string[];
  canceledAt: number | null;
  createdAt: number;
  timezone: string;
  feedbackReminder: FeedbackReminder;
  user: string;
  note: string | null;
  externalUrl: string | null;
  externallyManaged: boolean;
  interviews: Interview[];
}

/** Bindings from sandbox/wrangler.jsonc. The vitest auxiliary worker gets none, hence optional. */
export interface SandboxBindings {
  SANDBOX_API_KEY?: string;
}
