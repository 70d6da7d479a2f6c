import { describe, expect, it } from 'vitest';
import type { ApiSession } from '../../src/api/types.js';
import { UsageError } from '../../src/errors.js';
import { createSessionStore } from '../../src/simulate/data.js';
import { HARD_LABELS } from '../../src/simulate/generate.js';
import { detectShape, parseMicros } from '../../src/simulate/time-shapes.js';

const instant = (text: string | null): number => Date.parse(text ?? '');

describe('createSessionStore', () => {
  it('generates the same data byte for byte from the same seed', () => {
    const a = createSessionStore({ sessions: 250, seed: 7 });
    const b = createSessionStore({ sessions: 250, seed: 7 });
    expect(JSON.stringify(a.all())).toBe(JSON.stringify(b.all()));
    expect(a.all()).toEqual(b.all());
    expect(a.create()).toEqual(b.create());
  });

  it('generates different data from a different seed', () => {
    const a = createSessionStore({ sessions: 50, seed: 1 });
    const b = createSessionStore({ sessions: 50, seed: 2 });
    expect(a.all().map((s) => s.id)).not.toEqual(b.all().map((s) => s.id));
  });

  it('rejects a negative, fractional or huge session count with the usage error of its flag', () => {
    expect(() => createSessionStore({ sessions: -1, seed: 1 })).toThrow(UsageError);
    expect(() => createSessionStore({ sessions: -1, seed: 1 })).toThrow(/^--sessions must be a number from 0 to 1000000, not -1$/);
    expect(() => createSessionStore({ sessions: 1.5, seed: 1 })).toThrow(/^--sessions must be a whole number/);
    expect(() => createSessionStore({ sessions: 2_000_000, seed: 1 })).toThrow(/^--sessions /);
    expect(() => createSessionStore({ sessions: 1, seed: Number.NaN })).toThrow(/^--seed /);
    expect(() => createSessionStore({ sessions: 1, seed: 1, invalidEvery: -2 })).toThrow(/^--invalid-every /);
    expect(() => createSessionStore({ sessions: 1, seed: 1, days: 4000 })).toThrow(/^--days must be a number from 1 to 3660, not 4000$/);
  });

  it('rejects an unknown list order and a step back in time with a usage error', () => {
    const store = createSessionStore({ sessions: 3, seed: 1 });
    expect(() => store.list({}, 'random' as 'newest')).toThrow(/^--order must be one of newest, oldest, shuffled, not "random"$/);
    expect(() => store.advance(-1)).toThrow(UsageError);
  });

  it('serves an empty store when asked for zero sessions', () => {
    const store = createSessionStore({ sessions: 0, seed: 1 });
    expect(store.all()).toEqual([]);
    expect(store.create().endTime).toBeNull();
  });
});

