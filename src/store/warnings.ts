/**
 * The warnings each scope's last run left open (`open_warnings`): read at the start of a run, so a
 * warning that has not changed is not shouted again, and replaced at its end.
 */
import type { Db } from './db.js';

/** A warning as stored. */
export interface OpenWarning {
  scope: string;
  code: string;
  message: string;
  firstSeenAt: string;
  lastSeenAt: string;
  runId: number;
}

/** The open warnings of one scope, by code. */
export function openWarningsOf(db: Db, scope: string): Map<string, string> {
  const rows = db.prepare(`SELECT code, message FROM open_warnings WHERE scope = ?`).all(scope) as Array<{ code: string; message: string }>;
  return new Map(rows.map((row) => [row.code, row.message]));
}

/** Every open warning, for `status`. */
export function listOpenWarnings(db: Db): OpenWarning[] {
  return db
    .prepare(
      `SELECT scope, code, message, first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt, run_id AS runId
       FROM open_warnings ORDER BY scope, code`,
    )
    .all() as OpenWarning[];
}

/**
 * Records a run's warnings for its scope. A complete run (`complete`) closes the ones it did not
 * see again; a failed one only adds. A warning keeps its first time while its message stays.
 */
export function saveWarnings(
  db: Db,
  scope: string,
  runId: number,
  now: string,
  warnings: ReadonlyArray<{ code: string; message: string }>,
  complete: boolean,
): void {
  const upsert = db.prepare(
    `INSERT INTO open_warnings (scope, code, message, first_seen_at, last_seen_at, run_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, code) DO UPDATE SET
       first_seen_at = CASE WHEN message IS excluded.message THEN first_seen_at ELSE excluded.first_seen_at END,
       message = excluded.message, last_seen_at = excluded.last_seen_at, run_id = excluded.run_id`,
  );
  db.transaction(() => {
    if (complete) {
      db.prepare(`DELETE FROM open_warnings WHERE scope = ? AND code NOT IN (SELECT value FROM json_each(?))`).run(
        scope,
        JSON.stringify(warnings.map((warning) => warning.code)),
      );
    }
    for (const warning of warnings) upsert.run(scope, warning.code, warning.message, now, now, runId);
  }).immediate();
}
