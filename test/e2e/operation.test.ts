import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, statfsSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { expectOneLine, query, runCli, sleep, startCli, syncJson, tempFolder, type RunningCli, type TempFolder } from '../helpers.js';

let folder: TempFolder;
let sim: Simulator | undefined;
let db: string;
const KEY = 'sk-live-DoNotLeakThis-7f3a9c';

beforeEach(() => {
  folder = tempFolder();
  db = join(folder.path, 'sessions.db');
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  folder.cleanup();
});

const env = (key = 'demo') => ({ ANAM_API_KEY: key });

/** Polls `check` until it is true or `ms` pass. */
async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/** A number read from the database while a sync may be creating it: 0 before it can be read. */
function countOrZero(sql: string): number {
  if (!existsSync(db)) return 0;
  try {
    return query<{ n: number }>(db, sql)[0]!.n;
  } catch {
    return 0;
  }
}

const pagesWritten = (): number => countOrZero('SELECT coalesce(max(pages), 0) AS n FROM sync_runs');
/** How many runs have recorded themselves in `sync_runs`. */
const runsRecorded = (): number => countOrZero('SELECT count(*) AS n FROM sync_runs');

function lockHeld(): boolean {
  if (!existsSync(db)) return false;
  try {
    return query(db, 'SELECT 1 FROM sync_lock').length > 0;
  } catch {
    return false;
  }
}

function startSlowSync(extra: string[] = []): RunningCli {
  return startCli(['sync', '--api-url', sim!.url, '--db', db, '--per-page', '20', '--quiet', ...extra], { env: env() });
}

describe('one sync per database', () => {
  it('a second sync exits 75 at once naming the holder, status, export and report keep working, and the first finishes normally', async () => {
    sim = await startSimulator({ sessions: 2000, seed: 11, latencyMs: 60 });
    const first = startSlowSync();
    await waitFor(() => lockHeld());

    const started = Date.now();
    const second = await runCli(['sync', '--api-url', sim.url, '--db', db], { env: env() });
    const elapsed = Date.now() - started;

    expect(second.code).toBe(75);
    expect(elapsed).toBeLessThan(3000);
    expectOneLine(second.stderr);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    expect(second.stderr).toMatch(/started \d{4}-\d{2}-\d{2}T/);
    const status = await runCli(['status', '--json', '--db', db]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).lock.pid).toBe(first.child.pid);
    const exported = await runCli(['export', '--format', 'csv', '--db', db]);
    expect(exported.code).toBe(0);
    expect(exported.stdout.startsWith('id,persona_id,')).toBe(true);
    const report = await runCli(['report', '--json', '--db', db]);
    expect(report.code).toBe(0);

    const result = await first.done;
    expect(result.code).toBe(0);
    expect(query(db, 'SELECT count(*) AS n FROM sessions')[0]).toEqual({ n: 2000 });
    expect(query(db, 'SELECT count(*) AS n FROM sync_lock')[0]).toEqual({ n: 0 });
  });

  it('two first syncs started together on a new file: one runs, the other waits its turn or exits 75, never 2', async () => {
    sim = await startSimulator({ sessions: 500, seed: 23, latencyMs: 20 });
    const args = ['sync', '--api-url', sim.url, '--db', db, '--quiet'];
    const results = await Promise.all([runCli(args, { env: env() }), runCli(args, { env: env() })]);
    const codes = results.map((r) => r.code).sort();
    expect([[0, 0], [0, 75]]).toContainEqual(codes);
    expect(query(db, 'SELECT count(*) AS n FROM sessions')[0]).toEqual({ n: 500 });
  });

  it('takes over a lock whose holder is dead or whose heartbeat expired, but not a live one', async () => {
    sim = await startSimulator({ sessions: 50, seed: 12 });
    expect((await syncJson(['--api-url', sim.url, '--db', db], { env: env() })).result.code).toBe(0);
    const lock = (pid: number, heartbeatAt: string) => {
      const conn = new Database(db);
      conn.prepare('INSERT OR REPLACE INTO sync_lock (id, pid, hostname, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)')
        .run(pid, execFileSync('hostname').toString().trim(), heartbeatAt, heartbeatAt);
      conn.close();
    };
    const sync = () => runCli(['sync', '--api-url', sim!.url, '--db', db], { env: env() });

    lock(process.pid, new Date().toISOString());
    expect((await sync()).code).toBe(75);

    lock(process.pid, new Date(Date.now() - 10 * 60_000).toISOString());
    expect((await sync()).code).toBe(0);

    lock(2 ** 22 + 12345, new Date().toISOString()); // a pid that cannot be running
    const status = await runCli(['status', '--json', '--db', db]);
    expect(JSON.parse(status.stdout).lock).toMatchObject({ pid: 2 ** 22 + 12345, stale: true });
    expect((await runCli(['status', '--db', db])).stdout).toMatch(/which is gone; the next sync takes it over/);
    expect((await sync()).code).toBe(0);
  });
});

