CREATE TABLE `session_current_raw` (
	`id` text PRIMARY KEY NOT NULL,
	`json` text NOT NULL
);
--> statement-breakpoint
-- Written by hand from here on. A session's current version is its row: `session_versions` keeps
-- only the versions the row no longer holds (superseded ones, and older ones a lagging copy served),
-- and `session_current_raw` the JSON of a current version that the row cannot give back (a field
-- the schema lacks, or one left out). The view rebuilds a current version's JSON from the row, the
-- fields in the order of the columns (`FIELD_ORDER` in src/api/session.ts); `first_seen_at` of a
-- current version is the row's `last_synced_at`, the time the row was last written. A key that
-- `session_versions` still holds (a current version kept from before, with its own first_seen_at)
-- is listed from there, not twice.
CREATE VIEW `session_current` AS
SELECT
  s.id AS id,
  coalesce(s.updated_at, '') AS updated_at,
  coalesce(r.json, json_object(
    'id', s.id,
    'personaId', s.persona_id,
    'clientLabel', s.client_label,
    'startTime', s.start_time,
    'endTime', s.end_time,
    'sessionLengthMs', s.session_length_ms,
    'exitStatus', s.exit_status,
    'engineHost', s.engine_host,
    'engineProtocol', s.engine_protocol,
    'engineVersion', s.engine_version,
    'clientMetadata', json(s.client_metadata),
    'personaConfig', json(s.persona_config),
    'apiKeyId', s.api_key_id,
    'organizationId', s.organization_id,
    'createdAt', s.created_at,
    'updatedAt', s.updated_at)) AS json,
  s.last_synced_at AS first_seen_at
FROM sessions s
LEFT JOIN session_current_raw r ON r.id = s.id
WHERE NOT EXISTS (SELECT 1 FROM session_versions v WHERE v.id = s.id AND v.updated_at = coalesce(s.updated_at, ''));
--> statement-breakpoint
-- Every version seen, current ones included: what `session_versions` listed before.
CREATE VIEW `session_history` AS
SELECT id, updated_at, json, first_seen_at FROM session_versions
UNION ALL
SELECT id, updated_at, json, first_seen_at FROM session_current;
--> statement-breakpoint
-- A database from before: the current version of each session was also a row of session_versions.
-- Where the row does not give back exactly that JSON, the JSON is kept beside the row; then the
-- copies the row stands for go (those whose first_seen_at is the row's last_synced_at; the others
-- stay, with their own time). The file keeps its size until VACUUM; new rows reuse the space.
INSERT INTO session_current_raw (id, json)
SELECT v.id, v.json
FROM session_versions v
JOIN sessions s ON s.id = v.id AND v.updated_at = coalesce(s.updated_at, '')
WHERE v.json IS NOT json_object(
    'id', s.id,
    'personaId', s.persona_id,
    'clientLabel', s.client_label,
    'startTime', s.start_time,
    'endTime', s.end_time,
    'sessionLengthMs', s.session_length_ms,
    'exitStatus', s.exit_status,
    'engineHost', s.engine_host,
    'engineProtocol', s.engine_protocol,
    'engineVersion', s.engine_version,
    'clientMetadata', json(s.client_metadata),
    'personaConfig', json(s.persona_config),
    'apiKeyId', s.api_key_id,
    'organizationId', s.organization_id,
    'createdAt', s.created_at,
    'updatedAt', s.updated_at);
--> statement-breakpoint
DELETE FROM session_versions
WHERE EXISTS (
  SELECT 1 FROM sessions s
  WHERE s.id = session_versions.id
    AND coalesce(s.updated_at, '') = session_versions.updated_at
    AND s.last_synced_at = session_versions.first_seen_at
);
