import type { Hono } from "hono";
import { z } from "zod";
import { allocateSeq, type Account } from "../accounts";
import { ApiError } from "../errors";
import type { SandboxEnv } from "../hono-env";
import { interviewInput, panelInput, type InterviewInput } from "../panel-input";
import {
  cancelPanel,
  createPanel,
  deleteInterview,
  deletePanel,
  replaceInterview,
  requireInterview,
  requireOpportunity,
  requirePanel,
} from "../panel-store";
import { readInput, waitUntilOf } from "../request";
import { newFeedbackTemplateInput, newOpportunityInput, opportunityPatchInput, newUserInput, userPatchInput } from "../schemas";
import type { FeedbackTemplate, Interview, Opportunity, User } from "../types";

// Changes that happen in Lever's UI or admin settings, not through its API.

const mergeInput = z.object({ into: z.string().min(1) }).strict();
const uiPanelInput = panelInput.extend({ user: z.string().optional() }).strict();
const uiInterviewPatch = interviewInput.partial().strict();

function requireUniqueEmail(account: Account, email: string, exceptUserId?: string): void {
  for (const { value: user } of account.users.values()) {
    if (user.email === email && user.id !== exceptUserId) throw new ApiError(409, `A user with email ${email} already exists`);
  }
}

function toInterviewInput(interview: Interview): InterviewInput {
  return {
    subject: interview.subject,
    note: interview.note,
    interviewers: interview.interviewers.map(({ id, feedbackTemplate }) => ({ id, feedbackTemplate })),
    date: interview.date,
    duration: interview.duration,
    location: interview.location,
    feedbackTemplate: interview.feedbackTemplate,
    feedbackReminder: interview.feedbackReminder,
  };
}

function registerDirectoryChanges(app: Hono<SandboxEnv>): void {
  app.post("/_sandbox/users", async (c) => {
    const account = c.get("account");
    const input = await readInput(c, newUserInput);
    // Lever stores emails lowercased.
    const email = input.email.toLowerCase();
    requireUniqueEmail(account, email);
    const user: User = {
      id: crypto.randomUUID(),
      name: input.name,
      username: input.username ?? email.split("@")[0] ?? email,
      email,
      accessRole: input.accessRole,
      photo: input.photo ?? null,
      createdAt: Date.now(),
      deactivatedAt: input.deactivatedAt ?? null,
      externalDirectoryId: input.externalDirectoryId ?? null,
      linkedContactIds: input.linkedContactIds ?? null,
      jobTitle: input.jobTitle ?? null,
      managerId: input.managerId ?? null,
    };
    account.users.set(user.id, { seq: allocateSeq(account), value: user });
    return c.json({ data: user }, 201);
  });

  app.patch("/_sandbox/users/:user", async (c) => {
    const account = c.get("account");
    const stored = account.users.get(c.req.param("user"));
    if (!stored) throw new ApiError(404, "User not found");
    const input = await readInput(c, userPatchInput);
    const email = input.email?.toLowerCase();
    if (email !== undefined) requireUniqueEmail(account, email, stored.value.id);
    const { email: _ignored, ...rest } = input;
    Object.assign(stored.value, rest, email === undefined ? {} : { email });
    return c.json({ data: stored.value });
  });

  app.post("/_sandbox/feedback_templates", async (c) => {
    const account = c.get("account");
    const input = await readInput(c, newFeedbackTemplateInput);
    const now = Date.now();
    const template: FeedbackTemplate = {
      id: crypto.randomUUID(),
      text: input.text,
      group: input.group ?? null,
      instructions: input.instructions ?? "",
      createdAt: now,
      updatedAt: now,
      stage: input.stage ?? null,
      fields: input.fields ?? [],
    };
    account.feedbackTemplates.set(template.id, { seq: allocateSeq(account), value: template });
    return c.json({ data: template }, 201);
  });

  app.post("/_sandbox/opportunities", async (c) => {
    const account = c.get("account");
    const input = await readInput(c, newOpportunityInput);
    const now = Date.now();
    const id = crypto.randomUUID();
    const owner = input.owner ?? null;
    const opportunity: Opportunity = {
      id,
      name: input.name,
      headline: input.headline ?? "",
      contact: input.contact ?? crypto.randomUUID(),
      emails: input.emails ?? [],
      phones: [],
      confidentiality: "non-confidential",
      location: "",
      stage: input.stage ?? null,
      stageChanges: [],
      origin: "applied",
      sourcedBy: null,
      owner,
      followers: owner === null ? [] : [owner],
      applications: input.applications ?? [crypto.randomUUID()],
      createdAt: now,
      updatedAt: now,
      lastInteractionAt: now,
      lastAdvancedAt: now,
      snoozedUntil: null,
      archived: input.archived ?? null,
      isAnonymized: false,
      urls: { list: "https://hire.lever.co/candidates", show: `https://hire.lever.co/candidates/${id}` },
      tags: input.tags ?? [],
      sources: input.sources ?? [],
    };
    account.opportunities.set(id, { seq: allocateSeq(account), value: opportunity });
    return c.json({ data: opportunity }, 201);
  });

  app.patch("/_sandbox/opportunities/:opportunity", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    const input = await readInput(c, opportunityPatchInput);
    const now = Date.now();
    if (input.archived !== undefined) {
      opportunity.archived = input.archived === null ? null : { archivedAt: input.archived.archivedAt ?? now, reason: input.archived.reason };
    }
    if (input.stage !== undefined) opportunity.stage = input.stage;
    opportunity.updatedAt = now;
    return c.json({ data: opportunity });
  });

  // Lever merges duplicate candidates: the panels and applications move to the surviving opportunity,
  // and requests to the old id get a 301 from then on.
  app.post("/_sandbox/opportunities/:opportunity/merge", async (c) => {
    const account = c.get("account");
    const source = requireOpportunity(account, c.req.param("opportunity"));
    const input = await readInput(c, mergeInput);
    if (input.into === source.id) throw new ApiError(400, "into: an opportunity cannot be merged into itself");
    const survivor = account.opportunities.get(input.into)?.value;
    if (!survivor) throw new ApiError(404, `into: opportunity ${input.into} not found`);
    for (const stored of account.panels.values()) {
      if (stored.opportunityId === source.id) stored.opportunityId = survivor.id;
    }
    survivor.applications = [...new Set([...survivor.applications, ...source.applications])];
    survivor.updatedAt = Date.now();
    account.opportunities.delete(source.id);
    account.mergedInto.set(source.id, survivor.id);
    return c.json({ data: survivor });
  });
}

