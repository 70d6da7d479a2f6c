/**
 * `sync --transcripts` against the simulator: every available transcript stored exactly, every 404
 * classified, nothing asked twice, nothing lost when Anam deletes them, whole transcripts after a
 * kill -9.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiSession } from '../../src/api/types.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { missingTranscriptReason, transcriptOf } from '../../src/simulate/transcripts.js';
import { expectOneLine, query, runCli, sleep, startCli, syncJson, tempDirs } from '../helpers.js';
import { hostileSessions, startHostileServer } from '../hostile-server.js';

const dirs = tempDirs();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.cleanup();
});

const env = { ANAM_API_KEY: 'demo' };
const DAY = 86_400_000;

interface StoredMessage {
  session_id: string;
  position: number;
  role: string;
  message: string;
  timestamp: string | null;
  speaking_duration_seconds: number | null;
  interrupted: number | null;
}

/** Every stored transcript equals the simulator's, message by message, field by field. */
function expectTranscriptsExact(db: string, sessions: readonly ApiSession[], now: number): { stored: number } {
  const rows = new Map(
    query<{ session_id: string; status: string; message_count: number | null; persona_name: string | null; interruptions: number | null }>(
      db,
      'SELECT session_id, status, message_count, persona_name, interruptions FROM transcripts',
    ).map((row) => [row.session_id, row]),
  );
  const messages = new Map<string, StoredMessage[]>();
  for (const m of query<StoredMessage>(db, 'SELECT * FROM transcript_messages ORDER BY session_id, position')) {
    const list = messages.get(m.session_id) ?? [];
    list.push(m);
    messages.set(m.session_id, list);
  }
  let stored = 0;
  for (const session of sessions) {
    const row = rows.get(session.id);
    const expected = transcriptOf(session, now);
    if (session.endTime === null) {
      expect(row, `active session ${session.id} was not asked`).toBeUndefined();
      continue;
    }
    expect(row, `ended session ${session.id} has a transcript row`).toBeDefined();
    if (expected === null) {
      expect(row!.status).toBe(missingTranscriptReason(session, now) === 'zero-retention' ? 'zero-retention' : 'expired');
      expect(messages.get(session.id)).toBeUndefined();
      continue;
    }
    stored++;
    expect(row!.status).toBe(expected.transcriptsEnabled ? 'stored' : 'disabled');
    expect(row!.persona_name).toBe(expected.personaName);
    expect(row!.message_count).toBe(expected.messages.length);
    expect(row!.interruptions).toBe(expected.messages.filter((m) => m.wasInterrupted === true).length);
    const got = messages.get(session.id) ?? [];
    expect(got.map((m) => ({ role: m.role, message: m.message, timestamp: m.timestamp, speaking: m.speaking_duration_seconds, interrupted: m.interrupted })))
      .toEqual(expected.messages.map((m) => ({
        role: m.role,
        message: m.message,
        timestamp: m.timestamp === null ? null : new Date(m.timestamp).toISOString(),
        speaking: m.speakingDurationSeconds,
        interrupted: m.wasInterrupted === undefined ? null : m.wasInterrupted ? 1 : 0,
      })));
  }
  return { stored };
}

