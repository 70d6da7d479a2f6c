/**
 * Questions about the stored sessions of one scope, by its scope key (see runs.ts `scopeKey`):
 * '' is every session; a filtered scope is the sessions its own list responses named
 * (`scope_members`), never a local guess at how the API matches its filters.
 */
import type { Db } from './db.js';

/** A WHERE fragment over `sessions s` that keeps the scope's members, with its parameters. */
function memberOf(scope: string, column = 's.id'): { sql: string; params: string[] } {
  if (scope === '') return { sql: '1', params: [] };
  return { sql: `${column} IN (SELECT id FROM scope_members WHERE scope = ?)`, params: [scope] };
}

/** Stored sessions of the scope that are not marked deleted. */
export function countLive(db: Db, scope: string): number {
  const where = memberOf(scope);
  return db.prepare(`SELECT count(*) FROM sessions s WHERE s.deleted_at IS NULL AND ${where.sql}`).pluck().get(...where.params) as number;
}

/**
 * Records of the scope the API lists but validation rejected, seen since run `sinceRunId` and never
 * stored since: the API counts them, the sessions table cannot. In a filtered scope only records
 * with an id can be told apart as members.
 */
export function countRejected(db: Db, scope: string, sinceRunId: number): number {
  const where = memberOf(scope, 'r.session_id');
  return db
    .prepare(
      `SELECT count(DISTINCT coalesce(r.session_id, r.raw)) FROM rejected_records r
       WHERE r.run_id >= ? AND ${where.sql}
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = r.session_id)`,
    )
    .pluck()
    .get(sinceRunId, ...where.params) as number;
}

/**
 * Ids of live sessions of the scope, stored before `runStartedAt`, that this run has not read
 * (the `seen` temp table), optionally only the open ones (no end time).
 */
export function unseenLiveIds(db: Db, scope: string, runStartedAt: string, onlyOpen: boolean): string[] {
  const where = memberOf(scope);
  return db
    .prepare(
      // The open ones are a handful among many: their partial index, not a scan of the live ones.
      `SELECT s.id FROM sessions s ${onlyOpen ? 'INDEXED BY sessions_open' : ''}
       WHERE s.deleted_at IS NULL ${onlyOpen ? 'AND s.end_time IS NULL' : ''} AND ${where.sql}
         AND s.first_synced_at < ? AND s.id NOT IN (SELECT id FROM temp.seen)
       ORDER BY s.id`,
    )
    .pluck()
    .all(...where.params, runStartedAt) as string[];
}
