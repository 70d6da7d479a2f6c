/**
 * Reading a table for an export: the filters as one WHERE clause, whether a sync was running,
 * and two streaming row sources (raw rows, or rows already encoded by SQLite). Both are
 * `.iterate()` over one prepared statement: nothing here holds more than one row.
 *
 * `sessions` rows come in rowid order (the order they were first stored): a full scan, which reads
 * the table sequentially and needs no sort, so memory does not grow with the table. Transcripts come
 * in session id order and messages in session id and position order: the order of their primary
 * keys, read along those keys' indexes without a sort (with a time filter SQLite may read the
 * sessions' `start_time` index instead and sort; its sorter spills to temporary files, so memory
 * stays bounded). Every query also yields the row's
 * bookmark value (what `--since-last` follows) last.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import { TABLE_COLUMNS } from './columns.js';
import type { ExportTableName } from './tables.js';

/** Which rows an export carries. Times are canonical UTC text (`2026-04-20T09:00:00.000Z`). */
export interface RowFilter {
  /** Leave out rows of sessions with `deleted_at` set. */
  excludeDeleted?: boolean;
  /** Only sessions whose `updated_at` is at or after this time (the `sessions` table only). */
  updatedSince?: string;
  /** Only rows of sessions whose `start_time` is at or after this time. */
  startedFrom?: string;
  /** Only rows of sessions whose `start_time` is before this time. */
  startedTo?: string;
  /** Only rows whose bookmark value (see {@link TableSource.mark}) is after this one (`--since-last`). */
  changedAfter?: string;
}

/**
 * Where a table's rows come from: the FROM clause, with the table itself under `alias` and its
 * session (when it has one) under `s`, so that the session filters apply to every table alike.
 */
interface TableSource {
  from: string;
  alias: string;
  order: string;
  /**
   * The value `--since-last` follows, set whenever the row is written: a session's
   * `last_synced_at`; a transcript's `checked_at` (every write of a transcript row sets it, whether
   * a transcript was fetched or a 404 recorded); a message's transcript's `fetched_at` (messages
   * are written only when their transcript is fetched).
   */
  mark: string;
}

// NOT INDEXED keeps the sessions plan a rowid-ordered scan: an index on a filtered column would
// return rows in another order, and ORDER BY rowid would then need a sort that holds every row.
// The transcript tables are LEFT JOINed to their session, so that no row is lost to a missing
// session (sync never removes one; a time filter, NULL for such a row, leaves it out).
const SOURCES: Readonly<Record<ExportTableName, TableSource>> = {
  sessions: { from: 'sessions AS s NOT INDEXED', alias: 's', order: 's.rowid', mark: 's.last_synced_at' },
  transcripts: {
    from: 'transcripts AS t LEFT JOIN sessions AS s ON s.id = t.session_id',
    alias: 't',
    order: 't.session_id',
    mark: 't.checked_at',
  },
  transcript_messages: {
    from: 'transcript_messages AS m LEFT JOIN transcripts AS t ON t.session_id = m.session_id LEFT JOIN sessions AS s ON s.id = m.session_id',
    alias: 'm',
    order: 'm.session_id, m.position',
    mark: 't.fetched_at',
  },
};

/** A WHERE clause (always valid SQL, `1` when nothing is filtered) and its named parameters. */
interface Where {
  sql: string;
  params: Record<string, string>;
}

/**
 * The filter as SQL. Canonical times compare as text, so each filter is a plain comparison on the
 * stored column; a NULL column never matches a time filter.
 */
function whereClause(source: TableSource, filter: RowFilter = {}): Where {
  const terms: string[] = [];
  const params: Record<string, string> = {};
  if (filter.excludeDeleted === true) terms.push('s.deleted_at IS NULL');
  if (filter.updatedSince !== undefined) {
    terms.push('s.updated_at >= @updatedSince');
    params.updatedSince = filter.updatedSince;
  }
  if (filter.startedFrom !== undefined) {
    terms.push('s.start_time >= @startedFrom');
    params.startedFrom = filter.startedFrom;
  }
  if (filter.startedTo !== undefined) {
    terms.push('s.start_time < @startedTo');
    params.startedTo = filter.startedTo;
  }
  if (filter.changedAfter !== undefined) {
    terms.push(`${source.mark} > @changedAfter`);
    params.changedAfter = filter.changedAfter;
  }
  return { sql: terms.length === 0 ? '1' : terms.join(' AND '), params };
}