describe('a fenced lock', () => {
  it('a sync whose lock was taken over stops before writing again, exits 75 and records why', async () => {
    sim = await startSimulator({ sessions: 3000, seed: 14, latencyMs: 40 });
    const run = startSlowSync(['--full']);
    await waitFor(() => pagesWritten() > 0);
    // Another sync takes the lock over, as it would after this one stalled past the expiry.
    const conn = new Database(db);
    conn.pragma('busy_timeout = 10000');
    const now = new Date().toISOString();
    conn.prepare(`UPDATE sync_lock SET pid = ?, token = 'another-sync', started_at = ?, heartbeat_at = ? WHERE id = 1`).run(process.pid, now, now);
    const storedAtTakeover = conn.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
    conn.close();

    const result = await run.done;

    expect(result.code).toBe(75);
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/sync lock was taken over by another sync/);
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM sessions')[0]!.n).toBe(storedAtTakeover);
    expect(storedAtTakeover).toBeLessThan(3000);
    const [last] = query<{ status: string; error: string }>(db, 'SELECT status, error FROM sync_runs ORDER BY id DESC LIMIT 1');
    expect(last).toMatchObject({ status: 'failed', error: expect.stringMatching(/taken over/) });
    // The new holder's lock is left alone.
    expect(query(db, 'SELECT token FROM sync_lock')).toEqual([{ token: 'another-sync' }]);
  });
});

