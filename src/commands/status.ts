/**
 * `anam-sync status`: what the database holds and how the last runs went, for people (text) and
 * scripts (`--json`). Reads only (a read-only connection, never a migration); works while a sync runs (WAL readers do not wait for writers).
 */
import { commonConfig } from '../config.js';
import { asDatabaseError, openForReading, type Db } from '../store/db.js';
import { isLockStale, type LockHolder } from '../store/lock.js';
import { listOpenWarnings, type OpenWarning } from '../store/warnings.js';
import type { CommandContext } from './context.js';

/** The numbers `status` reports. */
export interface StatusReport {
  database: string;
  sessions: { stored: number; live: number; open: number; deleted: number };
  rejectedRecords: number;
  /** The sync lock's holder; `stale` when it is gone (the next sync takes the lock over). */
  lock: { pid: number; hostname: string; startedAt: string; heartbeatAt: string; stale: boolean } | null;
  lastRuns: Array<Record<string, unknown>>;
  bookmarks: Array<Record<string, unknown>>;
  /** Warnings the last run of each scope left open (see store/warnings.ts). */
  warnings: OpenWarning[];
}

/** Reads the status report from an open database. */
export function readStatus(db: Db, path: string): StatusReport {
  const sessions = db
    .prepare(
      `SELECT count(*) AS stored,
         coalesce(sum(deleted_at IS NULL), 0) AS live,
         coalesce(sum(deleted_at IS NULL AND end_time IS NULL), 0) AS open,
         coalesce(sum(deleted_at IS NOT NULL), 0) AS deleted
       FROM sessions`,
    )
    .get() as StatusReport['sessions'];
  const rejectedRecords = db.prepare('SELECT count(*) FROM rejected_records').pluck().get() as number;
  const holder = db
    .prepare('SELECT pid, hostname, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM sync_lock WHERE id = 1')
    .get() as LockHolder | undefined;
  const lock = holder ? { ...holder, stale: isLockStale(holder, new Date()) } : null;
  const lastRuns = db
    .prepare(
      `SELECT id AS runId, started_at AS startedAt, finished_at AS finishedAt, status, mode, scope, requests, retries,
         pages, seen, inserted, updated, unchanged, stale, rejected, deleted, duration_ms AS durationMs, error
       FROM sync_runs ORDER BY id DESC LIMIT 5`,
    )
    .all() as Array<Record<string, unknown>>;
  const bookmarks = db
    .prepare(
      `SELECT scope, newest_created_at AS newestCreatedAt, last_complete_at AS lastCompleteAt,
         last_full_sync_at AS lastFullSyncAt, last_run_id AS lastRunId,
         count_residual AS countResidual, residual_since AS residualSince
       FROM sync_state ORDER BY scope`,
    )
    .all() as Array<Record<string, unknown>>;
  return { database: path, sessions, rejectedRecords, lock, lastRuns, bookmarks, warnings: listOpenWarnings(db) };
}

export async function statusCommand({ argv, env, stdout }: CommandContext): Promise<number> {
  const config = commonConfig(argv, env);
  const db = openForReading(config.db);
  try {
    let report: StatusReport;
    try {
      report = readStatus(db, config.db);
    } catch (error) {
      throw asDatabaseError(error, config.db);
    }
    stdout.write(argv.json === true ? `${JSON.stringify(report)}\n` : formatStatus(report));
    return 0;
  } finally {
    db.close();
  }
}

/** The status report as a few readable lines. */
export function formatStatus(report: StatusReport): string {
  const s = report.sessions;
  const lines = [
    `database  ${report.database}`,
    `sessions  ${s.live} live (${s.open} open), ${s.deleted} deleted, ${s.stored} stored in all`,
    `rejected  ${report.rejectedRecords} records (see the rejected_records table)`,
  ];
  if (report.lock?.stale) {
    lines.push(`lock      left by pid ${report.lock.pid} on ${report.lock.hostname}, which is gone; the next sync takes it over`);
  } else if (report.lock) {
    lines.push(`running   a sync holds the database: pid ${report.lock.pid} on ${report.lock.hostname} since ${report.lock.startedAt}`);
  }
  lines.push('', 'bookmarks (per scope)');
  if (report.bookmarks.length === 0) lines.push('  none yet: no sync has completed');
  for (const b of report.bookmarks) {
    lines.push(
      `  ${b.scope === '' ? '(all sessions)' : String(b.scope)}: newest createdAt ${b.newestCreatedAt ?? '-'}, ` +
        `last complete ${b.lastCompleteAt ?? '-'}, last full ${b.lastFullSyncAt ?? '-'}`,
    );
    if (b.countResidual !== null) {
      lines.push(
        `    warning: the API's count differs by ${b.countResidual} from what its pages list (since ${b.residualSince}); ` +
          'a full scan could not close it',
      );
    }
  }
  if (report.warnings.length > 0) {
    lines.push('', 'open warnings');
    for (const w of report.warnings) {
      lines.push(`  ${w.scope === '' ? '(all sessions)' : w.scope}: ${w.code}: ${w.message} (since ${w.firstSeenAt})`);
    }
  }
  lines.push('', 'last runs');
  if (report.lastRuns.length === 0) lines.push('  none');
  for (const r of report.lastRuns) {
    lines.push(
      `  #${r.runId} ${r.startedAt} ${r.status} ${r.mode}${r.scope ? ` [${r.scope}]` : ''}: ${r.seen} seen, ${r.inserted} inserted, ` +
        `${r.updated} updated, ${r.deleted} deleted, ${r.requests} requests${r.error ? ` — ${r.error}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
