import { z } from "zod";
import { ACCESS_ROLES } from "./types";

// Schemas of stored resources (checked against the fixtures at start-up) and of control API bodies.

const archivedSchema = z.object({ archivedAt: z.number().int(), reason: z.string() });

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  email: z.string(),
  accessRole: z.enum(ACCESS_ROLES),
  photo: z.string().nullable(),
  createdAt: z.number().int(),
  deactivatedAt: z.number().int().nullable(),
  externalDirectoryId: z.string().nullable(),
  linkedContactIds: z.array(z.string()).nullable(),
  jobTitle: z.string().nullable(),
  managerId: z.string().nullable(),
});

export const feedbackTemplateSchema = z.object({
  id: z.string(),
  text: z.string(),
  group: z.object({ id: z.string(), name: z.string() }).nullable(),
  instructions: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  stage: z.string().nullable(),
  fields: z.array(z.unknown()),
});

export const opportunitySchema = z.object({
  id: z.string(),
  name: z.string(),
  headline: z.string(),
  contact: z.string(),
  emails: z.array(z.string()),
  phones: z.array(z.unknown()),
  confidentiality: z.string(),
  location: z.string(),
  stage: z.string().nullable(),
  stageChanges: z.array(z.unknown()),
  origin: z.string(),
  sourcedBy: z.string().nullable(),
  owner: z.string().nullable(),
  followers: z.array(z.string()),
  applications: z.array(z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  lastInteractionAt: z.number().int(),
  lastAdvancedAt: z.number().int(),
  snoozedUntil: z.number().int().nullable(),
  archived: archivedSchema.nullable(),
  isAnonymized: z.boolean(),
  urls: z.object({ list: z.string(), show: z.string() }),
  tags: z.array(z.string()),
  sources: z.array(z.string()),
});

export const newUserInput = z
  .object({
    name: z.string().min(1),
    username: z.string().optional(),
    email: z.string().regex(/^[^@\s]+@[^@\s]+$/, "expected an email address"),
    accessRole: z.enum(ACCESS_ROLES),
    photo: z.string().nullable().optional(),
    deactivatedAt: z.number().int().positive().nullable().optional(),
    externalDirectoryId: z.string().nullable().optional(),
    linkedContactIds: z.array(z.string()).nullable().optional(),
    jobTitle: z.string().nullable().optional(),
    managerId: z.string().nullable().optional(),
  })
  .strict();

export const userPatchInput = newUserInput.partial().strict();

export const newFeedbackTemplateInput = z
  .object({
    text: z.string().min(1),
    group: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
    instructions: z.string().optional(),
    stage: z.string().nullable().optional(),
    fields: z.array(z.unknown()).optional(),
  })
  .strict();

export const newOpportunityInput = z
  .object({
    name: z.string().min(1),
    headline: z.string().optional(),
    contact: z.string().optional(),
    emails: z.array(z.string()).optional(),
    stage: z.string().nullable().optional(),
    owner: z.string().nullable().optional(),
    applications: z.array(z.string()).min(1).optional(),
    archived: archivedSchema.nullable().optional(),
    tags: z.array(z.string()).optional(),
    sources: z.array(z.string()).optional(),
  })
  .strict();

export const opportunityPatchInput = z
  .object({
    archived: z.object({ archivedAt: z.number().int().positive().optional(), reason: z.string().min(1) }).strict().nullable().optional(),
    stage: z.string().nullable().optional(),
  })
  .strict();

/** Render the first zod issue as "path: message", e.g. "interviews[0].date: Too small: expected number to be >0". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid body";
  let path = "";
  for (const key of issue.path) {
    if (typeof key === "number") path += `[${key}]`;
    else if (path === "") path = String(key);
    else path += `.${String(key)}`;
  }
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}
