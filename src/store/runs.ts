/**
 * Run records (`sync_runs`) and bookmarks per scope (`sync_state`). Small verb-named functions over
 * prepared SQL, testable without any HTTP. The sync lock is in lock.ts.
 */
import type { SessionFilters } from '../api/types.js';
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
  /** The count difference a full scan left (see schema.ts `countResidual`), or null. */
  countResidual: number | null;
  residualSince: string | null;
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
         last_full_sync_at AS lastFullSyncAt, last_full_run_id AS lastFullRunId, last_run_id AS lastRunId,
         count_residual AS countResidual, residual_since AS residualSince
       FROM sync_state WHERE scope = ?`,
    )
    .get(scope) as Bookmark | undefined;
  return row ?? null;
}

/**
 * Moves a scope's bookmarks after a complete run. The newest createdAt never moves backwards;
 * the full-sync time moves only after a complete full scan. The residual is the run's (null: the
 * counts agreed); its start time stays while its value does.
 */
export function advanceBookmark(
  db: Db,
  filters: SessionFilters,
  update: { newestCreatedAt: string | null; completeAt: string; fullSync: boolean; runId: number; residual: number | null },
): void {
  db.prepare(
    `INSERT INTO sync_state (scope, persona_id, api_key_id, search, newest_created_at, last_complete_at,
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
       count_residual = excluded.count_residual`,
  ).run({
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
