/**
 * A run's use of the connection it is given, through the built modules (a full scan's writer thread
 * runs dist/store/writer-worker.js), against the simulator over real HTTP.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openDatabase, WAL_AUTOCHECKPOINT_PAGES } from '../../src/store/db.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { tempDirs } from '../helpers.js';

const { prepareSync } = (await import(new URL('../../dist/sync/prepare.js', import.meta.url).href)) as typeof import('../../src/sync/prepare.js');

const dirs = tempDirs();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.cleanup();
});

describe('a full sync run', () => {
  it('hands checkpoints back to its connection once the writer thread has closed, before the transcripts stage writes there', async () => {
    sim = await startSimulator({ sessions: 300, seed: 61 });
    const db = openDatabase(join(dirs.make(), 'run.db'));
    try {
      const prepared = prepareSync({
        api: { baseUrl: sim.url, apiKey: 'test', timeoutMs: 10_000, maxRetries: 2 },
        filters: {},
        perPage: 100,
        concurrency: 4,
        full: false,
        fullEveryHours: 24,
        log: createLogger({ format: 'text', level: 'error', write: () => {} }),
      });
      const { report, error } = await prepared.run(db);
      expect(error).toBeNull();
      expect(report).toMatchObject({ mode: 'full', inserted: 300 });
      await prepared.closed();
      // During the scan the thread checkpoints, not this connection; a setting left at 0 would let
      // the log of everything written here afterwards grow without bound.
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    } finally {
      db.close();
    }
  });
});
