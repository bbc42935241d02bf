// Admin API under /admin/v1 for operators and the admin CLI, authenticated
// with the ADMIN_TOKEN secret as a bearer token.

import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { readConfig, type Bindings } from "../config";
import { countPanelsByState } from "../db/panels";
import { findTenantBySlug } from "../db/tenants";
import { TENANT_SLUG_PATTERN } from "../links/target";
import { timingSafeEqualStrings } from "../shared/crypto";
import { isJsonContentType } from "../shared/body";
import { AppError } from "../shared/errors";
import { validationHook } from "../shared/validation";
import { AdminService } from "./service";

const MAX_ADMIN_BODY_BYTES = 64 * 1024;

const httpUrl = z.url({ protocol: /^https?$/ }).max(500);
const origin = httpUrl
  .refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash;
  }, "must be an origin such as https://app.goodtime.example, without path, query or credentials")
  .transform((value) => new URL(value).origin);

const TenantCreateSchema = z.strictObject({
  slug: z.string().regex(TENANT_SLUG_PATTERN, "must be 1-63 lowercase letters, digits or '-', not starting or ending with '-'"),
  name: z.string().min(1).max(200),
  leverApiBaseUrl: httpUrl.transform((value) => value.replace(/\/+$/, "")),
  leverApiKey: z.string().min(1).max(500),
  leverAppOrigin: origin,
  goodtimeOrigin: origin,
  leverWebhookToken: z.string().min(1).max(500).optional(),
  rateLimitPerSecond: z.number().int().min(1).max(100).optional(),
  rateLimitBurst: z.number().int().min(1).max(200).optional(),
});

const TenantUpdateSchema = TenantCreateSchema.omit({ slug: true }).partial();
const ActingUserSchema = z.strictObject({ actingUserEmail: z.email().max(320) });
const IntegrationSchema = ActingUserSchema.extend({ enabled: z.boolean() });

type AdminEnv = { Bindings: Bindings; Variables: { admin: AdminService } };

export function createAdminRoutes() {
  const routes = new Hono<AdminEnv>();

  routes.use(
    bodyLimit({
      maxSize: MAX_ADMIN_BODY_BYTES,
      onError: () => {
        throw new AppError(413, "payload_too_large", `The body exceeds the limit of ${MAX_ADMIN_BODY_BYTES} bytes.`);
      },
    }),
  );
  routes.use(
    createMiddleware<AdminEnv>(async function adminTokenAuth(c, next) {
      const config = readConfig(c.env);
      if (!config.adminToken) {
        throw new AppError(503, "unavailable", "The service has no ADMIN_TOKEN secret; the admin API is off.");
      }
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
      if (!match || !(await timingSafeEqualStrings(match[1]!, config.adminToken))) {
        throw new AppError(401, "unauthorized", "The admin token is missing or wrong.");
      }
      c.set("admin", new AdminService(c.env, config, "operator"));
      await next();
    }),
  );

  routes.use(
    createMiddleware<AdminEnv>(async function requireJsonBody(c, next) {
      if (["POST", "PUT", "PATCH"].includes(c.req.method) && !isJsonContentType(c.req.header("content-type"))) {
        throw new AppError(415, "unsupported_media_type", "Send the request body with Content-Type: application/json.");
      }
      await next();
    }),
  );

  routes.post("/tenants", zValidator("json", TenantCreateSchema, validationHook), async (c) => {
    const tenant = await c.get("admin").createTenant(c.req.valid("json"));
    return c.json({ tenant }, 201);
  });

  routes.get("/tenants/:slug", async (c) => {
    const admin = c.get("admin");
    const slug = c.req.param("slug");
    const tenant = await admin.getTenant(slug);
    const keys = await admin.listKeys(slug);
    const panels = await countPanelsByState(c.env.DB, tenant.id);
    return c.json({ tenant, keys, panels });
  });

  routes.patch("/tenants/:slug", zValidator("json", TenantUpdateSchema, validationHook), async (c) => {
    const tenant = await c.get("admin").updateTenant(c.req.param("slug"), c.req.valid("json"));
    return c.json({ tenant });
  });

  routes.put("/tenants/:slug/integration", zValidator("json", IntegrationSchema, validationHook), async (c) => {
    const body = c.req.valid("json");
    const tenant = await c.get("admin").setIntegrationEnabled(c.req.param("slug"), body.enabled, body.actingUserEmail);
    return c.json({ tenant });
  });

  routes.post("/tenants/:slug/keys", zValidator("json", ActingUserSchema, validationHook), async (c) => {
    const { key, view } = await c.get("admin").generateKey(c.req.param("slug"), c.req.valid("json").actingUserEmail);
    return c.json({ key: view, integrationKey: key, notice: "Copy this key now. It cannot be shown again." }, 201, {
      "cache-control": "no-store",
    });
  });

  routes.get("/tenants/:slug/keys", async (c) => {
    return c.json({ keys: await c.get("admin").listKeys(c.req.param("slug")) });
  });

  routes.post(
    "/tenants/:slug/keys/:keyId/revoke",
    zValidator("json", ActingUserSchema, validationHook),
    async (c) => {
      const key = await c.get("admin").revokeKey(c.req.param("slug"), c.req.param("keyId"), c.req.valid("json").actingUserEmail);
      return c.json({ key });
    },
  );

  routes.get("/tenants/:slug/audit", async (c) => {
    const raw = c.req.query("limit") ?? "100";
    const limit = Number(raw);
    if (!/^[0-9]+$/.test(raw) || limit < 1 || limit > 500) {
      throw new AppError(400, "invalid_request", `limit must be a whole number from 1 to 500; got ${JSON.stringify(raw)}.`);
    }
    return c.json({ entries: await c.get("admin").listAudit(c.req.param("slug"), limit) });
  });

  routes.get("/tenants/:slug/panels-by-state", async (c) => {
    const tenant = await findTenantBySlug(c.env.DB, c.req.param("slug"));
    if (!tenant) throw new AppError(404, "not_found", "No such tenant.");
    return c.json({ panels: await countPanelsByState(c.env.DB, tenant.id) });
  });

  return routes;
}
