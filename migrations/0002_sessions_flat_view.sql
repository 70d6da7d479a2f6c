-- Written by hand (drizzle-kit generate --custom): drizzle's schema cannot describe a view over
-- JSON paths or expression indexes. A later migration that rebuilds `sessions` must create these again.
--
-- The analysts' view: one row per live session, the JSON columns unpacked into typed columns.
-- Each expression is written exactly like its index below, so the planner can use the index.
CREATE VIEW `sessions_flat` AS
SELECT
  id,
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
  start_time,
  end_time,
  substr(start_time, 1, 10) AS start_date,
  session_length_ms / 1000.0 AS duration_s,
  exit_status,
  (end_time IS NULL) AS is_active,
  engine_version
FROM sessions
WHERE deleted_at IS NULL;
--> statement-breakpoint
-- Per-day questions group by the UTC date without reading any JSON; partial, like the view.
CREATE INDEX `sessions_live_start_day` ON `sessions` (substr(start_time, 1, 10)) WHERE deleted_at IS NULL;
--> statement-breakpoint
-- Per-persona and per-model questions group by a JSON path: indexed, it is parsed once per write
-- instead of once per row per query.
CREATE INDEX `sessions_live_persona_name` ON `sessions` (json_extract(persona_config, '$.name')) WHERE deleted_at IS NULL;
--> statement-breakpoint
CREATE INDEX `sessions_live_llm_model` ON `sessions` (json_extract(persona_config, '$.llmConfig.modelName')) WHERE deleted_at IS NULL;
