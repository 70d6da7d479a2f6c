import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiSession, SessionListResponse } from '../../src/api/types.js';
import { createSessionStore } from '../../src/simulate/data.js';
import { runSimulate } from '../../src/simulate/run.js';
import { UsageError } from '../../src/errors.js';
import type { FaultKind, SimulatorOptions } from '../../src/simulate/options.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';

const KEY = 'test-key';
const running: Simulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  running.push(sim);
  return sim;
}

function call(sim: Simulator, path: string, key: string | null = KEY, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  return fetch(`${sim.url}${path}`, { ...init, headers });
}

async function list(sim: Simulator, query = ''): Promise<SessionListResponse> {
  const res = await call(sim, `/v1/sessions${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as SessionListResponse;
}

const ids = (sessions: ApiSession[]): string[] => sessions.map((s) => s.id);

describe('GET /v1/sessions pagination', () => {
  it('answers the first page with the spec defaults and meta', async () => {
    const sim = await start({ sessions: 25 });
    const body = await list(sim);
    expect(body.data).toHaveLength(10);
    expect(body.meta).toEqual({ total: 25, lastPage: 3, currentPage: 1, perPage: 10, prev: null, next: 2 });
  });

  it('answers middle, last and past-the-end pages with prev and next as the spec says', async () => {
    const sim = await start({ sessions: 25 });
    expect((await list(sim, '?page=2')).meta).toEqual({
      total: 25, lastPage: 3, currentPage: 2, perPage: 10, prev: 1, next: 3,
    });
    const last = await list(sim, '?page=3');
    expect(last.data).toHaveLength(5);
    expect(last.meta).toEqual({ total: 25, lastPage: 3, currentPage: 3, perPage: 10, prev: 2, next: null });
    const past = await list(sim, '?page=9');
    expect(past.data).toEqual([]);
    expect(past.meta).toEqual({ total: 25, lastPage: 3, currentPage: 9, perPage: 10, prev: 8, next: null });
  });

  it('reports lastPage 1 for an empty list', async () => {
    const sim = await start({ sessions: 0 });
    expect(await list(sim)).toEqual({
      data: [],
      meta: { total: 0, lastPage: 1, currentPage: 1, perPage: 10, prev: null, next: null },
    });
  });

  it('returns every session exactly once across the pages when nothing changes', async () => {
    const sim = await start({ sessions: 230 });
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) seen.push(...ids((await list(sim, `?perPage=100&page=${page}`)).data));
    expect(seen).toHaveLength(230);
    expect(new Set(seen)).toEqual(new Set(ids(sim.store.all())));
  });

  it('sends each record as the exact wire object of the store', async () => {
    const sim = await start({ sessions: 20 });
    const body = await list(sim, '?perPage=20');
    expect(body.data).toEqual(sim.store.list({}, 'newest'));
  });
});

describe('GET /v1/sessions order and filters', () => {
  it('orders newest first by default', async () => {
    const sim = await start({ sessions: 50 });
    const times = (await list(sim, '?perPage=50')).data.map((s) => Date.parse(s.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('orders oldest first when asked', async () => {
    const sim = await start({ sessions: 50, order: 'oldest' });
    const times = (await list(sim, '?perPage=50')).data.map((s) => Date.parse(s.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('shuffles into a stable order that is neither newest nor oldest first', async () => {
    const sim = await start({ sessions: 50, order: 'shuffled' });
    const first = ids((await list(sim, '?perPage=50')).data);
    expect(ids((await list(sim, '?perPage=50')).data)).toEqual(first);
    expect(first).not.toEqual(ids(sim.store.list({}, 'newest')));
    expect(first).not.toEqual(ids(sim.store.list({}, 'oldest')));
  });

  it('filters by personaId, apiKeyId and search', async () => {
    const sim = await start({ sessions: 100 });
    const sample = sim.store.all().find((s) => s.personaId !== null && s.apiKeyId !== null) as ApiSession;
    const byPersona = await list(sim, `?perPage=100&personaId=${sample.personaId}`);
    expect(byPersona.meta.total).toBe(sim.store.list({ personaId: sample.personaId as string }).length);
    expect(byPersona.data.every((s) => s.personaId === sample.personaId)).toBe(true);
    const byKey = await list(sim, `?perPage=100&apiKeyId=${sample.apiKeyId}`);
    expect(byKey.data.every((s) => s.apiKeyId === sample.apiKeyId)).toBe(true);
    const byId = await list(sim, `?search=${sample.id.toUpperCase()}`);
    expect(ids(byId.data)).toEqual([sample.id]);
    const byLabel = await list(sim, `?perPage=100&search=${encodeURIComponent('Ünïcødé 😀')}`);
    expect(byLabel.meta.total).toBeGreaterThan(0);
    expect(byLabel.data.every((s) => s.clientLabel?.startsWith('Ünïcødé 😀'))).toBe(true);
  });
});

describe('bad requests', () => {
  it.each([
    ['?perPage=0'],
    ['?perPage=101'],
    ['?perPage=abc'],
    ['?perPage=1.5'],
    ['?page=0'],
    ['?page=-1'],
    ['?page=x'],
    ['?personaId=not-a-uuid'],
    ['?apiKeyId=123'],
  ])('answers 400 with a JSON message for %s', async (query) => {
    const sim = await start({ sessions: 5 });
    const res = await call(sim, `/v1/sessions${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: expect.any(String) });
  });

  it('answers 400 for a session id that is not a uuid', async () => {
    const sim = await start({ sessions: 5 });
    const res = await call(sim, '/v1/sessions/not-a-uuid');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: expect.any(String) });
  });

  it('answers 404 for an unknown path', async () => {
    const sim = await start({ sessions: 5 });
    expect((await call(sim, '/v2/things')).status).toBe(404);
    expect((await call(sim, '/v1/sessions/00000000-0000-4000-8000-000000000000/transcript')).status).toBe(404);
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['an empty bearer key', ''],
  ])('answers 401 with %s', async (_title, key) => {
    const sim = await start({ sessions: 5 });
    const res = await call(sim, '/v1/sessions', key);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: expect.any(String) });
  });

  it('answers 401 for a Basic scheme', async () => {
    const sim = await start({ sessions: 5 });
    const res = await fetch(`${sim.url}/v1/sessions`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
  });

  it('accepts any non-empty key when no key is configured', async () => {
    const sim = await start({ sessions: 5 });
    expect((await call(sim, '/v1/sessions', 'anything')).status).toBe(200);
  });

  it('answers a wrong key with exactly one 401 and no fault first, even when every request faults', async () => {
    const sim = await start({ sessions: 5, key: KEY, faultRate: 1 });
    const res = await call(sim, '/v1/sessions', 'wrong-key');
    expect(res.status).toBe(401);
    expect(sim.stats()).toMatchObject({ requests: 1, faults: 0, listRequests: 0, byStatus: { 401: 1 } });
  });

  it('accepts the configured key', async () => {
    const sim = await start({ sessions: 5, key: KEY });
    expect((await call(sim, '/v1/sessions')).status).toBe(200);
  });
});

