import { COLUMN_LIST } from './columns.js';
/**
 * The filter as SQL. Canonical times compare as text, so each filter is a plain comparison on the
 * stored column; a NULL column never matches a time filter.
 */
function whereClause(filter = {}) {
    const terms = [];
    const params = {};
    if (filter.excludeDeleted === true)
        terms.push('deleted_at IS NULL');
    if (filter.updatedSince !== undefined) {
        terms.push('updated_at >= @updatedSince');
        params.updatedSince = filter.updatedSince;
    }
    if (filter.startedFrom !== undefined) {
        terms.push('start_time >= @startedFrom');
        params.startedFrom = filter.startedFrom;
    }
    if (filter.startedTo !== undefined) {
        terms.push('start_time < @startedTo');
        params.startedTo = filter.startedTo;
    }
    if (filter.changedAfter !== undefined) {
        terms.push('last_synced_at > @changedAfter');
        params.changedAfter = filter.changedAfter;
    }
    return { sql: terms.length === 0 ? '1' : terms.join(' AND '), params };
}
/**
 * True when a sync held the database as of the current read transaction's snapshot: it may still
 * commit rows afterwards (see bookmarks.ts). Call it inside the export's read transaction.
 */
export function syncWasRunning(db) {
    return db.prepare('SELECT EXISTS (SELECT 1 FROM sync_lock)').pluck().get() === 1;
}
/** True when at least one row matches `filter` (in the current read transaction's snapshot). */
export function anyRow(db, filter = {}) {
    const where = whereClause(filter);
    return db.prepare(`SELECT EXISTS (SELECT 1 FROM sessions WHERE ${where.sql})`).pluck().get(where.params) === 1;
}
/**
 * Every matching row as an array of column values in the contract's order, streamed with
 * `.iterate()`. The caller must finish (or `return()`) the iterator before using the connection again.
 */
export function iterateRows(db, filter = {}) {
    const where = whereClause(filter);
    // NOT INDEXED keeps the plan a rowid-ordered scan: an index on a filtered column would return rows
    // in another order, and ORDER BY rowid would then need a sort that holds every row.
    const statement = db
        .prepare(`SELECT ${COLUMN_LIST} FROM sessions NOT INDEXED WHERE ${where.sql} ORDER BY rowid`)
        .raw(true);
    return statement.iterate(where.params);
}
/**
 * Every matching row encoded by SQLite with the SQL expression `line` (one output line per row,
 * terminator included), streamed with `.iterate()` as `[last_synced_at, line]`. Encoding where the
 * values are is what makes CSV and NDJSON fast: one string per row instead of a JavaScript value per
 * field. The caller must finish (or `return()`) the iterator before using the connection again.
 */
export function iterateEncoded(db, filter, line) {
    const where = whereClause(filter);
    const statement = db
        .prepare(`SELECT last_synced_at, ${line} FROM sessions NOT INDEXED WHERE ${where.sql} ORDER BY rowid`)
        .raw(true);
    return statement.iterate(where.params);
}
//# sourceMappingURL=rows.js.map