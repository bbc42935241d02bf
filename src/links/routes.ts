// Deep links that Lever shows: "Schedule in GoodTime" on a candidate and
// "View in External App" on a panel. No key is needed; the tenant slug is public.

import { Hono, type Context } from "hono";
import type { Bindings } from "../config";
import { findPanelIndex } from "../db/panels";
import { findTenantBySlug } from "../db/tenants";
import { candidateScheduleTarget, panelTarget, TENANT_SLUG_PATTERN } from "./target";

export function createLinkRoutes() {
  const routes = new Hono<{ Bindings: Bindings }>();

  routes.get("/:tenant/candidates/:opportunityId/schedule", async (c) => {
    const slug = c.req.param("tenant");
    if (!TENANT_SLUG_PATTERN.test(slug)) return page(c, 404, "Not found", "This link does not point to a GoodTime integration.");
    const tenant = await findTenantBySlug(c.env.DB, slug);
    if (!tenant) return page(c, 404, "Not found", "This link does not point to a GoodTime integration.");
    if (!tenant.integrationEnabled) return disabledPage(c);

    const target = candidateScheduleTarget(tenant.goodtimeOrigin, c.req.param("opportunityId"));
    if (!target) return page(c, 400, "Invalid link", "The candidate id in this link is not valid.");
    return c.redirect(target, 302);
  });

  routes.get("/:tenant/panels/:externalPanelId", async (c) => {
    const slug = c.req.param("tenant");
    if (!TENANT_SLUG_PATTERN.test(slug)) return page(c, 404, "Not found", "This link does not point to a GoodTime integration.");
    const tenant = await findTenantBySlug(c.env.DB, slug);
    if (!tenant) return page(c, 404, "Not found", "This link does not point to a GoodTime integration.");
    if (!tenant.integrationEnabled) return disabledPage(c);

    const externalPanelId = c.req.param("externalPanelId");
    const target = panelTarget(tenant.goodtimeOrigin, externalPanelId);
    if (!target) return page(c, 400, "Invalid link", "The interview id in this link is not valid.");

    const panel = await findPanelIndex(c.env.DB, tenant.id, externalPanelId);
    if (!panel) return page(c, 404, "Interview not found", "GoodTime has not sent this interview to Lever.");
    if (panel.state === "canceled") {
      return page(c, 410, "Interview canceled", "This interview was canceled in GoodTime.");
    }
    return c.redirect(target, 302);
  });

  return routes;
}

type LinkContext = Context<{ Bindings: Bindings }>;

function disabledPage(c: LinkContext) {
  return page(c, 403, "Integration turned off", "The GoodTime integration is turned off for this Lever account.");
}

function page(c: LinkContext, status: 400 | 403 | 404 | 410, title: string, message: string) {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style>
</head>
<body><h1>${title}</h1><p>${message}</p></body>
</html>`;
  return c.html(html, status, { "cache-control": "no-store", "referrer-policy": "no-referrer" });
}
