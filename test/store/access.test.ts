/**
 * The database files people really have: one they may read but not write (a read-only mount, here
 * a tmpfs remounted read-only, as root cannot be kept out by file modes), another application's
 * SQLite file, and a damaged one. Every case runs the built CLI and compares the files byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from '../helpers.js';
import { syncedDatabase, type SyncedDb } from '../report/fixture.js';

const dirs = tempDirs();
let data: SyncedDb;
let sessions: number;

beforeAll(async () => {
  data = await syncedDatabase(120, 12);
  sessions = data.sim.store.all().length;
}, 120_000);
afterAll(async () => {
  await data.close();
  dirs.cleanup();
});

/** sha256 of each file that exists among `paths` (a missing one is listed as missing). */
function checksums(paths: string[]): Record<string, string> {
  return Object.fromEntries(paths.map((p) => [p, existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'missing']));
}

/** Whether this machine lets the tests mount a tmpfs (root in a container may not). */
function canMount(): boolean {
  const probe = dirs.make();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const MOUNT = canMount();

describe.skipIf(!MOUNT)('on read-only media (a tmpfs remounted read-only)', () => {
  let mount: string;
  /** A database the last writer closed cleanly: the main file alone. */
  let clean: string;
  /** A database copied while a writer held changes in its -wal: main file, -wal and -shm. */
  let withWal: string;
  /** The same without its -shm. */
  let walNoShm: string;

  beforeAll(() => {
    mount = dirs.make();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mount]);
    for (const name of ['clean', 'wal', 'wal-no-shm']) mkdirSync(join(mount, name));
    clean = join(mount, 'clean', 'sessions.db');
    copyFileSync(data.path, clean);

    // A writer that keeps a change in the -wal (no checkpoint) while the files are copied.
    const source = join(dirs.make(), 'sessions.db');
    copyFileSync(data.path, source);
    const writer = new Database(source);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("UPDATE sessions SET client_label = 'only in the wal' WHERE rowid = (SELECT min(rowid) FROM sessions)").run();
    withWal = join(mount, 'wal', 'sessions.db');
    walNoShm = join(mount, 'wal-no-shm', 'sessions.db');
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(`${source}${suffix}`, `${withWal}${suffix}`);
    for (const suffix of ['', '-wal']) copyFileSync(`${source}${suffix}`, `${walNoShm}${suffix}`);
    writer.close();
    execFileSync('mount', ['-o', 'remount,ro', mount]);
  });
  afterAll(() => {
    if (mount !== undefined) execFileSync('umount', ['-l', mount]);
  });

  it.each([
    ['closed cleanly (no -wal, no -shm: opened immutable)', () => clean, false],
    ['with a -wal holding changes and its -shm', () => withWal, true],
  ])('status, report --json and export succeed on a database %s and change nothing', async (_, path, walChange) => {
    const db = path();
    const files = [db, `${db}-wal`, `${db}-shm`];
    const before = checksums(files);

    const status = await runCli(['status', '--json', '--db', db]);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as { sessions: { stored: number } }).sessions.stored).toBe(sessions);

    const report = await runCli(['report', '--json', '--db', db]);
    expect(report.code).toBe(0);
    expect((JSON.parse(report.stdout) as { totals: { sessions: number } }).totals.sessions).toBeGreaterThan(0);

    const exported = await runCli(['export', '--format', 'ndjson', '--db', db, '--quiet']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(sessions);
    expect(exported.stdout.includes('"only in the wal"')).toBe(walChange);

    expect(checksums(files)).toEqual(before);
    expect(readdirSync(join(db, '..')).sort()).toEqual(Object.keys(before).filter((f) => before[f] !== 'missing').map((f) => f.split('/').pop()).sort());
  });

  it('explains, in one line and exit 2, a -wal that cannot be read without a -shm, and changes nothing', async () => {
    const files = [walNoShm, `${walNoShm}-wal`];
    const before = checksums(files);
    for (const command of [['status'], ['report', '--json'], ['export']]) {
      const result = await runCli([...command, '--db', walNoShm]);
      expect(result.code, command[0]).toBe(2);
      expect(result.stderr).toBe(
        `anam-sync: error: database ${walNoShm} cannot be read here: its -wal file holds changes and SQLite cannot create the -shm file it needs beside it ` +
          '(read-only folder or media); open it once with write access (anam-sync migrate) to fold the -wal in, or copy the database with its -wal to a writable folder\n',
      );
    }
    expect(checksums(files)).toEqual(before);
  });

  it('export --since-last says in one line that its bookmark needs write access (exit 2)', async () => {
    const before = checksums([clean]);
    const result = await runCli(['export', '--since-last', 'warehouse', '--db', clean]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `anam-sync: error: export --since-last keeps its bookmark in the database, and ${clean} cannot be written: run it with write access, or export without --since-last\n`,
    );
    expect(checksums([clean])).toEqual(before);
  });
});

