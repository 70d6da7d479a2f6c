/**
 * Opening the database: refuse what is not ours to touch, create new files owner-only, set the
 * pragmas, and bring the schema up to date with the committed migrations.
 */
import { closeSync, existsSync, openSync, readSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { SyncError, UsageError } from '../errors.js';

export type Db = Database.Database;

// Loaded with require: importing a CommonJS package from ES modules first scans its source for named
// exports, which costs every run a few milliseconds.
const load = createRequire(import.meta.url);
const Sqlite = load('better-sqlite3') as typeof Database;

/** A read-only open found a database an older version of the tool wrote: it must be migrated first. */
export class NeedsMigrationError extends UsageError {}

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const SQLITE_HEADER = 'SQLite format 3\0';
const PAGE_SIZE = 8192;

/** The number of migrations this version of the tool knows; stored in `PRAGMA user_version`. */
export function schemaVersion(): number {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export interface OpenOptions {
  /** Open without creating or migrating (status and export on a database that must exist). */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the database at `path` and applies pending migrations. Throws a
 * UsageError, leaving the file untouched, when the folder is missing, the file is not SQLite, or a
 * newer version of anam-sync wrote it.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const file = resolve(path);
  checkPath(file, options.readonly === true);
  let db: Db;
  try {
    db = new Sqlite(file, { readonly: options.readonly === true, fileMustExist: true });
  } catch (error) {
    throw new UsageError(`cannot open database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // A busy writer (a sync in another process) is waited for, not failed on.
    db.pragma('busy_timeout = 10000');
    const known = schemaVersion();
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > known) {
      throw new UsageError(
        `database ${path} was written by a newer version of anam-sync (schema ${found}, this version knows ${known}); upgrade anam-sync`,
      );
    }
    if (!options.readonly) {
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
      // keeps them, and checkpointing every 64 MiB of WAL instead of every 4 MiB saves most of the
      // checkpoint fsyncs of a large sync. Both are bounded, whatever the number of sessions.
      db.pragma('cache_size = -32768');
      db.pragma('wal_autocheckpoint = 16384');
      if (found < known) applyMigrations(db, known);
    } else if (found < known) {
      throw new NeedsMigrationError(`database ${path} needs migrating: run anam-sync migrate`);
    }
    return db;
  } catch (error) {
    db.close();
    throw asDatabaseError(error, path);
  }
}

/**
 * Opens an existing database for reading only (status, export, report: they work beside a running
 * sync). A database an older version of the tool wrote is migrated first, as every command does.
 */
export function openForReading(path: string): Db {
  try {
    return openDatabase(path, { readonly: true });
  } catch (error) {
    if (!(error instanceof NeedsMigrationError)) throw error;
  }
  openDatabase(path).close();
  return openDatabase(path, { readonly: true });
}

function checkPath(file: string, readonly: boolean): void {
  const folder = dirname(file);
  if (!existsSync(folder)) throw new UsageError(`database folder ${folder} does not exist; create it or choose another --db`);
  if (!existsSync(file)) {
    if (readonly) throw new UsageError(`database ${file} does not exist; run anam-sync sync first`);
    try {
      // Created owner-only before SQLite sees it: the database holds system prompts. SQLite gives
      // the -wal and -shm files the same permissions.
      closeSync(openSync(file, 'wx', 0o600));
      return;
    } catch (error) {
      // Another process created it a moment ago (two first runs at once): check it like any file.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError(`cannot create database ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
    }
  }
  const stat = statSync(file);
  if (stat.isDirectory()) throw new UsageError(`database path ${file} is a folder, not a file`);
  if (stat.size === 0) return;
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
}

function applyMigrations(db: Db, known: number): void {
  // drizzle is loaded only when there is something to migrate: most runs skip its start-up cost.
  const { drizzle } = load('drizzle-orm/better-sqlite3') as typeof import('drizzle-orm/better-sqlite3');
  const { migrate } = load('drizzle-orm/better-sqlite3/migrator') as typeof import('drizzle-orm/better-sqlite3/migrator');
  // Two processes starting on a new file at once: drizzle reads which migrations are applied before
  // it takes the write lock, so the loser fails on tables the winner just created, or with
  // SQLITE_BUSY_SNAPSHOT when the winner committed while it waited. Read again: by then the winner's
  // migrations are recorded and nothing is left to apply.
  retryWhileBusy(() => migrate(drizzle(db), { migrationsFolder: MIGRATIONS }), /already exists/);
  db.pragma(`user_version = ${known}`);
}

/**
 * Runs `step`, trying again (up to about two seconds) while it fails with SQLITE_BUSY that SQLite
 * did not wait out itself, or with an error matching `alsoRetry`.
 */
function retryWhileBusy(step: () => unknown, alsoRetry?: RegExp): void {
  for (let attempt = 1; ; attempt++) {
    try {
      step();
      return;
    } catch (error) {
      // drizzle wraps SQLite's error: look at its cause too.
      const causes = [error, (error as { cause?: unknown }).cause] as Array<{ message?: string; code?: string } | undefined>;
      const retry = causes.some((e) => /^SQLITE_BUSY/.test(e?.code ?? '') || (alsoRetry?.test(e?.message ?? '') ?? false));
      if (attempt === 8 || !retry) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 * 2 ** attempt);
    }
  }
}

/** Turns SQLite's errors into one line for the user, with the contract's exit code. */
export function asDatabaseError(error: unknown, path: string): unknown {
  if (error instanceof SyncError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') return new UsageError(`${path} is not an SQLite database; it was left untouched`, { cause: error });
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
    return new UsageError(`database ${path} cannot be written (read-only file or folder); check its permissions`, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED') {
    return new SyncError(`database ${path} stayed busy: another process held a write on it for over 10 s; run again`, 1, { cause: error });
  }
  if (code === 'SQLITE_FULL') return new SyncError(`the disk holding ${path} is full; free space and run again`, 1, { cause: error });
  if (code.startsWith('SQLITE_CORRUPT')) return new SyncError(`database ${path} is damaged: ${(error as Error).message}`, 1, { cause: error });
  if (code.startsWith('SQLITE_')) return new SyncError(`database error on ${path}: ${(error as Error).message}`, 1, { cause: error });
  return error;
}
