/**
 * The database schema. drizzle-kit generates the SQL migrations in `migrations/` from this file
 * (`npm run generate`); the runtime applies them. Column names and order are the contract's.
 * Every time column holds canonical UTC text (`2026-04-20T09:00:00.000Z`), so text order is time order.
 */
import { desc, sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
/** One row per session id: the newest version seen. */
export const sessions = sqliteTable('sessions', {
    id: text('id').primaryKey(),
    personaId: text('persona_id'),
    clientLabel: text('client_label'),
    startTime: text('start_time'),
    endTime: text('end_time'),
    sessionLengthMs: integer('session_length_ms'),
    exitStatus: text('exit_status'),
    engineHost: text('engine_host'),
    engineProtocol: text('engine_protocol'),
    engineVersion: text('engine_version'),
    clientMetadata: text('client_metadata'),
    personaConfig: text('persona_config'),
    apiKeyId: text('api_key_id'),
    organizationId: text('organization_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at'),
    firstSyncedAt: text('first_synced_at').notNull(),
    lastSyncedAt: text('last_synced_at').notNull(),
    deletedAt: text('deleted_at'),
}, (t) => [
    // The time indexes are descending: the API lists newest first, so a sync inserts in descending
    // time order, which appends to a descending index (full pages) but splits an ascending one at
    // its left edge, page after page (half-empty pages: 310 bytes per session over these indexes).
    // Queries read them in either direction.
    index('sessions_created_at').on(desc(t.createdAt)),
    // Open sessions are re-read on every incremental sync; this keeps finding them cheap.
    index('sessions_open').on(t.id).where(sql `${t.endTime} IS NULL AND ${t.deletedAt} IS NULL`),
    // Every run counts the live sessions of its scope (the completeness check): this keeps that
    // count off the table's pages, which hold the JSON.
    index('sessions_deleted_at').on(t.deletedAt),
    // The analysts' questions: time ranges, one persona or API key over time, what changed lately.
    // The expression indexes (per day, persona name, model) and the `sessions_flat` view are written
    // by hand in migrations/0002_sessions_flat_view.sql, the report's covering index in
    // migrations/0008: a migration that rebuilds this table must create them again.
    index('sessions_start_time').on(desc(t.startTime)),
    index('sessions_persona_start').on(t.personaId, desc(t.startTime)),
    index('sessions_api_key_start').on(t.apiKeyId, desc(t.startTime)),
    index('sessions_updated_at').on(desc(t.updatedAt)),
    // What changed since an export's bookmark (`export --since-last`, `--dataset`): without it,
    // finding 100 changed rows read every row's last_synced_at. Ascending: the sync's own clock only
    // moves forward, so it appends.
    index('sessions_last_synced_at').on(t.lastSyncedAt),
]);
/**
 * The versions of a session that its row no longer holds, as the JSON stored after validation and
 * redaction (unknown fields included): the ones a newer version superseded, and older ones a lagging
 * copy of the API served. The current version is the `sessions` row itself (with the
 * `session_current_raw` JSON where the row cannot give it back); the `session_history` view lists
 * every version, current ones included. `updated_at` is '' when the API sent null, so the key stays
 * unique.
 */
export const sessionVersions = sqliteTable('session_versions', {
    id: text('id').notNull(),
    updatedAt: text('updated_at').notNull(),
    json: text('json').notNull(),
    firstSeenAt: text('first_seen_at').notNull(),
}, (t) => [primaryKey({ columns: [t.id, t.updatedAt] })]);
/**
 * The current version's JSON of a session whose row cannot give it back: the API sent a field the
 * schema has no column for, or left a field out (a NULL column cannot tell that from null). Most
 * sessions have no row here; the `session_current` view rebuilds their JSON from the row.
 */
export const sessionCurrentRaw = sqliteTable('session_current_raw', {
    id: text('id').primaryKey(),
    json: text('json').notNull(),
});
/** One row per run of `sync`, with its scope and the counters of its summary. */
export const syncRuns = sqliteTable('sync_runs', {
    id: integer('id').primaryKey({ autoIncrement: true }),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    status: text('status', { enum: ['running', 'succeeded', 'failed', 'interrupted', 'abandoned'] }).notNull(),
    mode: text('mode').notNull(),
    scope: text('scope').notNull(),
    personaId: text('persona_id'),
    apiKeyId: text('api_key_id'),
    search: text('search'),
    pid: integer('pid'),
    requests: integer('requests').notNull().default(0),
    retries: integer('retries').notNull().default(0),
    pages: integer('pages').notNull().default(0),
    seen: integer('seen').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    stale: integer('stale').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    durationMs: integer('duration_ms'),
    error: text('error'),
    notes: text('notes'),
});
/**
 * Records that failed validation, kept whole (after redaction) with the reason: one row per distinct
 * record and reason (the unique index), whose run and time move forward when it is seen again.
 */
export const rejectedRecords = sqliteTable('rejected_records', {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id'),
    seenAt: text('seen_at').notNull(),
    sessionId: text('session_id'),
    reason: text('reason').notNull(),
    raw: text('raw').notNull(),
}, (t) => [uniqueIndex('rejected_records_reason_raw').on(t.reason, t.raw)]);
/**
 * Bookmarks per scope (the set of filters): advanced only when a run of that scope completes.
 * `scope` is '' for the unfiltered sync.
 */
export const syncState = sqliteTable('sync_state', {
    scope: text('scope').primaryKey(),
    personaId: text('persona_id'),
    apiKeyId: text('api_key_id'),
    search: text('search'),
    newestCreatedAt: text('newest_created_at'),
    lastCompleteAt: text('last_complete_at'),
    lastFullSyncAt: text('last_full_sync_at'),
    lastFullRunId: integer('last_full_run_id'),
    lastRunId: integer('last_run_id'),
    /**
     * The API's count minus what its pages listed, left after a full scan could not close it (null:
     * none). While a later run finds the same difference, it is not repaired again.
     */
    countResidual: integer('count_residual'),
    /** When the residual was first recorded with its current value. */
    residualSince: text('residual_since'),
});
/**
 * The warnings of each scope's last run that need a person (API inconsistencies, a count residual,
 * rejected records): one row per scope and code. A warning is logged at warn level when it is new
 * or its message changed, and at info level while it stays the same; `status` lists these rows.
 */
export const openWarnings = sqliteTable('open_warnings', {
    scope: text('scope').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    firstSeenAt: text('first_seen_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    runId: integer('run_id').notNull(),
}, (t) => [primaryKey({ columns: [t.scope, t.code] })]);
/**
 * Which sessions the API listed under a filtered scope (never the unfiltered one: that is every
 * session). The scope's count is checked against these, not against a local guess of how the API
 * matches `search`. `run_id` is the last run that listed the id; a complete full scan of the scope
 * removes the members it did not list.
 */
export const scopeMembers = sqliteTable('scope_members', {
    scope: text('scope').notNull(),
    id: text('id').notNull(),
    runId: integer('run_id').notNull(),
}, (t) => [primaryKey({ columns: [t.scope, t.id] })]);
/**
 * The one-sync-per-database lock: at most one row (`id` = 1). A holder whose pid is gone, or whose
 * heartbeat is older than the expiry, is taken over.
 */
export const syncLock = sqliteTable('sync_lock', {
    id: integer('id').primaryKey(),
    pid: integer('pid').notNull(),
    hostname: text('hostname').notNull(),
    startedAt: text('started_at').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    runId: integer('run_id'),
    /**
     * Random per acquisition: heartbeats, writes and the release match on it, so a process whose lock
     * was taken over (it stalled past the expiry) can tell and stops before writing again.
     */
    token: text('token'),
});
/** `export --since-last NAME`: the newest `last_synced_at` each named export has shipped. */
export const exportBookmarks = sqliteTable('export_bookmarks', {
    name: text('name').primaryKey(),
    lastSyncedAt: text('last_synced_at').notNull(),
    exportedAt: text('exported_at').notNull(),
    rows: integer('rows').notNull(),
});
/**
 * What `sync --transcripts` learned of each ended session's transcript: the transcript itself
 * (`status` 'stored', or 'disabled' when the persona had transcripts off), or why there is none:
 * 'zero-retention' (the persona keeps none; not asked), 'expired' (404, and the session ended more
 * than 30 days before it was first asked), 'missing' (an unexplained 404, asked again on a few later
 * runs), 'invalid' (an answer that is not a transcript of this session). A stored transcript is
 * never removed or emptied by a later 404. Times are canonical UTC.
 */
export const transcripts = sqliteTable('transcripts', {
    sessionId: text('session_id').primaryKey(),
    personaName: text('persona_name'),
    startTime: text('start_time'),
    endTime: text('end_time'),
    durationMs: integer('duration_ms'),
    /** `totalMessages` as the API sent it. */
    totalMessages: integer('total_messages'),
    transcriptsEnabled: integer('transcripts_enabled', { mode: 'boolean' }),
    status: text('status', { enum: ['stored', 'disabled', 'zero-retention', 'expired', 'missing', 'invalid'] }).notNull(),
    /** Why there is no transcript, in words (null when stored). */
    reason: text('reason'),
    /** Requests that found no transcript (an unexplained 404 is asked again while this is small). */
    attempts: integer('attempts').notNull().default(0),
    /** The session's `updated_at` when it was last asked: a later one asks again. */
    sessionUpdatedAt: text('session_updated_at'),
    /** When the stored transcript was fetched; null until one is. */
    fetchedAt: text('fetched_at'),
    /** When the API was last asked (or the reason decided). */
    checkedAt: text('checked_at').notNull(),
    /** Counts over the stored messages, for `sessions_flat` and the report. */
    messageCount: integer('message_count'),
    userMessages: integer('user_messages'),
    personaMessages: integer('persona_messages'),
    interruptions: integer('interruptions'),
    userSpeakingSeconds: real('user_speaking_seconds'),
    personaSpeakingSeconds: real('persona_speaking_seconds'),
    /** The whole answer as JSON (redacted by the contract's rule). */
    raw: text('raw'),
}, (t) => [index('transcripts_status').on(t.status)]);
/** The messages of stored transcripts, in order. `interrupted` is null where the API left it out. */
export const transcriptMessages = sqliteTable('transcript_messages', {
    sessionId: text('session_id').notNull(),
    position: integer('position').notNull(),
    role: text('role').notNull(),
    message: text('message').notNull(),
    timestamp: text('timestamp'),
    speakingDurationSeconds: real('speaking_duration_seconds'),
    interrupted: integer('interrupted', { mode: 'boolean' }),
}, 
// Per-session reads go by the key; the report's questions read the counts kept in `transcripts`.
(t) => [primaryKey({ columns: [t.sessionId, t.position] })]);
//# sourceMappingURL=schema.js.map