describe('sync --transcripts', () => {
  it('a backfill of 3,000 sessions under faults stores every available transcript exactly, classifies every 404, and asks nothing twice', async () => {
    sim = await startSimulator({ sessions: 3000, seed: 61, faultRate: 0.05, faultKinds: ['429', '500', 'reset', 'truncated'], retryAfterSeconds: 0 });
    const db = join(dirs.make(), 't.db');
    const now = sim.store.now();
    const ended = sim.store.all().filter((s) => s.endTime !== null);
    const zeroRetention = ended.filter((s) => missingTranscriptReason(s, now) === 'zero-retention').length;

    const { result, summary } = await syncJson(['--api-url', sim.url, '--db', db, '--transcripts', '--concurrency', '8'], { env, timeoutMs: 120_000 });

    expect(result.code, result.stderr).toBe(0);
    const { stored } = expectTranscriptsExact(db, sim.store.all(), now);
    expect(stored).toBeGreaterThan(500);
    expect(summary.transcripts).toMatchObject({ stored, zeroRetention, missing: 0, invalid: 0, requests: ended.length - zeroRetention });
    expect(Number(summary.retries)).toBeGreaterThan(0);
    // `seen` counts the sessions the list pages held; the transcripts have their own counts.
    expect(summary.seen).toBe(3000);

    sim.resetStats();
    sim.setOptions({ faultRate: 0 });
    const again = await syncJson(['--api-url', sim.url, '--db', db, '--transcripts'], { env });
    expect(again.result.code).toBe(0);
    expect(sim.stats().transcriptRequests).toBe(0);
    expect(again.summary.transcripts).toMatchObject({ requests: 0, stored: 0 });

    // Time passes: Anam deletes them all; sessions that change are asked again and get 404s.
    sim.store.advance(60 * DAY);
    const withTranscript = ended.filter((s) => transcriptOf(s, now) !== null).slice(0, 50);
    for (const session of withTranscript) sim.store.edit(session.id);
    const later = await syncJson(['--api-url', sim.url, '--db', db, '--transcripts', '--full'], { env });
    expect(later.result.code).toBe(0);
    expect(sim.stats().transcriptRequests).toBe(50);
    expect(query(db, `SELECT count(*) AS n FROM transcripts WHERE status IN ('stored', 'disabled') AND checked_at > fetched_at`)).toEqual([{ n: 50 }]);
    expect(expectTranscriptsExact(db, sim.store.all().map((s) => ended.find((e) => e.id === s.id) ?? s), now).stored).toBe(stored);
  }, 180_000);

  it('the report adds a conversation section, in text, JSON and HTML, that agrees with the transcripts', async () => {
    sim = await startSimulator({ sessions: 600, seed: 65 });
    const folder = dirs.make();
    const db = join(folder, 'r.db');
    expect((await syncJson(['--api-url', sim.url, '--db', db, '--transcripts'], { env })).result.code).toBe(0);
    const now = sim.store.now();
    const ended = sim.store.all().filter((s) => s.endTime !== null);
    const served = ended.map((s) => transcriptOf(s, now)).filter((t) => t !== null);
    const enabled = served.filter((t) => t.transcriptsEnabled);
    const personaMessages = (t: (typeof served)[number]) => t.messages.filter((m) => m.role === 'persona').length;
    const byPersona = new Map<string | null, { messages: number; interrupted: number }>();
    for (const t of enabled) {
      const entry = byPersona.get(t.personaName) ?? { messages: 0, interrupted: 0 };
      entry.messages += personaMessages(t);
      entry.interrupted += t.messages.filter((m) => m.wasInterrupted === true).length;
      byPersona.set(t.personaName, entry);
    }

    const json = await runCli(['report', '--json', '--db', db]);
    expect(json.code).toBe(0);
    const c = (JSON.parse(json.stdout) as { conversations: { coverage: Record<string, number>; interruptionsByPersona: Array<{ name: string | null; personaMessages: number; interruptions: number }> } }).conversations;
    expect(c.coverage).toMatchObject({ ended: ended.length, stored: enabled.length, disabled: served.length - enabled.length, missing: 0, notAsked: 0 });
    expect(c.coverage.expired! + c.coverage.zeroRetention!).toBe(ended.length - served.length);
    for (const row of c.interruptionsByPersona) {
      expect(row).toMatchObject({ personaMessages: byPersona.get(row.name)!.messages, interruptions: byPersona.get(row.name)!.interrupted });
    }

    const text = await runCli(['report', '--db', db]);
    expect(text.stdout).toMatch(new RegExp(`Conversations · transcripts of ${ended.length} ended sessions`));
    expect(text.stdout).toMatch(/Interruptions per persona/);
    const html = join(folder, 'r.html');
    expect((await runCli(['report', '--db', db, '--html', html])).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/<h2>Conversations<\/h2>/);
  });

  it('is off by default, on with ANAM_SYNC_TRANSCRIPTS=1, and a bad value is a usage error', async () => {
    sim = await startSimulator({ sessions: 200, seed: 62 });
    const db = join(dirs.make(), 'o.db');
    expect((await syncJson(['--api-url', sim.url, '--db', db], { env })).summary.transcripts).toBeNull();
    expect(sim.stats().transcriptRequests).toBe(0);
    const on = await syncJson(['--api-url', sim.url, '--db', db], { env: { ...env, ANAM_SYNC_TRANSCRIPTS: '1' } });
    expect(on.summary.transcripts).toMatchObject({ stored: expect.any(Number) });
    expect(sim.stats().transcriptRequests).toBeGreaterThan(0);
    const bad = await runCli(['sync', '--api-url', sim.url, '--db', db], { env: { ...env, ANAM_SYNC_TRANSCRIPTS: 'maybe' } });
    expect(bad.code).toBe(2);
    expectOneLine(bad.stderr);
    expect(bad.stderr).toMatch(/ANAM_SYNC_TRANSCRIPTS must be 1 or 0/);
  });

  it('a kill -9 in the middle of a backfill leaves only whole transcripts, and the next run fetches only the missing ones', async () => {
    sim = await startSimulator({ sessions: 2000, seed: 63 });
    const db = join(dirs.make(), 'k.db');
    expect((await syncJson(['--api-url', sim.url, '--db', db], { env })).result.code).toBe(0);
    sim.setOptions({ latencyMs: 30 });
    const running = startCli(['sync', '--quiet', '--transcripts', '--api-url', sim.url, '--db', db], { env });
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const [row] = query<{ n: number }>(db, `SELECT count(*) AS n FROM transcripts WHERE status = 'stored'`);
      if (row!.n >= 100) break;
      await sleep(20);
    }
    running.child.kill('SIGKILL');
    await running.done;
    const before = query<{ session_id: string }>(db, `SELECT session_id FROM transcripts`).map((r) => r.session_id);
    expect(before.length).toBeGreaterThanOrEqual(100);
    // Whole: every stored transcript has all its messages.
    const partial = query(
      db,
      `SELECT t.session_id FROM transcripts t LEFT JOIN transcript_messages m ON m.session_id = t.session_id
       WHERE t.status = 'stored' GROUP BY t.session_id HAVING count(m.position) <> t.message_count`,
    );
    expect(partial).toEqual([]);

    sim.setOptions({ latencyMs: 0 });
    sim.resetStats();
    const next = await syncJson(['--api-url', sim.url, '--db', db, '--transcripts'], { env });
    expect(next.result.code).toBe(0);
    const now = sim.store.now();
    const zeroRetention = new Set(sim.store.all().filter((s) => missingTranscriptReason(s, now) === 'zero-retention').map((s) => s.id));
    const endedLeft = sim.store.all().filter((s) => s.endTime !== null && !before.includes(s.id) && !zeroRetention.has(s.id)).length;
    expect(sim.stats().transcriptRequests).toBe(endedLeft);
    expectTranscriptsExact(db, sim.store.all(), now);
  });

  it('warns about ended sessions within three days of the 30-day limit that still have no transcript, once', async () => {
    // Sessions that ended 28 days ago, on an API that has no transcript for them (404 unexplained).
    const ended = new Date(Date.now() - 28 * DAY).toISOString();
    const sessions = hostileSessions(5).map((s) => ({ ...s, createdAt: ended, startTime: ended, endTime: ended, updatedAt: ended }));
    const api = await startHostileServer(sessions);
    try {
      const db = join(dirs.make(), 'e.db');
      const run = () => runCli(['sync', '--quiet', '--transcripts', '--api-url', api.url, '--db', db], { env });
      const first = await run();
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/^anam-sync: warn: 5 ended session\(s\) reach Anam's 30-day transcript limit within 3 days/m);
      expect(query(db, `SELECT status, attempts FROM transcripts GROUP BY status, attempts`)).toEqual([{ status: 'missing', attempts: 1 }]);
      // Asked again on later runs, a bounded number of times, and warned about only once.
      expect((await run()).stderr).toBe('');
      await run();
      await run();
      expect(query(db, `SELECT DISTINCT attempts FROM transcripts`)).toEqual([{ attempts: 3 }]);
      const check = await runCli(['status', '--check', '--db', db]);
      expect(check.stdout).toMatch(/warning transcripts-expiring/);
    } finally {
      await api.close();
    }
  });
});
