import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDirs } from '../helpers.js';
import { databaseRows, exportIds, hardDatabase, time } from './fixture.js';

const dirs = tempDirs();
let db: string;

beforeAll(() => {
  db = hardDatabase(dirs.make());
});
afterAll(() => dirs.cleanup());

/** The ids an NDJSON export to stdout carries, in order. */
const exportedIds = (...args: string[]): Promise<string[]> => exportIds(db, ...args);

/** The ids of the rows matching `where`, in storage order. */
const idsWhere = (where: string): string[] => databaseRows(db, where).map((r) => r.id as string);

describe('export filters', () => {
  it('exports every row by default, deleted ones included with deleted_at set', async () => {
    const ids = await exportedIds();
    expect(ids).toEqual(idsWhere('1'));
    expect(idsWhere('deleted_at IS NOT NULL').length).toBeGreaterThan(0);
  });

  it('leaves deleted rows out with --exclude-deleted', async () => {
    expect(await exportedIds('--exclude-deleted')).toEqual(idsWhere('deleted_at IS NULL'));
  });

  it('keeps rows started in [--started-from, --started-to)', async () => {
    const from = time(100);
    const to = time(150);
    expect(await exportedIds('--started-from', from, '--started-to', to)).toEqual(idsWhere(`start_time >= '${from}' AND start_time < '${to}'`));
    expect(await exportedIds('--started-from', from, '--started-to', to)).toHaveLength(50);
  });

  it('reads any RFC 3339 offset and a plain date as the same instants the database stores', async () => {
    // 2026-04-20T11:40:00+02:00 is 09:40 UTC: rows 40 and later start then or after (row 40 at 09:40:00.040).
    expect(await exportedIds('--started-from', '2026-04-20T11:40:00+02:00')).toEqual(idsWhere(`start_time >= '2026-04-20T09:40:00.000Z'`));
    expect(await exportedIds('--started-from', '2026-04-21')).toEqual([]);
    expect(await exportedIds('--started-to', '2026-04-19')).toEqual([]);
    // A date alone as --started-to includes that whole day, as `report --to` does.
    expect(await exportedIds('--started-from', '2026-04-20', '--started-to', '2026-04-20')).toEqual(idsWhere('1'));
    // Digits below the millisecond are cut, as the database does.
    expect(await exportedIds('--started-from', `${time(40).slice(0, -1)}999Z`)).toEqual(idsWhere(`start_time >= '${time(40)}'`));
  });

  it('keeps rows updated at or after --updated-since (a row never updated has no updated_at and is left out)', async () => {
    const since = time(200);
    const ids = await exportedIds('--updated-since', since);
    expect(ids).toEqual(idsWhere(`updated_at >= '${since}'`));
    expect(ids.length).toBeGreaterThan(0);
  });

  it('combines filters', async () => {
    expect(await exportedIds('--exclude-deleted', '--started-from', time(30), '--updated-since', time(90))).toEqual(
      idsWhere(`deleted_at IS NULL AND start_time >= '${time(30)}' AND updated_at >= '${time(90)}'`),
    );
  });

  it.each([
    ['--started-from', 'yesterday'],
    ['--started-to', '2026-02-30'],
    ['--updated-since', '2026-04-20T25:00:00Z'],
    ['--updated-since', '2026-04-20 09'],
    ['--started-from', ' '],
  ])('refuses %s %j with exit 2 and one line naming the flag', async (flag, value) => {
    const result = await runCli(['export', '--db', db, flag, value]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(flag);
  });

  it('refuses --started-to that is not after --started-from', async () => {
    const result = await runCli(['export', '--db', db, '--started-from', '2026-05-02', '--started-to', '2026-05-01']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--started-to');
  });

  it('refuses --excel-safe outside CSV, and unknown flags', async () => {
    const excel = await runCli(['export', '--db', db, '--format', 'ndjson', '--excel-safe']);
    expect(excel.code).toBe(2);
    expect(excel.stderr).toContain('--excel-safe');
    const unknown = await runCli(['export', '--db', db, '--exclude-deletd']);
    expect(unknown.code).toBe(2);
  });

  it('refuses a database that does not exist instead of creating one', async () => {
    const result = await runCli(['export', '--db', `${db}-missing`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist');
  });
});
