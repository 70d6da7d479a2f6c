/**
 * Opening the database: refuse what is not ours to touch, create new files owner-only, set the
 * pragmas, and bring the schema up to date with the committed migrations.
 */
import { closeSync, existsSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { SyncError, UsageError } from '../errors.js';
import { applyMigrations, journalEntries } from './migrate.js';

export type Db = Database.Database;

// Loaded with require: importing a CommonJS package from ES modules first scans its source for named
// exports, which costs every run a few milliseconds.
const load = createRequire(import.meta.url);
const Sqlite = load('better-sqlite3') as typeof Database;

/**
 * Where better-sqlite3's install builds its native addon. Named to it, the first open skips the
 * `bindings` package, which walks the call stack and tries a dozen folders (5 to 10 ms of every
 * run). Another layout (a prebuilt binary elsewhere): undefined, and better-sqlite3 looks as usual.
 */
const ADDON: string | undefined = (() => {
  try {
    return load.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
})();

/** A connection, through {@link ADDON}. */
function connect(name: string, options: Database.Options): Db {
  return new Sqlite(name, ADDON === undefined ? options : { ...options, nativeBinding: ADDON });
}

/** A read-only open found a database an older version of the tool wrote: it must be migrated first. */
class NeedsMigrationError extends UsageError {}

/** The database, its folder or its media cannot be written (exit 2). */
export class ReadOnlyDatabaseError extends UsageError {}

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const SQLITE_HEADER = 'SQLite format 3\0';
const PAGE_SIZE = 8192;

/** WAL pages after which a commit checkpoints (SQLite's default is 1,000; see openDatabase). */
export const WAL_AUTOCHECKPOINT_PAGES = 16_384;
/**
 * `PRAGMA application_id` of an anam-sync database ("ANSY"), set when one is created or migrated,
 * so that `file(1)` and this tool can tell it from other applications' SQLite files.
 */
export const APPLICATION_ID = 0x414e5359;
/** What a database made before the application id was set has: drizzle's record and our own tables. */
const OWN_TABLES = ['__drizzle_migrations', 'sessions', 'sync_runs'];

/** The number of migrations this version of the tool knows; stored in `PRAGMA user_version`. */
export function schemaVersion(): number {
  return journalEntries(MIGRATIONS).length;
}

export interface OpenOptions {
  /** Open read-only: never create, migrate or mark the file (status, report, export). */
  readonly?: boolean;
}

/**
 * Opens the database at `path`. Writable (the default): creates it if needed, marks it as anam-sync's
 * and applies pending migrations. Read-only: the file must be an anam-sync database at the current
 * schema, and nothing is written to it. Throws a UsageError, leaving the file byte for byte as it
 * was, when the folder is missing, the file is not SQLite, is another application's database, or a
 * newer version of anam-sync wrote it.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly === true;
  const file = resolve(path);
  const isNew = checkPath(file, readonly);
  let found = 0;
  if (!isNew) {
    // An existing file is looked at through a read-only connection first: nothing, not even a hot
    // journal's rollback, may touch a file that turns out not to be ours.
    const probe = openProbe(file, path);
    try {
      found = checkOwnership(probe, path);
    } catch (error) {
      throw asDatabaseError(error, path);
    } finally {
      probe.close();
    }
  }
  if (readonly) {
    if (isNew) throw new NeedsMigrationError(`database ${path} is empty: run anam-sync sync first`);
    checkVersion(found, path, true);
    return openReadOnly(file, path);
  }
  let db: Db;
  try {
    db = connect(file, { fileMustExist: true });
  } catch (error) {
    throw asDatabaseError(error, path);
  }
  try {
    // A busy writer (a sync in another process) is waited for, not failed on.
    db.pragma('busy_timeout = 10000');
    // Again, now under this connection: another process may have filled a new file meanwhile.
    found = checkOwnership(db, path);
    checkVersion(found, path, false);
    // Sessions are 1.5 to 2 KB (the JSON columns): 8 KiB pages hold four or five of them where 4 KiB
    // pages held two, so a full sync writes less (12% less writer time for 50k sessions) and the
    // file is smaller. Only a new, empty file takes it; an existing database keeps its page size.
    db.pragma(`page_size = ${PAGE_SIZE}`);
    // Turning a new file into WAL needs it to itself for a moment, and SQLite does not wait for
    // that (no busy handler): when another process is opening the same new file, try again.
    retryWhileBusy(() => db.pragma('journal_mode = WAL'));
    // In WAL mode NORMAL loses no committed transaction on a process crash, only on power loss.
    db.pragma('synchronous = NORMAL');
    // A page of sessions touches index pages all over the file (ids are random); a larger cache (32 MiB)
    // keeps them, and checkpointing every 16,384 pages of WAL (128 MiB) instead of every 1,000 saves
    // most of the checkpoint fsyncs of the runs that write here (incremental syncs, transcripts).
    // Both are bounded, whatever the number of sessions. (A full scan writes on its writer thread's
    // connection, which checkpoints every 8 MiB: writer-worker.ts; this one leaves checkpoints to it.)
    db.pragma('cache_size = -32768');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    const known = schemaVersion();
    if (found < known) migrate(db, known);
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
    return db;
  } catch (error) {
    db.close();
    throw asDatabaseError(error, path);
  }
}

/**
 * Opens an existing database for reading only (status, export, report): it works for a user who may
 * read the file but not write it or its folder, and beside a running sync. It never migrates: an
 * older database is a UsageError saying so ({@link NeedsMigrationError}).
 */
export function openForReading(path: string): Db {
  return openDatabase(path, { readonly: true });
}

/**
 * A read-only connection that waits for a busy writer, with no checks: for one more connection to
 * the database another has open under `name` (its `name`, an immutable URI included), which had
 * them (a thread that reads beside it: export/block-threads.ts), or for openReadOnly to check.
 */
export function openReader(name: string): Db {
  const db = connect(name, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  return db;
}

/**
 * A connection to look at a file that may not be ours. A WAL database without a -wal file (its last
 * writer closed cleanly) is opened immutable, because a plain read-only connection would leave
 * -wal and -shm files beside another application's database.
 */
function openProbe(file: string, path: string): Db {
  if (isWalHeader(file) && !existsSync(`${file}-wal`)) {
    try {
      return openImmutable(file);
    } catch {
      // URI file names are off (not started from the CLI): a plain read-only look then.
    }
  }
  try {
    return openReadOnly(file, path);
  } catch (error) {
    // A -wal left by a killed writer needs recovery, which a read-only connection cannot always
    // run: whose file it is shows in the main file as it stands.
    try {
      return openImmutable(file);
    } catch {
      throw error;
    }
  }
}

/** True when the file's header says WAL mode (bytes 18 and 19 are 2). */
function isWalHeader(file: string): boolean {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return header[18] === 2 && header[19] === 2;
}

/**
 * A read-only connection that assumes nobody changes the file meanwhile: no lock, no -shm. URI file
 * names are switched on by the CLI (SQLITE_USE_URI); the path is absolute, so no plain --db is ever
 * read as a URI.
 */
function openImmutable(file: string): Db {
  const db = connect(`${pathToFileURL(file).href}?immutable=1`, { readonly: true, fileMustExist: true });
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A read-only connection that has read the schema. SQLite needs to create the `-shm` file beside a
 * WAL database even to read it; on read-only media, or in a folder the user cannot write, it cannot.
 * Then, when no `-wal` file holds transactions the main file lacks (the last writer closed cleanly),
 * the file is opened as immutable, which needs no `-shm`; otherwise the data cannot be read
 * correctly, and the error says what would help.
 */
function openReadOnly(file: string, path: string): Db {
  let db: Db | undefined;
  try {
    db = openReader(file);
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code ?? '';
    if (code !== 'SQLITE_CANTOPEN' && !code.startsWith('SQLITE_READONLY')) throw asDatabaseError(error, path);
    if ((statOrNull(`${file}-wal`)?.size ?? 0) > 0) {
      throw new UsageError(
        `database ${path} cannot be read here: its -wal file holds changes and SQLite cannot create the -shm file it needs beside it (read-only folder or media); ` +
          'open it once with write access (anam-sync migrate) to fold the -wal in, or copy the database with its -wal to a writable folder',
        { cause: error },
      );
    }
    try {
      return openImmutable(file);
    } catch {
      throw new UsageError(`database ${path} cannot be read: SQLite cannot create its -shm file beside it (read-only folder or media); copy it to a writable folder`, {
        cause: error,
      });
    }
  }
}

/**
 * Throws a UsageError unless `db` is an anam-sync database, or an empty one; returns the schema
 * version it is at (0 for an empty file).
 */
function checkOwnership(db: Db, path: string): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const names = db.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const foreign = (): UsageError =>
    new UsageError(`${path} is an SQLite database of another application, not anam-sync's; it was left untouched (choose another --db)`);
  if (appId !== 0 && appId !== APPLICATION_ID) throw foreign();
  const version = db.pragma('user_version', { simple: true }) as number;
  // No tables: a new file (version 0), unless a newer anam-sync has left its version in it.
  if (names.length === 0) return version;
  if (appId !== APPLICATION_ID && !OWN_TABLES.every((name) => names.includes(name))) throw foreign();
  if (!names.includes('__drizzle_migrations')) return version;
  // A database migrated before user_version was kept still counts its migrations in drizzle's table.
  const recorded = db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number;
  return Math.max(version, recorded);
}

/** Refuses a newer schema; for a read-only open also an older one (it cannot be migrated here). */
function checkVersion(found: number, path: string, readonly: boolean): void {
  const known = schemaVersion();
  if (found > known) {
    throw new UsageError(
      `database ${path} was written by a newer version of anam-sync (schema ${found}, this version knows ${known}); upgrade anam-sync`,
    );
  }
  if (readonly && found === 0) throw new NeedsMigrationError(`database ${path} is empty: run anam-sync sync first`);
  if (readonly && found < known) {
    throw new NeedsMigrationError(
      `database ${path} is at schema version ${found} and this anam-sync reads version ${known}: run anam-sync migrate --db ${path} (with write access) to update it`,
    );
  }
}

/** Checks the path; returns true when the file is new or empty (nothing in it to protect). */
function checkPath(file: string, readonly: boolean): boolean {
  const folder = dirname(file);
  if (!existsSync(folder)) throw new UsageError(`database folder ${folder} does not exist; create it or choose another --db`);
  if (!existsSync(file)) {
    if (readonly) throw new UsageError(`database ${file} does not exist; run anam-sync sync first`);
    try {
      // Created owner-only before SQLite sees it: the database holds system prompts. SQLite gives
      // the -wal and -shm files the same permissions.
      closeSync(openSync(file, 'wx', 0o600));
      return true;
    } catch (error) {
      // Another process created it a moment ago (two first runs at once): check it like any file.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError(`cannot create database ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
    }
  }
  const stat = statSync(file);
  if (stat.isDirectory()) throw new UsageError(`database path ${file} is a folder, not a file`);
  if (stat.size === 0) return true;
  const header = Buffer.alloc(16);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new UsageError(`cannot read database ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check its permissions`, { cause: error });
  }
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new UsageError(`${file} is not an SQLite database; it was left untouched (choose another --db)`);
  }
  return false;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function migrate(db: Db, known: number): void {
  // The write lock is taken before the applied migrations are read: a second process starting on
  // the same new file waits, then finds nothing left to apply. SQLite may still answer SQLITE_BUSY
  // without waiting (a lock upgrade it cannot wait for): then try again.
  retryWhileBusy(() => applyMigrations(db, MIGRATIONS));
  db.pragma(`user_version = ${known}`);
}

/** Runs `step`, trying again (up to about two seconds) while it fails with SQLITE_BUSY that SQLite did not wait out itself. */
function retryWhileBusy(step: () => unknown): void {
  for (let attempt = 1; ; attempt++) {
    try {
      step();
      return;
    } catch (error) {
      if (attempt === 8 || !/^SQLITE_BUSY/.test((error as { code?: string }).code ?? '')) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 * 2 ** attempt);
    }
  }
}

/**
 * The one wording of a damaged database, whichever command found it (exit 1: the run failed).
 */
function damaged(error: unknown, path: string): SyncError {
  return new SyncError(`database ${path} is damaged (${(error as Error).message}); restore it from a backup, or sync into a new file`, 1, { cause: error });
}

/** Turns SQLite's errors into one line for the user, with the contract's exit code. */
export function asDatabaseError(error: unknown, path: string): unknown {
  if (error instanceof SyncError) return error;
  const code = (error as { code?: string }).code ?? '';
  const cause = (error as { cause?: { code?: unknown } }).cause;
  // An error that wraps SQLite's (its cause) is read as SQLite's.
  if (code === '' && typeof cause?.code === 'string' && cause.code.startsWith('SQLITE_')) return asDatabaseError(cause, path);
  // The header was checked before SQLite saw the file: what SQLite then cannot read is damage.
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return damaged(error, path);
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
    return new ReadOnlyDatabaseError(`database ${path} cannot be written (read-only file, folder or media); check its permissions`, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED') {
    return new SyncError(`database ${path} stayed busy: another process held a write on it for over 10 s; run again`, 1, { cause: error });
  }
  if (code === 'SQLITE_FULL') return new SyncError(`the disk holding ${path} is full; free space and run again`, 1, { cause: error });
  if (code.startsWith('SQLITE_')) return new SyncError(`database error on ${path}: ${(error as Error).message}`, 1, { cause: error });
  return error;
}
