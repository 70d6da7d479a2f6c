import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from '../helpers.js';
import { COLUMNS, databaseRows, duck, hardDatabase, parseCsvStrict, sqlPath, type CsvField, type Row } from './fixture.js';

const dirs = tempDirs();
let dir: string;
let db: string;
let rows: Row[];

beforeAll(() => {
  dir = dirs.make();
  db = hardDatabase(dir);
  rows = databaseRows(db);
});
afterAll(() => dirs.cleanup());

/** What a database value must look like in the CSV. */
function expectedField(value: string | number | null): CsvField {
  if (value === null) return { value: '', quoted: false };
  if (typeof value === 'number') return { value: String(value), quoted: false };
  return { value, quoted: true };
}

async function exportCsv(name: string, ...args: string[]): Promise<string> {
  const out = join(dir, name);
  const result = await runCli(['export', '--db', db, '--out', out, '--quiet', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('CSV export', () => {
  it('is read back by a strict RFC 4180 reader as exactly the rows and columns of the database', async () => {
    const records = parseCsvStrict(await exportCsv('all.csv'));
    expect(records[0]!.map((f) => f.value)).toEqual([...COLUMNS]);
    expect(records[0]!.every((f) => !f.quoted)).toBe(true);
    const body = records.slice(1);
    expect(body).toHaveLength(rows.length);
    body.forEach((record, r) => {
      expect(record).toEqual(COLUMNS.map((c) => expectedField(rows[r]![c])));
    });
  });

  it('keeps NULL (an empty field) apart from an empty string (a quoted empty field)', async () => {
    const records = parseCsvStrict(await exportCsv('nulls.csv')).slice(1);
    const label = COLUMNS.indexOf('client_label');
    const nullAt = rows.findIndex((r) => r.client_label === null);
    const emptyAt = rows.findIndex((r) => r.client_label === '');
    expect(nullAt).toBeGreaterThanOrEqual(0);
    expect(emptyAt).toBeGreaterThanOrEqual(0);
    expect(records[nullAt]![label]).toEqual({ value: '', quoted: false });
    expect(records[emptyAt]![label]).toEqual({ value: '', quoted: true });
  });

  it('ends every record with CRLF and keeps line breaks inside values as they are', async () => {
    const text = await exportCsv('eol.csv');
    expect(text.startsWith(`${COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain('"line\nfeed"');
    expect(text).toContain('"carriage\rreturn"');
    expect(text).toContain('"quote "" inside ""twice"""');
  });

  it('is read by DuckDB with strict options into the same values', async () => {
    const out = join(dir, 'duck.csv');
    await exportCsv('duck.csv');
    const columns = `{${COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
    const read = await duck(
      `SELECT * FROM read_csv(${sqlPath(out)}, header = true, delim = ',', quote = '"', escape = '"', strict_mode = true,
         auto_detect = false, allow_quoted_nulls = false, columns = ${columns})`,
    );
    expect(read).toHaveLength(rows.length);
    read.forEach((record, r) => {
      const expected = Object.fromEntries(COLUMNS.map((c) => [c, rows[r]![c] === null ? null : String(rows[r]![c])]));
      expect(record).toEqual(expected);
    });
  });

  it('leaves cells that look like formulas alone by default', async () => {
    const text = await exportCsv('plain.csv');
    expect(text).toContain('"=SUM(A1:A2)"');
    expect(text).not.toContain("'=SUM");
  });

  it('with --excel-safe prefixes an apostrophe to text cells starting with = + - @ (and nothing else changes)', async () => {
    const records = parseCsvStrict(await exportCsv('safe.csv', '--excel-safe')).slice(1);
    const risky = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
    let neutralised = 0;
    records.forEach((record, r) => {
      COLUMNS.forEach((c, i) => {
        const value = rows[r]![c];
        const field = record[i]!;
        if (typeof value === 'string' && risky.test(value)) {
          expect(field).toEqual({ value: `'${value}`, quoted: true });
          neutralised++;
        } else {
          expect(field).toEqual(expectedField(value));
        }
      });
    });
    expect(neutralised).toBeGreaterThan(0);
  });

  it('with a filter that matches nothing is just the header row', async () => {
    const text = await exportCsv('none.csv', '--started-from', '2100-01-01');
    expect(text).toBe(`${COLUMNS.join(',')}\r\n`);
  });
});
