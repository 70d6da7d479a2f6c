CREATE TABLE `open_warnings` (
	`scope` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`run_id` integer NOT NULL,
	PRIMARY KEY(`scope`, `code`)
);
--> statement-breakpoint
CREATE TABLE `scope_members` (
	`scope` text NOT NULL,
	`id` text NOT NULL,
	`run_id` integer NOT NULL,
	PRIMARY KEY(`scope`, `id`)
);
--> statement-breakpoint
ALTER TABLE `sync_lock` ADD `token` text;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `count_residual` integer;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `residual_since` text;