/**
 * Lookups of stored open sessions after a head scan: made side by side through the request slots,
 * and only for sessions that can still be running. One left open for longer than a session can
 * last (never closed upstream) waits for the full reconciliation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ApiSession } from '../../src/api/types.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { query, syncJson, tempFolder } from '../helpers.js';

const HOUR = 3_600_000;

let folder: ReturnType<typeof tempFolder>;
let sim: Simulator;
let db: string;

beforeEach(() => {
  folder = tempFolder();
  db = join(folder.path, 'sessions.db');
});

afterEach(async () => {
  await sim?.close();
  folder.cleanup();
});

function sync(...args: string[]) {
  return syncJson(['--api-url', sim.url, '--db', db, '--per-page', '10', ...args], { env: { ANAM_API_KEY: 'demo' } });
}

function endTimes(ids: string[]): (string | null)[] {
  const stored = new Map(query<{ id: string; end_time: string | null }>(db, 'SELECT id, end_time FROM sessions').map((r) => [r.id, r.end_time]));
  return ids.map((id) => (stored.has(id) ? stored.get(id)! : 'missing'));
}

/**
 * Serves ended sessions as still open, chosen by how long before the newest session they started,
 * each with the given `maxSessionLengthSeconds` (undefined: the persona does not say). Returns
 * their ids per group and a function that serves the real, ended versions again.
 */
function openSessions(groups: Record<string, { count: number; fromHours: number; toHours: number; maxSeconds?: number }>) {
  const real = sim.store.snapshot();
  const newestFirst = sim.store.list({}, 'newest');
  const newest = Date.parse(newestFirst[0]!.createdAt);
  const chosen = new Map<string, number | undefined>();
  const ids: Record<string, string[]> = {};
  for (const [name, group] of Object.entries(groups)) {
    ids[name] = newestFirst
      .filter((s) => {
        const age = newest - Date.parse(s.startTime);
        return s.endTime !== null && !chosen.has(s.id) && age >= group.fromHours * HOUR && age <= group.toHours * HOUR;
      })
      .slice(0, group.count)
      .map((s) => s.id);
    expect(ids[name], name).toHaveLength(group.count);
    for (const id of ids[name]!) chosen.set(id, group.maxSeconds);
  }
  const asOpen = (s: ApiSession): ApiSession => {
    const { maxSessionLengthSeconds: _, ...persona } = s.personaConfig;
    const maxSeconds = chosen.get(s.id);
    return {
      ...s,
      endTime: null,
      exitStatus: null,
      sessionLengthMs: null,
      updatedAt: s.startTime,
      personaConfig: maxSeconds === undefined ? persona : { ...persona, maxSessionLengthSeconds: maxSeconds },
    };
  };
  sim.store.restore({ sessions: real.sessions.map((s) => (chosen.has(s.id) ? asOpen(s) : s)) });
  return { ids, endThem: () => sim.store.restore(real) };
}

describe('lookups of open sessions after a head scan', () => {
  it('are made side by side, only for sessions that can still be running; stuck ones wait for --full', async () => {
    sim = await startSimulator({ sessions: 3000, seed: 31, latencyMs: 20 });
    // Nothing is open but what this test opens.
    for (const session of sim.store.all().filter((s) => s.endTime === null)) sim.store.end(session.id);
    const { ids, endThem } = openSessions({
      // Page 1 (10 sessions) covers the newest few hours: these are below it, and can still run.
      recent: { count: 8, fromHours: 8, toHours: 20 },
      longPersona: { count: 1, fromHours: 48, toHours: 72, maxSeconds: 7 * 24 * 3600 },
      // Stuck: older than what their session can last (24 h when the persona does not say).
      pastDefault: { count: 2, fromHours: 48, toHours: 72 },
      pastShortLimit: { count: 2, fromHours: 6, toHours: 8, maxSeconds: 1800 },
      deep: { count: 4, fromHours: 20 * 24, toHours: 50 * 24 },
    });
    const live = [...ids.recent!, ...ids.longPersona!];
    const stuck = [...ids.pastDefault!, ...ids.pastShortLimit!, ...ids.deep!];
    expect((await sync()).result.code).toBe(0);
    expect(endTimes([...live, ...stuck])).toEqual([...live, ...stuck].map(() => null));
    endThem();
    sim.resetStats();

    const { result, summary } = await sync('--concurrency', '4');

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ status: 'succeeded', mode: 'incremental', lookups: live.length, updated: live.length });
    expect(sim.stats().listRequests).toBe(1);
    expect(sim.stats().getRequests).toBe(live.length);
    // Side by side: the server saw the request slots full, never more.
    expect(sim.stats().maxInFlight).toBeGreaterThanOrEqual(3);
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(4);
    expect(endTimes(live).every((end) => end !== null)).toBe(true);
    expect(endTimes(stuck).every((end) => end === null)).toBe(true);

    const full = await sync('--full');

    expect(full.result.code).toBe(0);
    expect(full.summary).toMatchObject({ status: 'succeeded', mode: 'full', updated: stuck.length });
    const api = new Map(sim.store.all().map((s) => [s.id, new Date(s.endTime!).toISOString()]));
    expect(endTimes(stuck)).toEqual(stuck.map((id) => api.get(id)));
  });
});
