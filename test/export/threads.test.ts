/**
 * A large CSV or NDJSON export of `sessions` is encoded on several threads, each with its own
 * connection, reading ranges of rowids (src/export/block-threads.ts): the file must still be the
 * table, every row once and in order, from one snapshot, even while another connection commits.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from '../helpers.js';
import { COLUMNS, databaseRows, hardRow, insertRows, parseCsvStrict, write, type CsvField, type Row } from './fixture.js';

const dirs = tempDirs();
let dir: string;
let db: string;
/** Rows in rowid order (over 50k rowids, which makes an export use threads), with a gap of rowids wider than any range a thread is given. */
let rows: Row[];
/** Threads are used only on a machine with two processors or more. */
const THREADED = availableParallelism() >= 2;
const THREAD_LINE = /encoded on \d+ threads/;

beforeAll(() => {
  dir = dirs.make();
  db = join(dir, 'sessions.db');
  insertRows(
    db,
    Array.from({ length: 60_000 }, (_, i) => hardRow(i)),
  );
  write(db, 'DELETE FROM sessions WHERE rowid BETWEEN 9000 AND 49999');
  rows = databaseRows(db);
}, 60_000);
afterAll(() => dirs.cleanup());

function expectedField(value: string | number | null): CsvField {
  if (value === null) return { value: '', quoted: false };
  if (typeof value === 'number') return { value: String(value), quoted: false };
  return { value, quoted: true };
}

async function exportTo(name: string, ...args: string[]): Promise<{ text: string; stderr: string }> {
  const out = join(dir, name);
  const result = await runCli(['export', '--db', db, '--out', out, '--verbose', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return { text: readFileSync(out, 'utf8'), stderr: result.stderr };
}

describe('a large export read on several threads', () => {
  it('is the table as CSV: every row once, in rowid order, across ranges and the gap in rowids', async () => {
    const { text, stderr } = await exportTo('all.csv');
    expect(THREAD_LINE.test(stderr)).toBe(THREADED);
    const records = parseCsvStrict(text);
    expect(records[0]!.map((f) => f.value)).toEqual([...COLUMNS]);
    const body = records.slice(1);
    expect(body).toHaveLength(rows.length);
    body.forEach((record, r) => {
      expect(record).toEqual(COLUMNS.map((c) => expectedField(rows[r]![c])));
    });
  });

  it('is the table as NDJSON, with a filter applied in every range', async () => {
    const { text, stderr } = await exportTo('live.ndjson', '--format', 'ndjson', '--exclude-deleted');
    expect(THREAD_LINE.test(stderr)).toBe(THREADED);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    const live = rows.filter((row) => row.deleted_at === null);
    expect(live.length).toBeLessThan(rows.length);
    expect(lines.map((line) => JSON.parse(line) as Row)).toEqual(live.map((row) => Object.fromEntries(COLUMNS.map((c) => [c, row[c]]))));
  });

  it('reads one snapshot on every thread while another connection commits all the time', async () => {
    // Each commit of the writer adds a row holding the token and takes the token from the row that
    // held it: every committed state has it exactly once. An export whose rowid range came from an
    // older snapshot than its rows (or whose threads read different ones) shows it 0 or 2 times.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('busy_timeout = 10000');
         db.pragma('synchronous = OFF');
         const take = db.prepare("UPDATE sessions SET client_label = 'plain' WHERE client_label = 'token'");
         const add = db.prepare("INSERT INTO sessions (id, created_at, first_synced_at, last_synced_at, client_label) VALUES (?, ?, ?, ?, 'token')");
         const move = db.transaction((i) => { take.run(); const now = new Date().toISOString(); add.run('added-' + i, now, now, now); });
         const pause = new Int32Array(new SharedArrayBuffer(4));
         move(0);
         process.stdout.write('ready\\n');
         for (let i = 1; ; i++) { move(i); Atomics.wait(pause, 0, 0, 0.5); }`,
        db,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.once('data', () => resolve());
        writer.once('exit', (code) => reject(new Error(`the writer stopped (exit ${code})`)));
      });
      let threaded = 0;
      for (let run = 0; run < 10; run++) {
        const { text, stderr } = await exportTo(`during-${run}.csv`);
        if (THREAD_LINE.test(stderr)) threaded++;
        const label = COLUMNS.indexOf('client_label');
        const tokens = parseCsvStrict(text).filter((record) => record[label]!.value === 'token');
        expect(tokens.length, `export ${run}`).toBe(1);
      }
      // Snapshots are tried again while commits come between them: the threads still read most exports.
      expect(threaded > 0).toBe(THREADED);
    } finally {
      writer.kill('SIGKILL');
    }
  }, 120_000);
});
