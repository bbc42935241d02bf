// GoodTime-facing endpoints: the event webhook and the read endpoints that
// GoodTime calls with the same integration key.

import { Hono } from "hono";
import { z } from "zod";
import { readConfig, type Bindings } from "../config";
import { findPanelIndex } from "../db/panels";
import { LeverError } from "../lever/client";
import { listFeedbackForms, lookUpUsers } from "../lever/directory";
import { createTenantLeverClient, GateDeferred } from "../lever/tenant-client";
import { readBodyText, isJsonContentType } from "../shared/body";
import { AppError, describeError, type FieldIssue } from "../shared/errors";
import { log } from "../shared/log";
import { requireIntegrationKey, type GoodTimeAuthVariables } from "./auth";
import { EXTERNAL_ID_PATTERN, GoodTimeEventSchema, normalizeEmail } from "./schemas";

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
export const MAX_EMAILS_PER_LOOKUP = 50;

type GoodTimeEnv = { Bindings: Bindings; Variables: GoodTimeAuthVariables };

export function panelObjectName(tenantId: string, externalPanelId: string): string {
  return `${tenantId}:${externalPanelId}`;
}

export function createGoodTimeRoutes() {
  const routes = new Hono<GoodTimeEnv>();

  routes.get("/connection", requireIntegrationKey({ allowDisabledTenant: true }), (c) => {
    const tenant = c.get("tenant");
    return c.json({ tenant: { slug: tenant.slug, name: tenant.name }, integrationEnabled: tenant.integrationEnabled });
  });

  routes.post("/webhooks", requireIntegrationKey(), async (c) => {
    const tenant = c.get("tenant");
    if (!isJsonContentType(c.req.header("content-type"))) {
      throw new AppError(415, "unsupported_media_type", "Send the event with Content-Type: application/json.");
    }

    const text = await readBodyText(c.req.raw, MAX_WEBHOOK_BODY_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError(400, "invalid_json", text.trim() === "" ? "The body is empty." : "The body is not valid JSON.");
    }

    const parsed = GoodTimeEventSchema.safeParse(json);
    if (!parsed.success) {
      const issues = toFieldIssues(parsed.error);
      log("info", "goodtime.event.rejected", { tenantId: tenant.id, code: "invalid_event", count: issues.length });
      throw new AppError(400, "invalid_event", "The event does not match the expected schema.", { issues });
    }
    const event = parsed.data;

    const name = panelObjectName(tenant.id, event.scheduledPanel.externalPanelId);
    const stub = c.env.SCHEDULED_PANEL.get(c.env.SCHEDULED_PANEL.idFromName(name));
    let status: string;
    try {
      status = await stub.receive(tenant.id, event);
    } catch (error) {
      throw new AppError(503, "unavailable", "The event could not be stored. It is safe to send it again.", {
        detail: describeError(error),
      });
    }
    return c.json({ status }, status === "accepted" ? 202 : 200);
  });

  routes.get("/scheduled-panels/:externalPanelId", requireIntegrationKey(), async (c) => {
    const tenant = c.get("tenant");
    const externalPanelId = c.req.param("externalPanelId");
    if (!EXTERNAL_ID_PATTERN.test(externalPanelId)) {
      throw new AppError(400, "invalid_request", "externalPanelId must be 1-128 letters, digits, '-' or '_'.");
    }
    const indexed = await findPanelIndex(c.env.DB, tenant.id, externalPanelId);
    if (!indexed) throw panelNotFound();

    const stub = c.env.SCHEDULED_PANEL.get(c.env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.id, externalPanelId)));
    const record = await stub.getSyncRecord(tenant.leverAppOrigin);
    if (!record) throw panelNotFound();
    return c.json(record);
  });

  routes.get("/interviewers", requireIntegrationKey(), async (c) => {
    const tenant = c.get("tenant");
    const raw = c.req.queries("email") ?? [];
    if (raw.length === 0) {
      throw new AppError(400, "invalid_request", "Pass at least one email, as ?email=a@example.com&email=b@example.com.");
    }
    const tooLong = raw.filter((value) => value.length > 320);
    if (tooLong.length > 0) {
      throw new AppError(400, "invalid_request", "Email addresses are at most 320 characters long.", {
        issues: tooLong.map((value) => ({ path: "email", message: `an email of ${value.length} characters is too long` })),
      });
    }
    if (raw.length > MAX_EMAILS_PER_LOOKUP) {
      throw new AppError(400, "invalid_request", `Pass at most ${MAX_EMAILS_PER_LOOKUP} emails per request; got ${raw.length}.`);
    }
    const emailSchema = z.email();
    const invalid = raw.filter((value) => !emailSchema.safeParse(value.trim()).success);
    if (invalid.length > 0) {
      throw new AppError(400, "invalid_request", "Some values are not email addresses.", {
        issues: invalid.map((value) => ({ path: "email", message: `${JSON.stringify(value)} is not an email address` })),
      });
    }

    const config = readConfig(c.env);
    const emails = [...new Set(raw.map(normalizeEmail))];
    const users = await withLever(async () => {
      const client = await createTenantLeverClient(c.env, config, tenant, { maxInlineWaitMs: 5_000 });
      return lookUpUsers(c.env.DB, client, tenant.id, emails, { now: Date.now(), ttlMs: config.userCacheTtlMs });
    });

    return c.json({
      interviewers: emails.map((email) => {
        const user = users.get(email)!;
        return {
          email,
          status: user.status,
          leverUserId: user.status === "not_found" ? null : user.leverUserId,
          name: user.status === "not_found" ? null : user.name,
          accessRole: user.status === "not_found" ? null : user.accessRole,
        };
      }),
    });
  });

  routes.get("/feedback-forms", requireIntegrationKey(), async (c) => {
    const tenant = c.get("tenant");
    const config = readConfig(c.env);
    const forms = await withLever(async () => {
      const client = await createTenantLeverClient(c.env, config, tenant, { maxInlineWaitMs: 5_000 });
      return listFeedbackForms(c.env.DB, client, tenant.id, { now: Date.now(), ttlMs: config.feedbackFormsCacheTtlMs });
    });
    return c.json({ feedbackForms: forms });
  });

  return routes;
}

/** Maps Lever failures on a request path to 502 or 503 responses with stable codes. */
async function withLever<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GateDeferred) {
      if (error.blockedBy) {
        throw new AppError(502, "lever_rejected", "Lever rejected this account's API key. Ask an operator to store a working key.");
      }
      throw new AppError(503, "lever_unavailable", "Lever's rate limit for this account is exhausted. Try again shortly.");
    }
    if (error instanceof LeverError) {
      if (error.transient) {
        throw new AppError(503, "lever_unavailable", "Lever did not respond successfully. Try again shortly.", {
          detail: `${error.route}: ${error.status} ${error.message}`,
        });
      }
      throw new AppError(502, "lever_rejected", "Lever rejected the request. Check the Lever credential of this account.", {
        detail: `${error.route}: ${error.status} ${error.leverCode ?? ""} ${error.message}`,
      });
    }
    throw error;
  }
}

function panelNotFound(): AppError {
  return new AppError(404, "not_found", "No scheduled panel with this externalPanelId has been received.");
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}
