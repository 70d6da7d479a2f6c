import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { query, runCli, sleep, startCli, tempDirs } from '../helpers.js';
import { COLUMNS, databaseRows, duck, JSON_COLUMNS, sqlPath, TIME_COLUMNS, type Row } from './fixture.js';

const dirs = tempDirs();
const env = { ANAM_API_KEY: 'demo' };
let sim: Simulator;
let db: string;
let lake: string;

/** Every column as text the way the database holds it: times as canonical UTC text, numbers as digits. */
const TEXT_SELECT = COLUMNS.map((c) =>
  TIME_COLUMNS.includes(c) ? `strftime(${c} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS ${c}` : `${c}::VARCHAR AS ${c}`,
).join(', ');

/** The dataset as DuckDB reads it with Hive partitioning, rows ordered by id, values as text. */
async function datasetRows(dir: string): Promise<Array<Record<string, unknown>>> {
  return duck(
    `SELECT ${TEXT_SELECT} FROM read_parquet(${sqlPath(join(dir, 'sessions', '*', '*.parquet'))}, hive_partitioning = true) ORDER BY id`,
  );
}

/** The `sessions` table in the same shape. */
function tableRows(where = '1'): Array<Record<string, unknown>> {
  return databaseRows(db, where)
    .sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1))
    .map((row: Row) => Object.fromEntries(COLUMNS.map((c) => [c, row[c] === null ? null : String(row[c])])));
}

async function expectDatasetEqualsTable(dir: string, where = '1'): Promise<void> {
  const read = await datasetRows(dir);
  const want = tableRows(where);
  expect(read.length).toBe(want.length);
  expect(read).toEqual(want);
}

/** Each partition file's identity: inode and modification time, by folder. */
function fileStamps(dir: string): Map<string, string> {
  const table = join(dir, 'sessions');
  const stamps = new Map<string, string>();
  for (const folder of readdirSync(table).filter((f) => f.includes('='))) {
    const files = readdirSync(join(table, folder));
    expect(files, folder).toEqual(['part-0.parquet']);
    const stat = statSync(join(table, folder, files[0]!));
    stamps.set(folder, `${stat.ino} ${stat.mtimeMs}`);
  }
  return stamps;
}

/** Files in the staging folders of running exports (0 when there is none). */
function stagedFiles(staging: string): number {
  try {
    return readdirSync(staging).reduce((n, run) => n + readdirSync(join(staging, run)).length, 0);
  } catch {
    return 0;
  }
}