/** The alias the columns of `table` have in its queries (what the encoders' SQL names them by). */
export function tableAlias(table: ExportTableName): string {
  return SOURCES[table].alias;
}

/**
 * True when a sync held the database as of the current read transaction's snapshot: it may still
 * commit rows afterwards (see bookmarks.ts). Call it inside the export's read transaction.
 */
export function syncWasRunning(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM sync_lock)').pluck().get() === 1;
}

/** True when at least one row of `table` matches `filter` (in the current read transaction's snapshot). */
export function anyRow(db: Db, table: ExportTableName, filter: RowFilter = {}): boolean {
  const source = SOURCES[table];
  const where = whereClause(source, filter);
  return db.prepare(`SELECT EXISTS (SELECT 1 FROM ${source.from} WHERE ${where.sql})`).pluck().get(where.params) === 1;
}

/**
 * Every matching row of `table` as `[...column values, bookmark value]`, the columns in order,
 * streamed with `.iterate()`. The caller must finish (or `return()`) the iterator before using the
 * connection again.
 */
export function iterateRows(db: Db, table: ExportTableName, filter: RowFilter = {}): IterableIterator<unknown[]> {
  const { alias } = SOURCES[table];
  const list = TABLE_COLUMNS[table].map((c) => `${alias}.${c.name}`).join(', ');
  return iterate<unknown[]>(db, table, filter, list);
}

/**
 * Every matching row of `table` encoded by SQLite with the SQL expression `line` (one output line
 * per row, terminator included, over the columns under {@link tableAlias}), streamed with `.iterate()` as
 * `[line, bookmark value]`. Encoding where the values are is what makes CSV and NDJSON fast: one
 * string per row instead of a JavaScript value per field. The caller must finish (or `return()`)
 * the iterator before using the connection again.
 */
export function iterateEncoded(db: Db, table: ExportTableName, filter: RowFilter, line: string): IterableIterator<[string, string | null]> {
  return iterate<[string, string | null]>(db, table, filter, line);
}

/**
 * True when `table`'s rows come in rowid order (`sessions`), so that other connections can each
 * read a range of rowids of it ({@link rangeQuery}, block-threads.ts).
 */
export function readsInRanges(table: ExportTableName): boolean {
  return SOURCES[table].order === `${SOURCES[table].alias}.rowid`;
}

/**
 * The lowest and highest rowid of `table`, or null when it is empty. Two subqueries: each is one
 * step down the b-tree, where `min(rowid), max(rowid)` in one query would read every row.
 */
export function rowidRange(db: Db, table: ExportTableName): { lo: number; hi: number } | null {
  const range = db.prepare(`SELECT (SELECT min(rowid) FROM ${table}) AS lo, (SELECT max(rowid) FROM ${table}) AS hi`).get() as {
    lo: number | null;
    hi: number | null;
  };
  return range.lo === null || range.hi === null ? null : { lo: range.lo, hi: range.hi };
}

/**
 * For a table that reads in ranges: the query {@link iterateEncoded} makes, for the rows whose rowid
 * lies in `@from..@to` (a search along the table's own b-tree, whatever the filter), and the
 * filter's parameters; bind `from` and `to` beside them.
 */
export function rangeQuery(table: ExportTableName, filter: RowFilter, line: string): { sql: string; params: Record<string, string> } {
  if (!readsInRanges(table)) throw new Error(`${table} is not read in ranges`);
  const source = SOURCES[table];
  const where = whereClause(source, filter);
  return { sql: selectSql(source, line, `${where.sql} AND ${source.order} BETWEEN @from AND @to`), params: where.params };
}

/** The query of a table's rows: `select` and the bookmark value, in the source's order. */
function selectSql(source: TableSource, select: string, where: string): string {
  return `SELECT ${select}, ${source.mark} FROM ${source.from} WHERE ${where} ORDER BY ${source.order}`;
}

function iterate<Row extends unknown[]>(db: Db, table: ExportTableName, filter: RowFilter, select: string): IterableIterator<Row> {
  const source = SOURCES[table];
  const where = whereClause(source, filter);
  const statement = db
    .prepare(selectSql(source, select, where.sql))
    .raw(true) as Statement<Record<string, string>, Row>;
  return statement.iterate(where.params);
}
