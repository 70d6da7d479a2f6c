/**
 * Questions about the stored sessions of one scope (a set of filters), asked the way the API
 * filters: persona and API key exactly, `search` as a case-insensitive substring of id or label.
 */
import type { SessionFilters } from '../api/types.js';
import type { Db } from './db.js';

/** A WHERE fragment over `sessions` (aliased `s`, or `prefix`) for a scope, with its parameters. */
export function scopeCondition(filters: SessionFilters, column: (name: string) => string = (name) => `s.${name}`): { sql: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (filters.personaId !== undefined) {
    clauses.push(`${column('persona_id')} = ?`);
    params.push(filters.personaId);
  }
  if (filters.apiKeyId !== undefined) {
    clauses.push(`${column('api_key_id')} = ?`);
    params.push(filters.apiKeyId);
  }
  if (filters.search !== undefined) {
    clauses.push(`(instr(lower(${column('id')}), lower(?)) > 0 OR instr(lower(coalesce(${column('client_label')}, '')), lower(?)) > 0)`);
    params.push(filters.search, filters.search);
  }
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : '1', params };
}

/** Stored sessions of the scope that are not marked deleted. */
export function countLive(db: Db, filters: SessionFilters): number {
  const where = scopeCondition(filters);
  return db.prepare(`SELECT count(*) FROM sessions s WHERE s.deleted_at IS NULL AND ${where.sql}`).pluck().get(...where.params) as number;
}

/**
 * Records of the scope the API lists but validation rejected, seen since run `sinceRunId` and never
 * stored since: the API counts them, the sessions table cannot.
 */
export function countRejected(db: Db, filters: SessionFilters, sinceRunId: number): number {
  const where = scopeCondition(filters, (name) =>
    name === 'id' ? 'r.session_id' : `json_extract(r.raw, '$.${camel(name)}')`,
  );
  return db
    .prepare(
      `SELECT count(DISTINCT coalesce(r.session_id, r.raw)) FROM rejected_records r
       WHERE r.run_id >= ? AND ${where.sql}
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = r.session_id)`,
    )
    .pluck()
    .get(sinceRunId, ...where.params) as number;
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Ids of live sessions of the scope, stored before `runStartedAt`, that this run has not read
 * (the `seen` temp table), optionally only the open ones (no end time).
 */
export function unseenLiveIds(db: Db, filters: SessionFilters, runStartedAt: string, onlyOpen: boolean): string[] {
  const where = scopeCondition(filters);
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
