/** The bookmark saved under `name`, or null before its first complete export. */
export function readExportBookmark(db, name) {
    const row = db
        .prepare('SELECT name, last_synced_at AS lastSyncedAt, exported_at AS exportedAt, rows FROM export_bookmarks WHERE name = ?')
        .get(name);
    return row ?? null;
}
/**
 * The value to save after an export that started from `previous` and wrote rows up to
 * `newestSyncedAt` (null when it wrote none): that newest `last_synced_at`, less one millisecond
 * when a sync held the database during the export's snapshot, never earlier than `previous`.
 * Null when there is nothing to remember yet.
 */
export function nextBookmarkValue(result, previous) {
    let value = result.newestSyncedAt;
    if (value !== null && result.syncRunning) {
        const ms = Date.parse(value);
        if (!Number.isNaN(ms))
            value = new Date(ms - 1).toISOString();
    }
    if (previous !== null && (value === null || value < previous))
        return previous;
    return value;
}
/**
 * Saves the bookmark of `name` (the caller has completed the output). Never moves a bookmark
 * backwards, even when two exports of one name race.
 */
export function saveExportBookmark(db, bookmark) {
    db.prepare(`INSERT INTO export_bookmarks (name, last_synced_at, exported_at, rows) VALUES (@name, @lastSyncedAt, @exportedAt, @rows)
     ON CONFLICT (name) DO UPDATE SET last_synced_at = max(last_synced_at, excluded.last_synced_at),
       exported_at = excluded.exported_at, rows = excluded.rows`).run(bookmark);
}
//# sourceMappingURL=bookmarks.js.map