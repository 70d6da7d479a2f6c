/**
 * What the export tests share beyond test/helpers.ts: a database of sessions with hard values
 * written straight into `sessions`, a large one for kill and early-close tests, the ids an NDJSON
 * export carries, a strict RFC 4180 reader written here (independent of src/), and DuckDB.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { query, runCli } from '../helpers.js';

/** The `sessions` columns in the contract's order, spelled out again independently of src/. */
export const COLUMNS = [
  'id',
  'persona_id',
  'client_label',
  'start_time',
  'end_time',
  'session_length_ms',
  'exit_status',
  'engine_host',
  'engine_protocol',
  'engine_version',
  'client_metadata',
  'persona_config',
  'api_key_id',
  'organization_id',
  'created_at',
  'updated_at',
  'first_synced_at',
  'last_synced_at',
  'deleted_at',
] as const;

export const TIME_COLUMNS = ['start_time', 'end_time', 'created_at', 'updated_at', 'first_synced_at', 'last_synced_at', 'deleted_at'];
export const JSON_COLUMNS = ['client_metadata', 'persona_config'];

/** Values a CSV or JSON writer gets wrong: separators, quotes, line breaks, emoji, formulas, NUL. */
const HARD_TEXT = [
  'plain',
  'comma, inside',
  'quote " inside "twice"',
  '"starts with a quote',
  'line\nfeed',
  'carriage\rreturn',
  'crlf\r\nend',
  'emoji 🙂 café 日本語',
  '=SUM(A1:A2)',
  '+1 555 0100',
  '-2',
  '@cmd',
  '\tleading tab',
  '  padded  ',
  '',
  "it's",
  'nul\u0000inside',
  '\\backslash\\',
  '\uFF1Dfull-width equals',
];

export type Row = Record<(typeof COLUMNS)[number], string | number | null>;

/** A canonical time `minutes` after a fixed instant. */
export function time(minutes: number): string {
  return new Date(Date.UTC(2026, 3, 20, 9, 0, 0) + minutes * 60_000 + (minutes % 1000)).toISOString();
}

/** Row `i` of the hard fixture: every hard text in every text column over the rows, NULLs too. */
export function hardRow(i: number): Row {
  const text = (offset: number): string | null => (i + offset) % 23 === 0 ? null : HARD_TEXT[(i + offset) % HARD_TEXT.length]!;
  const ended = i % 4 !== 1;
  return {
    id: `session-${String(i).padStart(5, '0')}`,
    persona_id: i % 5 === 0 ? null : `persona-${i % 3}`,
    client_label: text(0),
    start_time: time(i),
    end_time: ended ? time(i + 30) : null,
    session_length_ms: ended ? [0, 1_800_000, 9_007_199_254_740_991, 61_234][i % 4]! : null,
    exit_status: ended ? text(3) : null,
    engine_host: text(5),
    engine_protocol: i % 7 === 0 ? null : 'https',
    engine_version: text(11),
    client_metadata:
      i % 6 === 0
        ? null
        : JSON.stringify({ userAgent: 'Mozilla/5.0 (X11; Linux) "quoted", comma', note: text(7), authToken: '[REDACTED]', n: i, nested: { a: [1, '2', null] } }),
    persona_config: i % 9 === 0 ? null : i % 9 === 4 ? '{}' : JSON.stringify({ name: 'Ava', systemPrompt: `Be kind.\nLine two, "quoted" ${text(13) ?? ''}`, llmConfig: { encrypted_secret: '[REDACTED]' } }),
    api_key_id: i % 8 === 0 ? null : 'key-1',
    organization_id: text(17),
    created_at: time(i),
    updated_at: i % 10 === 3 ? null : time(i + 31),
    first_synced_at: time(i + 40),
    last_synced_at: time(i + 40 + (i % 3)),
    deleted_at: i % 11 === 5 ? time(i + 50) : null,
  };
}

/** Inserts `rows` into `sessions` of the database at `path` (created and migrated if new). */
export function insertRows(path: string, rows: Iterable<Row>): void {
  const db = openDatabase(path);
  try {
    const insert = db.prepare(
      `INSERT INTO sessions (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
  } finally {
    db.close();
  }
}

/** Creates the hard fixture database with `count` rows; returns its path. */
export function hardDatabase(dir: string, count = 240): string {
  const path = join(dir, 'sessions.db');
  insertRows(path, Array.from({ length: count }, (_, i) => hardRow(i)));
  return path;
}

/** A database with `count` rows of realistic size (about 2 KB each), for kill and early-close tests. */
export function largeDatabase(dir: string, count: number): string {
  const path = join(dir, 'large.db');
  const prompt = 'You are a helpful assistant, "precise" and kind.\n'.repeat(30);
  function* rows(): Generator<Row> {
    for (let i = 0; i < count; i++) {
      yield { ...hardRow(i), persona_config: JSON.stringify({ name: 'Ava', systemPrompt: prompt, i }) };
    }
  }
  insertRows(path, rows());
  return path;
}

/** Runs one statement on the database at `path`, the way a sync's writes land (a connection of its own). */
export function write(path: string, sql: string, ...params: unknown[]): void {
  const handle = new Database(path);
  try {
    handle.prepare(sql).run(...params);
  } finally {
    handle.close();
  }
}

/** Every row of `sessions` in the database, in storage order, as the database holds it. */
export function databaseRows(path: string, where = '1'): Row[] {
  return query<Row>(path, `SELECT ${COLUMNS.join(', ')} FROM sessions WHERE ${where} ORDER BY rowid`);
}

/** The ids an NDJSON export of `db` to stdout carries, in order; the export must succeed quietly. */
export async function exportIds(db: string, ...args: string[]): Promise<string[]> {
  const result = await runCli(['export', '--db', db, '--format', 'ndjson', '--quiet', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

/** One CSV field as read: its text, and whether it was quoted (an empty quoted field is '', not NULL). */
export interface CsvField {
  value: string;
  quoted: boolean;
}

/**
 * A strict RFC 4180 reader: records end in CRLF; a field is either quoted (`""` inside stands for
 * `"`, and the closing quote must be followed by a comma, CRLF or the end) or unquoted (no quote,
 * CR or LF in it). Anything else throws, naming the offset.
 */
export function parseCsvStrict(text: string): CsvField[][] {
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not RFC 4180 at offset ${i}: ${why} (near ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))})`);
  };
  while (i < text.length) {
    let field: CsvField;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      field = { value, quoted: true };
    } else {
      const start = i;
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') fail('quote or bare LF in an unquoted field');
        i++;
      }
      field = { value: text.slice(start, i), quoted: false };
    }
    record.push(field);
    if (i >= text.length) fail('the last record does not end with CRLF');
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      records.push(record);
      record = [];
      continue;
    }
    fail('a field is followed by something other than a comma or CRLF');
  }
  return records;
}

/** Runs `sql` in a fresh in-memory DuckDB and returns the rows as JSON-friendly objects. */
export async function duck(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A path as a DuckDB string literal. */
export const sqlPath = (path: string): string => `'${path.replaceAll("'", "''")}'`;
