CREATE TABLE `transcript_messages` (
	`session_id` text NOT NULL,
	`position` integer NOT NULL,
	`role` text NOT NULL,
	`message` text NOT NULL,
	`timestamp` text,
	`speaking_duration_seconds` real,
	`interrupted` integer,
	PRIMARY KEY(`session_id`, `position`)
);
--> statement-breakpoint
CREATE TABLE `transcripts` (
	`session_id` text PRIMARY KEY NOT NULL,
	`persona_name` text,
	`start_time` text,
	`end_time` text,
	`duration_ms` integer,
	`total_messages` integer,
	`transcripts_enabled` integer,
	`status` text NOT NULL,
	`reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`session_updated_at` text,
	`fetched_at` text,
	`checked_at` text NOT NULL,
	`message_count` integer,
	`user_messages` integer,
	`persona_messages` integer,
	`interruptions` integer,
	`user_speaking_seconds` real,
	`persona_speaking_seconds` real,
	`raw` text
);
--> statement-breakpoint
CREATE INDEX `transcripts_status` ON `transcripts` (`status`);--> statement-breakpoint
-- Written by hand: the analysts' view gains each live session's conversation counts (null when no
-- transcript is stored). The expressions over `sessions` stay exactly as in 0002, so its indexes
-- still serve them; a query that uses no transcript column does not read `transcripts` at all
-- (SQLite omits a LEFT JOIN on a unique key whose columns are unused).
DROP VIEW `sessions_flat`;
--> statement-breakpoint
CREATE VIEW `sessions_flat` AS
SELECT
  sessions.id,
  persona_id,
  json_extract(persona_config, '$.name') AS persona_name,
  json_extract(persona_config, '$.type') AS persona_type,
  json_extract(persona_config, '$.llmConfig.modelName') AS llm_model,
  json_extract(persona_config, '$.ttsProvider') AS tts_provider,
  json_extract(persona_config, '$.avatarEngineKey') AS avatar_engine_key,
  json_extract(persona_config, '$.languageCode') AS language_code,
  client_label,
  api_key_id,
  json_extract(client_metadata, '$.userAgent') AS user_agent,
  sessions.start_time,
  sessions.end_time,
  substr(sessions.start_time, 1, 10) AS start_date,
  session_length_ms / 1000.0 AS duration_s,
  exit_status,
  (sessions.end_time IS NULL) AS is_active,
  engine_version,
  t.message_count AS messages,
  t.user_messages,
  t.persona_messages,
  t.interruptions
FROM sessions
LEFT JOIN transcripts t ON t.session_id = sessions.id AND t.status = 'stored'
WHERE sessions.deleted_at IS NULL;