function registerSchedulingChanges(app: Hono<SandboxEnv>): void {
  // A recruiter schedules a panel in Lever's UI: no perform_as, and externallyManaged defaults to false.
  app.post("/_sandbox/opportunities/:opportunity/panels", async (c) => {
    const account = c.get("account");
    const opportunity = requireOpportunity(account, c.req.param("opportunity"));
    const input = await readInput(c, uiPanelInput);
    const userId = input.user ?? opportunity.owner;
    if (userId === null || !account.users.has(userId)) {
      throw new ApiError(400, `user: ${userId === null ? "the opportunity has no owner; pass user" : `user ${userId} not found`}`);
    }
    const panel = await createPanel(account, opportunity, input, userId, waitUntilOf(c));
    return c.json({ data: panel }, 201);
  });

  app.post("/_sandbox/opportunities/:opportunity/panels/:panel/cancel", async (c) => {
    const account = c.get("account");
    const stored = requirePanel(account, c.req.param("opportunity"), c.req.param("panel"));
    await cancelPanel(account, stored, waitUntilOf(c));
    return c.json({ data: stored.panel });
  });

  app.delete("/_sandbox/opportunities/:opportunity/panels/:panel", async (c) => {
    const account = c.get("account");
    const stored = requirePanel(account, c.req.param("opportunity"), c.req.param("panel"));
    await deletePanel(account, stored, waitUntilOf(c));
    return c.body(null, 204);
  });

  // A recruiter edits an interview in Lever's UI: only the given fields change, on any panel.
  app.patch("/_sandbox/opportunities/:opportunity/interviews/:interview", async (c) => {
    const account = c.get("account");
    const { stored, interview } = requireInterview(account, c.req.param("opportunity"), c.req.param("interview"));
    const patch = await readInput(c, uiInterviewPatch);
    const updated = await replaceInterview(account, stored, interview, { ...toInterviewInput(interview), ...patch }, waitUntilOf(c));
    return c.json({ data: updated });
  });

  app.delete("/_sandbox/opportunities/:opportunity/interviews/:interview", async (c) => {
    const account = c.get("account");
    const { stored, interview } = requireInterview(account, c.req.param("opportunity"), c.req.param("interview"));
    await deleteInterview(account, stored, interview.id, waitUntilOf(c));
    return c.body(null, 204);
  });
}

export function registerDataRoutes(app: Hono<SandboxEnv>): void {
  registerDirectoryChanges(app);
  registerSchedulingChanges(app);
}
