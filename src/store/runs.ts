/**
 * Run records (`sync_runs`), bookmarks per scope (`sync_state`) and the one-sync-per-database lock
 * (`sync_lock`). Small verb-named functions over prepared SQL, testable without any HTTP.
 */
import { hostname } from 'node:os';
import type { SessionFilters } from '../api/types.js';
import { LockedError } from '../errors.js';
import { isAlive } from '../process.js';
import type { Db } from './db.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted' | 'abandoned';
export type RunMode = 'full' | 'incremental';

/** The counters of a run, as stored in `sync_runs` and printed by `--json`. */
export interface RunCounters {
  requests: number;
  retries: number;
  pages: number;
  seen: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  deleted: number;
}

/** The bookmarks of one scope. */
export interface Bookmark {
  scope: string;
  newestCreatedAt: string | null;
  lastCompleteAt: string | null;
  lastFullSyncAt: string | null;
  lastFullRunId: number | null;
  lastRunId: number | null;
}

/** The key of a set of filters: '' when unfiltered, else its filters in a fixed order. */
export function scopeKey(filters: SessionFilters): string {
  const parts: string[] = [];
  if (filters.personaId !== undefined) parts.push(`personaId=${encodeURIComponent(filters.personaId)}`);
  if (filters.apiKeyId !== undefined) parts.push(`apiKeyId=${encodeURIComponent(filters.apiKeyId)}`);
  if (filters.search !== undefined) parts.push(`search=${encodeURIComponent(filters.search)}`);
  return parts.join('&');
}

/** Marks `running` rows left by killed processes as `abandoned`. Call only while holding the lock. */
export function abandonLeftoverRuns(db: Db, now: string): number {
  return db
    .prepare(`UPDATE sync_runs SET status = 'abandoned', finished_at = ?, error = 'the process ended without finishing the run' WHERE status = 'running'`)
    .run(now).changes;
}

/** Records the start of a run and returns its id. */
export function startRun(db: Db, mode: RunMode, filters: SessionFilters, now: string): number {
  const result = db
    .prepare(
      `INSERT INTO sync_runs (started_at, status, mode, scope, persona_id, api_key_id, search, pid)
       VALUES (?, 'running', ?, ?, ?, ?, ?, ?)`,
    )
    .run(now, mode, scopeKey(filters), filters.personaId ?? null, filters.apiKeyId ?? null, filters.search ?? null, process.pid);
  return Number(result.lastInsertRowid);
}

/** Saves a run's counters so far (also while it runs, so a killed run still shows its progress). */
export function saveCounters(db: Db, runId: number, counters: RunCounters, mode?: RunMode): void {
  db.prepare(
    `UPDATE sync_runs SET requests = @requests, retries = @retries, pages = @pages, seen = @seen, inserted = @inserted,
       updated = @updated, unchanged = @unchanged, stale = @stale, rejected = @rejected, deleted = @deleted,
       mode = coalesce(@mode, mode)
     WHERE id = @id`,
  ).run({ ...counters, mode: mode ?? null, id: runId });
}

/** Records how a run ended. */
export function finishRun(
  db: Db,
  runId: number,
  end: { status: Exclude<RunStatus, 'running'>; finishedAt: string; durationMs: number; error?: string; notes?: string[] },
): void {
  db.prepare(`UPDATE sync_runs SET status = ?, finished_at = ?, duration_ms = ?, error = ?, notes = ? WHERE id = ?`).run(
    end.status,
    end.finishedAt,
    end.durationMs,
    end.error ?? null,
    end.notes && end.notes.length > 0 ? JSON.stringify(end.notes) : null,
    runId,
  );
}

/** The bookmarks of a scope, or null before its first complete run. */
export function readBookmark(db: Db, scope: string): Bookmark | null {
  const row = db
    .prepare(
      `SELECT scope, newest_created_at AS newestCreatedAt, last_complete_at AS lastCompleteAt,
         last_full_sync_at AS lastFullSyncAt, last_full_run_id AS lastFullRunId, last_run_id AS lastRunId
       FROM sync_state WHERE scope = ?`,
    )
    .get(scope) as Bookmark | undefined;
  return row ?? null;
}

