/** The key of a set of filters: '' when unfiltered, else its filters in a fixed order. */
export function scopeKey(filters) {
    const parts = [];
    if (filters.personaId !== undefined)
        parts.push(`personaId=${encodeURIComponent(filters.personaId)}`);
    if (filters.apiKeyId !== undefined)
        parts.push(`apiKeyId=${encodeURIComponent(filters.apiKeyId)}`);
    if (filters.search !== undefined)
        parts.push(`search=${encodeURIComponent(filters.search)}`);
    return parts.join('&');
}
/** Marks `running` rows left by killed processes as `abandoned`. Call only while holding the lock. */
export function abandonLeftoverRuns(db, now) {
    return db
        .prepare(`UPDATE sync_runs SET status = 'abandoned', finished_at = ?, error = 'the process ended without finishing the run' WHERE status = 'running'`)
        .run(now).changes;
}
/** Records the start of a run and returns its id. */
export function startRun(db, mode, filters, now) {
    const result = db
        .prepare(`INSERT INTO sync_runs (started_at, status, mode, scope, persona_id, api_key_id, search, pid)
       VALUES (?, 'running', ?, ?, ?, ?, ?, ?)`)
        .run(now, mode, scopeKey(filters), filters.personaId ?? null, filters.apiKeyId ?? null, filters.search ?? null, process.pid);
    return Number(result.lastInsertRowid);
}
/** Saves a run's counters so far (also while it runs, so a killed run still shows its progress). */
export function saveCounters(db, runId, counters, mode) {
    db.prepare(`UPDATE sync_runs SET requests = @requests, retries = @retries, pages = @pages, seen = @seen, inserted = @inserted,
       updated = @updated, unchanged = @unchanged, stale = @stale, rejected = @rejected, deleted = @deleted,
       mode = coalesce(@mode, mode)
     WHERE id = @id`).run({ ...counters, mode: mode ?? null, id: runId });
}
/** Records how a run ended. */
export function finishRun(db, runId, end) {
    db.prepare(`UPDATE sync_runs SET status = ?, finished_at = ?, duration_ms = ?, error = ?, notes = ? WHERE id = ?`).run(end.status, end.finishedAt, end.durationMs, end.error ?? null, end.notes && end.notes.length > 0 ? JSON.stringify(end.notes) : null, runId);
}
/** The bookmarks of a scope, or null before its first complete run. */
export function readBookmark(db, scope) {
    const row = db
        .prepare(`SELECT scope, newest_created_at AS newestCreatedAt, last_complete_at AS lastCompleteAt,
         last_full_sync_at AS lastFullSyncAt, last_full_run_id AS lastFullRunId, last_run_id AS lastRunId,
         count_residual AS countResidual, residual_since AS residualSince
       FROM sync_state WHERE scope = ?`)
        .get(scope);
    return row ?? null;
}
/**
 * Moves a scope's bookmarks after a complete run. The newest createdAt never moves backwards;
 * the full-sync time moves only after a complete full scan. The residual is the run's (null: the
 * counts agreed); its start time stays while its value does.
 */
export function advanceBookmark(db, filters, update) {
    db.prepare(`INSERT INTO sync_state (scope, persona_id, api_key_id, search, newest_created_at, last_complete_at,
       last_full_sync_at, last_full_run_id, last_run_id, count_residual, residual_since)
     VALUES (@scope, @personaId, @apiKeyId, @search, @newest, @completeAt,
       CASE WHEN @full THEN @completeAt END, CASE WHEN @full THEN @runId END, @runId,
       @residual, CASE WHEN @residual IS NOT NULL THEN @completeAt END)
     ON CONFLICT (scope) DO UPDATE SET
       newest_created_at = CASE WHEN newest_created_at IS NULL OR excluded.newest_created_at > newest_created_at
                                THEN excluded.newest_created_at ELSE newest_created_at END,
       last_complete_at = excluded.last_complete_at,
       last_full_sync_at = CASE WHEN @full THEN excluded.last_complete_at ELSE last_full_sync_at END,
       last_full_run_id = CASE WHEN @full THEN excluded.last_run_id ELSE last_full_run_id END,
       last_run_id = excluded.last_run_id,
       residual_since = CASE WHEN excluded.count_residual IS NULL THEN NULL
                             WHEN count_residual IS excluded.count_residual THEN residual_since
                             ELSE excluded.residual_since END,
       count_residual = excluded.count_residual`).run({
        scope: scopeKey(filters),
        personaId: filters.personaId ?? null,
        apiKeyId: filters.apiKeyId ?? null,
        search: filters.search ?? null,
        newest: update.newestCreatedAt,
        completeAt: update.completeAt,
        full: update.fullSync ? 1 : 0,
        runId: update.runId,
        residual: update.residual,
    });
}
//# sourceMappingURL=runs.js.map