import { COLUMNS } from './columns.js';
import { csvHeader, csvLineSql } from './csv.js';
import { ndjsonLineSql } from './ndjson.js';
import { ChunkWriter } from './output.js';
import { anyRow, iterateEncoded, iterateRows, syncWasRunning } from './rows.js';
/** The formats `export` writes. */
export const EXPORT_FORMATS = ['csv', 'ndjson', 'parquet'];
/** Page cache while exporting: a sequential scan never rereads a page, so a big cache only costs memory. */
const EXPORT_CACHE_KIB = 2000;
/**
 * Writes the `sessions` rows matching `options.filter` to `output` in `options.format`, from one
 * read transaction (unless the caller already holds one), and resolves once every byte has been
 * handed over and flushed by the stream. Rejects with the stream's error (EPIPE when the reader
 * went away) or the database's.
 */
export async function exportSessions(db, options, output) {
    const out = new ChunkWriter(output);
    const filter = options.filter ?? {};
    let newestSyncedAt = null;
    const noteSynced = (value) => {
        if (typeof value === 'string' && (newestSyncedAt === null || value > newestSyncedAt))
            newestSyncedAt = value;
    };
    const ownTransaction = !db.inTransaction;
    const cacheSize = db.pragma('cache_size', { simple: true });
    db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
    // A deferred BEGIN takes its snapshot at the first read: the sync-lock check and every row after
    // it see the same committed state, whatever a concurrent sync commits meanwhile.
    if (ownTransaction)
        db.exec('BEGIN');
    try {
        const syncRunning = syncWasRunning(db);
        if (options.skipEmpty === true && !anyRow(db, filter)) {
            return { format: options.format, rows: 0, bytes: 0, newestSyncedAt: null, syncRunning, skipped: true };
        }
        let rows;
        if (options.format === 'parquet') {
            // Loaded only when asked for: the Parquet writer adds to start-up, which CSV and NDJSON skip.
            const { writeParquet } = await import('./parquet.js');
            const synced = COLUMNS.findIndex((c) => c.name === 'last_synced_at');
            rows = await writeParquet(COLUMNS, tap(iterateRows(db, filter), (row) => noteSynced(row[synced])), out, {
                rowGroupRows: options.rowGroupRows,
            });
        }
        else {
            const header = options.format === 'csv' ? csvHeader(COLUMNS) : '';
            const line = options.format === 'csv' ? csvLineSql(COLUMNS, { excelSafe: options.excelSafe }) : ndjsonLineSql(COLUMNS);
            if (header !== '')
                await out.writeText(header);
            rows = 0;
            for (const [syncedAt, text] of iterateEncoded(db, filter, line)) {
                // writeText returns a promise only when the stream asks for a pause: no await per row.
                const wait = out.writeText(text);
                if (wait)
                    await wait;
                noteSynced(syncedAt);
                rows++;
            }
        }
        await out.flush();
        return { format: options.format, rows, bytes: out.bytes, newestSyncedAt, syncRunning, skipped: false };
    }
    finally {
        if (ownTransaction && db.inTransaction)
            db.exec('COMMIT');
        db.pragma(`cache_size = ${cacheSize}`);
        out.close();
    }
}
/** Passes `rows` through, showing each to `see` first. */
function* tap(rows, see) {
    for (const row of rows) {
        see(row);
        yield row;
    }
}
//# sourceMappingURL=export-sessions.js.map