// Zod schemas for what GoodTime sends: an event envelope around a scheduled
// panel in the vocabulary of GoodTime's ATS Adapter API.

import { z } from "zod";

export const MAX_EVENTS_PER_PANEL = 50;
export const MAX_INTERVIEWERS_PER_EVENT = 50;
/** Distinct interviewers per panel; each costs one Lever user lookup when not cached. */
export const MAX_INTERVIEWERS_PER_PANEL = 100;
const MAX_INTERVIEW_MS = 24 * 60 * 60_000;
/** C0 control characters other than tab, line feed and carriage return, and DEL. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Ids that end up in URLs and Durable Object names: letters, digits, `-` and `_`. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** Lever ids are UUIDs; anything outside this pattern cannot be one. */
export const LEVER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

const externalId = z.string().regex(EXTERNAL_ID_PATTERN, "must be 1-128 letters, digits, '-' or '_'");
const leverId = z.string().regex(LEVER_ID_PATTERN, "must be a Lever id (letters, digits and '-')");
const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 instant with an offset or Z" })
  // A value that is not an instant at all is already reported by the format check.
  .refine((value) => Number.isNaN(Date.parse(value)) || Date.parse(value) >= 0, "must not be before 1970-01-01T00:00:00Z");

/** Text shown in Lever: any well-formed Unicode, but no lone surrogates and no control characters. */
function text(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .refine((value) => value.isWellFormed(), "must be well-formed Unicode (no lone surrogates)")
    .refine((value) => !CONTROL_CHARACTERS.test(value), "must not contain control characters");
}

// Intl accepts offsets such as "+05:00" and any letter case; Lever needs the
// canonical IANA name, so the name is checked and then normalized.
const timezone = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => !/^[+-]/.test(name) && canonicalTimeZone(name) !== null, "must be an IANA time zone name such as America/New_York")
  .transform((name) => canonicalTimeZone(name)!);

export const GoodTimeInterviewerSchema = z.object({
  email: z.email("must be an email address").max(320),
  name: text(200).optional(),
  responseStatus: z.enum(["needs_action", "accepted", "declined", "tentative"]).optional(),
});

export const GoodTimeScheduledEventSchema = z
  .object({
    externalEventId: externalId,
    title: text(500).min(1),
    startTime: instant,
    endTime: instant,
    location: text(2000).optional(),
    interviewStepId: leverId.optional(),
    interviewers: z.array(GoodTimeInterviewerSchema).min(1).max(MAX_INTERVIEWERS_PER_EVENT),
  })
  .superRefine((event, ctx) => {
    const lengthMs = Date.parse(event.endTime) - Date.parse(event.startTime);
    if (lengthMs <= 0) {
      ctx.addIssue({ code: "custom", path: ["endTime"], message: "must be after startTime" });
    } else if (durationMinutes(event.startTime, event.endTime) < 1) {
      ctx.addIssue({ code: "custom", path: ["endTime"], message: "must be at least one minute after startTime" });
    } else if (lengthMs > MAX_INTERVIEW_MS) {
      ctx.addIssue({ code: "custom", path: ["endTime"], message: "must be at most 24 hours after startTime" });
    }

    const seen = new Set<string>();
    event.interviewers.forEach((interviewer, index) => {
      const email = normalizeEmail(interviewer.email);
      if (seen.has(email)) {
        ctx.addIssue({ code: "custom", path: ["interviewers", index, "email"], message: "is listed twice" });
      }
      seen.add(email);
    });
  });

export const GoodTimeScheduledPanelSchema = z
  .object({
    externalPanelId: externalId,
    version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    status: z.string().min(1).max(64),
    candidateId: leverId,
    applicationId: leverId.optional(),
    title: text(500).min(1),
    timezone,
    externalUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    scheduledEvents: z.array(GoodTimeScheduledEventSchema).max(MAX_EVENTS_PER_PANEL),
  })
  .superRefine((panel, ctx) => {
    const interviewers = new Set(panel.scheduledEvents.flatMap((event) => event.interviewers.map((i) => normalizeEmail(i.email))));
    if (interviewers.size > MAX_INTERVIEWERS_PER_PANEL) {
      ctx.addIssue({
        code: "custom",
        path: ["scheduledEvents"],
        message: `must name at most ${MAX_INTERVIEWERS_PER_PANEL} distinct interviewers; got ${interviewers.size}`,
      });
    }

    const seen = new Set<string>();
    panel.scheduledEvents.forEach((event, index) => {
      if (seen.has(event.externalEventId)) {
        ctx.addIssue({
          code: "custom",
          path: ["scheduledEvents", index, "externalEventId"],
          message: "is listed twice",
        });
      }
      seen.add(event.externalEventId);
    });
  });

export const GoodTimeEventTypeSchema = z.enum([
  "scheduled_panel.created",
  "scheduled_panel.updated",
  "scheduled_panel.canceled",
]);

export const GoodTimeEventSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "must be 1-128 letters, digits, '_', '.', ':' or '-'"),
    type: GoodTimeEventTypeSchema,
    occurredAt: instant,
    onBehalfOf: z.email("must be an email address").max(320).optional(),
    scheduledPanel: GoodTimeScheduledPanelSchema,
  })
  .superRefine((event, ctx) => {
    const canceled = isCancellation(event);
    if (!canceled && event.scheduledPanel.scheduledEvents.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["scheduledPanel", "scheduledEvents"],
        message: "must contain at least one event unless the panel is canceled",
      });
    }
  });

export type GoodTimeEvent = z.infer<typeof GoodTimeEventSchema>;
export type GoodTimeScheduledPanel = z.infer<typeof GoodTimeScheduledPanelSchema>;
export type GoodTimeScheduledEvent = z.infer<typeof GoodTimeScheduledEventSchema>;

/** Reports whether the event cancels its panel, by its type or by the panel status. */
export function isCancellation(event: { type: string; scheduledPanel: { status: string } }): boolean {
  return event.type === "scheduled_panel.canceled" || event.scheduledPanel.status === "canceled";
}

/** Whole minutes between two ISO instants, computed on UTC epoch milliseconds. */
export function durationMinutes(startTime: string, endTime: string): number {
  return Math.round((Date.parse(endTime) - Date.parse(startTime)) / 60_000);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
