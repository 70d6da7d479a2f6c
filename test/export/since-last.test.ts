import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { query, runCli, runCliIntoHead, sleep, tempDirs } from '../helpers.js';
import { databaseRows, exportIds, hardDatabase, hardRow, insertRows, time, write } from './fixture.js';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** The ids a `--since-last` NDJSON export to stdout carries. */
function delta(db: string, name: string, ...args: string[]): Promise<string[]> {
  return exportIds(db, '--since-last', name, ...args);
}

function bookmark(db: string, name: string): { last_synced_at: string; rows: number } | undefined {
  return query<{ last_synced_at: string; rows: number }>(db, 'SELECT last_synced_at, rows FROM export_bookmarks WHERE name = ?', name)[0];
}

const newestSynced = (db: string): string =>
  databaseRows(db).reduce((max, r) => ((r.last_synced_at as string) > max ? (r.last_synced_at as string) : max), '');

describe('export --since-last', () => {
  let db: string;
  beforeAll(() => {
    db = hardDatabase(dirs.make(), 2000);
  });

  it('carries every row the first time and saves a bookmark at the newest last_synced_at', async () => {
    const ids = await delta(db, 'warehouse');
    expect(ids).toEqual(databaseRows(db).map((r) => r.id));
    expect(bookmark(db, 'warehouse')).toEqual({ last_synced_at: newestSynced(db), rows: 2000 });
  });

  it('then carries only the rows a sync changed since: updated, new and newly deleted', async () => {
    expect(await delta(db, 'warehouse')).toEqual([]);
    const later = time(10_000);
    write(db, `UPDATE sessions SET client_label = 'edited', last_synced_at = ? WHERE id IN ('session-00007', 'session-01500')`, later);
    write(db, `UPDATE sessions SET deleted_at = ?, last_synced_at = ? WHERE id = 'session-00042'`, later, later);
    insertRows(db, [{ ...hardRow(5000), last_synced_at: time(10_001) }]);
    expect(await delta(db, 'warehouse')).toEqual(['session-00007', 'session-00042', 'session-01500', 'session-05000']);
    expect(bookmark(db, 'warehouse')).toEqual({ last_synced_at: time(10_001), rows: 4 });
    expect(await delta(db, 'warehouse')).toEqual([]);
  });

  it('keeps one bookmark per name', async () => {
    expect(await delta(db, 'another')).toHaveLength(2001);
    expect(await delta(db, 'warehouse')).toEqual([]);
  });

  it('does not move the bookmark when the export fails', async () => {
    const before = bookmark(db, 'warehouse');
    write(db, `UPDATE sessions SET last_synced_at = ? WHERE id = 'session-00100'`, time(20_000));
    const failed = await runCli(['export', '--db', db, '--since-last', 'warehouse', '--out', join(db, '..', 'missing', 'x.csv')]);
    expect(failed.code).toBe(2);
    expect(bookmark(db, 'warehouse')).toEqual(before);
    expect(await delta(db, 'warehouse')).toEqual(['session-00100']);
  });

  it('does not move the bookmark when the reader stops early (| head), so the next run carries the rows again', async () => {
    write(db, `UPDATE sessions SET last_synced_at = ?`, time(30_000));
    const before = bookmark(db, 'warehouse');
    const { status } = await runCliIntoHead(['export', '--db', db, '--since-last', 'warehouse'], 10);
    expect(status).toBe('0');
    expect(bookmark(db, 'warehouse')).toEqual(before);
    expect(await delta(db, 'warehouse')).toHaveLength(2001);
  });

  it('stays one millisecond behind while a sync holds the database, so a row it commits later in the same millisecond is not skipped', async () => {
    const fresh = hardDatabase(dirs.make(), 50);
    const newest = newestSynced(fresh);
    write(fresh, `INSERT INTO sync_lock (id, pid, hostname, started_at, heartbeat_at) VALUES (1, 1, 'elsewhere', ?, ?)`, newest, newest);
    expect(await delta(fresh, 'live')).toHaveLength(50);
    expect(bookmark(fresh, 'live')?.last_synced_at).toBe(new Date(Date.parse(newest) - 1).toISOString());

    // The running sync commits one more row stamped with that same millisecond, then finishes.
    insertRows(fresh, [{ ...hardRow(900), last_synced_at: newest }]);
    write(fresh, 'DELETE FROM sync_lock');
    const next = await delta(fresh, 'live');
    expect(next).toContain('session-00900');
    // Rows of the boundary millisecond come again: delivered twice at worst, never skipped.
    const boundary = databaseRows(fresh, `last_synced_at = '${newest}'`).map((r) => r.id);
    expect(next.sort()).toEqual([...boundary].sort());
    expect(await delta(fresh, 'live')).toEqual([]);
  });

  it('refuses an empty name', async () => {
    const result = await runCli(['export', '--db', db, '--since-last', ' ']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--since-last');
  });
});

describe('export --since-last beside a running sync', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('never skips a version: every row version a sync commits is in some export under the name', async () => {
    sim = await startSimulator({ sessions: 600, seed: 7 });
    const db = join(dirs.make(), 'live.db');
    const options = { env: { ANAM_API_KEY: 'demo' } };
    expect((await runCli(['sync', '--api-url', sim.url, '--db', db, '--quiet'], options)).code).toBe(0);

    // A slow second sync that re-reads every page while sessions are created, edited and ended.
    for (const session of sim.store.all().slice(0, 60)) sim.store.edit(session.id);
    sim.setOptions({ latencyMs: 40, createEvery: 3 }); // slow enough for several exports on a loaded machine
    const sync = runCli(['sync', '--api-url', sim.url, '--db', db, '--full', '--per-page', '10', '--concurrency', '2', '--quiet'], options);
    let running = true;
    void sync.finally(() => (running = false));

    const seen = new Set<string>();
    const collect = async (): Promise<void> => {
      const result = await runCli(['export', '--db', db, '--format', 'ndjson', '--since-last', 'live', '--quiet']);
      expect(result.code).toBe(0);
      for (const line of result.stdout.split('\n')) {
        if (line === '') continue;
        const row = JSON.parse(line) as { id: string; last_synced_at: string };
        seen.add(`${row.id} ${row.last_synced_at}`);
      }
    };
    let exports = 0;
    while (running) {
      await collect();
      exports++;
      await sleep(10);
    }
    expect((await sync).code).toBe(0);
    await collect();

    expect(exports).toBeGreaterThan(2);
    const missing = databaseRows(db)
      .map((r) => `${r.id} ${r.last_synced_at}`)
      .filter((key) => !seen.has(key));
    expect(missing).toEqual([]);
  });
});