describe("another application's SQLite file", () => {
  const FOREIGN: Array<[string, (db: Database.Database) => void]> = [
    ['with a users table', (db) => db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'ada')")],
    ['with its own sessions table', (db) => db.exec("CREATE TABLE sessions (id TEXT PRIMARY KEY, user TEXT); INSERT INTO sessions VALUES ('s1', 'ada')")],
    [
      'made with drizzle too, in WAL mode',
      (db) => {
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash TEXT, created_at NUMERIC); CREATE TABLE orders (id INTEGER)');
      },
    ],
    ['marked with another application id', (db) => db.pragma('application_id = 1')],
  ];

  it.each(FOREIGN)('%s is refused by every command in one line, exit 2, and left byte for byte as it was', async (_, make) => {
    const folder = dirs.make();
    const path = join(folder, 'other-app.db');
    const db = new Database(path);
    make(db);
    db.close();
    const before = readFileSync(path);
    const commands = [
      ['status'],
      ['status', '--json'],
      ['report'],
      ['report', '--json'],
      ['export'],
      ['export', '--since-last', 'x'],
      ['migrate'],
      ['sync', '--api-url', data.sim.url],
    ];
    for (const command of commands) {
      const result = await runCli([...command, '--db', path], { env: { ANAM_API_KEY: 'demo' } });
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr, command.join(' ')).toBe(
        `anam-sync: error: ${path} is an SQLite database of another application, not anam-sync's; it was left untouched (choose another --db)\n`,
      );
      expect(readFileSync(path).equals(before), command.join(' ')).toBe(true);
      expect(readdirSync(folder), command.join(' ')).toEqual(['other-app.db']);
    }
  });

  it('an empty SQLite file (no tables yet) is taken as new: migrated and marked as anam-sync', async () => {
    const path = join(dirs.make(), 'empty.db');
    new Database(path).exec('VACUUM');
    const result = await runCli(['migrate', '--db', path, '--quiet']);
    expect(result.code).toBe(0);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x414e5359);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sessions'").pluck().get()).toBe(1);
    db.close();
  });
});

describe('a damaged database', () => {
  /** A copy of the synced database with `pages` (1-based) overwritten by garbage. */
  function damagedCopy(pages: (db: Database.Database) => number[]): string {
    const path = join(dirs.make(), 'damaged.db');
    copyFileSync(data.path, path);
    const db = new Database(path, { readonly: true });
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const broken = pages(db);
    db.close();
    const bytes = readFileSync(path);
    for (const page of broken) bytes.fill(0xa5, page === 1 ? 100 : (page - 1) * pageSize, page * pageSize);
    writeFileSync(path, bytes);
    return path;
  }

  it('has one wording in status, report, export and sync when the schema is damaged', async () => {
    const path = damagedCopy(() => [1]);
    const line = (message: string): string => `anam-sync: error: database ${path} is damaged (${message}); restore it from a backup, or sync into a new file\n`;
    for (const command of [['status'], ['report', '--json'], ['export'], ['sync', '--api-url', data.sim.url]]) {
      const result = await runCli([...command, '--db', path], { env: { ANAM_API_KEY: 'demo' } });
      expect(result.code, command[0]).toBe(1);
      expect(result.stderr, command[0]).toBe(line('database disk image is malformed'));
    }
  });

  it('has the same wording in status, report and export when the sessions table is damaged', async () => {
    const path = damagedCopy((db) => db.prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'sessions' AND rootpage > 0").pluck().all() as number[]);
    for (const command of [['status'], ['report', '--json'], ['export', '--format', 'ndjson']]) {
      const result = await runCli([...command, '--db', path]);
      expect(result.code, command[0]).toBe(1);
      expect(result.stderr, command[0]).toBe(
        `anam-sync: error: database ${path} is damaged (database disk image is malformed); restore it from a backup, or sync into a new file\n`,
      );
    }
  });
});
