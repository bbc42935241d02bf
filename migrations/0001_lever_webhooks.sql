CREATE TABLE `lever_webhook_deliveries` (
	`tenant_id` text NOT NULL,
	`token` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `token`)
);
--> statement-breakpoint
CREATE INDEX `lever_webhook_deliveries_received` ON `lever_webhook_deliveries` (`received_at`);--> statement-breakpoint
CREATE INDEX `scheduled_panels_lever_panel` ON `scheduled_panels` (`tenant_id`,`lever_panel_id`);