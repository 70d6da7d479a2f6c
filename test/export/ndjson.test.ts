import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from '../helpers.js';
import { COLUMNS, databaseRows, duck, hardDatabase, JSON_COLUMNS, sqlPath, TIME_COLUMNS, type Row } from './fixture.js';

const dirs = tempDirs();
let dir: string;
let db: string;
let rows: Row[];
let file: string;
let lines: string[];

beforeAll(async () => {
  dir = dirs.make();
  db = hardDatabase(dir);
  rows = databaseRows(db);
  file = join(dir, 'sessions.ndjson');
  const result = await runCli(['export', '--db', db, '--format', 'ndjson', '--out', file, '--quiet']);
  expect(result.code).toBe(0);
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  lines = text.slice(0, -1).split('\n');
});
afterAll(() => dirs.cleanup());

describe('NDJSON export', () => {
  it('has one JSON object per line equal to its database row, keys in the contract order', () => {
    expect(lines).toHaveLength(rows.length);
    lines.forEach((line, r) => {
      const object = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(object)).toEqual([...COLUMNS]);
      expect(object).toEqual(rows[r]);
    });
  });

  it('keeps one JSON type per key on every line (or null): times and JSON columns are strings, the length an integer', () => {
    const types = new Map<string, Set<string>>();
    for (const line of lines) {
      for (const [key, value] of Object.entries(JSON.parse(line) as Record<string, unknown>)) {
        if (value === null) continue;
        const type = Number.isInteger(value) ? 'integer' : typeof value;
        types.set(key, (types.get(key) ?? new Set()).add(type));
      }
    }
    for (const column of COLUMNS) {
      expect([...(types.get(column) ?? [])], column).toEqual([column === 'session_length_ms' ? 'integer' : 'string']);
    }
    for (const line of lines) {
      const object = JSON.parse(line) as Record<string, string | null>;
      for (const column of TIME_COLUMNS) {
        if (object[column] !== null) expect(object[column]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
      for (const column of JSON_COLUMNS) {
        if (object[column] !== null) expect(() => JSON.parse(object[column] as string)).not.toThrow();
      }
    }
  });

  it('is read by DuckDB without hints: times as TIMESTAMP, the length as an integer, JSON columns as VARCHAR', async () => {
    const described = await duck(`DESCRIBE SELECT * FROM read_json(${sqlPath(file)})`);
    const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    expect(Object.keys(types)).toEqual([...COLUMNS]);
    for (const column of TIME_COLUMNS) expect(types[column], column).toBe('TIMESTAMP');
    expect(['BIGINT', 'INTEGER', 'UBIGINT', 'HUGEINT']).toContain(types.session_length_ms);
    for (const column of JSON_COLUMNS) expect(types[column], column).toBe('VARCHAR');

    const [read] = await duck(
      `SELECT count(*) AS n, count(deleted_at) AS deleted, sum(session_length_ms)::VARCHAR AS total,
         min(start_time)::VARCHAR AS first_start FROM read_json(${sqlPath(file)})`,
    );
    const lengths = rows.map((r) => r.session_length_ms).filter((v): v is number => v !== null);
    expect(read).toEqual({
      n: String(rows.length),
      deleted: String(rows.filter((r) => r.deleted_at !== null).length),
      total: lengths.reduce((a, b) => a + BigInt(b), 0n).toString(),
      first_start: '2026-04-20 09:00:00',
    });
  });

  it('goes to Parquet through DuckDB COPY with no cleanup and keeps every row', async () => {
    const parquet = join(dir, 'via-duckdb.parquet');
    await duck(`COPY (SELECT * FROM read_json(${sqlPath(file)})) TO ${sqlPath(parquet)} (FORMAT parquet)`);
    const [read] = await duck(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(client_metadata) AS metadata FROM read_parquet(${sqlPath(parquet)})`,
    );
    expect(read).toEqual({
      n: String(rows.length),
      ids: String(rows.length),
      metadata: String(rows.filter((r) => r.client_metadata !== null).length),
    });
  });

  it('writes the column list with logical types and nullability with --schema', async () => {
    const schema = join(dir, 'schema.json');
    const result = await runCli(['export', '--db', db, '--format', 'ndjson', '--out', join(dir, 'with-schema.ndjson'), '--schema', schema, '--quiet']);
    expect(result.code).toBe(0);
    const document = JSON.parse(readFileSync(schema, 'utf8')) as { columns: Array<Record<string, unknown>> };
    expect(document.columns.map((c) => c.name)).toEqual([...COLUMNS]);
    const byName = Object.fromEntries(document.columns.map((c) => [c.name, c]));
    expect(byName.id).toEqual({ name: 'id', type: 'string', nullable: false });
    expect(byName.session_length_ms).toEqual({ name: 'session_length_ms', type: 'int64', nullable: true });
    expect(byName.start_time).toEqual({ name: 'start_time', type: 'timestamp', unit: 'ms', timezone: 'UTC', nullable: true });
    expect(byName.created_at).toMatchObject({ type: 'timestamp', nullable: false });
    expect(byName.persona_config).toEqual({ name: 'persona_config', type: 'json', nullable: true });
  });
});
