import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ApiSession } from '../../src/api/types.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { query, syncJson, tempFolder } from '../helpers.js';

/** An instant in the stored form, computed independently of the tool's own parser. */
function iso(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

interface StoredRow {
  id: string;
  client_label: string | null;
  end_time: string | null;
  exit_status: string | null;
  updated_at: string | null;
  deleted_at: string | null;
}

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
  return syncJson(['--api-url', sim.url, '--db', db, ...args], { env: { ANAM_API_KEY: 'demo' } });
}

function rows(): Map<string, StoredRow> {
  const list = query<StoredRow>(db, 'SELECT id, client_label, end_time, exit_status, updated_at, deleted_at FROM sessions');
  return new Map(list.map((row) => [row.id, row]));
}

/** The live rows of the database equal the API's sessions: same ids, same versions, same state. */
function expectEqualsApi(api: readonly ApiSession[]): void {
  const stored = rows();
  const live = [...stored.values()].filter((row) => row.deleted_at === null);
  expect(live.length).toBe(api.length);
  for (const session of api) {
    const row = stored.get(session.id);
    expect(row, `session ${session.id}`).toBeDefined();
    expect(row).toMatchObject({
      deleted_at: null,
      updated_at: iso(session.updatedAt),
      end_time: iso(session.endTime),
      exit_status: session.exitStatus,
      client_label: session.clientLabel,
    });
  }
}

/**
 * Serves `count` ended sessions from below the first `below` (newest-first) as still open, with an
 * older updatedAt, and returns a function that serves the real (ended) versions again: sessions
 * that were open when stored and ended later, far below the head of the list.
 */
function openDeep(count: number, below: number): { ids: string[]; endThem: () => void } {
  const real = sim.store.snapshot();
  const deep = sim.store.list({}, 'newest').slice(below).filter((s) => s.endTime !== null).slice(0, count);
  const ids = new Set(deep.map((s) => s.id));
  sim.store.restore({
    sessions: real.sessions.map((s) =>
      ids.has(s.id) ? { ...s, endTime: null, exitStatus: null, sessionLengthMs: null, updatedAt: s.createdAt } : s,
    ),
  });
  return { ids: [...ids], endThem: () => sim.store.restore(real) };
}

function openCount(): number {
  return query<{ n: number }>(db, 'SELECT count(*) AS n FROM sessions WHERE end_time IS NULL AND deleted_at IS NULL')[0]!.n;
}