describe('signals', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} mid-run exits ${code} within seconds, records the run as interrupted, and leaves the database intact`, async () => {
      sim = await startSimulator({ sessions: 3000, seed: 13, latencyMs: 60 });
      const run = startSlowSync();
      await waitFor(() => pagesWritten() > 0);
      await sleep(300);

      const sent = Date.now();
      run.child.kill(signal);
      const result = await run.done;

      expect(result.code).toBe(code);
      expect(Date.now() - sent).toBeLessThan(5000);
      const [last] = query<{ status: string; pages: number }>(db, 'SELECT status, pages FROM sync_runs ORDER BY id DESC LIMIT 1');
      expect(last!.status).toBe('interrupted');
      expect(query(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(query(db, 'SELECT count(*) AS n FROM sync_lock')[0]).toEqual({ n: 0 });
      // Every page the run counted is in the table: the page in hand was committed.
      const stored = query<{ n: number }>(db, 'SELECT count(*) AS n FROM sessions')[0]!.n;
      expect(stored).toBe(last!.pages * 20);
      expect(query(db, 'SELECT count(*) AS n FROM sync_state')[0]).toEqual({ n: 0 });
    });
  }
});

describe('crash safety', () => {
  it('survives five kill -9s at random moments: integrity ok, nothing left running, and the next run equals the API', async () => {
    sim = await startSimulator({ sessions: 3000, seed: 14, latencyMs: 40 });
    let kills = 0;
    const ended: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = startSlowSync(['--full']);
      // A random moment once the run is under way (its record written): a loaded machine can take
      // longer than a second just to start the process and create the file.
      await waitFor(() => runsRecorded() > i || run.child.exitCode !== null, 30_000);
      await sleep(Math.floor(Math.random() * 700));
      if (run.child.exitCode === null && run.child.kill('SIGKILL')) kills++;
      const result = await run.done;
      if (result.signal === null) ended.push(`run ${i} ended by itself with ${result.code}: ${result.stderr}`);
      // A kill before the run created the file leaves nothing to check.
      if (existsSync(db)) expect(query(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    }
    expect(kills, ended.join('\n')).toBe(5);

    const { result, summary } = await syncJson(['--api-url', sim.url, '--db', db, '--full'], { env: env() });

    expect(result.code).toBe(0);
    expect(summary.status).toBe('succeeded');
    expect(query(db, "SELECT count(*) AS n FROM sync_runs WHERE status = 'running'")[0]).toEqual({ n: 0 });
    expect(query<{ n: number }>(db, "SELECT count(*) AS n FROM sync_runs WHERE status = 'abandoned'")[0]!.n).toBeGreaterThan(0);
    const ids = new Set(query<{ id: string }>(db, 'SELECT id FROM sessions WHERE deleted_at IS NULL').map((r) => r.id));
    expect(ids.size).toBe(3000);
    for (const session of sim.store.all()) expect(ids.has(session.id)).toBe(true);
    const versions = query<{ id: string; updated_at: string | null }>(db, 'SELECT id, updated_at FROM sessions');
    const byId = new Map(sim.store.all().map((s) => [s.id, s.updatedAt === null ? null : new Date(s.updatedAt).toISOString()]));
    for (const row of versions) expect(row.updated_at).toBe(byId.get(row.id));
  });
});

describe('logs', () => {
  it('--log-format json writes one JSON object per line with time, level and message', async () => {
    sim = await startSimulator({ sessions: 120, seed: 15 });
    const result = await runCli(['sync', '--api-url', sim.url, '--db', db, '--log-format', 'json'], { env: env() });
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(entry).slice(0, 3)).toEqual(['time', 'level', 'message']);
      expect(Number.isNaN(Date.parse(String(entry.time)))).toBe(false);
    }
  });

  it('--quiet prints nothing when all is well, and no progress bar reaches a pipe', async () => {
    sim = await startSimulator({ sessions: 120, seed: 15 });
    const quiet = await runCli(['sync', '--api-url', sim.url, '--db', db, '--quiet'], { env: env() });
    expect(quiet.stderr).toBe('');
    expect(quiet).toMatchObject({ code: 0, stdout: '' });
    const normal = await runCli(['sync', '--api-url', sim.url, '--db', db, '--full'], { env: env() });
    expect(normal.stderr).not.toContain('\r');
  });

  it('--verbose adds a line per request with method, path, status, duration and attempt', async () => {
    sim = await startSimulator({ sessions: 250, seed: 16 });
    const result = await runCli(['sync', '--api-url', sim.url, '--db', db, '--verbose'], { env: env() });
    expect(result.code).toBe(0);
    const requests = result.stderr.split('\n').filter((line) => /GET \/v1\/sessions\?page=\d+/.test(line));
    expect(requests).toHaveLength(sim.stats().requests);
    expect(requests[0]).toMatch(/GET \/v1\/sessions\?page=1&perPage=100 200 \d+ ms \(attempt=1\)/);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string[], number, RegExp]> = [
    ['a concurrency out of range', ['--concurrency', '0'], 2, /--concurrency/],
    ['a persona filter that is not a UUID', ['--persona-id', 'cara'], 2, /--persona-id/],
    ['an API URL that is not http(s)', ['--api-url', 'ftp://example.com'], 2, /--api-url/],
    ['plain http to a host that is not loopback', ['--api-url', 'http://example.com'], 2, /--allow-insecure-http/],
    ['an unknown flag', ['--frobnicate'], 2, /frobnicate/],
    ['a database in a missing folder', ['--db', '/nonexistent-folder/x.db'], 2, /does not exist/],
  ];
  for (const [what, args, code, message] of cases) {
    it(`${what} exits ${code} with one line naming it`, async () => {
      const result = await runCli(['sync', '--db', db, '--api-url', 'http://127.0.0.1:9', ...args], { env: env() });
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      if (!args.includes('--frobnicate')) expectOneLine(result.stderr);
      expect(existsSync(db)).toBe(false);
    });
  }

  it('leaves a file that is not SQLite untouched and exits 2', async () => {
    writeFileSync(db, 'name,label\nnot,a database\n');
    const before = readFileSync(db);
    const result = await runCli(['sync', '--db', db, '--api-url', 'http://127.0.0.1:9'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an SQLite database/);
    expectOneLine(result.stderr);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('refuses a database written by a newer version of the tool, leaving it as it was', async () => {
    const conn = new Database(db);
    conn.pragma('user_version = 99');
    conn.close();
    const before = readFileSync(db);
    for (const command of [['sync', '--api-url', 'http://127.0.0.1:9'], ['status'], ['migrate']]) {
      const result = await runCli([...command, '--db', db], { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/newer version of anam-sync/);
      expectOneLine(result.stderr);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('an unreachable API is retried, then exits 1 naming the host and the cause', async () => {
    const port = await closedPort();
    const result = await runCli(['sync', '--db', db, '--api-url', `http://127.0.0.1:${port}`, '--max-retries', '1', '--quiet'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
    expectOneLine(result.stderr);
    const [run] = query<{ status: string; retries: number }>(db, 'SELECT status, retries FROM sync_runs');
    expect(run).toEqual({ status: 'failed', retries: 1 });
  });

  it('status on a database that does not exist exits 2 without creating it', async () => {
    const result = await runCli(['status', '--db', db]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(existsSync(db)).toBe(false);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A tmpfs of `size` mounted in the test folder, where this machine allows it (root). */
function mountTmpfs(size: string): string | null {
  const point = join(folder.path, 'mnt');
  mkdirSync(point);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', point], { stdio: 'ignore' });
    return point;
  } catch {
    return null;
  }
}
/** Only root may mount a tmpfs; elsewhere the disk tests are skipped, and say why. */
const canMount = process.getuid?.() === 0 && (existsSync('/usr/bin/mount') || existsSync('/bin/mount'));

describe('read-only and full disks', () => {
  it.skipIf(!canMount)('(needs root to mount a tmpfs) a database on a read-only disk exits 2 with one line and is not changed', async () => {
    sim = await startSimulator({ sessions: 50, seed: 17 });
    const point = mountTmpfs('4m');
    if (point === null) return;
    try {
      const file = join(point, 'sessions.db');
      expect((await runCli(['sync', '--api-url', sim.url, '--db', file, '--quiet'], { env: env() })).code).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', point]);
      const before = readFileSync(file);
      const result = await runCli(['sync', '--api-url', sim.url, '--db', file, '--full'], { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/read-only|cannot be written/);
      expectOneLine(result.stderr);
      expect(readFileSync(file).equals(before)).toBe(true);
    } finally {
      execFileSync('umount', [point]);
    }
  });

  it.skipIf(!canMount)('(needs root to mount a tmpfs) a full disk fails the run with exit 1 and one line, and what was committed stays readable', async () => {
    sim = await startSimulator({ sessions: 3000, seed: 18 });
    // Room for the first run: its database (about 13 MB) and its write-ahead log (under 16 MB: the
    // writer thread checkpoints every 8 MiB, see writer-worker.ts). A smaller disk fills up during
    // the first run already.
    const point = mountTmpfs('128m');
    if (point === null) return;
    try {
      const file = join(point, 'sessions.db');
      expect((await runCli(['sync', '--api-url', sim.url, '--db', file, '--quiet'], { env: env() })).code).toBe(0);
      expect(existsSync(`${file}-wal`)).toBe(false);
      // The disk fills up: a few hundred KB are left, and another API has 3,000 sessions more.
      const { bavail, bsize } = statfsSync(point);
      writeFileSync(join(point, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 300_000)));
      await sim.close();
      sim = await startSimulator({ sessions: 3000, seed: 19 });
      const result = await runCli(['sync', '--api-url', sim.url, '--db', file, '--full', '--quiet'], { env: env() });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/disk .* is full/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expectOneLine(result.stderr);
      expect(query(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      // The first run's sessions are all there; the failed run recorded its failure.
      expect(query<{ n: number }>(file, 'SELECT count(*) AS n FROM sessions')[0]!.n).toBeGreaterThanOrEqual(3000);
      expect(query<{ status: string }>(file, 'SELECT status FROM sync_runs ORDER BY id')).toEqual([{ status: 'succeeded' }, { status: 'failed' }]);
    } finally {
      execFileSync('umount', [point]);
    }
  });
});

describe('the key', () => {
  function expectNoKey(...texts: Array<string | Buffer>): void {
    for (const text of texts) expect(text.toString('latin1')).not.toContain(KEY);
  }

  it('a key from the environment, right or wrong, appears in no output, log or database file', async () => {
    sim = await startSimulator({ sessions: 150, seed: 19, key: KEY });
    const right = await runCli(['sync', '--api-url', sim.url, '--db', db, '--verbose', '--json'], { env: env(KEY) });
    expect(right.code).toBe(0);
    const status = await runCli(['status', '--json', '--db', db]);
    sim.setOptions({ key: 'another-key' });
    const wrong = await runCli(['sync', '--api-url', sim.url, '--db', db, '--verbose', '--json', '--log-format', 'json'], { env: env(KEY) });
    expect(wrong.code).toBe(77);
    const conn = new Database(db);
    conn.pragma('wal_checkpoint(TRUNCATE)');
    conn.close();
    expectNoKey(right.stdout, right.stderr, wrong.stdout, wrong.stderr, status.stdout, readFileSync(db));
  });

  it('--api-key-file reads the key, trims the newline, and warns when others can read the file', async () => {
    sim = await startSimulator({ sessions: 30, seed: 20, key: KEY });
    const file = join(folder.path, 'key');
    writeFileSync(file, `${KEY}\n`);
    chmodSync(file, 0o600);
    const privateFile = await runCli(['sync', '--api-url', sim.url, '--db', db, '--api-key-file', file]);
    expect(privateFile.code).toBe(0);
    expect(privateFile.stderr).not.toMatch(/can be read by other users/);
    chmodSync(file, 0o644);
    const shared = await runCli(['sync', '--api-url', sim.url, '--db', db, '--api-key-file', file]);
    expect(shared.code).toBe(0);
    expect(shared.stderr).toMatch(/can be read by other users/);
    expectNoKey(privateFile.stderr, shared.stderr);
  });

  it('creates the database readable by its owner only', async () => {
    sim = await startSimulator({ sessions: 30, seed: 21 });
    expect((await runCli(['sync', '--api-url', sim.url, '--db', db], { env: env() })).code).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });
});

describe('status', () => {
  it('reports stored, open and deleted sessions, the last runs and the bookmarks, as text and JSON', async () => {
    sim = await startSimulator({ sessions: 200, seed: 22 });
    await runCli(['sync', '--api-url', sim.url, '--db', db], { env: env() });
    const open = sim.store.all().filter((s) => s.endTime === null).length;

    const json = await runCli(['status', '--json', '--db', db]);
    const text = await runCli(['status', '--db', db]);

    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.sessions).toEqual({ stored: 200, live: 200, open, deleted: 0 });
    expect(report.lastRuns[0]).toMatchObject({ status: 'succeeded', mode: 'full', inserted: 200 });
    expect(report.bookmarks[0]).toMatchObject({ scope: '' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`200 live (${open} open), 0 deleted`);
    expect(text.stdout).toMatch(/#1 .* succeeded full/);
  });
});