async function exportDataset(...args: string[]): Promise<void> {
  const result = await runCli(['export', '--db', db, '--dataset', lake, '--quiet', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

function write(sql: string, ...params: unknown[]): void {
  const handle = new Database(db);
  try {
    handle.prepare(sql).run(...params);
  } finally {
    handle.close();
  }
}

async function sync(...args: string[]): Promise<void> {
  const result = await runCli(['sync', '--api-url', sim.url, '--db', db, '--quiet', ...args], { env, timeoutMs: 120_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

beforeAll(async () => {
  sim = await startSimulator({ sessions: 20_000, days: 400, seed: 17 });
  const dir = dirs.make();
  db = join(dir, 'sessions.db');
  lake = join(dir, 'lake');
  await sync();
}, 120_000);
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

describe('export --dataset', () => {
  it('writes one folder per UTC day of start_time, each with one Parquet file, that DuckDB reads as the sessions table', async () => {
    await exportDataset('--since-last', 'lake');
    const days = query<{ day: string }>(db, 'SELECT DISTINCT substr(start_time, 1, 10) AS day FROM sessions ORDER BY 1').map((r) => r.day);
    expect(days.length).toBeGreaterThan(390);
    expect([...fileStamps(lake).keys()].sort()).toEqual(days.map((d) => `start_date=${d}`));
    await expectDatasetEqualsTable(lake);
  }, 60_000);

  it('is typed as --format parquet is, the partition column a DATE matching start_time', async () => {
    const glob = sqlPath(join(lake, 'sessions', '*', '*.parquet'));
    const described = await duck(`DESCRIBE SELECT * FROM read_parquet(${glob}, hive_partitioning = true)`);
    const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    expect(described.map((d) => d.column_name)).toEqual([...COLUMNS, 'start_date']);
    for (const column of TIME_COLUMNS) expect(types[column], column).toBe('TIMESTAMP WITH TIME ZONE');
    expect(types.session_length_ms).toBe('BIGINT');
    for (const column of JSON_COLUMNS) expect(types[column], column).toBe('VARCHAR');
    expect(types.start_date).toBe('DATE');

    const single = join(lake, '..', 'single.parquet');
    expect((await runCli(['export', '--db', db, '--format', 'parquet', '--out', single])).code).toBe(0);
    const singleTypes = await duck(`DESCRIBE SELECT * FROM read_parquet(${sqlPath(single)})`);
    expect(described.slice(0, COLUMNS.length)).toEqual(singleTypes);

    const [wrong] = await duck(
      `SELECT count(*) AS n FROM read_parquet(${glob}, hive_partitioning = true) WHERE start_date <> CAST(start_time AT TIME ZONE 'UTC' AS DATE)`,
    );
    expect(wrong).toEqual({ n: '0' });
  });

  it('keeps a manifest with the schema, every partition with its rows and file, and the snapshot', () => {
    const manifest = JSON.parse(readFileSync(join(lake, 'sessions', '_anam_sync.json'), 'utf8')) as {
      partitionColumn: string;
      columns: Array<{ name: string }>;
      rows: number;
      partitions: Array<{ value: string; path: string; rows: number }>;
      snapshot: { newestSyncedAt: string };
    };
    expect(manifest.partitionColumn).toBe('start_date');
    expect(manifest.columns.map((c) => c.name)).toEqual([...COLUMNS]);
    expect(manifest.rows).toBe(20_000);
    const perDay = query<{ day: string; n: number }>(db, 'SELECT substr(start_time, 1, 10) AS day, count(*) AS n FROM sessions GROUP BY 1 ORDER BY 1');
    expect(manifest.partitions).toEqual(
      perDay.map((d) => expect.objectContaining({ value: d.day, path: `start_date=${d.day}/part-0.parquet`, rows: d.n })),
    );
    const [newest] = query<{ newest: string }>(db, 'SELECT max(last_synced_at) AS newest FROM sessions');
    expect(manifest.snapshot.newestSyncedAt).toBe(newest!.newest);
  });

  it('with --since-last and nothing new leaves every file as it was', async () => {
    const before = fileStamps(lake);
    const manifest = statSync(join(lake, 'sessions', '_anam_sync.json')).mtimeMs;
    const result = await runCli(['export', '--db', db, '--dataset', lake, '--since-last', 'lake']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('nothing new since the last export under "lake"');
    expect(fileStamps(lake)).toEqual(before);
    expect(statSync(join(lake, 'sessions', '_anam_sync.json')).mtimeMs).toBe(manifest);
  });

  it('after edits, deletions and new sessions rewrites only the partitions they touch, and equals the table again', async () => {
    const before = fileStamps(lake);
    const all = sim.store.all();
    const edited = [all[100]!, all[7000]!, all[15_000]!].map((s) => s.id as string);
    const deleted = [all[3000]!, all[12_000]!].map((s) => s.id as string);
    for (const id of edited) sim.store.edit(id);
    for (const id of deleted) sim.store.remove(id);
    for (let i = 0; i < 3; i++) sim.store.create();
    await sync('--full');

    const [mark] = query<{ at: string }>(db, `SELECT last_synced_at AS at FROM export_bookmarks WHERE name = 'dataset:lake'`);
    const touched = query<{ id: string; day: string }>(db, 'SELECT id, substr(start_time, 1, 10) AS day FROM sessions WHERE last_synced_at > ?', mark!.at);
    // What the sync changed is what was done upstream: three edits, two deletions, three new sessions.
    expect(touched.filter((t) => edited.includes(t.id) || deleted.includes(t.id))).toHaveLength(5);
    expect(touched).toHaveLength(8);
    const touchedFolders = new Set(touched.map((t) => `start_date=${t.day}`));

    await exportDataset('--since-last', 'lake');
    const after = fileStamps(lake);
    const changed = [...after.keys()].filter((folder) => before.get(folder) !== after.get(folder)).sort();
    expect(changed).toEqual([...touchedFolders].sort());
    expect(changed.length).toBeLessThan(9);
    for (const [folder, stamp] of before) if (!touchedFolders.has(folder)) expect(after.get(folder), folder).toBe(stamp);
    await expectDatasetEqualsTable(lake);
    const read = await duck(
      `SELECT id, deleted_at IS NOT NULL AS gone FROM read_parquet(${sqlPath(join(lake, 'sessions', '*', '*.parquet'))}) WHERE id IN (${deleted.map((id) => `'${id}'`).join(', ')})`,
    );
    expect(read).toEqual(expect.arrayContaining(deleted.map((id) => ({ id, gone: true }))));
  }, 120_000);

  it('killed with SIGKILL while staging or while swapping files in, still reads whole, and the next export repairs it', async () => {
    // Many sessions change, as a sync changes them (a new value, stamped): the export that is killed
    // has hundreds of partitions to rewrite.
    write(`UPDATE sessions SET client_label = 'relabelled', last_synced_at = ? WHERE rowid % 20 = 0`, new Date().toISOString());
    const table = join(lake, 'sessions');
    const firstFolder = [...fileStamps(lake).keys()].sort()[0]!;
    const firstFile = join(table, firstFolder, 'part-0.parquet');

    const waits: Array<() => boolean> = [
      // While staging: some new files are written, none renamed yet.
      () => stagedFiles(join(table, '_staging')) >= 40,
      // While swapping: the first partition has been replaced, the rest may not have been.
      () => statSync(firstFile).ino !== firstInode,
    ];
    let firstInode = statSync(firstFile).ino;
    for (const [phase, ready] of waits.entries()) {
      firstInode = statSync(firstFile).ino;
      const { child, done } = startCli(['export', '--db', db, '--dataset', lake, '--since-last', 'lake', '--quiet']);
      const deadline = Date.now() + 30_000;
      while (!ready() && Date.now() < deadline) await sleep(2);
      child.kill('SIGKILL');
      // Killed while still running, in the phase meant: staged files left behind, or a partition already swapped.
      expect((await done).signal).toBe('SIGKILL');
      if (phase === 0) expect(stagedFiles(join(table, '_staging'))).toBeGreaterThanOrEqual(40);
      else expect(statSync(firstFile).ino).not.toBe(firstInode);
      // Each partition is whole: every session once, none missing, DuckDB reads it without error.
      const [counts] = await duck(
        `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet(${sqlPath(join(table, '*', '*.parquet'))}, hive_partitioning = true)`,
      );
      expect(counts).toEqual({ n: '20003', ids: '20003' });
    }
    await exportDataset('--since-last', 'lake');
    await expectDatasetEqualsTable(lake);
    expect(existsSync(join(table, '_staging'))).toBe(false);
  }, 120_000);
  it('stopped by SIGTERM removes its staged files, exits 143, and leaves the bookmark where it was', async () => {
    const table = join(lake, 'sessions');
    // A name without a bookmark: every partition is rewritten, so there is time to stop it.
    const { child, done } = startCli(['export', '--db', db, '--dataset', lake, '--since-last', 'other']);
    const deadline = Date.now() + 30_000;
    while (stagedFiles(join(table, '_staging')) < 40 && Date.now() < deadline) await sleep(2);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(143);
    expect(result.stderr).toContain('SIGTERM: dataset export stopped');
    expect(existsSync(join(table, '_staging'))).toBe(false);
    expect(query(db, `SELECT name FROM export_bookmarks WHERE name = 'dataset:other'`)).toEqual([]);
    await expectDatasetEqualsTable(lake);
  }, 60_000);
});
