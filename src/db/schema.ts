// D1 tables: tenants, their hashed integration keys, the index of scheduled
// panels that the cron job and the status pages read, the admin audit log and
// a short-lived cache of Lever users. docs/storage.md shows each with an example.

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    leverApiBaseUrl: text("lever_api_base_url").notNull(),
    /** AES-GCM ciphertext of the Lever API key (see src/shared/crypto.ts). */
    leverApiKeyEncrypted: text("lever_api_key_encrypted").notNull(),
    /** Origin of Lever's web app, used to build feedback links. */
    leverAppOrigin: text("lever_app_origin").notNull(),
    /** AES-GCM ciphertext of the Lever webhook signature token, when webhooks are set up. */
    leverWebhookTokenEncrypted: text("lever_webhook_token_encrypted"),
    goodtimeOrigin: text("goodtime_origin").notNull(),
    /** Lever user id of the Super Admin who enabled the integration; the fallback `perform_as`. */
    integrationUserId: text("integration_user_id"),
    integrationEnabled: integer("integration_enabled", { mode: "boolean" }).notNull().default(false),
    rateLimitPerSecond: integer("rate_limit_per_second").notNull().default(8),
    rateLimitBurst: integer("rate_limit_burst").notNull().default(16),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [uniqueIndex("tenants_slug_unique").on(table.slug)],
);

export const integrationKeys = sqliteTable(
  "integration_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** Hex SHA-256 of the full key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    /** First characters of the key, safe to show in lists. */
    displayPrefix: text("display_prefix").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  (table) => [
    uniqueIndex("integration_keys_hash_unique").on(table.keyHash),
    index("integration_keys_tenant").on(table.tenantId),
  ],
);

export const scheduledPanels = sqliteTable(
  "scheduled_panels",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    externalPanelId: text("external_panel_id").notNull(),
    opportunityId: text("opportunity_id").notNull(),
    leverPanelId: text("lever_panel_id"),
    state: text("state").notNull(),
    reason: text("reason"),
    desiredVersion: integer("desired_version").notNull(),
    appliedVersion: integer("applied_version"),
    /** Epoch ms when the panel's object next expects to act; null when idle. */
    dueAt: integer("due_at"),
    /** Epoch ms of the last drift check by the cron job. */
    checkedAt: integer("checked_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.externalPanelId] }),
    index("scheduled_panels_state_due").on(table.state, table.dueAt),
    index("scheduled_panels_checked").on(table.tenantId, table.checkedAt),
    index("scheduled_panels_lever_panel").on(table.tenantId, table.leverPanelId),
  ],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tenantId: text("tenant_id"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** JSON object with non-secret details (key prefix, changed field names). */
    detail: text("detail").notNull(),
    at: integer("at").notNull(),
  },
  (table) => [index("audit_log_tenant_at").on(table.tenantId, table.at)],
);

export const leverUserCache = sqliteTable(
  "lever_user_cache",
  {
    tenantId: text("tenant_id").notNull(),
    /** Email as looked up: trimmed and lowercased. */
    email: text("email").notNull(),
    status: text("status", { enum: ["active", "deactivated", "not_found"] }).notNull(),
    leverUserId: text("lever_user_id"),
    name: text("name"),
    accessRole: text("access_role"),
    fetchedAt: integer("fetched_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.email] })],
);

export type TenantRow = typeof tenants.$inferSelect;
export type IntegrationKeyRow = typeof integrationKeys.$inferSelect;
export type ScheduledPanelRow = typeof scheduledPanels.$inferSelect;

export const leverFeedbackTemplateCache = sqliteTable("lever_feedback_template_cache", {
  tenantId: text("tenant_id").primaryKey(),
  /** JSON array of `{ id, name, group }`, as read from Lever's feedback_templates list. */
  templates: text("templates").notNull(),
  fetchedAt: integer("fetched_at").notNull(),
});

/** Tokens of Lever webhook deliveries already processed, to reject replays. */
export const leverWebhookDeliveries = sqliteTable(
  "lever_webhook_deliveries",
  {
    tenantId: text("tenant_id").notNull(),
    token: text("token").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.token] }), index("lever_webhook_deliveries_received").on(table.receivedAt)],
);
