CREATE TABLE `export_bookmarks` (
	`name` text PRIMARY KEY NOT NULL,
	`last_synced_at` text NOT NULL,
	`exported_at` text NOT NULL,
	`rows` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rejected_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer,
	`seen_at` text NOT NULL,
	`session_id` text,
	`reason` text NOT NULL,
	`raw` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `session_versions` (
	`id` text NOT NULL,
	`updated_at` text NOT NULL,
	`json` text NOT NULL,
	`first_seen_at` text NOT NULL,
	PRIMARY KEY(`id`, `updated_at`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`persona_id` text,
	`client_label` text,
	`start_time` text,
	`end_time` text,
	`session_length_ms` integer,
	`exit_status` text,
	`engine_host` text,
	`engine_protocol` text,
	`engine_version` text,
	`client_metadata` text,
	`persona_config` text,
	`api_key_id` text,
	`organization_id` text,
	`created_at` text NOT NULL,
	`updated_at` text,
	`first_synced_at` text NOT NULL,
	`last_synced_at` text NOT NULL,
	`deleted_at` text
);
--> statement-breakpoint
CREATE INDEX `sessions_created_at` ON `sessions` (`created_at`);--> statement-breakpoint
CREATE INDEX `sessions_open` ON `sessions` (`id`) WHERE "sessions"."end_time" IS NULL AND "sessions"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `sync_lock` (
	`id` integer PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`hostname` text NOT NULL,
	`started_at` text NOT NULL,
	`heartbeat_at` text NOT NULL,
	`run_id` integer
);
--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`status` text NOT NULL,
	`mode` text NOT NULL,
	`scope` text NOT NULL,
	`persona_id` text,
	`api_key_id` text,
	`search` text,
	`pid` integer,
	`requests` integer DEFAULT 0 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`seen` integer DEFAULT 0 NOT NULL,
	`inserted` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`stale` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer,
	`error` text,
	`notes` text
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`scope` text PRIMARY KEY NOT NULL,
	`persona_id` text,
	`api_key_id` text,
	`search` text,
	`newest_created_at` text,
	`last_complete_at` text,
	`last_full_sync_at` text,
	`last_full_run_id` integer,
	`last_run_id` integer
);