describe('a default data set of 250 sessions', () => {
  const sessions = createSessionStore({ sessions: 250, seed: 1 }).all();
  const some = (predicate: (s: ApiSession) => boolean): number => sessions.filter(predicate).length;

  it('has about 20% ephemeral sessions without a persona id', () => {
    const ephemeral = sessions.filter((s) => s.personaId === null);
    expect(ephemeral.length).toBeGreaterThan(25);
    expect(ephemeral.length).toBeLessThan(80);
    expect(ephemeral.every((s) => s.personaConfig.type === 'ephemeral')).toBe(true);
    expect(new Set(sessions.map((s) => s.personaId)).size).toBeLessThanOrEqual(9);
  });

  it('has a few active sessions, and they are the newest', () => {
    const active = sessions.filter((s) => s.endTime === null);
    expect(active.length).toBeGreaterThanOrEqual(3);
    expect(active.every((s) => s.sessionLengthMs === null && s.exitStatus === null)).toBe(true);
    const newestEnded = Math.max(...sessions.filter((s) => s.endTime !== null).map((s) => instant(s.createdAt)));
    expect(active.every((s) => instant(s.createdAt) >= newestEnded)).toBe(true);
  });

  it('gives ended sessions an exit status and a length equal to end minus start', () => {
    const ended = sessions.filter((s) => s.endTime !== null);
    for (const s of ended) {
      expect(s.sessionLengthMs).toBe(instant(s.endTime) - instant(s.startTime));
    }
    const statuses = new Set(ended.map((s) => s.exitStatus));
    expect([...statuses].sort()).toEqual(['CLOSED_BY_ENGINE', 'ERROR', 'NORMAL_EXIT', 'TIMEOUT']);
  });

  it('has every hard client label, plain labels and null labels', () => {
    const labels = new Set(sessions.map((s) => s.clientLabel));
    for (const label of HARD_LABELS) expect(labels).toContain(label);
    expect(labels).toContain('web-widget');
    expect(labels).toContain(null);
    expect([...labels].some((l) => l?.startsWith('=') || l?.startsWith('@'))).toBe(true);
  });

  it('writes timestamps in all four RFC 3339 shapes', () => {
    expect(some((s) => /T\d\d:\d\d:\d\d\.\d{3}Z$/.test(s.createdAt))).toBeGreaterThan(0);
    expect(some((s) => /T\d\d:\d\d:\d\dZ$/.test(s.createdAt))).toBeGreaterThan(0);
    expect(some((s) => /\.\d{3}[+-]\d\d:\d\d$/.test(s.createdAt))).toBeGreaterThan(0);
    expect(some((s) => /\.\d{6}Z$/.test(s.createdAt))).toBeGreaterThan(0);
  });

  it('keeps one shape per session across its timestamps', () => {
    for (const s of sessions) {
      for (const t of [s.startTime, s.endTime, s.updatedAt]) {
        if (t !== null) expect(detectShape(t)).toEqual(detectShape(s.createdAt));
      }
    }
  });

  it('has null updatedAt on some old sessions and updatedAt >= createdAt elsewhere', () => {
    expect(some((s) => s.updatedAt === null)).toBeGreaterThan(0);
    for (const s of sessions.filter((x) => x.updatedAt !== null)) {
      expect(parseMicros(s.updatedAt as string)).toBeGreaterThanOrEqual(parseMicros(s.createdAt) as number);
    }
  });

  it('has sessions sharing the exact same createdAt', () => {
    const createdAt = sessions.map((s) => s.createdAt);
    expect(new Set(createdAt).size).toBeLessThan(createdAt.length);
  });

  it('spreads creation over the 60 days before 2026-10-01', () => {
    const times = sessions.map((s) => instant(s.createdAt));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.UTC(2026, 7, 2));
    expect(Math.max(...times)).toBeLessThan(Date.UTC(2026, 9, 1));
  });

  it('carries unredacted secrets in persona configs and client metadata', () => {
    const secret = sessions[0]?.personaConfig.llmConfig as Record<string, unknown>;
    expect(secret.encrypted_secret).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(secret.secret_iv).not.toBe('[REDACTED]');
    const metadata = sessions.map((s) => JSON.stringify(s.clientMetadata));
    expect(metadata.some((m) => m.includes('"authToken":"eyJ'))).toBe(true);
    expect(metadata.some((m) => m.includes('"password":"'))).toBe(true);
  });

  it('has a field the spec does not list on a few records', () => {
    expect(some((s) => s.region === 'eu-west-1' || s.region === 'us-east-1')).toBeGreaterThan(0);
  });

  it('uses three api keys, a few null api key ids, and engine versions like v5.1.0', () => {
    const keys = new Set(sessions.map((s) => s.apiKeyId).filter((k) => k !== null));
    expect(keys.size).toBe(3);
    expect(some((s) => s.apiKeyId === null)).toBeGreaterThan(0);
    expect(some((s) => s.engineVersion === 'v5.1.0')).toBeGreaterThan(0);
  });
});

describe('invalidEvery', () => {
  it('breaks every K-th record with a missing id or a createdAt that is not a date', () => {
    const sessions = createSessionStore({ sessions: 40, seed: 3, invalidEvery: 10 }).all();
    const broken = sessions.filter((s) => typeof s.id !== 'string' || Number.isNaN(Date.parse(s.createdAt)));
    expect(broken).toHaveLength(4);
    expect(broken.filter((s) => !('id' in s))).toHaveLength(2);
    expect(broken.filter((s) => s.createdAt === 'yesterday')).toHaveLength(2);
  });
});

