import {
  isLockStale,
  readLockHolder
} from "./chunk-IUG6GPWO.js";

// dist/store/health.js
function countSessions(db) {
  const row = db.prepare(`SELECT (SELECT count(*) FROM sessions) AS stored,
         (SELECT count(*) FROM sessions WHERE deleted_at IS NOT NULL) AS deleted,
         (SELECT count(*) FROM sessions WHERE end_time IS NULL AND deleted_at IS NULL) AS open`).get();
  return { stored: row.stored, live: row.stored - row.deleted, open: row.open, deleted: row.deleted };
}
function heldRunId(db, now) {
  const holder = readLockHolder(db);
  if (holder === null || isLockStale(holder, now))
    return null;
  return db.prepare("SELECT run_id FROM sync_lock WHERE id = 1").pluck().get() ?? null;
}
function displayedStatus(status, runId, held) {
  return status === "running" && runId !== held ? "abandoned" : status;
}
function readScopeHealth(db, now = /* @__PURE__ */ new Date()) {
  const held = heldRunId(db, now);
  const scopes = db.prepare(`SELECT scope FROM sync_runs UNION SELECT scope FROM sync_state ORDER BY scope`).pluck().all();
  const totals = db.prepare(`SELECT max(CASE WHEN status = 'succeeded' THEN finished_at END) AS lastSuccessAt,
       coalesce(sum(requests), 0) AS requestsTotal, coalesce(sum(retries), 0) AS retriesTotal
     FROM sync_runs WHERE scope = ?`);
  const latest = db.prepare(`SELECT id, coalesce(finished_at, started_at) AS at, status, error, duration_ms AS durationMs
     FROM sync_runs WHERE scope = ? ORDER BY id DESC LIMIT 1`);
  const memberSessions = db.prepare(`SELECT coalesce(sum(s.deleted_at IS NULL), 0) AS live, coalesce(sum(s.deleted_at IS NULL AND s.end_time IS NULL), 0) AS open,
       coalesce(sum(s.deleted_at IS NOT NULL), 0) AS deleted
     FROM scope_members m JOIN sessions s ON s.id = m.id WHERE m.scope = ?`);
  const allRejected = db.prepare("SELECT count(*) FROM rejected_records").pluck();
  const memberRejected = db.prepare("SELECT count(*) FROM rejected_records WHERE session_id IN (SELECT id FROM scope_members WHERE scope = ?)").pluck();
  const warnings = db.prepare("SELECT code, message FROM open_warnings WHERE scope = ? ORDER BY code");
  return scopes.map((scope) => {
    const total = totals.get(scope);
    const last = latest.get(scope);
    return {
      scope,
      lastRunAt: last?.at ?? null,
      lastRunStatus: last === void 0 ? null : displayedStatus(last.status, last.id, held),
      lastRunError: last?.error ?? null,
      lastRunDurationMs: last?.durationMs ?? null,
      lastSuccessAt: total.lastSuccessAt,
      requestsTotal: total.requestsTotal,
      retriesTotal: total.retriesTotal,
      sessions: scope === "" ? liveOpenDeleted(countSessions(db)) : memberSessions.get(scope),
      rejectedRecords: scope === "" ? allRejected.get() : memberRejected.get(scope),
      warnings: warnings.all(scope)
    };
  });
}
function liveOpenDeleted({ live, open, deleted }) {
  return { live, open, deleted };
}

// dist/store/warnings.js
function openWarningsOf(db, scope) {
  const rows = db.prepare(`SELECT code, message FROM open_warnings WHERE scope = ?`).all(scope);
  return new Map(rows.map((row) => [row.code, row.message]));
}
function listOpenWarnings(db) {
  return db.prepare(`SELECT scope, code, message, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt, run_id AS runId
       FROM open_warnings ORDER BY scope, code`).all();
}
function saveWarnings(db, scope, runId, now, warnings, complete) {
  const upsert = db.prepare(`INSERT INTO open_warnings (scope, code, message, first_seen_at, last_seen_at, run_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, code) DO UPDATE SET
       first_seen_at = CASE WHEN message IS excluded.message THEN first_seen_at ELSE excluded.first_seen_at END,
       message = excluded.message, last_seen_at = excluded.last_seen_at, run_id = excluded.run_id`);
  db.transaction(() => {
    if (complete) {
      db.prepare(`DELETE FROM open_warnings WHERE scope = ? AND code NOT IN (SELECT value FROM json_each(?))`).run(scope, JSON.stringify(warnings.map((warning) => warning.code)));
    }
    for (const warning of warnings)
      upsert.run(scope, warning.code, warning.message, now, now, runId);
  })();
}

export {
  countSessions,
  heldRunId,
  displayedStatus,
  readScopeHealth,
  openWarningsOf,
  listOpenWarnings,
  saveWarnings
};
//# sourceMappingURL=chunk-K4KUVLML.js.map
