CREATE INDEX `sessions_start_time` ON `sessions` (`start_time`);--> statement-breakpoint
CREATE INDEX `sessions_persona_start` ON `sessions` (`persona_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `sessions_api_key_start` ON `sessions` (`api_key_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `sessions_updated_at` ON `sessions` (`updated_at`);