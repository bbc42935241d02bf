// The Hono application: middleware order, route groups and the error handler.

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createAdminRoutes } from "./admin/routes";
import { createSettingsRoutes } from "./admin/settings/routes";
import type { Bindings } from "./config";
import { createGoodTimeRoutes } from "./goodtime/routes";
import { createLeverWebhookRoutes } from "./lever/webhook-routes";
import { createLinkRoutes } from "./links/routes";
import { AppError, describeError, logAppError, type ErrorCode } from "./shared/errors";
import { log } from "./shared/log";

export function createApp() {
  const app = new Hono<{ Bindings: Bindings }>();

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.route("/v1/goodtime", createGoodTimeRoutes());
  app.route("/v1/lever/webhooks", createLeverWebhookRoutes());
  app.route("/links", createLinkRoutes());
  app.route("/admin/v1", createAdminRoutes());
  app.route("/settings", createSettingsRoutes());

  app.notFound((c) => c.json(new AppError(404, "not_found", "No such endpoint.").toBody(), 404));

  app.onError(function renderError(error, c) {
    if (error instanceof AppError) {
      logAppError(error, { method: c.req.method, route: c.req.routePath });
      const headers: Record<string, string> = {};
      if (error.status === 401) headers["www-authenticate"] = "Bearer";
      if (error.status === 503) headers["retry-after"] = "5";
      return c.json(error.toBody(), error.status, headers);
    }
    if (error instanceof HTTPException) {
      // Raised by Hono helpers, such as the JSON validator on a malformed body.
      const status = error.status;
      let code: ErrorCode = "invalid_request";
      if (status === 400) code = "invalid_json";
      if (status === 413) code = "payload_too_large";
      return c.json(new AppError(status, code, error.message || "The request is invalid.").toBody(), status);
    }

    log("error", "http.request.failed", {
      method: c.req.method,
      route: c.req.routePath,
      status: 500,
      errorName: error.name,
      detail: describeError(error, { withStack: true }),
    });
    return c.json(new AppError(500, "internal_error", "Something went wrong on our side.").toBody(), 500);
  });

  return app;
}
