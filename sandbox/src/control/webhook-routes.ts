import type { Hono } from "hono";
import { z } from "zod";
import { ApiError } from "../errors";
import type { SandboxEnv } from "../hono-env";
import { isHttpUrl } from "../panel-input";
import { readInput, waitUntilOf } from "../request";
import { INTERVIEW_EVENTS } from "../types";
import { sendDelivery, signWebhook } from "../webhooks";

const webhookConfigInput = z
  .object({
    url: z.string().refine(isHttpUrl, "expected an absolute http(s) URL").nullish(),
    signatureToken: z.string().min(1),
    events: z.array(z.enum(INTERVIEW_EVENTS)).min(1),
  })
  .strict();

const signInput = z.object({ token: z.string(), triggeredAt: z.number().int() }).strict();

export function registerWebhookRoutes(app: Hono<SandboxEnv>): void {
  app.put("/_sandbox/webhooks", async (c) => {
    const input = await readInput(c, webhookConfigInput);
    const config = { url: input.url ?? null, signatureToken: input.signatureToken, events: [...new Set(input.events)] };
    c.get("account").webhook = config;
    return c.json({ data: config });
  });

  app.get("/_sandbox/webhooks", (c) => c.json({ data: c.get("account").webhook }));

  app.delete("/_sandbox/webhooks", (c) => {
    c.get("account").webhook = null;
    return c.body(null, 204);
  });

  app.get("/_sandbox/webhooks/deliveries", (c) => c.json({ data: c.get("account").deliveries }));

  app.delete("/_sandbox/webhooks/deliveries", (c) => {
    c.get("account").deliveries.length = 0;
    return c.body(null, 204);
  });

  // Sends the stored payload again, unchanged (same token and signature), as a retry by Lever would.
  app.post("/_sandbox/webhooks/deliveries/:id/redeliver", (c) => {
    const delivery = c.get("account").deliveries.find((candidate) => candidate.id === c.req.param("id"));
    if (!delivery) throw new ApiError(404, "Delivery not found");
    if (delivery.url === null) throw new ApiError(400, `Delivery ${delivery.id} has no URL: set one with PUT /_sandbox/webhooks before it was emitted`);
    sendDelivery(delivery, waitUntilOf(c));
    return c.json({ data: delivery }, 202);
  });

  // Signs an arbitrary token and time with the configured signature token, to check the signing scheme.
  app.post("/_sandbox/webhooks/sign", async (c) => {
    const config = c.get("account").webhook;
    if (config === null) throw new ApiError(400, "No webhook configured: PUT /_sandbox/webhooks first");
    const input = await readInput(c, signInput);
    return c.json({ signature: await signWebhook(config.signatureToken, input.token, input.triggeredAt) });
  });
}