describe('incremental sync', () => {
  it('after N new and M ended sessions equals the API, reading at most ceil(N / perPage) + 2 pages', async () => {
    sim = await startSimulator({ sessions: 1000, seed: 3 });
    expect((await sync()).result.code).toBe(0);
    const active = sim.store.all().filter((s) => s.endTime === null);
    expect(active.length).toBeGreaterThan(20);
    for (let i = 0; i < 150; i++) sim.store.create();
    for (const session of active.slice(0, 20)) sim.store.end(session.id);
    const openBefore = openCount();
    sim.resetStats();

    const { result, summary } = await sync('--per-page', '100');

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ status: 'succeeded', mode: 'incremental', inserted: 150 });
    expect(summary.updated).toBeGreaterThanOrEqual(20);
    expect(sim.stats().listRequests).toBeLessThanOrEqual(Math.ceil(150 / 100) + 2);
    // Only stored open sessions the head scan did not read are looked up (test/e2e/lookups.test.ts).
    expect(sim.stats().getRequests).toBe(summary.lookups);
    expect(summary.lookups).toBeLessThanOrEqual(openBefore);
    expectEqualsApi(sim.store.all());
  });

  it('leaves an open session far below the head, older than a session can last, to the full reconciliation', async () => {
    sim = await startSimulator({ sessions: 800, seed: 21 });
    const deep = openDeep(1, 300);
    await sync();
    expect(rows().get(deep.ids[0]!)?.end_time).toBeNull();
    deep.endThem();
    const ended = sim.store.all().find((s) => s.id === deep.ids[0])!;
    sim.resetStats();

    const incremental = await sync('--per-page', '100');

    expect(incremental.result.code).toBe(0);
    expect(incremental.summary).toMatchObject({ mode: 'incremental', updated: 0, lookups: 0 });
    expect(sim.stats().requests).toBe(1);
    expect(rows().get(ended.id)?.end_time).toBeNull();

    // --full-every 0: the last full reconciliation is due, as it is after 24 hours by default.
    const { result, summary } = await sync('--per-page', '100', '--full-every', '0');

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ mode: 'full', updated: 1 });
    expect(rows().get(ended.id)).toMatchObject({ end_time: iso(ended.endTime), exit_status: ended.exitStatus });
  });

  it('a session deleted upstream is marked deleted by the next incremental run (its row stays)', async () => {
    sim = await startSimulator({ sessions: 500, seed: 22 });
    await sync();
    const gone = sim.store.list({}, 'newest').slice(200).find((s) => s.endTime !== null)!;
    sim.store.remove(gone.id);

    const { result, summary } = await sync();

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ status: 'succeeded', deleted: 1, residual: null });
    expect(String(summary.fullScanReason)).toMatch(/repair/);
    expect(rows().get(gone.id)?.deleted_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expectEqualsApi(sim.store.all());
    const next = await sync();
    expect(next.summary).toMatchObject({ mode: 'incremental', notes: [], deleted: 0 });
  });

  it('keeps reading the head when a page holds a record that fails validation', async () => {
    sim = await startSimulator({ sessions: 600, seed: 12, invalidEvery: 7 });
    expect((await sync()).result.code).toBe(0);
    for (let i = 0; i < 250; i++) sim.store.create();
    sim.resetStats();

    const { result, summary } = await sync('--per-page', '100');

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ mode: 'incremental', fullScanReason: null });
    expect(summary.rejected).toBeGreaterThan(0);
    expect(sim.stats().listRequests).toBeLessThanOrEqual(Math.ceil(250 / 100) + 2);
  });

  it('with nothing new costs one list request, even with stuck open sessions stored', async () => {
    sim = await startSimulator({ sessions: 600, seed: 4 });
    openDeep(4, 200);
    await sync();
    const open = openCount();
    const onPageOne = sim.store.list({}, 'newest').slice(0, 100).filter((s) => s.endTime === null).length;
    expect(open - onPageOne).toBeGreaterThanOrEqual(4);
    sim.resetStats();

    const { result, summary } = await sync();

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ mode: 'incremental', inserted: 0, updated: 0, deleted: 0, lookups: 0 });
    expect(sim.stats().requests).toBe(1);
    expectEqualsApi(sim.store.all());
  });

  for (const order of ['oldest', 'shuffled'] as const) {
    it(`stays complete against an API that lists ${order === 'oldest' ? 'oldest first' : 'in no order'}, and says so`, async () => {
      sim = await startSimulator({ sessions: 500, seed: 5, order });
      await sync();
      for (let i = 0; i < 30; i++) sim.store.create();
      for (const session of sim.store.all().filter((s) => s.endTime === null).slice(0, 5)) sim.store.end(session.id);

      const { result, summary } = await sync();

      expect(result.code).toBe(0);
      expect(summary).toMatchObject({ status: 'succeeded', mode: 'full', inserted: 30 });
      expect(String(summary.fullScanReason)).toMatch(/newest first/);
      expectEqualsApi(sim.store.all());
    });
  }

  it('full sync at --concurrency 4 loses no session while new ones are created every 2 requests', async () => {
    sim = await startSimulator({ sessions: 2500, seed: 6 });
    const before = sim.store.all().map((s) => s.id);
    sim.setOptions({ createEvery: 2 });

    const { result } = await sync('--full', '--concurrency', '4');

    expect(result.code).toBe(0);
    const stored = rows();
    expect(before.filter((id) => !stored.has(id))).toEqual([]);
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(4);

    sim.setOptions({ createEvery: 0 });
    const next = await sync();
    expect(next.result.code).toBe(0);
    expectEqualsApi(sim.store.all());
  });

  it('a naive concurrent page reader does lose sessions under the same load (the test above has teeth)', async () => {
    sim = await startSimulator({ sessions: 2500, seed: 6 });
    const before = new Set(sim.store.all().map((s) => s.id));
    sim.setOptions({ createEvery: 2 });
    const get = async (page: number) =>
      (await (await fetch(`${sim.url}/v1/sessions?page=${page}&perPage=100`, { headers: { authorization: 'Bearer demo' } })).json()) as {
        data: ApiSession[];
        meta: { lastPage: number };
      };
    const first = await get(1);
    const seen = new Set(first.data.map((s) => s.id));
    const pages = Array.from({ length: first.meta.lastPage - 1 }, (_, i) => i + 2);
    for (let i = 0; i < pages.length; i += 4) {
      const batch = await Promise.all(pages.slice(i, i + 4).map(get));
      for (const body of batch) for (const s of body.data) seen.add(s.id);
    }
    expect([...before].filter((id) => !seen.has(id)).length).toBeGreaterThan(0);
  });

  it('never rolls a row back from a lagging copy of the API; a full sync against the live API restores it', async () => {
    sim = await startSimulator({ sessions: 400, seed: 7 });
    const lagging = sim.store.snapshot();
    const active = sim.store.all().filter((s) => s.endTime === null).slice(0, 6);
    for (const session of active) sim.store.end(session.id);
    const old = sim.store.all().filter((s) => s.endTime !== null).slice(0, 6);
    for (const session of old) sim.store.edit(session.id);
    const live = sim.store.snapshot();
    await sync();
    expectEqualsApi(live.sessions);

    sim.store.restore(lagging);
    const incremental = await sync();
    const full = await sync('--full');

    expect(incremental.result.code).toBe(0);
    expect(full.result.code).toBe(0);
    expect(Number(incremental.summary.stale) + Number(full.summary.stale)).toBeGreaterThanOrEqual(12);
    expect(full.summary.updated).toBe(0);
    expectEqualsApi(live.sessions);

    sim.store.restore(live);
    const back = await sync('--full');
    expect(back.summary).toMatchObject({ status: 'succeeded', stale: 0, deleted: 0 });
    expectEqualsApi(sim.store.all());
  });

  it('marks sessions deleted upstream after --full (rows stay), applies edits to old sessions, and revives one that comes back', async () => {
    sim = await startSimulator({ sessions: 300, seed: 8 });
    await sync();
    const beforeDelete = sim.store.snapshot();
    const ended = sim.store.all().filter((s) => s.endTime !== null);
    const gone = ended.slice(0, 5).map((s) => s.id);
    for (const id of gone) sim.store.remove(id);
    const edited = ended.slice(100, 105).map((s) => sim.store.edit(s.id)!);

    const { result, summary } = await sync('--full');

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ deleted: 5 });
    const stored = rows();
    for (const id of gone) expect(stored.get(id)?.deleted_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const session of edited) expect(stored.get(session.id)?.updated_at).toBe(iso(session.updatedAt));
    expectEqualsApi(sim.store.all());

    const comeback = beforeDelete.sessions.find((s) => s.id === gone[0])!;
    sim.store.restore({ sessions: [...sim.store.all(), comeback] });
    await sync('--full');
    expect(rows().get(comeback.id)?.deleted_at).toBeNull();
  });

  it('a filtered sync keeps its own bookmark and never marks sessions outside its scope deleted', async () => {
    sim = await startSimulator({ sessions: 300, seed: 9 });
    await sync();
    const persona = sim.store.all().find((s) => s.personaId !== null)!.personaId!;
    const outside = sim.store.all().filter((s) => s.personaId !== persona && s.endTime !== null).slice(0, 3);
    for (const session of outside) sim.store.remove(session.id);

    const { result, summary } = await sync('--persona-id', persona, '--full');

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ deleted: 0, scope: `personaId=${persona}` });
    const stored = rows();
    for (const session of outside) expect(stored.get(session.id)?.deleted_at).toBeNull();
    const scopes = query<{ scope: string }>(db, 'SELECT scope FROM sync_state ORDER BY scope').map((r) => r.scope);
    expect(scopes).toEqual(['', `personaId=${persona}`]);
  });

  for (const filter of ['--search', '--api-key-id'] as const) {
    it(`a ${filter} scope syncs just its sessions, checks its count without repairs, and stays incremental`, async () => {
      sim = await startSimulator({ sessions: 400, seed: 13 });
      const apiKeyId = sim.store.all().find((s) => s.apiKeyId !== null)!.apiKeyId!;
      const value = filter === '--search' ? 'KIOSK' : apiKeyId;
      const inScope = () =>
        sim.store.list(filter === '--search' ? { search: value } : { apiKeyId: value }, 'newest').map((s) => s.id).sort();

      const first = await sync(filter, value);
      expect(first.result.code).toBe(0);
      expect(first.summary.notes).toEqual([]);
      expect(inScope().length).toBeGreaterThan(0);
      expect(query<{ id: string }>(db, 'SELECT id FROM sessions ORDER BY id').map((r) => r.id)).toEqual(inScope());

      sim.resetStats();
      const again = await sync(filter, value);
      expect(again.summary).toMatchObject({ mode: 'incremental', inserted: 0, updated: 0, notes: [] });
      expect(sim.stats().listRequests).toBe(1);
    });
  }

  it('does not move the bookmark after a failed run', async () => {
    sim = await startSimulator({ sessions: 300, seed: 10 });
    await sync();
    const before = query(db, 'SELECT * FROM sync_state');
    for (let i = 0; i < 120; i++) sim.store.create();
    sim.setOptions({ faultRate: 1, faultKinds: ['500'] });

    const { result, summary } = await sync('--max-retries', '0');

    expect(result.code).toBe(1);
    expect(summary.status).toBe('failed');
    // The summary carries the same line as stderr.
    expect(summary.error).toMatch(/still failing after 0 retries/);
    expect(result.stderr).toContain(String(summary.error));
    expect(query(db, 'SELECT * FROM sync_state')).toEqual(before);
    sim.setOptions({ faultRate: 0 });
    expect((await sync()).result.code).toBe(0);
    expectEqualsApi(sim.store.all());
  });
});
