import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { APPLICATION_ID, openDatabase, schemaVersion, type Db } from '../../src/store/db.js';
import { tempDirs } from '../helpers.js';

const temp = tempDirs();
const opened: Db[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  temp.cleanup();
});

function open(path: string, options?: { readonly?: boolean }): Db {
  const db = openDatabase(path, options);
  opened.push(db);
  return db;
}

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected the database to be refused');
}

/** The contract's columns of `sessions`, in its order. */
const SESSION_COLUMNS = [
  'id', 'persona_id', 'client_label', 'start_time', 'end_time', 'session_length_ms', 'exit_status', 'engine_host',
  'engine_protocol', 'engine_version', 'client_metadata', 'persona_config', 'api_key_id', 'organization_id', 'created_at',
  'updated_at', 'first_synced_at', 'last_synced_at', 'deleted_at',
];

describe('openDatabase', () => {
  it('creates a new database readable and writable by its owner only', () => {
    const path = join(temp.make(), 'new.db');
    open(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('creates a new database with 8 KiB pages, and leaves an existing one its page size', () => {
    const fresh = join(temp.make(), 'new.db');
    expect(open(fresh).pragma('page_size', { simple: true })).toBe(8192);

    // A database made with SQLite's default 4 KiB pages (by an earlier version, say) keeps them.
    const older = join(temp.make(), 'older.db');
    const made = new Database(older);
    made.pragma(`application_id = ${APPLICATION_ID}`);
    made.exec('CREATE TABLE unrelated (a)');
    made.close();
    const db = open(older);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion());
  });

  it('gives the WAL file the same owner-only mode once something is written', () => {
    const path = join(temp.make(), 'new.db');
    const db = open(path);
    db.exec(`INSERT INTO sync_lock (id, pid, hostname, started_at, heartbeat_at) VALUES (1, 1, 'h', 'x', 'x')`);
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
  });

  it('turns WAL mode on, so readers go on beside a writer', () => {
    const path = join(temp.make(), 'wal.db');
    expect(open(path).pragma('journal_mode', { simple: true })).toBe('wal');
    const other = new Database(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
  });

  it('creates the sessions table with the contract\'s columns in the contract\'s order', () => {
    const db = open(join(temp.make(), 'schema.db'));
    const columns = (db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(SESSION_COLUMNS);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['sessions', 'session_versions', 'sync_runs', 'rejected_records', 'sync_state', 'sync_lock']));
  });

  it('records the schema version it migrated to', () => {
    const db = open(join(temp.make(), 'version.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion());
    expect(schemaVersion()).toBeGreaterThanOrEqual(1);
  });

  it('opens its own database again without losing rows', () => {
    const path = join(temp.make(), 'again.db');
    open(path).exec(`INSERT INTO sync_lock (id, pid, hostname, started_at, heartbeat_at) VALUES (1, 1, 'h', 'x', 'x')`);
    opened.pop()?.close();
    expect(open(path).prepare('SELECT count(*) FROM sync_lock').pluck().get()).toBe(1);
  });

  it('refuses a file that is not SQLite and leaves it byte for byte as it was', () => {
    const path = join(temp.make(), 'notes.db');
    const content = Buffer.from('these are my notes, not a database\n'.repeat(200));
    writeFileSync(path, content, { mode: 0o644 });
    const error = refusal(() => open(path));
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not an SQLite database/);
    expect(readFileSync(path).equals(content)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a short file that is not SQLite and leaves it as it was', () => {
    const path = join(temp.make(), 'short.db');
    writeFileSync(path, 'hi');
    refusal(() => open(path));
    expect(readFileSync(path, 'utf8')).toBe('hi');
  });

  it('refuses a path whose folder does not exist, naming the folder, and creates nothing', () => {
    const root = temp.make();
    const error = refusal(() => open(join(root, 'missing', 'sessions.db')));
    expect(error.message).toContain(join(root, 'missing'));
    expect(existsSync(join(root, 'missing'))).toBe(false);
  });

  it('refuses a folder given as the database path', () => {
    const path = join(temp.make(), 'folder.db');
    mkdirSync(path);
    expect(refusal(() => open(path)).message).toMatch(/folder/);
  });

  it('refuses a database written by a newer version of anam-sync and leaves it unchanged', () => {
    const path = join(temp.make(), 'newer.db');
    const future = new Database(path);
    future.pragma(`application_id = ${APPLICATION_ID}`);
    future.exec('CREATE TABLE sessions (id TEXT PRIMARY KEY, from_the_future TEXT)');
    future.pragma(`user_version = ${schemaVersion() + 1}`);
    future.close();
    const before = readFileSync(path);
    const error = refusal(() => open(path));
    expect(error.message).toMatch(/newer version/);
    expect(readFileSync(path).equals(before)).toBe(true);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(schemaVersion() + 1);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('refuses to open a missing database read-only instead of creating it', () => {
    const path = join(temp.make(), 'absent.db');
    refusal(() => open(path, { readonly: true }));
    expect(existsSync(path)).toBe(false);
  });
});
