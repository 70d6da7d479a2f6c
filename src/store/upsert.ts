/**
 * Writing one page of sessions in one transaction, by the contract's upsert rule: a version replaces
 * the stored row only when its `updated_at` is later, or equal (both null counts as equal) with
 * different content; an older version never overwrites a newer one, and a version without
 * `updatedAt` counts as older than one with it; an identical one is not rewritten. The rule is a
 * prepared SQL statement; the writes are prepared statements too (no ORM objects per row).
 */
import type { Statement } from 'better-sqlite3';
import { rowJson, type ParsedSession } from '../api/session.js';
import { flatPage, FED_KEYS, REJECTED, REJECTED_SLOTS, ACCEPTED_SLOTS, rowOf, type FlatPage } from './flat-page.js';
import type { Db } from './db.js';
import { getTableColumns } from 'drizzle-orm';
import { fence } from './lock.js';
import { emptyCounts, type WriteCounts } from './counts.js';
import { sessions } from './schema.js';

/**
 * What a version is to the stored row: `newer` (a later `updatedAt`: the row's version becomes
 * history), `revised` (the same `updatedAt`, other content: the row is rewritten in place, as one
 * version per key is kept), `unchanged`, or `stale` (older: kept as history only).
 */
type Verdict = 'newer' | 'revised' | 'unchanged' | 'stale';

/** Options of a {@link SessionWriter}. */
export interface SessionWriterOptions {
  /** The sync lock's token: every write first checks the lock still carries it (null: no check). */
  lockToken?: string | null;
}

/** Prepared statements for writing sessions; build once per run, use for every page. */
export class SessionWriter {
  readonly #db: Db;
  readonly #checkFence: () => void;
  readonly #member: Statement;
  readonly #pruneMembers: Statement;
  readonly #verdict: Statement<unknown[], Verdict>;
  readonly #insert: Statement;
  readonly #update: Statement;
  readonly #archive: Statement;
  readonly #dropVersion: Statement;
  readonly #setRaw: Statement;
  readonly #dropRaw: Statement;
  readonly #staleVersion: Statement;
  readonly #reject: Statement;
  readonly #markDeleted: Statement;
  readonly #revive: Statement;
  readonly #markSeen: Statement;
  readonly #writePage: (page: FlatPage, runId: number, now: string, scope: string) => WriteCounts;
  readonly #markDeletedFenced: (id: string, now: string) => boolean;

