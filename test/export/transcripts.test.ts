/**
 * `export --table transcripts` and `--table transcript_messages`, on databases filled by a real
 * `sync --transcripts` against the simulator: each format read back equals the database rows field
 * by field, the session filters apply through the join, `--since-last` keeps a bookmark per table.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { expectOneLine, query, runCli, tempDirs } from '../helpers.js';
import { duck, parseCsvStrict, sqlPath, type CsvField, write } from './fixture.js';

/** The columns of each table in the schema's order, spelled out again independently of src/. */
const TRANSCRIPT_COLUMNS = [
  'session_id',
  'persona_name',
  'start_time',
  'end_time',
  'duration_ms',
  'total_messages',
  'transcripts_enabled',
  'status',
  'reason',
  'attempts',
  'session_updated_at',
  'fetched_at',
  'checked_at',
  'message_count',
  'user_messages',
  'persona_messages',
  'interruptions',
  'user_speaking_seconds',
  'persona_speaking_seconds',
  'raw',
] as const;
const MESSAGE_COLUMNS = ['session_id', 'position', 'role', 'message', 'timestamp', 'speaking_duration_seconds', 'interrupted'] as const;

type Table = 'transcripts' | 'transcript_messages';
const COLUMNS_OF: Record<Table, readonly string[]> = { transcripts: TRANSCRIPT_COLUMNS, transcript_messages: MESSAGE_COLUMNS };
const TIMES: Record<Table, readonly string[]> = {
  transcripts: ['start_time', 'end_time', 'session_updated_at', 'fetched_at', 'checked_at'],
  transcript_messages: ['timestamp'],
};
const DOUBLES: Record<Table, readonly string[]> = {
  transcripts: ['user_speaking_seconds', 'persona_speaking_seconds'],
  transcript_messages: ['speaking_duration_seconds'],
};
const INTEGERS: Record<Table, readonly string[]> = {
  transcripts: ['duration_ms', 'total_messages', 'transcripts_enabled', 'attempts', 'message_count', 'user_messages', 'persona_messages', 'interruptions'],
  transcript_messages: ['position', 'interrupted'],
};
const ORDER: Record<Table, string> = { transcripts: 'session_id', transcript_messages: 'session_id, position' };

type Row = Record<string, string | number | null>;

const env = { ANAM_API_KEY: 'demo' };
const dirs = tempDirs();
let sim: Simulator;
let dir: string;
let db: string;

