/**
 * `export --since-last NAME`: each name remembers the newest `last_synced_at` it has shipped, in
 * `export_bookmarks`. The next export under that name carries the rows whose `last_synced_at` is
 * later (the sync sets it whenever it inserts or changes a row, or marks it deleted).
 *
 * The bookmark is the newest `last_synced_at` among the rows the export wrote, read in the same
 * snapshot as those rows, and it is saved only after the output is complete, so it never passes a
 * row the export did not carry (rows that do not match the export's filters are never carried). While a sync runs it may still
 * commit rows stamped with the same millisecond as the newest row seen; then the bookmark stays one
 * millisecond behind and those rows come again next time: a row may be delivered twice, never skipped.
 */
import type { Db } from '../store/db.js';

/** A saved bookmark. */
export interface ExportBookmark {
  name: string;
  lastSyncedAt: string;
  exportedAt: string;
  rows: number;
}

/** The bookmark saved under `name`, or null before its first complete export. */
export function readExportBookmark(db: Db, name: string): ExportBookmark | null {
  const row = db
    .prepare('SELECT name, last_synced_at AS lastSyncedAt, exported_at AS exportedAt, rows FROM export_bookmarks WHERE name = ?')
    .get(name) as ExportBookmark | undefined;
  return row ?? null;
}

/**
 * The value to save after an export that started from `previous` and wrote rows up to
 * `newestSyncedAt` (null when it wrote none): that newest `last_synced_at`, less one millisecond
 * when a sync held the database during the export's snapshot, never earlier than `previous`.
 * Null when there is nothing to remember yet.
 */
export function nextBookmarkValue(result: { newestSyncedAt: string | null; syncRunning: boolean }, previous: string | null): string | null {
  let value = result.newestSyncedAt;
  if (value !== null && result.syncRunning) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) value = new Date(ms - 1).toISOString();
  }
  if (previous !== null && (value === null || value < previous)) return previous;
  return value;
}

/**
 * Saves the bookmark of `name` (the caller has completed the output). Never moves a bookmark
 * backwards, even when two exports of one name race.
 */
export function saveExportBookmark(db: Db, bookmark: ExportBookmark): void {
  db.prepare(
    `INSERT INTO export_bookmarks (name, last_synced_at, exported_at, rows) VALUES (@name, @lastSyncedAt, @exportedAt, @rows)
     ON CONFLICT (name) DO UPDATE SET last_synced_at = max(last_synced_at, excluded.last_synced_at),
       exported_at = excluded.exported_at, rows = excluded.rows`,
  ).run(bookmark);
}
