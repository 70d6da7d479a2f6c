import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLine, runCli, tempDirs } from '../helpers.js';
import { COLUMNS, databaseRows, duck, hardRow, insertRows, sqlPath, TIME_COLUMNS, type Row, write } from './fixture.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** Row `i` of a fixture spread over about four months; every tenth row has no start time. */
function spreadRow(i: number): Row {
  const start = new Date(Date.UTC(2026, 0, 1) + i * 8 * 3_600_000 + i * 1000).toISOString();
  return { ...hardRow(i), start_time: i % 10 === 0 ? null : start };
}

const TEXT_SELECT = COLUMNS.map((c) =>
  TIME_COLUMNS.includes(c) ? `strftime(${c} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS ${c}` : `${c}::VARCHAR AS ${c}`,
).join(', ');

async function readDataset(dir: string, extra = ''): Promise<Array<Record<string, unknown>>> {
  return duck(`SELECT ${TEXT_SELECT}${extra} FROM read_parquet(${sqlPath(join(dir, 'sessions', '*', '*.parquet'))}, hive_partitioning = true) ORDER BY id`);
}

function tableText(db: string, where = '1'): Array<Record<string, unknown>> {
  return databaseRows(db, where)
    .sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1))
    .map((row) => Object.fromEntries(COLUMNS.map((c) => [c, row[c] === null ? null : String(row[c])])));
}