  constructor(db: Db, options: SessionWriterOptions = {}) {
    this.#db = db;
    this.#checkFence = fence(db, options.lockToken ?? null);
    // What a filtered scope's list responses named (scope.ts counts the scope from these).
    this.#member = db.prepare(
      `INSERT INTO scope_members (scope, id, run_id) SELECT ?, value, ? FROM json_each(?) WHERE true
       ON CONFLICT (scope, id) DO UPDATE SET run_id = excluded.run_id`,
    );
    this.#pruneMembers = db.prepare(`DELETE FROM scope_members WHERE scope = ? AND run_id < ?`);
    // Ids of sessions stored before this run that it read; reconciliation asks which were not. A
    // temp table lives on disk beside the connection, so memory does not grow with the session count.
    db.exec('CREATE TEMP TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)');
    // One statement per page, not per session.
    this.#markSeen = db.prepare('INSERT OR IGNORE INTO temp.seen (id) SELECT value FROM json_each(?)');
    // The upsert rule, decided by SQLite against the stored row. Its version is the row itself (plus
    // the raw JSON when the row cannot give it back), so "unchanged" is every fed column equal.
    // Positional parameters: the new updatedAt four times, its raw JSON (or null), the id, the columns.
    this.#verdict = db
      .prepare<unknown[], Verdict>(
        `SELECT CASE
           WHEN ? IS NULL AND s.updated_at IS NOT NULL THEN 'stale'
           WHEN s.updated_at IS NULL AND ? IS NOT NULL THEN 'newer'
           WHEN ? > s.updated_at THEN 'newer'
           WHEN ? < s.updated_at THEN 'stale'
           WHEN s.deleted_at IS NULL AND r.json IS ? AND ${FED_COLUMNS.map((name) => `s.${name} IS ?`).join(' AND ')} THEN 'unchanged'
           ELSE 'revised'
         END
         FROM sessions s
         LEFT JOIN session_current_raw r ON r.id = s.id
         WHERE s.id = ?`,
      )
      .pluck();
    // Tried first: on a new session it is the only statement needed; on a known one it does nothing.
    this.#insert = db.prepare(
      `INSERT INTO sessions (id, ${FED_COLUMNS.join(', ')}, first_synced_at, last_synced_at, deleted_at)
       VALUES (?, ${FED_COLUMNS.map(() => '?').join(', ')}, ?, ?, NULL)
       ON CONFLICT (id) DO NOTHING`,
    );
    // A version seen again clears deleted_at: the session came back.
    this.#update = db.prepare(
      `UPDATE sessions SET ${FED_COLUMNS.map((name) => `${name} = ?`).join(', ')}, last_synced_at = ?, deleted_at = NULL WHERE id = ?`,
    );
    // Before a newer version replaces the row: the row's version becomes history (the view gives
    // its JSON; it lists nothing when session_versions already holds that key).
    this.#archive = db.prepare(
      `INSERT INTO session_versions (id, updated_at, json, first_seen_at)
       SELECT id, updated_at, json, first_seen_at FROM session_current WHERE id = ?`,
    );
    // The row holds the version of its key from now on: no copy of that key stays in the history.
    this.#dropVersion = db.prepare(`DELETE FROM session_versions WHERE id = ? AND updated_at = ?`);
    this.#setRaw = db.prepare(
      `INSERT INTO session_current_raw (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`,
    );
    this.#dropRaw = db.prepare(`DELETE FROM session_current_raw WHERE id = ?`);
    // An older version from a lagging replica is history worth keeping, but never the current row.
    this.#staleVersion = db.prepare(
      `INSERT INTO session_versions (id, updated_at, json, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id, updated_at) DO NOTHING`,
    );
    // One row per distinct rejected record (a unique index): seeing it again (every incremental run
    // re-reads the newest pages) moves its run and time forward instead of adding a row.
    this.#reject = db.prepare(
      `INSERT INTO rejected_records (run_id, seen_at, session_id, reason, raw) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (reason, raw) DO UPDATE SET run_id = excluded.run_id, seen_at = excluded.seen_at`,
    );
    this.#revive = db.prepare(
      `UPDATE sessions SET deleted_at = NULL, last_synced_at = @now WHERE id = @id AND deleted_at IS NOT NULL`,
    );
    this.#markDeleted = db.prepare(
      `UPDATE sessions SET deleted_at = @now, last_synced_at = @now WHERE id = @id AND deleted_at IS NULL`,
    );
    // IMMEDIATE: the write lock is waited for at the start. A deferred transaction that read first
    // (the fence) would fail at once with SQLITE_BUSY, without waiting, when another process committed
    // before its first write (an export moving its bookmark, say).
    this.#writePage = db.transaction((page: FlatPage, runId: number, now: string, scope: string) => this.#write(page, runId, now, scope)).immediate;
    this.#markDeletedFenced = db.transaction((id: string, now: string) => {
      this.#checkFence();
      return this.#markDeleted.run({ id, now }).changes > 0;
    }).immediate;
  }

  /**
   * Writes one page of parsed records in one transaction and says what they did. `scope` is the
   * scope key of the list response the records came from ('' for the unfiltered list or a lookup
   * by id): a filtered scope records which ids it listed.
   */
  writePage(records: ParsedSession[], runId: number, now: string, scope = ''): WriteCounts {
    return this.#writePage(flatPage(records), runId, now, scope);
  }

  /** {@link writePage} for a page already in its {@link FlatPage} form. */
  writeFlatPage(page: FlatPage, runId: number, now: string, scope = ''): WriteCounts {
    return this.#writePage(page, runId, now, scope);
  }

  /**
   * Writes one page inside the transaction the caller holds (see writer-worker.ts: several pages per
   * commit), given as a {@link FlatPage}. A throw leaves part of the page written: the caller must
   * roll back.
   */
  writeWithin(page: FlatPage, runId: number, now: string, scope = ''): WriteCounts {
    if (!this.#db.inTransaction) throw new Error('writeWithin needs an open transaction');
    return this.#write(page, runId, now, scope);
  }

  #write(page: FlatPage, runId: number, now: string, scope: string): WriteCounts {
    this.#checkFence();
    const counts = emptyCounts();
    const ids: string[] = [];
    if (scope !== '') {
      const listed: string[] = [];
      for (let at = 0; at < page.length; at += page[at] === REJECTED ? REJECTED_SLOTS : ACCEPTED_SLOTS) {
        const id = page[at + 1];
        if (id !== null) listed.push(id as string);
      }
      this.#member.run(scope, runId, JSON.stringify(listed));
    }
    for (let at = 0; at < page.length; ) {
      const kind = page[at];
      if (kind === REJECTED) {
        this.#reject.run(runId, now, page[at + 1], page[at + 2], page[at + 3]);
        counts.rejected++;
        at += REJECTED_SLOTS;
        continue;
      }
      const id = page[at + 1] as string;
      const values = page.slice(at + 2, at + 2 + FED_KEYS.length);
      const raw = page[at + 2 + FED_KEYS.length] as string | null;
      at += ACCEPTED_SLOTS;
      // Only sessions stored before this run can be unlisted; new ones need no marking.
      if (!this.#apply(id, values, raw, now, counts)) ids.push(id);
    }
    if (ids.length > 0) this.#markSeen.run(JSON.stringify(ids));
    return counts;
  }

  /** Marks a session gone (the API answered 404); the row stays. True if it was live before. */
  markDeleted(id: string, now: string): boolean {
    return this.#markDeletedFenced(id, now);
  }

  /** After a complete full scan of a filtered scope (run `runId`): forgets members it did not list. */
  pruneMembers(scope: string, runId: number): void {
    this.#checkFence();
    this.#pruneMembers.run(scope, runId);
  }

  /**
   * Applies the upsert rule to one session (`values`: its {@link FED_COLUMNS}); true when it was new.
   * `raw` is its JSON, or null when the row gives it back (the JSON is not kept beside the row).
   */
  #apply(id: string, values: unknown[], raw: string | null, now: string, counts: WriteCounts): boolean {
    const updatedAt = values[UPDATED_AT] as string | null;
    const versionKey = updatedAt ?? '';
    // Positional parameters, the columns bound as one array (better-sqlite3 takes arrays among its
    // arguments): binding 19 named ones per row cost more than the insert itself.
    if (this.#insert.run(id, values, now, now).changes > 0) {
      if (raw !== null) this.#setRaw.run(id, raw);
      counts.inserted++;
      return true;
    }
    switch (this.#verdict.get(updatedAt, updatedAt, updatedAt, updatedAt, raw, values, id)) {
      case 'newer':
        this.#archive.run(id);
        this.#replace(id, versionKey, values, raw, now);
        counts.updated++;
        break;
      case 'revised':
        this.#replace(id, versionKey, values, raw, now);
        counts.updated++;
        break;
      case 'stale':
        this.#staleVersion.run(id, versionKey, raw ?? rowJson(rowOf(id, values)), now);
        // An older version still proves the session exists: a deleted row comes back, unchanged.
        this.#revive.run({ id, now });
        counts.stale++;
        break;
      default:
        counts.unchanged++;
    }
    return false;
  }

  /** Makes the row hold this version (and its raw JSON, when the row cannot give it back). */
  #replace(id: string, versionKey: string, values: unknown[], raw: string | null, now: string): void {
    this.#dropVersion.run(id, versionKey);
    this.#update.run(values, now, id);
    if (raw === null) this.#dropRaw.run(id);
    else this.#setRaw.run(id, raw);
  }

  /** Forgets which ids were read (before a new full scan). */
  resetSeen(): void {
    this.#db.exec('DELETE FROM temp.seen');
  }
}

/**
 * The names of the `sessions` columns the API feeds, from the drizzle schema, in the order of
 * {@link FED_KEYS}: the order a FlatPage holds their values in. The statements above name their
 * columns from this one list, so each value is bound to its own column by name.
 */
const SESSION_COLUMNS = getTableColumns(sessions);
const FED_COLUMNS = FED_KEYS.map((key) => SESSION_COLUMNS[key].name);
/** Where `updated_at` sits among a record's {@link FED_KEYS} values. */
const UPDATED_AT = FED_KEYS.indexOf('updatedAt');
