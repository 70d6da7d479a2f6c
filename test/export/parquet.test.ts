import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSessions } from '../../src/export/export-sessions.js';
import { openDatabase } from '../../src/store/db.js';
import { runCli, tempDirs } from '../helpers.js';
import { COLUMNS, databaseRows, duck, hardDatabase, hardRow, insertRows, JSON_COLUMNS, sqlPath, TIME_COLUMNS, type Row } from './fixture.js';

const dirs = tempDirs();
let dir: string;
let db: string;
let rows: Row[];
let file: string;

beforeAll(async () => {
  dir = dirs.make();
  db = hardDatabase(dir);
  rows = databaseRows(db);
  file = join(dir, 'sessions.parquet');
  const result = await runCli(['export', '--db', db, '--format', 'parquet', '--out', file, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});
afterAll(() => dirs.cleanup());

function arrayBufferOf(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

describe('Parquet export', () => {
  it('is typed: UTC millisecond timestamps, INT64 length, UTF8 strings (JSON as text), required where never null', () => {
    const schema = parquetMetadata(arrayBufferOf(file)).schema.slice(1);
    expect(schema.map((s) => s.name)).toEqual([...COLUMNS]);
    for (const element of schema) {
      if (TIME_COLUMNS.includes(element.name)) {
        expect(element, element.name).toMatchObject({ type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } });
      } else if (element.name === 'session_length_ms') {
        expect(element).toMatchObject({ type: 'INT64' });
      } else {
        expect(element, element.name).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
      }
    }
    const required = schema.filter((s) => s.repetition_type === 'REQUIRED').map((s) => s.name);
    expect(required).toEqual(['id', 'created_at', 'first_synced_at', 'last_synced_at']);
  });

  it('reads back through hyparquet as exactly the rows of the database', async () => {
    const read = (await parquetReadObjects({ file: arrayBufferOf(file) })) as Array<Record<string, unknown>>;
    expect(read).toHaveLength(rows.length);
    read.forEach((record, r) => {
      const expected = rows[r]!;
      for (const column of COLUMNS) {
        const value = record[column];
        const want = expected[column];
        if (want === null) expect(value, column).toBeNull();
        else if (TIME_COLUMNS.includes(column)) expect((value as Date).toISOString(), column).toBe(want);
        else if (column === 'session_length_ms') expect(value, column).toBe(BigInt(want));
        else expect(value, column).toBe(want);
      }
    });
  });

  it('is read by DuckDB with TIMESTAMPTZ times, BIGINT length and VARCHAR JSON, equal to the database', async () => {
    const described = await duck(`DESCRIBE SELECT * FROM read_parquet(${sqlPath(file)})`);
    const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    for (const column of TIME_COLUMNS) expect(types[column], column).toBe('TIMESTAMP WITH TIME ZONE');
    expect(types.session_length_ms).toBe('BIGINT');
    for (const column of JSON_COLUMNS) expect(types[column], column).toBe('VARCHAR');

    const select = COLUMNS.map((c) =>
      TIME_COLUMNS.includes(c) ? `strftime(${c} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS ${c}` : `${c}::VARCHAR AS ${c}`,
    ).join(', ');
    const read = await duck(`SELECT ${select} FROM read_parquet(${sqlPath(file)})`);
    expect(read).toEqual(rows.map((row) => Object.fromEntries(COLUMNS.map((c) => [c, row[c] === null ? null : String(row[c])]))));
  });

  it('is written in row groups of bounded size, so memory holds one group at most', async () => {
    const out = join(dir, 'groups.parquet');
    const database = openDatabase(db, { readonly: true });
    try {
      const stream = createWriteStream(out);
      const result = await exportSessions(database, { format: 'parquet', rowGroupRows: 50 }, stream);
      stream.end();
      await once(stream, 'finish');
      expect(result.rows).toBe(rows.length);
    } finally {
      database.close();
    }
    const metadata = parquetMetadata(arrayBufferOf(out));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual(
      Array.from({ length: Math.ceil(rows.length / 50) }, (_, i) => Math.min(50, rows.length - i * 50)),
    );
    const [read] = await duck(`SELECT count(*) AS n FROM read_parquet(${sqlPath(out)})`);
    expect(read).toEqual({ n: String(rows.length) });
  });

  it('with a filter that matches nothing is still a valid file with every column', async () => {
    const out = join(dir, 'empty.parquet');
    const result = await runCli(['export', '--db', db, '--format', 'parquet', '--out', out, '--started-from', '2100-01-01', '--quiet']);
    expect(result.code).toBe(0);
    const described = await duck(`DESCRIBE SELECT * FROM read_parquet(${sqlPath(out)})`);
    expect(described.map((d) => d.column_name)).toEqual([...COLUMNS]);
    const [read] = await duck(`SELECT count(*) AS n FROM read_parquet(${sqlPath(out)})`);
    expect(read).toEqual({ n: '0' });
  });

  it('stops with exit 1 naming the session when a stored time is not a time, and writes no file', async () => {
    const broken = join(dirs.make(), 'broken.db');
    insertRows(broken, [hardRow(1), { ...hardRow(2), end_time: 'next tuesday' }]);
    const out = join(dir, 'broken.parquet');
    const result = await runCli(['export', '--db', broken, '--format', 'parquet', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('session-00002: end_time holds "next tuesday"');
    expect(existsSync(out)).toBe(false);
  });
});