/**
 * Moves a scope's bookmarks after a complete run. The newest createdAt never moves backwards;
 * the full-sync time moves only after a complete full scan.
 */
export function advanceBookmark(
  db: Db,
  filters: SessionFilters,
  update: { newestCreatedAt: string | null; completeAt: string; fullSync: boolean; runId: number },
): void {
  db.prepare(
    `INSERT INTO sync_state (scope, persona_id, api_key_id, search, newest_created_at, last_complete_at,
       last_full_sync_at, last_full_run_id, last_run_id)
     VALUES (@scope, @personaId, @apiKeyId, @search, @newest, @completeAt,
       CASE WHEN @full THEN @completeAt END, CASE WHEN @full THEN @runId END, @runId)
     ON CONFLICT (scope) DO UPDATE SET
       newest_created_at = CASE WHEN newest_created_at IS NULL OR excluded.newest_created_at > newest_created_at
                                THEN excluded.newest_created_at ELSE newest_created_at END,
       last_complete_at = excluded.last_complete_at,
       last_full_sync_at = CASE WHEN @full THEN excluded.last_complete_at ELSE last_full_sync_at END,
       last_full_run_id = CASE WHEN @full THEN excluded.last_run_id ELSE last_full_run_id END,
       last_run_id = excluded.last_run_id`,
  ).run({
    scope: scopeKey(filters),
    personaId: filters.personaId ?? null,
    apiKeyId: filters.apiKeyId ?? null,
    search: filters.search ?? null,
    newest: update.newestCreatedAt,
    completeAt: update.completeAt,
    full: update.fullSync ? 1 : 0,
    runId: update.runId,
  });
}

/** The holder of the sync lock, as stored. */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  heartbeatAt: string;
}

/** A held lock: beat it now and then, release it at the end. */
export interface SyncLock {
  heartbeat(now: string): void;
  release(): void;
}

/** A lock whose heartbeat is older than this is taken over even if its pid looks alive. */
export const LOCK_EXPIRY_MS = 120_000;

/** Whether a lock's holder is gone: its pid is dead on this host, or its heartbeat expired. */
export function isLockStale(holder: LockHolder, now: Date, expireMs: number = LOCK_EXPIRY_MS): boolean {
  const deadHere = holder.hostname === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);
  return deadHere || now.getTime() - Date.parse(holder.heartbeatAt) > expireMs;
}

/**
 * Takes the one-sync-per-database lock, or throws LockedError naming the holder. A holder that is
 * gone (see {@link isLockStale}) is taken over.
 */
export function acquireLock(db: Db, now: Date, expireMs: number = LOCK_EXPIRY_MS): SyncLock {
  const host = hostname();
  const take = db.transaction(() => {
    const holder = db
      .prepare(`SELECT pid, hostname, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM sync_lock WHERE id = 1`)
      .get() as LockHolder | undefined;
    if (holder) {
      if (!isLockStale(holder, now, expireMs)) {
        throw new LockedError(
          `another sync holds this database (pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}); nothing was changed`,
        );
      }
    }
    const iso = now.toISOString();
    db.prepare(
      `INSERT INTO sync_lock (id, pid, hostname, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname,
         started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, run_id = NULL`,
    ).run(process.pid, host, iso, iso);
  });
  // IMMEDIATE: two processes reading "free" at once cannot both write it.
  take.immediate();
  const beat = db.prepare(`UPDATE sync_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ?`);
  const release = db.prepare(`DELETE FROM sync_lock WHERE id = 1 AND pid = ?`);
  return {
    heartbeat: (iso) => void beat.run(iso, process.pid),
    release: () => void release.run(process.pid),
  };
}
