import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextBookmarkValue } from '../../src/export/bookmarks.js';
import { exportSessions } from '../../src/export/export-sessions.js';
import { timeFlag } from '../../src/time.js';
import { UsageError } from '../../src/errors.js';
import { openDatabase } from '../../src/store/db.js';
import { tempDirs } from '../helpers.js';
import { databaseRows, hardRow, insertRows, largeDatabase, time } from './fixture.js';

const dirs = tempDirs();
let large: string;
const ROWS = 5000;

beforeAll(() => {
  large = largeDatabase(dirs.make(), ROWS);
}, 60_000);
afterAll(() => dirs.cleanup());

/** A reader that takes one chunk at a time, slowly, and remembers the most it was ever handed. */
function slowReader(onChunk: (chunks: number) => void = () => {}): Writable & { chunks: Buffer[]; maxBuffered: number } {
  const chunks: Buffer[] = [];
  const reader = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      onChunk(chunks.length);
      setTimeout(done, 1);
    },
  }) as Writable & { chunks: Buffer[]; maxBuffered: number };
  reader.chunks = chunks;
  reader.maxBuffered = 0;
  const write = reader.write.bind(reader) as (...args: unknown[]) => boolean;
  reader.write = ((...args: unknown[]) => {
    const ok = write(...args);
    reader.maxBuffered = Math.max(reader.maxBuffered, reader.writableLength);
    return ok;
  }) as typeof reader.write;
  return reader;
}

describe('exportSessions', () => {
  it('waits for a slow reader instead of buffering the table (at most about 1 MiB handed over at once)', async () => {
    const db = openDatabase(large, { readonly: true });
    try {
      const reader = slowReader();
      const result = await exportSessions(db, { format: 'csv' }, reader);
      expect(result.rows).toBe(ROWS);
      const total = reader.chunks.reduce((n, c) => n + c.length, 0);
      expect(total).toBe(result.bytes);
      expect(total).toBeGreaterThan(8 * 1024 * 1024);
      expect(reader.maxBuffered).toBeLessThanOrEqual(1024 * 1024);
    } finally {
      db.close();
    }
  });

  it('reads one snapshot: rows a sync commits while the export runs are not half in it', async () => {
    const db = openDatabase(large, { readonly: true });
    const before = databaseRows(large);
    const writer = new Database(large);
    let changed = false;
    try {
      const reader = slowReader((chunks) => {
        if (chunks !== 2) return;
        // Mid-export, another connection commits an edit to the last row and a new row.
        writer.prepare(`UPDATE sessions SET client_label = 'changed meanwhile', last_synced_at = ? WHERE rowid = (SELECT max(rowid) FROM sessions)`).run(time(99_999));
        changed = true;
      });
      const result = await exportSessions(db, { format: 'ndjson' }, reader);
      expect(changed).toBe(true);
      const lines = Buffer.concat(reader.chunks).toString('utf8').trim().split('\n');
      expect(result.rows).toBe(before.length);
      expect(JSON.parse(lines.at(-1)!)).toEqual(before.at(-1));
      expect(result.newestSyncedAt).toBe(before.map((r) => r.last_synced_at as string).sort().at(-1));
    } finally {
      db.close();
      writer.close();
    }
  });

  it('leaves the connection usable and outside any transaction afterwards', async () => {
    const path = `${dirs.make()}/small.db`;
    insertRows(path, [hardRow(1), hardRow(2)]);
    const db = openDatabase(path, { readonly: true });
    try {
      for (const format of ['csv', 'ndjson', 'parquet'] as const) {
        const reader = slowReader();
        expect((await exportSessions(db, { format }, reader)).rows).toBe(2);
        expect(db.inTransaction).toBe(false);
      }
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });
});

describe('time flags', () => {
  it.each([
    ['2026-04-20T09:00:00Z', '2026-04-20T09:00:00.000Z'],
    ['2026-04-20T11:30:00+02:30', '2026-04-20T09:00:00.000Z'],
    ['2026-04-20T09:00:00.123456789Z', '2026-04-20T09:00:00.123Z'],
    ['2026-04-20', '2026-04-20T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    // The one grammar of every time flag: minutes without seconds or zone are UTC, as for report.
    ['2026-04-20T09:00', '2026-04-20T09:00:00.000Z'],
  ])('reads %s as %s', (input, stored) => {
    expect(timeFlag(input, '--started-from')).toBe(stored);
  });

  it('reads a date alone as --started-to as the end of that UTC day', () => {
    expect(timeFlag('2026-04-20', '--started-to', 'end')).toBe('2026-04-21T00:00:00.000Z');
    expect(timeFlag('2026-12-31', '--started-to', 'end')).toBe('2027-01-01T00:00:00.000Z');
    expect(timeFlag('2026-04-20T10:00:00Z', '--started-to', 'end')).toBe('2026-04-20T10:00:00.000Z');
  });

  it.each(['2026-04-31', '2025-02-29', '20260420', '2026-04-20T09', 'now', ''])('refuses %j naming the flag', (input) => {
    expect(() => timeFlag(input, '--updated-since')).toThrow(UsageError);
    expect(() => timeFlag(input, '--updated-since')).toThrow(/--updated-since/);
  });
});

describe('the --since-last bookmark value', () => {
  const newest = '2026-04-20T09:00:00.500Z';

  it('is the newest last_synced_at exported when no sync was running', () => {
    expect(nextBookmarkValue({ newestSyncedAt: newest, syncRunning: false }, null)).toBe(newest);
  });

  it('stays one millisecond behind when a sync was running', () => {
    expect(nextBookmarkValue({ newestSyncedAt: newest, syncRunning: true }, null)).toBe('2026-04-20T09:00:00.499Z');
  });

  it('never moves backwards, and stays put when nothing was exported', () => {
    expect(nextBookmarkValue({ newestSyncedAt: null, syncRunning: false }, newest)).toBe(newest);
    expect(nextBookmarkValue({ newestSyncedAt: null, syncRunning: false }, null)).toBeNull();
    expect(nextBookmarkValue({ newestSyncedAt: newest, syncRunning: true }, newest)).toBe(newest);
  });
});
