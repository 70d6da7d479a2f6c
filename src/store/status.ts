/**
 * What `status` reports, read from the database: sessions, the lock, the last runs, bookmarks,
 * open warnings and each scope's health (store/health.ts). Reads only.
 */
import type { Db } from './db.js';
import { countSessions, displayedStatus, heldRunId, readScopeHealth, type ScopeHealth } from './health.js';
import { isLockStale, readLockHolder } from './lock.js';
import { listOpenWarnings, type OpenWarning } from './warnings.js';

/** The numbers `status` reports. */
export interface StatusReport {
  database: string;
  sessions: { stored: number; live: number; open: number; deleted: number };
  rejectedRecords: number;
  /** The sync lock's holder; `stale` when it is gone (the next sync takes the lock over). */
  lock: { pid: number; hostname: string; startedAt: string; heartbeatAt: string; stale: boolean } | null;
  /** The last five runs; a `running` one whose sync is gone shows as `abandoned`. */
  lastRuns: Array<Record<string, unknown>>;
  bookmarks: Array<Record<string, unknown>>;
  /** Warnings the last run of each scope left open (see store/warnings.ts). */
  warnings: OpenWarning[];
  /** Each scope's health: the numbers `status --check` and `sync --metrics-file` use. */
  scopes: ScopeHealth[];
}

/** Reads the status report from an open database. */
export function readStatus(db: Db, path: string, now: Date = new Date()): StatusReport {
  const sessions = countSessions(db);
  const rejectedRecords = db.prepare('SELECT count(*) FROM rejected_records').pluck().get() as number;
  const holder = readLockHolder(db);
  const lock = holder ? { ...holder, stale: isLockStale(holder, now) } : null;
  const held = heldRunId(db, now);
  const lastRuns = (
    db
      .prepare(
        `SELECT id AS runId, started_at AS startedAt, finished_at AS finishedAt, status, mode, scope, requests, retries,
           pages, seen, inserted, updated, unchanged, stale, rejected, deleted, duration_ms AS durationMs, error
         FROM sync_runs ORDER BY id DESC LIMIT 5`,
      )
      .all() as Array<Record<string, unknown> & { runId: number; status: string }>
  ).map((run) => ({ ...run, status: displayedStatus(run.status, run.runId, held) }));
  const bookmarks = db
    .prepare(
      `SELECT scope, newest_created_at AS newestCreatedAt, last_complete_at AS lastCompleteAt,
         last_full_sync_at AS lastFullSyncAt, last_run_id AS lastRunId,
         count_residual AS countResidual, residual_since AS residualSince
       FROM sync_state ORDER BY scope`,
    )
    .all() as Array<Record<string, unknown>>;
  return {
    database: path,
    sessions,
    rejectedRecords,
    lock,
    lastRuns,
    bookmarks,
    warnings: listOpenWarnings(db),
    scopes: readScopeHealth(db, now),
  };
}

/**
 * The verdict of `status --check`: healthy when every scope's last successful sync is younger than
 * `maxAgeMs`, its last run did not fail, and no warning is open. The line names every problem.
 */
export function checkHealth(scopes: readonly ScopeHealth[], now: Date, maxAgeMs: number, maxAgeText: string): { ok: boolean; line: string } {
  if (scopes.length === 0) return { ok: false, line: 'no sync has run on this database yet' };
  const problems: string[] = [];
  for (const scope of scopes) {
    const name = scope.scope === '' ? 'all sessions' : scope.scope;
    if (scope.lastSuccessAt === null) {
      problems.push(`${name}: no successful sync yet`);
    } else {
      const ageMs = now.getTime() - Date.parse(scope.lastSuccessAt);
      if (ageMs > maxAgeMs) problems.push(`${name}: last successful sync ${formatAge(ageMs)} ago (--max-age ${maxAgeText})`);
    }
    if (scope.lastRunStatus === 'failed' || scope.lastRunStatus === 'abandoned' || scope.lastRunStatus === 'interrupted') {
      problems.push(`${name}: last run ${scope.lastRunStatus}${scope.lastRunError ? ` (${scope.lastRunError})` : ''}`);
    }
    for (const warning of scope.warnings) problems.push(`${name}: warning ${warning.code}: ${warning.message}`);
  }
  if (problems.length > 0) return { ok: false, line: problems.join('; ') };
  return { ok: true, line: `OK: ${scopes.length} scope(s) synced within ${maxAgeText}, no open warnings` };
}

function formatAge(ms: number): string {
  const minutes = ms / 60_000;
  // Under a minute in seconds: "0 min ago" over a --max-age of seconds would read as in time.
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}
