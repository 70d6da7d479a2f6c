import { getTableColumns } from 'drizzle-orm';
import { fence } from './lock.js';
import { sessions } from './schema.js';
function emptyCounts() {
    return { inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
}
/** Adds `b` into `a`. */
export function addCounts(a, b) {
    a.inserted += b.inserted;
    a.updated += b.updated;
    a.unchanged += b.unchanged;
    a.stale += b.stale;
    a.rejected += b.rejected;
}
/** Prepared statements for writing sessions; build once per run, use for every page. */
export class SessionWriter {
    #db;
    #checkFence;
    #member;
    #pruneMembers;
    #verdict;
    #insert;
    #update;
    #archive;
    #dropVersion;
    #setRaw;
    #dropRaw;
    #staleVersion;
    #reject;
    #markDeleted;
    #revive;
    #markSeen;
    #writePage;
    #markDeletedFenced;
    constructor(db, options = {}) {
        this.#db = db;
        this.#checkFence = fence(db, options.lockToken ?? null);
        // What a filtered scope's list responses named (scope.ts counts the scope from these).
        this.#member = db.prepare(`INSERT INTO scope_members (scope, id, run_id) SELECT ?, value, ? FROM json_each(?) WHERE true
       ON CONFLICT (scope, id) DO UPDATE SET run_id = excluded.run_id`);
        this.#pruneMembers = db.prepare(`DELETE FROM scope_members WHERE scope = ? AND run_id < ?`);
        // Ids of sessions stored before this run that it read; reconciliation asks which were not. A
        // temp table lives on disk beside the connection, so memory does not grow with the session count.
        db.exec('CREATE TEMP TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)');
        // One statement per page, not per session.
        this.#markSeen = db.prepare('INSERT OR IGNORE INTO temp.seen (id) SELECT value FROM json_each(?)');
        const fed = FED_COLUMNS.map((column) => column.name);
        // The upsert rule, decided by SQLite against the stored row. Its version is the row itself (plus
        // the raw JSON when the row cannot give it back), so "unchanged" is every fed column equal.
        // Positional parameters: the new updatedAt four times, its raw JSON (or null), the id, the columns.
        this.#verdict = db
            .prepare(`SELECT CASE
           WHEN ? IS NULL AND s.updated_at IS NOT NULL THEN 'stale'
           WHEN s.updated_at IS NULL AND ? IS NOT NULL THEN 'newer'
           WHEN ? > s.updated_at THEN 'newer'
           WHEN ? < s.updated_at THEN 'stale'
           WHEN s.deleted_at IS NULL AND r.json IS ? AND ${fed.map((name) => `s.${name} IS ?`).join(' AND ')} THEN 'unchanged'
           ELSE 'revised'
         END
         FROM sessions s
         LEFT JOIN session_current_raw r ON r.id = s.id
         WHERE s.id = ?`)
            .pluck();
        // Tried first: on a new session it is the only statement needed; on a known one it does nothing.
        this.#insert = db.prepare(`INSERT INTO sessions (id, ${fed.join(', ')}, first_synced_at, last_synced_at, deleted_at)
       VALUES (?, ${fed.map(() => '?').join(', ')}, ?, ?, NULL)
       ON CONFLICT (id) DO NOTHING`);
        // A version seen again clears deleted_at: the session came back.
        this.#update = db.prepare(`UPDATE sessions SET ${fed.map((name) => `${name} = ?`).join(', ')}, last_synced_at = ?, deleted_at = NULL WHERE id = ?`);
        // Before a newer version replaces the row: the row's version becomes history (the view gives
        // its JSON; it lists nothing when session_versions already holds that key).
        this.#archive = db.prepare(`INSERT INTO session_versions (id, updated_at, json, first_seen_at)
       SELECT id, updated_at, json, first_seen_at FROM session_current WHERE id = ?`);
        // The row holds the version of its key from now on: no copy of that key stays in the history.
        this.#dropVersion = db.prepare(`DELETE FROM session_versions WHERE id = ? AND updated_at = ?`);
        this.#setRaw = db.prepare(`INSERT INTO session_current_raw (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`);
        this.#dropRaw = db.prepare(`DELETE FROM session_current_raw WHERE id = ?`);
        // An older version from a lagging replica is history worth keeping, but never the current row.
        this.#staleVersion = db.prepare(`INSERT INTO session_versions (id, updated_at, json, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id, updated_at) DO NOTHING`);
        // One row per distinct rejected record (a unique index): seeing it again (every incremental run
        // re-reads the newest pages) moves its run and time forward instead of adding a row.
        this.#reject = db.prepare(`INSERT INTO rejected_records (run_id, seen_at, session_id, reason, raw) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (reason, raw) DO UPDATE SET run_id = excluded.run_id, seen_at = excluded.seen_at`);
        this.#revive = db.prepare(`UPDATE sessions SET deleted_at = NULL, last_synced_at = @now WHERE id = @id AND deleted_at IS NOT NULL`);
        this.#markDeleted = db.prepare(`UPDATE sessions SET deleted_at = @now, last_synced_at = @now WHERE id = @id AND deleted_at IS NULL`);
        this.#writePage = db.transaction((records, runId, now, scope) => this.#write(records, runId, now, scope));
        this.#markDeletedFenced = db.transaction((id, now) => {
            this.#checkFence();
            return this.#markDeleted.run({ id, now }).changes > 0;
        });
    }
    /**
     * Writes one page of parsed records in one transaction and says what they did. `scope` is the
     * scope key of the list response the records came from ('' for the unfiltered list or a lookup
     * by id): a filtered scope records which ids it listed.
     */
    writePage(records, runId, now, scope = '') {
        return this.#writePage(records, runId, now, scope);
    }
    /**
     * Writes one page inside the transaction the caller holds (see writer-worker.ts: several pages per
     * commit). A throw leaves part of the page written: the caller must roll back.
     */
    writeWithin(records, runId, now, scope = '') {
        if (!this.#db.inTransaction)
            throw new Error('writeWithin needs an open transaction');
        return this.#write(records, runId, now, scope);
    }
    #write(records, runId, now, scope) {
        this.#checkFence();
        const counts = emptyCounts();
        const ids = [];
        if (scope !== '') {
            const listed = records.map((record) => (record.ok ? record.row.id : record.id)).filter((id) => id !== null);
            this.#member.run(scope, runId, JSON.stringify(listed));
        }
        for (const record of records) {
            if (!record.ok) {
                this.#reject.run(runId, now, record.id, record.reason, record.raw);
                counts.rejected++;
                continue;
            }
            // Only sessions stored before this run can be unlisted; new ones need no marking.
            if (!this.#apply(record, now, counts))
                ids.push(record.row.id);
        }
        if (ids.length > 0)
            this.#markSeen.run(JSON.stringify(ids));
        return counts;
    }
    /** Marks a session gone (the API answered 404); the row stays. True if it was live before. */
    markDeleted(id, now) {
        return this.#markDeletedFenced(id, now);
    }
    /** After a complete full scan of a filtered scope (run `runId`): forgets members it did not list. */
    pruneMembers(scope, runId) {
        this.#checkFence();
        this.#pruneMembers.run(scope, runId);
    }
    /** Applies the upsert rule to one session; true when it was new. */
    #apply(record, now, counts) {
        const { row, json } = record;
        const versionKey = row.updatedAt ?? '';
        const raw = record.fromRow ? null : json;
        // Positional parameters: binding 19 named ones per row costs more than the insert itself.
        const values = columnValues(row);
        if (this.#insert.run(row.id, ...values, now, now).changes > 0) {
            if (raw !== null)
                this.#setRaw.run(row.id, raw);
            counts.inserted++;
            return true;
        }
        const updatedAt = row.updatedAt;
        switch (this.#verdict.get(updatedAt, updatedAt, updatedAt, updatedAt, raw, ...values, row.id)) {
            case 'newer':
                this.#archive.run(row.id);
                this.#replace(row.id, versionKey, values, raw, now);
                counts.updated++;
                break;
            case 'revised':
                this.#replace(row.id, versionKey, values, raw, now);
                counts.updated++;
                break;
            case 'stale':
                this.#staleVersion.run(row.id, versionKey, json, now);
                // An older version still proves the session exists: a deleted row comes back, unchanged.
                this.#revive.run({ id: row.id, now });
                counts.stale++;
                break;
            default:
                counts.unchanged++;
        }
        return false;
    }
    /** Makes the row hold this version (and its raw JSON, when the row cannot give it back). */
    #replace(id, versionKey, values, raw, now) {
        this.#dropVersion.run(id, versionKey);
        this.#update.run(...values, now, id);
        if (raw === null)
            this.#dropRaw.run(id);
        else
            this.#setRaw.run(id, raw);
    }
    /** Forgets which ids were read (before a new full scan). */
    resetSeen() {
        this.#db.exec('DELETE FROM temp.seen');
    }
}
const FED_COLUMNS = Object.entries(getTableColumns(sessions))
    .filter(([key]) => !['id', 'firstSyncedAt', 'lastSyncedAt', 'deletedAt'].includes(key))
    .map(([key, column]) => ({ key: key, name: column.name }));
/** The values of a row for {@link FED_COLUMNS}, positionally (binding named parameters costs more than the insert). */
function columnValues(row) {
    return FED_COLUMNS.map((column) => row[column.key]);
}
//# sourceMappingURL=upsert.js.map