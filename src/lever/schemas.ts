// Zod schemas for the parts of Lever's API responses that the service reads.
// Objects are loose: Lever adds fields over time and the service must not break on them.

import { z } from "zod";

export const LEVER_ACCESS_ROLES = ["super admin", "admin", "team member", "limited team member", "interviewer"] as const;

export const LeverErrorBodySchema = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
});

export const LeverUserSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullable().optional(),
  email: z.string(),
  accessRole: z.string(),
  deactivatedAt: z.number().nullable().optional(),
});

export const LeverFeedbackTemplateSchema = z.looseObject({
  id: z.string(),
  text: z.string(),
  group: z
    .looseObject({ id: z.string().optional(), name: z.string().optional() })
    .nullable()
    .optional(),
});

export const LeverInterviewerSchema = z.looseObject({
  id: z.string(),
  email: z.string().optional(),
  name: z.string().nullable().optional(),
  feedbackTemplate: z.string().nullable().optional(),
});

export const LeverInterviewSchema = z.looseObject({
  id: z.string(),
  panel: z.string().nullable().optional(),
  subject: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  interviewers: z.array(LeverInterviewerSchema).default([]),
  timezone: z.string().nullable().optional(),
  date: z.number(),
  duration: z.number(),
  location: z.string().nullable().optional(),
  feedbackTemplate: z.string().nullable().optional(),
  canceledAt: z.number().nullable().optional(),
});

export const LeverPanelSchema = z.looseObject({
  id: z.string(),
  applications: z.array(z.string()).nullable().optional(),
  canceledAt: z.number().nullable().optional(),
  timezone: z.string().nullable().optional(),
  note: z.string().nullable().optional(),
  externalUrl: z.string().nullable().optional(),
  externallyManaged: z.boolean().optional(),
  interviews: z.array(LeverInterviewSchema).default([]),
});

export const LeverOpportunitySchema = z.looseObject({
  id: z.string(),
  applications: z.array(z.string()).default([]),
  archived: z
    .looseObject({ archivedAt: z.number().nullable().optional(), reason: z.string().nullable().optional() })
    .nullable()
    .optional(),
});

export function leverListPageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    data: z.array(item),
    hasNext: z.boolean().optional(),
    next: z.string().nullable().optional(),
  });
}

export function leverDataSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: item });
}

export type LeverUser = z.infer<typeof LeverUserSchema>;
export type LeverFeedbackTemplate = z.infer<typeof LeverFeedbackTemplateSchema>;
export type LeverInterview = z.infer<typeof LeverInterviewSchema>;
export type LeverPanel = z.infer<typeof LeverPanelSchema>;
export type LeverOpportunity = z.infer<typeof LeverOpportunitySchema>;

/** Interview fields the service writes, in Lever's create and update body shape. */
export interface LeverInterviewBody {
  subject: string;
  note: string;
  date: number;
  duration: number;
  location: string;
  feedbackTemplate?: string;
  interviewers: { id: string; feedbackTemplate?: string }[];
}

/** Panel-level fields the service writes on create. */
export interface LeverPanelFields {
  timezone: string;
  note: string;
  externalUrl: string;
  externallyManaged: true;
  applications?: string[];
}
