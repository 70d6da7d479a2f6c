/**
 * The sync against APIs that break the spirit of the spec (test/hostile-server.ts). A property-based
 * test draws the misbehaviours; examples pin down the cases the issue names. What a user would
 * notice: the run ends (0, or 1 with one line), within its ceiling of requests, and the database
 * holds exactly what the API listed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { pageCeiling, SCANS_PER_RUN } from '../../src/sync/plan.js';
import { expectOneLine, query, runCli, startCli, syncJson, tempDirs } from '../helpers.js';
import { hostileSessions, startHostileServer, type HostileServer, type Misbehaviour } from '../hostile-server.js';

const dirs = tempDirs();
let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  dirs.cleanup();
});

const env = { ANAM_API_KEY: 'demo' };

interface Stored {
  id: string;
  client_label: string;
  updated_at: string;
  deleted_at: string | null;
}

function stored(db: string): Map<string, Stored> {
  if (!existsSync(db)) return new Map();
  return new Map(query<Stored>(db, 'SELECT id, client_label, updated_at, deleted_at FROM sessions').map((row) => [row.id, row]));
}

/** Every stored row is a session the server listed, as the server holds it; with `complete`, every listed one is stored. */
function expectExactlyListed(db: string, api: HostileServer, complete: boolean): void {
  const rows = stored(db);
  const byId = new Map(api.sessions.map((s) => [s.id, s]));
  for (const [id, row] of rows) {
    expect(api.listed.has(id), `stored ${id}, which the API never listed`).toBe(true);
    const session = byId.get(id);
    if (session !== undefined) expect(row).toMatchObject({ client_label: session.clientLabel, updated_at: session.updatedAt });
  }
  if (complete) for (const id of api.listed) expect(rows.has(id), `listed ${id}, not stored`).toBe(true);
}

