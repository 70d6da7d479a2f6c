import { isLockStale, readLockHolder } from './lock.js';
/**
 * Sessions stored, live, open and deleted, from indexes only: every row holds its JSON, so a
 * count that reads the rows reads the whole file (0.2 s per pass at 200k sessions).
 */
export function countSessions(db) {
    const row = db
        .prepare(`SELECT (SELECT count(*) FROM sessions) AS stored,
         (SELECT count(*) FROM sessions WHERE deleted_at IS NOT NULL) AS deleted,
         (SELECT count(*) FROM sessions WHERE end_time IS NULL AND deleted_at IS NULL) AS open`)
        .get();
    return { stored: row.stored, live: row.stored - row.deleted, open: row.open, deleted: row.deleted };
}
/** The run ids a live sync holds (its lock names its run), for telling `running` from `abandoned`. */
export function heldRunId(db, now) {
    const holder = readLockHolder(db);
    if (holder === null || isLockStale(holder, now))
        return null;
    return db.prepare('SELECT run_id FROM sync_lock WHERE id = 1').pluck().get() ?? null;
}
/** A run's status as a person should read it: `running` only while its sync still holds the lock. */
export function displayedStatus(status, runId, held) {
    return status === 'running' && runId !== held ? 'abandoned' : status;
}
/** Every scope that has a run or a bookmark, unfiltered ('') first. */
export function readScopeHealth(db, now = new Date()) {
    const held = heldRunId(db, now);
    const scopes = db
        .prepare(`SELECT scope FROM sync_runs UNION SELECT scope FROM sync_state ORDER BY scope`)
        .pluck()
        .all();
    const totals = db.prepare(`SELECT max(CASE WHEN status = 'succeeded' THEN finished_at END) AS lastSuccessAt,
       coalesce(sum(requests), 0) AS requestsTotal, coalesce(sum(retries), 0) AS retriesTotal
     FROM sync_runs WHERE scope = ?`);
    const latest = db.prepare(`SELECT id, coalesce(finished_at, started_at) AS at, status, error, duration_ms AS durationMs
     FROM sync_runs WHERE scope = ? ORDER BY id DESC LIMIT 1`);
    const memberSessions = db.prepare(`SELECT coalesce(sum(s.deleted_at IS NULL), 0) AS live, coalesce(sum(s.deleted_at IS NULL AND s.end_time IS NULL), 0) AS open,
       coalesce(sum(s.deleted_at IS NOT NULL), 0) AS deleted
     FROM scope_members m JOIN sessions s ON s.id = m.id WHERE m.scope = ?`);
    const allRejected = db.prepare('SELECT count(*) FROM rejected_records').pluck();
    const memberRejected = db
        .prepare('SELECT count(*) FROM rejected_records WHERE session_id IN (SELECT id FROM scope_members WHERE scope = ?)')
        .pluck();
    const warnings = db.prepare('SELECT code, message FROM open_warnings WHERE scope = ? ORDER BY code');
    return scopes.map((scope) => {
        const total = totals.get(scope);
        const last = latest.get(scope);
        return {
            scope,
            lastRunAt: last?.at ?? null,
            lastRunStatus: last === undefined ? null : displayedStatus(last.status, last.id, held),
            lastRunError: last?.error ?? null,
            lastRunDurationMs: last?.durationMs ?? null,
            lastSuccessAt: total.lastSuccessAt,
            requestsTotal: total.requestsTotal,
            retriesTotal: total.retriesTotal,
            sessions: scope === '' ? liveOpenDeleted(countSessions(db)) : memberSessions.get(scope),
            rejectedRecords: (scope === '' ? allRejected.get() : memberRejected.get(scope)),
            warnings: warnings.all(scope),
        };
    });
}
function liveOpenDeleted({ live, open, deleted }) {
    return { live, open, deleted };
}
//# sourceMappingURL=health.js.map