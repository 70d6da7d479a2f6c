DROP INDEX `sessions_created_at`;--> statement-breakpoint
DROP INDEX `sessions_start_time`;--> statement-breakpoint
DROP INDEX `sessions_persona_start`;--> statement-breakpoint
DROP INDEX `sessions_api_key_start`;--> statement-breakpoint
DROP INDEX `sessions_updated_at`;--> statement-breakpoint
CREATE INDEX `sessions_last_synced_at` ON `sessions` (`last_synced_at`);--> statement-breakpoint
CREATE INDEX `sessions_created_at` ON `sessions` ("created_at" desc);--> statement-breakpoint
CREATE INDEX `sessions_start_time` ON `sessions` ("start_time" desc);--> statement-breakpoint
CREATE INDEX `sessions_persona_start` ON `sessions` (`persona_id`,"start_time" desc);--> statement-breakpoint
CREATE INDEX `sessions_api_key_start` ON `sessions` (`api_key_id`,"start_time" desc);--> statement-breakpoint
CREATE INDEX `sessions_updated_at` ON `sessions` ("updated_at" desc);--> statement-breakpoint
-- Written by hand: the report's passes read indexes, not the rows with their JSON (src/report/
-- live-sessions.ts). One partial covering index holds what the totals, exit statuses, personas,
-- models, lengths and conversations read, in an order that lets SQLite group by persona, model and
-- exit status as it reads (no sort); the per-day index gains the exit status and length, so the
-- timeline is read from it alone too. The expressions are those of `sessions_flat` (0002). Times
-- are descending, as in the indexes above (a sync inserts newest first).
CREATE INDEX `sessions_live_report` ON `sessions` (
  persona_id,
  json_extract(persona_config, '$.name'),
  json_extract(persona_config, '$.type'),
  json_extract(persona_config, '$.llmConfig.modelName'),
  exit_status,
  start_time DESC,
  session_length_ms,
  end_time,
  id
) WHERE deleted_at IS NULL;
--> statement-breakpoint
DROP INDEX `sessions_live_start_day`;
--> statement-breakpoint
CREATE INDEX `sessions_live_start_day` ON `sessions` (substr(start_time, 1, 10) DESC, exit_status, session_length_ms) WHERE deleted_at IS NULL;
