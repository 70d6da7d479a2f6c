/**
 * Which partitions of a dataset an export writes: the tables and their layouts, the folder of each
 * partition value, every value in a table or only those a change since the bookmark touched. Reads
 * the store only; writes nothing.
 */
import { canonicalTime } from '../time.js';
import { SyncError } from '../errors.js';
import { COLUMNS } from './columns.js';
/** The tables a dataset can hold. Transcripts are meant to follow as further entries of {@link LAYOUTS}. */
export const DATASET_TABLES = ['sessions'];
/** How rows are spread over folders: one per UTC day or month of the partition time. */
export const PARTITION_BYS = ['day', 'month'];
/** The folder value of rows whose partition time is null, as Hive and Spark write it; DuckDB reads it as NULL. */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';
export const LAYOUTS = {
    sessions: {
        source: 'sessions',
        columns: COLUMNS,
        timeColumn: 'start_time',
        changedColumn: 'last_synced_at',
        deletedColumn: 'deleted_at',
        folderColumn: { day: 'start_date', month: 'start_month' },
        versions: { table: 'session_versions', timeKey: 'startTime' },
    },
};
/** Characters of the canonical time that make a partition value. */
const VALUE_LENGTH = { day: 10, month: 7 };
const VALUE_SHAPE = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/ };
/** The folder name of a partition value: `start_date=2026-04-20`, or `start_date=__HIVE_DEFAULT_PARTITION__` for null. */
export function folderName(column, value) {
    return `${column}=${value ?? NULL_PARTITION}`;
}
/** Every partition value in the table (null for rows without a time), from the time column's index. */
export function allPartitions(db, layout, by, noteNewest) {
    const length = VALUE_LENGTH[by];
    const values = db.prepare(`SELECT DISTINCT substr(${layout.timeColumn}, 1, ${length}) FROM ${layout.source}`).pluck().all();
    // The newest change the dataset reflects: rows left out (--exclude-deleted) count too.
    noteNewest(db.prepare(`SELECT max(${layout.changedColumn}) FROM ${layout.source}`).pluck().get());
    return new Set(values.map((value) => checkedValue(db, layout, by, value)));
}
/**
 * The partitions holding a row changed after `after`, and those its earlier versions lived in.
 * It reads the `sessions_last_synced_at` index: the changed rows only.
 */
export function touchedPartitions(db, layout, by, after, noteNewest) {
    const length = VALUE_LENGTH[by];
    const todo = new Set();
    const changed = db
        .prepare(`SELECT substr(${layout.timeColumn}, 1, ${length}), max(${layout.changedColumn}) FROM ${layout.source} WHERE ${layout.changedColumn} > ? GROUP BY 1`)
        .raw(true)
        .all(after);
    for (const [value, newest] of changed) {
        todo.add(checkedValue(db, layout, by, value));
        noteNewest(newest);
    }
    if (layout.versions !== null && changed.length > 0) {
        const earlier = db
            .prepare(
        // IN, not a join: the planner would scan every version (50 ms for 20k) instead of looking up the changed ones.
        `SELECT DISTINCT json_extract(json, '$.${layout.versions.timeKey}') FROM ${layout.versions.table}
         WHERE id IN (SELECT id FROM ${layout.source} WHERE ${layout.changedColumn} > ?)`)
            .pluck()
            .all(after);
        for (const time of earlier) {
            const canonical = typeof time === 'string' ? canonicalTime(time) : null;
            // A version whose time cannot be read cannot name a partition; the row's current one is in `todo`.
            if (time === null || canonical !== null)
                todo.add(canonical === null ? null : canonical.slice(0, length));
        }
    }
    return todo;
}
/** A partition value as read from the time column, or an error naming a session whose time is not one. */
function checkedValue(db, layout, by, value) {
    if (value === null || VALUE_SHAPE[by].test(value))
        return value;
    const row = db
        .prepare(`SELECT id, ${layout.timeColumn} FROM ${layout.source} WHERE substr(${layout.timeColumn}, 1, ${VALUE_LENGTH[by]}) = ? LIMIT 1`)
        .raw(true)
        .get(value);
    throw new SyncError(`session ${row?.[0] ?? '?'}: ${layout.timeColumn} holds ${JSON.stringify(row?.[1] ?? value)}, not a date-time; the export stopped`);
}
/** The first value of the next partition: the next day or month, as text. */
export function nextValue(value, by) {
    const [year, month, day] = value.split('-').map(Number);
    const next = by === 'day' ? new Date(Date.UTC(year, month - 1, (day ?? 1) + 1)) : new Date(Date.UTC(year, month, 1));
    return next.toISOString().slice(0, VALUE_LENGTH[by]);
}
/** Partition order: by value, the null partition last. */
export function byValue(a, b) {
    if (a === b)
        return 0;
    if (a === null)
        return 1;
    if (b === null)
        return -1;
    return a < b ? -1 : 1;
}
//# sourceMappingURL=dataset-plan.js.map