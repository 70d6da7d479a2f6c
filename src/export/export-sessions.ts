/**
 * One export: the matching rows of one table (`sessions`, `transcripts` or `transcript_messages`),
 * read in one snapshot, written to a stream as CSV, NDJSON or Parquet. Streams rows (memory does not grow with the table), respects backpressure, and does
 * not end the stream: the caller owns it (a temp file to commit, or stdout).
 */
import type { Db } from '../store/db.js';
import { TABLE_COLUMNS } from './columns.js';
import { csvHeader, csvLineSql } from './csv.js';
import { ndjsonLineSql } from './ndjson.js';
import { ChunkWriter } from './output.js';
import { type BlockReaders, startBlockReaders } from './block-threads.js';
import { anyRow, iterateEncoded, iterateRows, readsInRanges, syncWasRunning, tableAlias, type RowFilter } from './rows.js';
import type { ExportTableName } from './tables.js';

/** The formats `export` writes. */
export const EXPORT_FORMATS = ['csv', 'ndjson', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export and how. Only `format` is required. */
export interface ExportOptions {
  format: ExportFormat;
  /** The table (default `sessions`). */
  table?: ExportTableName;
  /** Which rows (default: every row, deleted ones included). */
  filter?: RowFilter;
  /** CSV only: neutralise cells a spreadsheet would read as formulas (see {@link csvLineSql}). */
  excelSafe?: boolean;
  /** Parquet: rows per row group (default 10,000). */
  rowGroupRows?: number;
  /** Write nothing at all (no CSV header, no empty Parquet file) when no row matches. */
  skipEmpty?: boolean;
}

/** What an export did. */
export interface ExportResult {
  format: ExportFormat;
  /** Rows written. */
  rows: number;
  /** Bytes handed to the stream. */
  bytes: number;
  /**
   * What a `--since-last` bookmark is taken from, read in the same snapshot as the rows: the newest
   * bookmark value among the rows written (null when none was: `last_synced_at` for sessions, see
   * rows.ts for the others), and whether a sync held the database then (it may still commit rows
   * stamped with that same millisecond).
   */
  newestSyncedAt: string | null;
  syncRunning: boolean;
  /** True when `skipEmpty` was asked for and no row matched: nothing was written. */
  skipped: boolean;
  /** Threads that encoded the rows beside this one, each with its own connection (0: this thread did). */
  threads: number;
}

/** Page cache while exporting: a sequential scan never rereads a page, so a big cache only costs memory. */
const EXPORT_CACHE_KIB = 2000;

/**
 * Writes the rows of `options.table` matching `options.filter` to `output` in `options.format`, from one
 * read transaction (unless the caller already holds one), and resolves once every byte has been
 * handed over and flushed by the stream. Rejects with the stream's error (EPIPE when the reader
 * went away) or the database's.
 */
export async function exportSessions(db: Db, options: ExportOptions, output: NodeJS.WritableStream): Promise<ExportResult> {
  const out = new ChunkWriter(output);
  const filter = options.filter ?? {};
  const table = options.table ?? 'sessions';
  const columns = TABLE_COLUMNS[table];
  let newestSyncedAt: string | null = null;
  const noteSynced = (value: unknown): void => {
    if (typeof value === 'string' && (newestSyncedAt === null || value > newestSyncedAt)) newestSyncedAt = value;
  };
  const ownTransaction = !db.inTransaction;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
  const alias = tableAlias(table);
  const line =
    options.format === 'csv'
      ? csvLineSql(columns, { excelSafe: options.excelSafe, alias })
      : options.format === 'ndjson'
        ? ndjsonLineSql(columns, alias)
        : null;
  let readers: BlockReaders | null = null;
  try {
    // A large table is encoded on several threads, each with its own connection (block-threads.ts):
    // they start before the snapshot is taken, and need read transactions of their own.
    if (ownTransaction && line !== null && readsInRanges(table)) readers = await startBlockReaders(db, table, filter, line, EXPORT_CACHE_KIB);
    // A deferred BEGIN takes its snapshot at the first read: the sync-lock check and every row after
    // it see the same committed state, whatever a concurrent sync commits meanwhile. The threads'
    // transactions begin on that same snapshot, or the threads are not used.
    if (readers !== null && !(await readers.begin(db))) {
      await readers.close();
      readers = null;
    }
    if (ownTransaction && !db.inTransaction) db.exec('BEGIN');
    const syncRunning = syncWasRunning(db);
    if (options.skipEmpty === true && !anyRow(db, table, filter)) {
      return { format: options.format, rows: 0, bytes: 0, newestSyncedAt: null, syncRunning, skipped: true, threads: 0 };
    }
    let rows = 0;
    if (line === null) {
      // Loaded only when asked for: the Parquet writer adds to start-up, which CSV and NDJSON skip.
      const { writeParquet } = await import('./parquet.js');
      // Each row ends with its bookmark value, after the columns the writer reads.
      rows = await writeParquet(columns, tap(iterateRows(db, table, filter), (row) => noteSynced(row[columns.length])), out, {
        rowGroupRows: options.rowGroupRows,
      });
    } else {
      if (options.format === 'csv') await out.writeText(csvHeader(columns));
      if (readers !== null) {
        for await (const block of readers.blocks(db)) {
          await out.writeBytes(block.bytes, block.release);
          noteSynced(block.newestMark);
          rows += block.rows;
        }
      } else {
        for (const [text, syncedAt] of iterateEncoded(db, table, filter, line)) {
          // writeText returns a promise only when the stream asks for a pause: no await per row.
          const wait = out.writeText(text);
          if (wait) await wait;
          noteSynced(syncedAt);
          rows++;
        }
      }
    }
    await out.flush();
    return { format: options.format, rows, bytes: out.bytes, newestSyncedAt, syncRunning, skipped: false, threads: readers?.threads ?? 0 };
  } finally {
    await readers?.close();
    if (ownTransaction && db.inTransaction) db.exec('COMMIT');
    db.pragma(`cache_size = ${cacheSize}`);
    out.close();
  }
}

/** Passes `rows` through, showing each to `see` first. */
function* tap(rows: Iterable<unknown[]>, see: (row: unknown[]) => void): Generator<unknown[]> {
  for (const row of rows) {
    see(row);
    yield row;
  }
}
