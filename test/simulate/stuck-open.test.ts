import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
});

describe('stuckOpen', () => {
  it('serves that many ended sessions older than two days as open, the rest as generated', async () => {
    const plain = await startSimulator({ sessions: 2000, seed: 5 });
    const generated = plain.store.all();
    await plain.close();
    sim = await startSimulator({ sessions: 2000, seed: 5, stuckOpen: 12 });

    const served = await (await fetch(`${sim.url}/_simulator/sessions`)).json() as Array<Record<string, unknown>>;

    const newest = Math.max(...served.map((s) => Date.parse(String(s.createdAt))));
    const before = new Map(generated.map((s) => [s.id, s]));
    const opened = served.filter((s) => s.endTime === null && before.get(String(s.id))?.endTime !== null);
    expect(opened).toHaveLength(12);
    for (const session of opened) {
      expect(newest - Date.parse(String(session.createdAt))).toBeGreaterThanOrEqual(2 * 86_400_000);
      expect(session).toMatchObject({ sessionLengthMs: null, exitStatus: null });
    }
    expect(served.filter((s) => !opened.includes(s))).toEqual(generated.filter((s) => !opened.some((o) => o.id === s.id)));
  });
});