const misbehaviour: fc.Arbitrary<Misbehaviour> = fc.record(
  {
    total: fc.oneof(fc.integer({ min: -3, max: 120 }), fc.constant(10 ** 9)),
    lastPage: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant(2_000_000), fc.constant(10 ** 10)),
    pastEnd: fc.constantFrom('empty', 'clamp', 'clamp-echo'),
    duplicateWithinPage: fc.boolean(),
    duplicateAcrossPages: fc.boolean(),
    shortPage: fc.integer({ min: 1, max: 6 }),
    overfullFirstPage: fc.boolean(),
    nextNeverNull: fc.boolean(),
    lookupAnswersOther: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe('against a misbehaving API', () => {
  it('every run ends within its ceiling, stores every listed record as listed, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 45 }),
        fc.integer({ min: 1, max: 8 }),
        misbehaviour,
        async (count, perPage, lies) => {
          const db = join(dirs.make(), 'hostile.db');
          server = await startHostileServer(hostileSessions(count, Math.min(3, count)), lies);
          const api = server;
          try {
            for (const round of [1, 2]) {
              api.stats.list = 0;
              api.stats.get = 0;
              const before = stored(db).size;
              const { result, summary } = await syncJson(['--api-url', api.url, '--db', db, '--per-page', String(perPage)], {
                env,
                timeoutMs: 30_000,
              });
              const negative = (lies.total ?? 0) < 0;
              expect(result.signal, `round ${round} did not end by itself`).toBeNull();
              expect(result.code, result.stderr).toBe(negative ? 1 : 0);
              if (negative) {
                expectOneLine(result.stderr);
                expect(result.stderr).toMatch(/meta\.total = -\d+/);
              }
              const total = api.lastTotal() ?? 0;
              const ceiling = SCANS_PER_RUN * pageCeiling(Math.max(0, total), perPage);
              expect(api.stats.list).toBeLessThanOrEqual(ceiling);
              expect(summary.listRequests).toBe(api.stats.list);
              expect(api.stats.get).toBeLessThanOrEqual(before);
              expectExactlyListed(db, api, !negative);
              if (negative) break;
              // Between the rounds: two new sessions on top, one old one gone.
              api.sessions = [...hostileSessions(2, 0, 99), ...api.sessions.slice(0, -1)];
            }
          } finally {
            await api.close();
            server = undefined;
          }
        },
      ),
      { numRuns: 30, seed: 20261201 },
    );
  }, 240_000);

  it('ends at once when pages past the last repeat the last page, even at --per-page 1', async () => {
    server = await startHostileServer(hostileSessions(1), { pastEnd: 'clamp-echo', nextNeverNull: true });
    const db = join(dirs.make(), 'clamp.db');
    expect((await syncJson(['--api-url', server.url, '--db', db, '--per-page', '1'], { env })).result.code).toBe(0);
    server.stats.list = 0;
    const { result, summary } = await syncJson(['--api-url', server.url, '--db', db, '--per-page', '1'], { env, timeoutMs: 20_000 });
    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    expect(server.stats.list).toBeLessThanOrEqual(2);
  });

  it('keeps memory flat when meta.lastPage claims 10^10 pages', async () => {
    server = await startHostileServer(hostileSessions(40), { lastPage: 10 ** 10, total: 40, nextNeverNull: true, pastEnd: 'clamp' });
    const db = join(dirs.make(), 'huge.db');
    const running = startCli(['sync', '--json', '--api-url', server.url, '--db', db, '--per-page', '5'], { env });
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${running.child.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      } catch {
        // the process has exited
      }
    }, 10);
    const result = await running.done;
    clearInterval(poll);
    expect(result.code, result.stderr).toBe(0);
    expect(stored(db).size).toBe(40);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb / 1024).toBeLessThan(300);
    const summary = JSON.parse(result.stdout.trim().split('\n').pop()!) as { listRequests: number; warnings: Array<{ code: string }> };
    expect(summary.listRequests).toBeLessThanOrEqual(SCANS_PER_RUN * pageCeiling(40, 5));
    expect(summary.warnings.map((w) => w.code)).toContain('last-page-too-large');
  });

  it('a count the pages never reach costs one repair; later runs are 1 or 2 requests, with the residual warned once and shown in status', async () => {
    server = await startHostileServer(hostileSessions(30), { total: 33 });
    const db = join(dirs.make(), 'miscount.db');
    const args = ['--api-url', server.url, '--db', db, '--per-page', '10'];
    const first = await runCli(['sync', '--json', '--quiet', ...args], { env });
    expect(first.code).toBe(0);
    const firstSummary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(firstSummary).toMatchObject({ status: 'succeeded', mode: 'full', residual: 3 });
    expect(first.stderr).toMatch(/warn: after a full scan the API still counts 3 more sessions than its pages list/);

    for (let run = 0; run < 2; run++) {
      server.stats.list = 0;
      server.stats.get = 0;
      const again = await runCli(['sync', '--json', '--quiet', ...args], { env });
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ mode: 'incremental', residual: 3, fullScanReason: null });
      expect(server.stats.list + server.stats.get).toBeLessThanOrEqual(2);
      // Unchanged: not warned again under --quiet.
      expect(again.stderr).toBe('');
    }

    const status = await runCli(['status', '--json', '--db', db]);
    const report = JSON.parse(status.stdout) as { bookmarks: unknown[]; warnings: Array<{ code: string }> };
    expect(report.bookmarks[0]).toMatchObject({ scope: '', countResidual: 3 });
    expect(report.warnings.map((w) => w.code)).toContain('count-residual');
    const text = await runCli(['status', '--db', db]);
    expect(text.stdout).toMatch(/count differs by 3/);

    // The API fixes its count: the residual goes away.
    server.misbehaviour = {};
    const fixed = await syncJson(args, { env });
    expect(fixed.summary).toMatchObject({ residual: null });
    const after = JSON.parse((await runCli(['status', '--json', '--db', db])).stdout) as typeof report;
    expect(after.bookmarks[0]).toMatchObject({ countResidual: null });
    expect(after.warnings).toEqual([]);
  });

  it('a lookup answered with another session stores nothing for it and warns', async () => {
    server = await startHostileServer(hostileSessions(30, 25), {});
    const db = join(dirs.make(), 'lookup.db');
    const args = ['--api-url', server.url, '--db', db, '--per-page', '10'];
    expect((await syncJson(args, { env })).result.code).toBe(0);
    const before = query(db, 'SELECT * FROM sessions ORDER BY id');
    server.misbehaviour = { lookupAnswersOther: true };
    const { result, summary } = await syncJson(args, { env });
    expect(result.code).toBe(0);
    expect(server.stats.get).toBeGreaterThan(0);
    expect((summary.warnings as Array<{ code: string }>).map((w) => w.code)).toEqual(['lookup-mismatch']);
    const after = query<Record<string, unknown>>(db, 'SELECT * FROM sessions ORDER BY id');
    // Only the head page was re-read; every looked-up row is as it was.
    expect(after.map(({ last_synced_at: _, ...row }) => row)).toEqual(before.map(({ last_synced_at: _, ...row }) => row));
  });

  it('a filtered scope whose API search differs from a substring match checks its count without repairs', async () => {
    server = await startHostileServer(hostileSessions(60), { search: 'persona-name' });
    const db = join(dirs.make(), 'search.db');
    const args = ['--api-url', server.url, '--db', db, '--per-page', '10', '--search', 'Cara'];
    const first = await syncJson(args, { env });
    expect(first.result.code).toBe(0);
    expect(first.summary).toMatchObject({ notes: [], residual: null, storedLive: 20 });
    for (let run = 0; run < 2; run++) {
      server.stats.list = 0;
      const again = await syncJson(args, { env });
      expect(again.summary).toMatchObject({ mode: 'incremental', notes: [], residual: null, inserted: 0 });
      expect(server.stats.list).toBe(1);
    }
  });
});