describe('export --dataset, partitions', () => {
  let db: string;
  beforeAll(() => {
    db = join(dirs.make(), 'sessions.db');
    insertRows(db, Array.from({ length: 360 }, (_, i) => spreadRow(i)));
  });

  it('puts sessions without a start time in start_date=__HIVE_DEFAULT_PARTITION__, which DuckDB reads as NULL', async () => {
    const dir = join(dirs.make(), 'lake');
    const result = await runCli(['export', '--db', db, '--dataset', dir, '--quiet']);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'sessions'))).toContain('start_date=__HIVE_DEFAULT_PARTITION__');
    const read = await readDataset(dir, ', start_date::VARCHAR AS start_date');
    expect(read.map(({ start_date: _, ...rest }) => rest)).toEqual(tableText(db));
    for (const row of read) expect(row.start_date).toBe(row.start_time === null ? null : (row.start_time as string).slice(0, 10));
  });

  it('by month: start_month=YYYY-MM folders, and the folder cannot later be exported by day', async () => {
    const dir = join(dirs.make(), 'lake');
    const result = await runCli(['export', '--db', db, '--dataset', dir, '--partition-by', 'month', '--quiet']);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'sessions')).sort()).toEqual([
      '_anam_sync.json',
      'start_month=2026-01',
      'start_month=2026-02',
      'start_month=2026-03',
      'start_month=2026-04',
      'start_month=__HIVE_DEFAULT_PARTITION__',
    ]);
    const read = await readDataset(dir, ', start_month');
    expect(read.map(({ start_month: _, ...rest }) => rest)).toEqual(tableText(db));
    for (const row of read) expect(row.start_month).toBe(row.start_time === null ? null : (row.start_time as string).slice(0, 7));

    const mixed = await runCli(['export', '--db', db, '--dataset', dir]);
    expect(mixed.code).toBe(2);
    expectOneLine(mixed.stderr);
    expect(mixed.stderr).toContain('partitioned by month; give --partition-by month');
  });

  it('removes a partition left without rows (--exclude-deleted, every session of that day deleted)', async () => {
    const copy = join(dirs.make(), 'copy.db');
    insertRows(copy, Array.from({ length: 360 }, (_, i) => spreadRow(i)));
    const dir = join(dirs.make(), 'lake');
    const run = (): Promise<{ code: number | null }> => runCli(['export', '--db', copy, '--dataset', dir, '--exclude-deleted', '--since-last', 'live', '--quiet']);
    expect((await run()).code).toBe(0);
    expect(existsSync(join(dir, 'sessions', 'start_date=2026-01-02'))).toBe(true);
    write(copy, `UPDATE sessions SET deleted_at = '2026-06-01T00:00:00.000Z', last_synced_at = '2026-06-01T00:00:00.000Z' WHERE start_time LIKE '2026-01-02%'`);
    expect((await run()).code).toBe(0);
    expect(existsSync(join(dir, 'sessions', 'start_date=2026-01-02'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(dir, 'sessions', '_anam_sync.json'), 'utf8')) as { partitions: Array<{ value: string }> };
    expect(manifest.partitions.map((p) => p.value)).not.toContain('2026-01-02');
    expect(await readDataset(dir)).toEqual(tableText(copy, 'deleted_at IS NULL'));
  });

  it('rewrites the partition a session left when its start time changed', async () => {
    const copy = join(dirs.make(), 'moved.db');
    insertRows(copy, Array.from({ length: 30 }, (_, i) => spreadRow(i)));
    write(copy, `INSERT INTO session_versions (id, updated_at, json, first_seen_at) VALUES ('session-00005', '2026-01-01T00:00:00.000Z', ?, '2026-01-01T00:00:00.000Z')`,
      JSON.stringify({ id: 'session-00005', startTime: spreadRow(5).start_time }));
    const dir = join(dirs.make(), 'lake');
    const run = (): Promise<{ code: number | null }> => runCli(['export', '--db', copy, '--dataset', dir, '--since-last', 'lake', '--quiet']);
    expect((await run()).code).toBe(0);
    // A newer version moves the session nine days later, as a sync would store it.
    write(copy, `UPDATE sessions SET start_time = '2026-01-20T10:00:00.000Z', last_synced_at = '2026-06-01T00:00:00.000Z' WHERE id = 'session-00005'`);
    expect((await run()).code).toBe(0);
    expect(await readDataset(dir)).toEqual(tableText(copy));
  });

  it('stops with exit 1 naming the session when a start time is not a time, and writes no partition', async () => {
    const broken = join(dirs.make(), 'broken.db');
    insertRows(broken, [spreadRow(1), { ...spreadRow(2), start_time: 'next tuesday' }]);
    const dir = join(dirs.make(), 'lake');
    const result = await runCli(['export', '--db', broken, '--dataset', dir]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('session-00002: start_time holds "next tuesday"');
    expect(readdirSync(join(dir, 'sessions'))).toEqual([]);
  });

  it('works on a database it may only read (without --since-last)', async () => {
    const dir = dirs.make();
    const readOnly = join(dir, 'ro.db');
    insertRows(readOnly, Array.from({ length: 20 }, (_, i) => spreadRow(i)));
    chmodSync(readOnly, 0o444);
    chmodSync(dir, 0o555);
    try {
      const lake = join(dirs.make(), 'lake');
      const result = await runCli(['export', '--db', readOnly, '--dataset', lake, '--quiet']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(await readDataset(lake)).toEqual(tableText(readOnly));
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

describe('export --dataset, flags', () => {
  let db: string;
  let dir: string;
  beforeAll(() => {
    dir = dirs.make();
    db = join(dir, 'sessions.db');
    insertRows(db, [spreadRow(1)]);
  });

  it.each([
    [['--dataset', 'lake', '--table', 'transcripts'], '--dataset writes the sessions table only; leave out --table transcripts'],
    [['--table', 'people'], '--table must be one of sessions, transcripts, transcript_messages, not "people"'],
    [['--dataset', 'lake', '--format', 'csv'], '--dataset writes Parquet; leave out --format csv'],
    [['--dataset', 'lake', '--out', 'x.parquet'], '--out does not apply to --dataset'],
    [['--dataset', 'lake', '--started-from', '2026-01-01'], '--started-from does not apply to --dataset'],
    [['--partition-by', 'day'], '--partition-by applies to --dataset only'],
    [['--dataset', 'lake', '--partition-by', 'week'], '--partition-by must be one of day, month, not "week"'],
    [['--dataset', ''], '--dataset must name a folder'],
  ])('refuses %j with exit 2 and one line', async (args, message) => {
    const result = await runCli(['export', '--db', db, ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(message);
  });

  it('refuses a --dataset path that is a file, with exit 2', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const result = await runCli(['export', '--db', db, '--dataset', file]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(`--dataset ${file} cannot be used`);
  });

  it('accepts --table sessions for a file export', async () => {
    const result = await runCli(['export', '--db', db, '--table', 'sessions', '--format', 'ndjson']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('export --since-last --skip-empty', () => {
  let db: string;
  let dir: string;
  beforeAll(() => {
    dir = dirs.make();
    db = join(dir, 'sessions.db');
    insertRows(db, Array.from({ length: 30 }, (_, i) => spreadRow(i)));
  });

  it('writes the delta when there is one, and with nothing new writes no file, exit 0, one line saying so', async () => {
    const first = join(dir, 'delta-1.ndjson');
    const args = ['export', '--db', db, '--format', 'ndjson', '--since-last', 'cron', '--skip-empty'];
    expect((await runCli([...args, '--out', first, '--quiet'])).code).toBe(0);
    expect(readFileSync(first, 'utf8').trim().split('\n')).toHaveLength(30);

    const second = join(dir, 'delta-2.ndjson');
    const empty = await runCli([...args, '--out', second]);
    expect(empty.code).toBe(0);
    expectOneLine(empty.stderr);
    expect(empty.stderr).toContain('nothing new since the last export under "cron"');
    expect(existsSync(second)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const quiet = await runCli([...args, '--out', second, '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(existsSync(second)).toBe(false);

    write(db, `UPDATE sessions SET client_label = 'edited', last_synced_at = '2027-01-01T00:00:00.000Z' WHERE id = 'session-00003'`);
    expect((await runCli([...args, '--out', second, '--quiet'])).code).toBe(0);
    const lines = readFileSync(second, 'utf8').trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['session-00003']);
  });

  it('leaves an existing file as it was, and writes nothing to stdout (not even a CSV header)', async () => {
    const kept = join(dir, 'kept.csv');
    writeFileSync(kept, 'old contents\n');
    const before = statSync(kept).mtimeMs;
    const args = ['export', '--db', db, '--since-last', 'other', '--quiet'];
    expect((await runCli(args)).code).toBe(0);
    const toFile = await runCli([...args, '--skip-empty', '--out', kept]);
    expect(toFile.code).toBe(0);
    expect(readFileSync(kept, 'utf8')).toBe('old contents\n');
    expect(statSync(kept).mtimeMs).toBe(before);
    const toStdout = await runCli([...args, '--skip-empty']);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe('');
    // Without --skip-empty an empty delta still has its header.
    expect((await runCli(args)).stdout).toBe(`${COLUMNS.join(',')}\r\n`);
  });
});
