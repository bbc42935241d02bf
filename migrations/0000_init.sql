CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`detail` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_tenant_at` ON `audit_log` (`tenant_id`,`at`);--> statement-breakpoint
CREATE TABLE `integration_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`display_prefix` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integration_keys_hash_unique` ON `integration_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `integration_keys_tenant` ON `integration_keys` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `lever_feedback_template_cache` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`templates` text NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lever_user_cache` (
	`tenant_id` text NOT NULL,
	`email` text NOT NULL,
	`status` text NOT NULL,
	`lever_user_id` text,
	`name` text,
	`access_role` text,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `email`)
);
--> statement-breakpoint
CREATE TABLE `scheduled_panels` (
	`tenant_id` text NOT NULL,
	`external_panel_id` text NOT NULL,
	`opportunity_id` text NOT NULL,
	`lever_panel_id` text,
	`state` text NOT NULL,
	`reason` text,
	`desired_version` integer NOT NULL,
	`applied_version` integer,
	`due_at` integer,
	`checked_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `external_panel_id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scheduled_panels_state_due` ON `scheduled_panels` (`state`,`due_at`);--> statement-breakpoint
CREATE INDEX `scheduled_panels_checked` ON `scheduled_panels` (`tenant_id`,`checked_at`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`lever_api_base_url` text NOT NULL,
	`lever_api_key_encrypted` text NOT NULL,
	`lever_app_origin` text NOT NULL,
	`lever_webhook_token_encrypted` text,
	`goodtime_origin` text NOT NULL,
	`integration_user_id` text,
	`integration_enabled` integer DEFAULT false NOT NULL,
	`rate_limit_per_second` integer DEFAULT 8 NOT NULL,
	`rate_limit_burst` integer DEFAULT 16 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_slug_unique` ON `tenants` (`slug`);