// POST /v1/lever/webhooks/:tenant: deliveries from Lever. Only interviewDeleted
// matters: for an interview of one of our panels it means a Lever user
// canceled it there, and the panel object records that so nothing brings it back.

import { and, eq, lt } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { readConfig, type Bindings } from "../config";
import { leverWebhookDeliveries, scheduledPanels } from "../db/schema";
import { database, findTenantBySlug, leverWebhookTokenContext } from "../db/tenants";
import { panelObjectName } from "../goodtime/routes";
import { TENANT_SLUG_PATTERN } from "../links/target";
import { isJsonContentType, readBodyText } from "../shared/body";
import { decryptSecret, importEncryptionKey } from "../shared/crypto";
import { AppError } from "../shared/errors";
import { log } from "../shared/log";
import { MAX_DELIVERY_SKEW_MS, checkLeverDelivery } from "./webhook-signature";

const MAX_DELIVERY_BYTES = 64 * 1024;

const LeverDeliverySchema = z.object({
  triggeredAt: z.number().int().positive(),
  event: z.string().min(1).max(100),
  token: z.string().min(1).max(200),
  signature: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters"),
  data: z.looseObject({}),
});

const InterviewDeletedDataSchema = z.looseObject({
  interviewId: z.string().min(1).max(100),
  panelId: z.string().min(1).max(100).optional(),
  opportunityId: z.string().min(1).max(100).optional(),
  deletedAt: z.number().optional(),
});

export function createLeverWebhookRoutes() {
  const routes = new Hono<{ Bindings: Bindings }>();

  routes.post("/:tenant", async (c) => {
    const slug = c.req.param("tenant");
    const tenant = TENANT_SLUG_PATTERN.test(slug) ? await findTenantBySlug(c.env.DB, slug) : undefined;
    if (!tenant || !tenant.leverWebhookTokenEncrypted) {
      throw new AppError(404, "not_found", "No Lever webhook is configured for this account.");
    }
    if (!isJsonContentType(c.req.header("content-type"))) {
      throw new AppError(415, "unsupported_media_type", "Send the delivery with Content-Type: application/json.");
    }

    const text = await readBodyText(c.req.raw, MAX_DELIVERY_BYTES);
    let json: unknown;
    try {
      json = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      throw new AppError(400, "invalid_json", "The body is not valid JSON.");
    }

    // Lever's connection check when an admin saves the webhook carries no event.
    if (json && typeof json === "object" && !("event" in json)) return c.json({ status: "ok" });

    const parsed = LeverDeliverySchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(400, "invalid_request", "The delivery does not have Lever's webhook shape.", {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join(".") || "(body)", message: issue.message })),
      });
    }
    const delivery = parsed.data;

    const config = readConfig(c.env);
    if (!config.encryptionKey) throw new AppError(503, "unavailable", "The service has no ENCRYPTION_KEY secret.");
    const signatureToken = await decryptSecret(
      await importEncryptionKey(config.encryptionKey),
      tenant.leverWebhookTokenEncrypted,
      leverWebhookTokenContext(tenant.id),
    );
    const now = Date.now();
    const check = await checkLeverDelivery(delivery, signatureToken, now);
    if (check !== "valid") {
      log("warn", "lever.webhook.rejected", { tenantId: tenant.id, code: check, eventType: delivery.event });
      throw new AppError(
        401,
        check,
        check === "invalid_signature"
          ? "The delivery's signature does not match this account's webhook token."
          : "The delivery's triggeredAt is more than 5 minutes away from now.",
      );
    }

    const orm = database(c.env.DB);
    const inserted = await orm
      .insert(leverWebhookDeliveries)
      .values({ tenantId: tenant.id, token: delivery.token, receivedAt: now })
      .onConflictDoNothing()
      .run();
    if (inserted.meta.changes === 0) {
      log("warn", "lever.webhook.rejected", { tenantId: tenant.id, code: "replayed_delivery", eventType: delivery.event });
      throw new AppError(409, "replayed_delivery", "This delivery token was already processed.");
    }
    // Tokens older than the skew window can no longer pass the triggeredAt check.
    c.executionCtx.waitUntil(
      orm
        .delete(leverWebhookDeliveries)
        .where(lt(leverWebhookDeliveries.receivedAt, now - 2 * MAX_DELIVERY_SKEW_MS))
        .run()
        .then(() => undefined, () => undefined),
    );

    if (delivery.event !== "interviewDeleted") {
      log("info", "lever.webhook.ignored", { tenantId: tenant.id, eventType: delivery.event });
      return c.json({ status: "ignored" });
    }

    const data = InterviewDeletedDataSchema.safeParse(delivery.data);
    if (!data.success || !data.data.panelId) {
      log("info", "lever.webhook.ignored", { tenantId: tenant.id, eventType: delivery.event, code: "no_panel_id" });
      return c.json({ status: "ignored" });
    }

    const panel = await orm
      .select()
      .from(scheduledPanels)
      .where(and(eq(scheduledPanels.tenantId, tenant.id), eq(scheduledPanels.leverPanelId, data.data.panelId)))
      .get();
    if (!panel) {
      log("info", "lever.webhook.ignored", { tenantId: tenant.id, eventType: delivery.event, code: "not_our_panel" });
      return c.json({ status: "ignored" });
    }

    const stub = c.env.SCHEDULED_PANEL.get(c.env.SCHEDULED_PANEL.idFromName(panelObjectName(tenant.id, panel.externalPanelId)));
    const outcome = await stub.recordInterviewDeletedInLever(data.data.panelId, data.data.interviewId);
    log("info", outcome === "ignored" ? "lever.webhook.ignored" : "lever.webhook.accepted", {
      tenantId: tenant.id,
      externalPanelId: panel.externalPanelId,
      leverPanelId: data.data.panelId,
      leverInterviewId: data.data.interviewId,
      eventType: delivery.event,
      code: outcome,
    });
    return c.json({ status: outcome === "ignored" ? "ignored" : "accepted" });
  });

  return routes;
}