beforeAll(async () => {
  sim = await startSimulator({ sessions: 400, seed: 71 });
  dir = dirs.make();
  db = join(dir, 't.db');
  const sync = await runCli(['sync', '--api-url', sim.url, '--db', db, '--transcripts', '--quiet'], { env });
  expect(sync.code, sync.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

/** The rows of `table` as the database holds them, in the export's order. */
function tableRows(path: string, table: Table, where = '1'): Row[] {
  return query<Row>(path, `SELECT ${COLUMNS_OF[table].join(', ')} FROM ${table} WHERE ${where} ORDER BY ${ORDER[table]}`);
}

async function exportTo(table: Table, format: string, name: string, ...args: string[]): Promise<string> {
  const out = join(dir, name);
  const result = await runCli(['export', '--db', db, '--table', table, '--format', format, '--out', out, '--quiet', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return out;
}

/** The keys (session id, and position for messages) an NDJSON export of `table` to stdout carries, in order. */
async function exportedKeys(path: string, table: Table, ...args: string[]): Promise<string[]> {
  const result = await runCli(['export', '--db', path, '--table', table, '--format', 'ndjson', '--quiet', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const row = JSON.parse(line) as Row;
      return table === 'transcripts' ? String(row.session_id) : `${row.session_id}#${row.position}`;
    });
}

const keysOf = (table: Table, rows: Row[]): string[] =>
  rows.map((r) => (table === 'transcripts' ? String(r.session_id) : `${r.session_id}#${r.position}`));

/** Whether this machine lets the tests make a FIFO (a container may forbid it). */
const canMkfifo = ((): boolean => {
  try {
    execFileSync('mkfifo', [join(dirs.make(), 'probe')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function arrayBufferOf(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe.each(['transcripts', 'transcript_messages'] as const)('export --table %s', (table) => {
  const columns = COLUMNS_OF[table];

  it('has rows of every kind to compare: several statuses, NULLs, fractions', () => {
    const rows = tableRows(db, table);
    expect(rows.length).toBeGreaterThan(100);
    if (table === 'transcripts') expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThanOrEqual(3);
    for (const column of columns) {
      if (column !== 'session_id' && column !== 'status' && column !== 'checked_at' && column !== 'attempts' && column !== 'position' && column !== 'role' && column !== 'message') {
        expect(rows.some((r) => r[column] === null), `${column} has a NULL`).toBe(true);
      }
    }
    expect(rows.some((r) => DOUBLES[table].some((c) => typeof r[c] === 'number' && !Number.isInteger(r[c])))).toBe(true);
  });

  it('as CSV is read back by a strict RFC 4180 reader as exactly the database rows', async () => {
    const rows = tableRows(db, table);
    const records = parseCsvStrict(readFileSync(await exportTo(table, 'csv', `${table}.csv`), 'utf8'));
    expect(records[0]!.map((f) => f.value)).toEqual([...columns]);
    expect(records).toHaveLength(rows.length + 1);
    records.slice(1).forEach((record, r) => {
      const row = rows[r]!;
      columns.forEach((column, i) => {
        const field = record[i] as CsvField;
        const want = row[column];
        if (want === null) expect(field, column).toEqual({ value: '', quoted: false });
        else if (typeof want === 'number') {
          expect(field.quoted, column).toBe(false);
          expect(Number(field.value), column).toBe(want);
        } else expect(field, column).toEqual({ value: want, quoted: true });
      });
    });
  });

  it('as NDJSON has one object per line equal to its row, keys in order, one JSON type per key', async () => {
    const rows = tableRows(db, table);
    const out = await exportTo(table, 'ndjson', `${table}.ndjson`);
    const lines = readFileSync(out, 'utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(rows.length);
    lines.forEach((line, r) => {
      const object = JSON.parse(line) as Row;
      expect(Object.keys(object)).toEqual([...columns]);
      expect(object).toEqual(rows[r]);
      // A double is written with a fraction or an exponent on every line, so no reader takes it for an integer.
      for (const column of DOUBLES[table]) {
        const match = new RegExp(`"${column}":([^,}]+)`).exec(line)?.[1];
        if (match !== 'null') expect(match, column).toMatch(/[.e]/);
      }
    });
    const described = await duck(`DESCRIBE SELECT * FROM read_json(${sqlPath(out)})`);
    const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    expect(Object.keys(types)).toEqual([...columns]);
    for (const column of TIMES[table]) expect(types[column], column).toBe('TIMESTAMP');
    for (const column of DOUBLES[table]) expect(types[column], column).toBe('DOUBLE');
    for (const column of INTEGERS[table]) expect(['BIGINT', 'INTEGER', 'UBIGINT'], column).toContain(types[column]);
  });

  it('as Parquet is typed (DOUBLE, INT64, UTC timestamps) and reads back through hyparquet as the database rows', async () => {
    const rows = tableRows(db, table);
    const file = arrayBufferOf(await exportTo(table, 'parquet', `${table}.parquet`));
    const schema = parquetMetadata(file).schema.slice(1);
    expect(schema.map((s) => s.name)).toEqual([...columns]);
    for (const element of schema) {
      if (TIMES[table].includes(element.name)) {
        expect(element, element.name).toMatchObject({ type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } });
      } else if (DOUBLES[table].includes(element.name)) expect(element, element.name).toMatchObject({ type: 'DOUBLE' });
      else if (INTEGERS[table].includes(element.name)) expect(element, element.name).toMatchObject({ type: 'INT64' });
      else expect(element, element.name).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    }
    const read = (await parquetReadObjects({ file })) as Row[];
    expect(read).toHaveLength(rows.length);
    read.forEach((record, r) => {
      for (const column of columns) {
        const value = record[column] as unknown;
        const want = rows[r]![column];
        if (want === null) expect(value, column).toBeNull();
        else if (TIMES[table].includes(column)) expect((value as Date).toISOString(), column).toBe(want);
        else if (INTEGERS[table].includes(column)) expect(value, column).toBe(BigInt(want as number));
        else expect(value, column).toBe(want);
      }
    });
  });

  it('writes its own column list with --schema', async () => {
    const schema = join(dir, `${table}.schema.json`);
    await exportTo(table, 'ndjson', `${table}-schema.ndjson`, '--schema', schema);
    const document = JSON.parse(readFileSync(schema, 'utf8')) as { table: string; columns: Array<{ name: string; type: string; nullable: boolean }> };
    expect(document.table).toBe(table);
    expect(document.columns.map((c) => c.name)).toEqual([...columns]);
    const types = Object.fromEntries(document.columns.map((c) => [c.name, c.type]));
    for (const column of DOUBLES[table]) expect(types[column]).toBe('double');
    for (const column of TIMES[table]) expect(types[column]).toBe('timestamp');
    expect(document.columns[0]).toEqual({ name: 'session_id', type: 'string', nullable: false });
  });

  it('keeps the rows of sessions started in [--started-from, --started-to), and of live sessions with --exclude-deleted', async () => {
    const starts = query<{ start_time: string }>(
      db,
      `SELECT s.start_time FROM sessions s JOIN transcripts t ON t.session_id = s.id WHERE t.status = 'stored' ORDER BY s.start_time`,
    ).map((r) => r.start_time);
    const from = starts[Math.floor(starts.length / 4)]!;
    const to = starts[Math.floor(starts.length / 2)]!;
    const inRange = `session_id IN (SELECT id FROM sessions WHERE start_time >= '${from}' AND start_time < '${to}')`;
    const expected = keysOf(table, tableRows(db, table, inRange));
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(tableRows(db, table).length);
    expect(await exportedKeys(db, table, '--started-from', from, '--started-to', to)).toEqual(expected);

    const copy = join(dirs.make(), 'deleted.db');
    write(db, `VACUUM INTO '${copy.replaceAll("'", "''")}'`);
    write(copy, `UPDATE sessions SET deleted_at = last_synced_at WHERE id IN (SELECT session_id FROM transcripts WHERE status = 'stored' ORDER BY session_id LIMIT 7)`);
    const live = keysOf(table, tableRows(copy, table, 'session_id IN (SELECT id FROM sessions WHERE deleted_at IS NULL)'));
    expect(live.length).toBeLessThan(tableRows(copy, table).length);
    expect(await exportedKeys(copy, table, '--exclude-deleted')).toEqual(live);
    expect(await exportedKeys(copy, table)).toEqual(keysOf(table, tableRows(copy, table)));
  });

  it('refuses --updated-since and --dataset in one line, exit 2', async () => {
    for (const args of [['--updated-since', '2026-01-01'], ['--dataset', join(dir, 'lake')]]) {
      const result = await runCli(['export', '--db', db, '--table', table, ...args]);
      expect(result.code, args[0]).toBe(2);
      expectOneLine(result.stderr);
      expect(result.stderr).toContain(args[0]);
      expect(result.stdout).toBe('');
    }
  });

  it.skipIf(!canMkfifo)('writes through a FIFO (made in a temp folder) to its reader and leaves it a FIFO', async () => {
    const expected = readFileSync(await exportTo(table, 'csv', `${table}-plain.csv`));
    const fifo = join(dirs.make(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<void>((resolve, reject) => {
      createReadStream(fifo).on('data', (chunk) => chunks.push(chunk as Buffer)).on('end', resolve).on('error', reject);
    });
    const result = await runCli(['export', '--db', db, '--table', table, '--out', fifo, '--quiet']);
    await read;
    expect(result.code).toBe(0);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('replaces the target of a symbolic link whole and keeps the link', async () => {
    const target = join(dir, `${table}-target.csv`);
    const link = join(dir, `${table}-link.csv`);
    writeFileSync(target, 'old\n');
    symlinkSync(target, link);
    const result = await runCli(['export', '--db', db, '--table', table, '--out', link, '--quiet']);
    expect(result.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(parseCsvStrict(readFileSync(target, 'utf8'))).toHaveLength(tableRows(db, table).length + 1);
  });
});

describe('export --table transcripts --since-last', () => {
  it('carries only what was fetched since, with a bookmark per table apart from the sessions one of the same name', async () => {
    const path = join(dirs.make(), 'delta.db');
    const own = await startSimulator({ sessions: 300, seed: 73 });
    try {
      const sync = (...args: string[]) => runCli(['sync', '--api-url', own.url, '--db', path, '--transcripts', '--quiet', ...args], { env });
      expect((await sync()).code).toBe(0);
      const bookmarks = () => query<{ name: string; rows: number }>(path, 'SELECT name, rows FROM export_bookmarks ORDER BY name');

      // The first export under a name carries every row of its table.
      expect(await exportedKeys(path, 'transcripts', '--since-last', 'w')).toEqual(keysOf('transcripts', tableRows(path, 'transcripts')));
      expect(await exportedKeys(path, 'transcript_messages', '--since-last', 'w')).toEqual(keysOf('transcript_messages', tableRows(path, 'transcript_messages')));
      expect(bookmarks().map((b) => b.name)).toEqual(['transcript_messages:w', 'transcripts:w']);
      // A sessions export of the same name has its own bookmark: it starts from the beginning.
      const sessions = await runCli(['export', '--db', path, '--format', 'ndjson', '--since-last', 'w', '--quiet']);
      expect(sessions.stdout.split('\n').filter(Boolean)).toHaveLength(300);
      expect(bookmarks()).toEqual([
        { name: 'transcript_messages:w', rows: tableRows(path, 'transcript_messages').length },
        { name: 'transcripts:w', rows: tableRows(path, 'transcripts').length },
        { name: 'w', rows: 300 },
      ]);
      expect(await exportedKeys(path, 'transcripts', '--since-last', 'w')).toEqual([]);
      expect(await exportedKeys(path, 'transcript_messages', '--since-last', 'w')).toEqual([]);

      // Sessions that change upstream get their transcripts fetched again by the next full sync.
      const before = query<{ checked: string }>(path, 'SELECT max(checked_at) AS checked FROM transcripts')[0]!.checked;
      const edited = query<{ session_id: string }>(path, `SELECT session_id FROM transcripts WHERE status = 'stored' ORDER BY session_id LIMIT 5`).map((r) => r.session_id);
      for (const id of edited) own.store.edit(id);
      expect((await sync('--full')).code).toBe(0);

      const fetched = query<{ session_id: string }>(path, 'SELECT session_id FROM transcripts WHERE fetched_at > ? ORDER BY session_id', before).map((r) => r.session_id);
      expect(fetched).toEqual([...edited].sort());
      const checked = query<{ session_id: string }>(path, 'SELECT session_id FROM transcripts WHERE checked_at > ? ORDER BY session_id', before).map((r) => r.session_id);
      expect(await exportedKeys(path, 'transcripts', '--since-last', 'w')).toEqual(checked);
      expect(checked).toEqual(expect.arrayContaining(edited));
      const inEdited = `session_id IN (${edited.map((id) => `'${id}'`).join(', ')})`;
      expect(await exportedKeys(path, 'transcript_messages', '--since-last', 'w')).toEqual(keysOf('transcript_messages', tableRows(path, 'transcript_messages', inEdited)));
      // The sessions bookmark of the same name moved with the sessions only.
      const sessionDelta = await runCli(['export', '--db', path, '--format', 'ndjson', '--since-last', 'w', '--quiet']);
      expect(sessionDelta.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { id: string }).id).sort()).toEqual([...edited].sort());

      // Nothing new: with --skip-empty no file is written.
      const out = join(path, '..', 'none.csv');
      const empty = await runCli(['export', '--db', path, '--table', 'transcript_messages', '--since-last', 'w', '--skip-empty', '--out', out]);
      expect(empty.code).toBe(0);
      expect(empty.stderr).toContain('nothing new');
      expect(() => lstatSync(out)).toThrow();
    } finally {
      await own.close();
    }
  }, 60_000);

  it('refuses a sessions bookmark name that looks like another table\'s, in one line, exit 2', async () => {
    const result = await runCli(['export', '--db', db, '--since-last', 'transcripts:w']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
  });
});