describe('GET /v1/sessions/{id}', () => {
  it('returns the session', async () => {
    const sim = await start({ sessions: 10 });
    const session = sim.store.all()[4] as ApiSession;
    const res = await call(sim, `/v1/sessions/${session.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(session);
    expect(sim.stats().getRequests).toBe(1);
  });

  it('answers 404 with a message for an unknown or deleted id', async () => {
    const sim = await start({ sessions: 10 });
    const session = sim.store.all()[4] as ApiSession;
    sim.store.remove(session.id);
    const res = await call(sim, `/v1/sessions/${session.id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: expect.any(String) });
  });
});

describe('faults', () => {
  const faulty = (kind: FaultKind, extra: SimulatorOptions = {}): Promise<Simulator> =>
    start({ sessions: 30, faultRate: 1, faultKinds: [kind], ...extra });

  it('answers 429 with Retry-After in seconds', async () => {
    const sim = await faulty('429', { retryAfterSeconds: 2 });
    const res = await call(sim, '/v1/sessions');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
  });

  it('answers 429 with Retry-After as an HTTP date', async () => {
    const sim = await faulty('429-date', { retryAfterSeconds: 3 });
    const before = Date.now();
    const res = await call(sim, '/v1/sessions');
    expect(res.status).toBe(429);
    const header = res.headers.get('retry-after') ?? '';
    expect(header).toMatch(/GMT$/);
    expect(Date.parse(header)).toBeGreaterThanOrEqual(before + 2000);
    expect(Date.parse(header)).toBeLessThanOrEqual(Date.now() + 4000);
  });

  it.each(['500', '502', '503', '504'] as const)('answers %s', async (kind) => {
    const sim = await faulty(kind);
    const res = await call(sim, '/v1/sessions');
    expect(res.status).toBe(Number(kind));
    expect(sim.stats().byStatus[kind]).toBe(1);
  });

  it('resets the connection so that fetch rejects', async () => {
    const sim = await faulty('reset');
    await expect(call(sim, '/v1/sessions')).rejects.toThrow();
    expect(sim.stats()).toMatchObject({ faults: 1, byStatus: { reset: 1 } });
  });

  it('truncates a 200 JSON body to its first half', async () => {
    const sim = await faulty('truncated');
    const res = await call(sim, '/v1/sessions?perPage=20');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    sim.setOptions({ faultRate: 0 });
    const whole = await (await call(sim, '/v1/sessions?perPage=20')).text();
    expect(whole.startsWith(text)).toBe(true);
    expect(Buffer.byteLength(text)).toBe(Math.floor(Buffer.byteLength(whole) / 2));
  });

  it('answers an HTML proxy page that is not JSON', async () => {
    const sim = await faulty('html');
    const res = await call(sim, '/v1/sessions');
    expect([200, 502]).toContain(res.status);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const text = await res.text();
    expect(text).toMatch(/<html>/);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('leaves the store alone and counts nothing as served when a request faults', async () => {
    const sim = await faulty('503', { createEvery: 1 });
    for (let i = 0; i < 3; i++) await call(sim, '/v1/sessions');
    expect(sim.store.all()).toHaveLength(30);
    expect(sim.stats()).toMatchObject({ requests: 3, faults: 3, listRequests: 0 });
  });

  it('draws the same faults for the same seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const sim = await start({ sessions: 10, seed: 9, faultRate: 0.5, faultKinds: ['500', '429'] });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call(sim, '/v1/sessions')).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('never faults the control endpoints', async () => {
    const sim = await faulty('reset');
    expect((await fetch(`${sim.url}/_simulator/stats`)).status).toBe(200);
  });
});

describe('changes while a client pages', () => {
  it('creates a session before every K-th request so that pages shift', async () => {
    const sim = await start({ sessions: 30, createEvery: 2 });
    const page1 = await list(sim, '?page=1');
    const page2 = await list(sim, '?page=2');
    expect(page2.meta.total).toBe(31);
    expect(page2.data[0]).toEqual(page1.data[9]);
  });

  it('serves older versions again after restoring a snapshot, as a lagging replica would', async () => {
    const sim = await start({ sessions: 30 });
    const snapshot = sim.store.snapshot();
    const target = sim.store.all()[5] as ApiSession;
    const edited = sim.store.edit(target.id) as ApiSession;
    expect(await (await call(sim, `/v1/sessions/${target.id}`)).json()).toEqual(edited);
    sim.store.restore(snapshot);
    const served = (await (await call(sim, `/v1/sessions/${target.id}`)).json()) as ApiSession;
    expect(served).toEqual(target);
    expect(Date.parse(served.updatedAt ?? '')).toBeLessThan(Date.parse(edited.updatedAt ?? ''));
  });

  it('serves broken records when invalidEvery is set', async () => {
    const sim = await start({ sessions: 20, invalidEvery: 5 });
    const body = await list(sim, '?perPage=20');
    expect(body.data.filter((s) => typeof s.id !== 'string' || s.createdAt === 'yesterday')).toHaveLength(4);
  });
});

describe('concurrency accounting', () => {
  it('measures the most requests in flight at once', async () => {
    const sim = await start({ sessions: 30, latencyMs: 150 });
    const responses = await Promise.all(Array.from({ length: 6 }, () => call(sim, '/v1/sessions')));
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(sim.stats()).toMatchObject({ requests: 6, maxInFlight: 6, listRequests: 6 });
    await expect.poll(() => sim.stats().inFlight).toBe(0);
  });

  it('counts one in flight for requests made one after another', async () => {
    const sim = await start({ sessions: 30, latencyMs: 20 });
    for (let i = 0; i < 3; i++) await (await call(sim, '/v1/sessions')).arrayBuffer();
    expect(sim.stats().maxInFlight).toBe(1);
  });

  it('starts the counters again after resetStats', async () => {
    const sim = await start({ sessions: 5 });
    await call(sim, '/v1/sessions');
    sim.resetStats();
    expect(sim.stats()).toEqual({
      requests: 0, listRequests: 0, getRequests: 0, transcriptRequests: 0, faults: 0, inFlight: 0, maxInFlight: 0, byStatus: {},
    });
  });
});

describe('control endpoints', () => {
  const post = (sim: Simulator, path: string, body?: unknown): Promise<Response> =>
    fetch(`${sim.url}/_simulator/${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('reports and resets stats without counting themselves', async () => {
    const sim = await start({ sessions: 5 });
    await call(sim, '/v1/sessions');
    const stats = await (await fetch(`${sim.url}/_simulator/stats`)).json();
    expect(stats).toMatchObject({ requests: 1, listRequests: 1, byStatus: { 200: 1 } });
    expect((await post(sim, 'reset-stats')).status).toBe(200);
    expect(sim.stats().requests).toBe(0);
  });

  it('lists every live session', async () => {
    const sim = await start({ sessions: 12 });
    const body = await (await fetch(`${sim.url}/_simulator/sessions`)).json();
    expect(body).toEqual(sim.store.all());
  });

  it('creates, ends, edits and deletes sessions and returns their ids', async () => {
    const sim = await start({ sessions: 40 });
    const created = (await (await post(sim, 'create?n=3')).json()) as { ids: string[] };
    expect(created.ids).toHaveLength(3);
    expect(created.ids.every((id) => sim.store.get(id)?.endTime === null)).toBe(true);

    const ended = (await (await post(sim, 'end?n=2')).json()) as { ids: string[] };
    expect(ended.ids).toHaveLength(2);
    expect(ended.ids.every((id) => sim.store.get(id)?.endTime !== null)).toBe(true);

    const before = new Map(sim.store.all().map((s) => [s.id, s]));
    const edited = (await (await post(sim, 'edit?n=2')).json()) as { ids: string[] };
    expect(edited.ids).toHaveLength(2);
    for (const id of edited.ids) expect(sim.store.get(id)).not.toEqual(before.get(id));

    const deleted = (await (await post(sim, 'delete?n=4')).json()) as { ids: string[] };
    expect(deleted.ids).toHaveLength(4);
    expect(sim.store.all()).toHaveLength(39);
    expect((await call(sim, `/v1/sessions/${deleted.ids[0]}`)).status).toBe(404);
  });

  it('changes runtime options', async () => {
    const sim = await start({ sessions: 5 });
    expect((await post(sim, 'options', { faultRate: 1, faultKinds: ['503'] })).status).toBe(200);
    expect((await call(sim, '/v1/sessions')).status).toBe(503);
    const refused = await post(sim, 'options', { faultRate: 7 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ message: '--fault-rate must be a number from 0 to 1, not 7' });
  });

  it('refuses an options body over 64 KiB with 413 and keeps the settings', async () => {
    const sim = await start({ sessions: 5 });
    const refused = await post(sim, 'options', { faultRate: 1, padding: 'x'.repeat(70_000) });
    expect(refused.status).toBe(413);
    expect((await call(sim, '/v1/sessions')).status).toBe(200);
  });

  it('rejects a bad count, a wrong method and an unknown action', async () => {
    const sim = await start({ sessions: 5 });
    expect((await post(sim, 'create?n=abc')).status).toBe(400);
    expect((await fetch(`${sim.url}/_simulator/create`)).status).toBe(405);
    expect((await post(sim, 'explode')).status).toBe(404);
  });
});

describe('startSimulator options', () => {
  it.each([
    [{ latencyMs: -1 }, '--latency must be a number from 0 to 600000, not -1'],
    [{ latencyMs: 700_000 }, '--latency must be a number from 0 to 600000, not 700000'],
    [{ faultRate: 1.5 }, '--fault-rate must be a number from 0 to 1, not 1.5'],
    [{ faultRate: Number.NaN }, '--fault-rate must be a number from 0 to 1, not NaN'],
    [{ faultKinds: ['teapot'] as unknown as FaultKind[] }, '--faults takes 429,429-date,500,502,503,504,reset,truncated,html; "teapot" is not one'],
    [{ faultKinds: [] }, '--faults takes 429,429-date,500,502,503,504,reset,truncated,html; give at least one'],
    [{ order: 'random' as 'newest' }, '--order must be one of newest, oldest, shuffled, not "random"'],
    [{ sessions: 1.5 }, '--sessions must be a whole number from 0 to 1000000, not 1.5'],
    [{ sessions: 2_000_000 }, '--sessions must be a number from 0 to 1000000, not 2000000'],
    [{ seed: -1 }, '--seed must be a number from 0 to 2147483647, not -1'],
    [{ port: 70_000 }, '--port must be a number from 0 to 65535, not 70000'],
    [{ host: '' }, '--host must not be empty'],
    [{ host: '0.0.0.0' }, '--host must be a loopback interface (127.0.0.1, ::1 or localhost), not "0.0.0.0"'],
    [{ createEvery: -3 }, '--create-every must be a number from 0 to 1000000, not -3'],
    [{ retryAfterSeconds: Infinity }, '--retry-after must be a number from 0 to 3600, not Infinity'],
    [{ rateLimit: -1 }, '--rate-limit must be a number from 0 to 1000000, not -1'],
    [{ rateLimit: Number.NaN }, '--rate-limit must be a number from 0 to 1000000, not NaN'],
    [{ stuckOpen: -1 }, '--stuck-open must be a number from 0 to 1000000, not -1'],
    [{ invalidEvery: -2 }, '--invalid-every must be a number from 0 to 1000000, not -2'],
    [{ days: 0 }, '--days must be a number from 1 to 3660, not 0'],
    [{ key: '' }, '--key must not be empty'],
    [{ key: 'two words' }, '--key must not contain spaces'],
  ] as [SimulatorOptions, string][])('rejects %o with the usage error of its flag', async (options, message) => {
    const failure = await startSimulator(options).then(
      (sim) => sim.close(),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as UsageError).message).toBe(message);
  });

  it('keeps the old settings when setOptions is given a bad value', async () => {
    const sim = await start({ sessions: 5 });
    expect(() => sim.setOptions({ latencyMs: -5 })).toThrow(UsageError);
    expect(() => sim.setOptions({ latencyMs: -5 })).toThrow(/^--latency must be a number from 0 to 600000/);
    expect((await call(sim, '/v1/sessions')).status).toBe(200);
  });

  it('serves a store passed in', async () => {
    const store = createSessionStore({ sessions: 3, seed: 11 });
    const sim = await start({ store });
    expect(sim.store).toBe(store);
    expect((await list(sim)).meta.total).toBe(3);
  });

  it('closes while keep-alive connections are open', async () => {
    const sim = await startSimulator({ sessions: 5 });
    await (await call(sim, '/v1/sessions')).arrayBuffer();
    await sim.close();
    await expect(call(sim, '/v1/sessions')).rejects.toThrow();
  });

  it('closes while a slow request is waiting', async () => {
    const sim = await startSimulator({ sessions: 5, latencyMs: 10_000 });
    const pending = call(sim, '/v1/sessions');
    await expect.poll(() => sim.stats().inFlight).toBe(1);
    await sim.close();
    await expect(pending).rejects.toThrow();
  });
});

describe('runSimulate', () => {
  it('writes exactly one line with the URL once listening', async () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const sim = await runSimulate({ sessions: 5 }, out);
    running.push(sim);
    expect(written).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(written).toBe(`${sim.url}\n`);
    expect((await call(sim, '/v1/sessions')).status).toBe(200);
  });
});

describe('GET /v1/sessions/{id}/transcript', () => {
  it('serves a conversation for an ended session, and 404 while active, with zero data retention, or 30 days after it ended', async () => {
    const sim = await start({ sessions: 400, seed: 71 });
    const now = sim.store.now();
    const recent = sim.store.all().filter((s) => s.endTime !== null && now - Date.parse(s.endTime) < 20 * 86_400_000);
    const withTranscript = recent.find((s) => (s.personaConfig as { zeroDataRetention?: boolean }).zeroDataRetention !== true)!;
    const res = await call(sim, `/v1/sessions/${withTranscript.id}/transcript`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sessionId: string; totalMessages: number; messages: Array<{ role: string; message: string }> };
    expect(body.sessionId).toBe(withTranscript.id);
    expect(body.totalMessages).toBe(body.messages.length);
    expect(new Set(body.messages.map((m) => m.role))).toEqual(new Set(body.messages.length > 1 ? ['user', 'persona'] : [body.messages[0]?.role]));
    // The same session always has the same transcript.
    expect(await (await call(sim, `/v1/sessions/${withTranscript.id}/transcript`)).json()).toEqual(body);

    const active = sim.store.all().find((s) => s.endTime === null)!;
    const zdr = sim.store.all().find((s) => s.endTime !== null && (s.personaConfig as { zeroDataRetention?: boolean }).zeroDataRetention === true)!;
    for (const session of [active, zdr]) {
      const answer = await call(sim, `/v1/sessions/${session.id}/transcript`);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ message: 'Session not found or no transcript available' });
    }
    sim.store.advance(31 * 86_400_000);
    expect((await call(sim, `/v1/sessions/${withTranscript.id}/transcript`)).status).toBe(404);
    expect(sim.stats().transcriptRequests).toBe(5);
  });
});