describe('store changes', () => {
  it('creates a session after every existing one, active', () => {
    const store = createSessionStore({ sessions: 30, seed: 4 });
    const newest = Math.max(...store.all().map((s) => parseMicros(s.createdAt) as number));
    const created = store.create();
    expect(parseMicros(created.createdAt)).toBeGreaterThan(newest);
    expect(created).toMatchObject({ endTime: null, sessionLengthMs: null, exitStatus: null });
    expect(store.list({}, 'newest')[0]).toEqual(created);
  });

  it('ends an active session with a later updatedAt, and refuses to end it twice', () => {
    const store = createSessionStore({ sessions: 30, seed: 4 });
    const created = store.create();
    const ended = store.end(created.id);
    expect(ended?.exitStatus).toEqual(expect.any(String));
    expect(ended?.sessionLengthMs).toBe(instant(ended?.endTime ?? null) - instant(created.startTime));
    expect(instant(ended?.updatedAt ?? null)).toBeGreaterThan(instant(created.updatedAt));
    expect(store.end(created.id)).toBeUndefined();
  });

  it('edits a session and bumps its updatedAt', () => {
    const store = createSessionStore({ sessions: 30, seed: 4 });
    const before = store.all()[10] as ApiSession;
    const after = store.edit(before.id) as ApiSession;
    expect(after).not.toEqual(before);
    expect(instant(after.updatedAt)).toBeGreaterThan(instant(before.updatedAt ?? before.createdAt));
    expect(store.get(before.id)).toEqual(after);
  });

  it('removes a session from list and get', () => {
    const store = createSessionStore({ sessions: 30, seed: 4 });
    const victim = store.all()[5] as ApiSession;
    expect(store.remove(victim.id)).toBe(true);
    expect(store.get(victim.id)).toBeUndefined();
    expect(store.list().map((s) => s.id)).not.toContain(victim.id);
    expect(store.remove(victim.id)).toBe(false);
  });

  it('restores a snapshot, serving the older versions again', () => {
    const store = createSessionStore({ sessions: 30, seed: 4 });
    const snapshot = store.snapshot();
    const target = store.all()[3] as ApiSession;
    store.edit(target.id);
    const created = store.create();
    store.restore(snapshot);
    expect(store.get(target.id)).toEqual(target);
    expect(store.get(created.id)).toBeUndefined();
    expect(store.all()).toEqual(snapshot.sessions);
    // The clock keeps moving, so a later change is still newer than anything seen.
    expect(instant(store.create().createdAt)).toBeGreaterThan(instant(created.createdAt));
  });

  it('keeps every order correct through creates, removes and edits', () => {
    const store = createSessionStore({ sessions: 60, seed: 8 });
    for (const order of ['newest', 'oldest', 'shuffled'] as const) store.list({}, order);
    for (let i = 0; i < 5; i++) store.create();
    store.remove((store.all()[7] as ApiSession).id);
    store.edit((store.all()[9] as ApiSession).id);
    const fresh = createSessionStore({ sessions: 0, seed: 8 });
    fresh.restore(store.snapshot());
    for (const order of ['newest', 'oldest', 'shuffled'] as const) {
      expect(store.list({}, order)).toEqual(fresh.list({}, order));
    }
  });

  it('hands out frozen records, so a caller cannot change the store by accident', () => {
    const store = createSessionStore({ sessions: 3, seed: 4 });
    expect(Object.isFrozen(store.all()[0])).toBe(true);
  });
});

describe('list', () => {
  const store = createSessionStore({ sessions: 120, seed: 5 });

  it('orders newest first with ties broken by id, and oldest as its exact reverse', () => {
    const newest = store.list({}, 'newest');
    for (let i = 1; i < newest.length; i++) {
      const [a, b] = [newest[i - 1] as ApiSession, newest[i] as ApiSession];
      expect(instant(a.createdAt)).toBeGreaterThanOrEqual(instant(b.createdAt));
      if (a.createdAt === b.createdAt) expect(a.id > b.id).toBe(true);
    }
    expect(store.list({}, 'oldest')).toEqual([...newest].reverse());
  });

  it('shuffles into a stable order that is not sorted', () => {
    const shuffled = store.list({}, 'shuffled').map((s) => s.id);
    expect(store.list({}, 'shuffled').map((s) => s.id)).toEqual(shuffled);
    expect(shuffled).not.toEqual(store.list({}, 'newest').map((s) => s.id));
    expect(shuffled).not.toEqual(store.list({}, 'oldest').map((s) => s.id));
    expect([...shuffled].sort()).toEqual(store.all().map((s) => s.id).sort());
  });

  it('filters by persona, api key and a case-insensitive search of id or label', () => {
    const first = store.all().find((s) => s.personaId !== null && s.apiKeyId !== null) as ApiSession;
    expect(store.list({ personaId: first.personaId as string }).every((s) => s.personaId === first.personaId)).toBe(true);
    expect(store.list({ apiKeyId: first.apiKeyId as string }).every((s) => s.apiKeyId === first.apiKeyId)).toBe(true);
    expect(store.list({ search: first.id.slice(0, 8).toUpperCase() }).map((s) => s.id)).toContain(first.id);
    const kiosk = store.list({ search: 'KIOSK' });
    expect(kiosk.length).toBeGreaterThan(0);
    expect(kiosk.every((s) => s.clientLabel?.toLowerCase().includes('kiosk') || s.id.includes('kiosk'))).toBe(true);
  });
});
