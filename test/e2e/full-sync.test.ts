import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from '../../src/api/types.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { expectedRedaction, expectedTime, openSqlite, runCli, secretValues, tempDirs, type CliResult } from '../helpers.js';

const KEY = 'sk-e2e-9d2f7c41b0';
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The `--json` summary, as far as these tests read it. */
interface Summary {
  runId: number;
  status: string;
  mode: string;
  requests: number;
  retries: number;
  pages: number;
  seen: number;
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
  deleted: number;
  durationMs: number;
}

interface StoredRow {
  id: string;
  persona_id: string | null;
  client_label: string | null;
  start_time: string | null;
  end_time: string | null;
  session_length_ms: number | null;
  exit_status: string | null;
  engine_host: string | null;
  engine_protocol: string | null;
  engine_version: string | null;
  client_metadata: string | null;
  persona_config: string | null;
  api_key_id: string | null;
  organization_id: string | null;
  created_at: string;
  updated_at: string | null;
  first_synced_at: string;
  last_synced_at: string;
  deleted_at: string | null;
}

function summaryOf(result: CliResult): Summary {
  const lines = result.stdout.trim().split('\n');
  expect(lines, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toHaveLength(1);
  return JSON.parse(lines[0] as string) as Summary;
}

function readRows(dbPath: string): StoredRow[] {
  const db = openSqlite(dbPath);
  try {
    return db.prepare('SELECT * FROM sessions ORDER BY id').all() as StoredRow[];
  } finally {
    db.close();
  }
}

function count(dbPath: string, table: string): number {
  const db = openSqlite(dbPath);
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** What the row of a wire record must hold, column by column (sync times checked apart). */
function expectedRow(wire: ApiSession): Omit<StoredRow, 'first_synced_at' | 'last_synced_at' | 'client_metadata' | 'persona_config'> & {
  client_metadata: unknown;
  persona_config: unknown;
} {
  return {
    id: wire.id,
    persona_id: wire.personaId,
    client_label: wire.clientLabel,
    start_time: expectedTime(wire.startTime),
    end_time: expectedTime(wire.endTime),
    session_length_ms: wire.sessionLengthMs,
    exit_status: wire.exitStatus,
    engine_host: wire.engineHost,
    engine_protocol: wire.engineProtocol,
    engine_version: wire.engineVersion,
    client_metadata: expectedRedaction(wire.clientMetadata),
    persona_config: expectedRedaction(wire.personaConfig),
    api_key_id: wire.apiKeyId,
    organization_id: wire.organizationId,
    created_at: expectedTime(wire.createdAt) as string,
    updated_at: expectedTime(wire.updatedAt),
    deleted_at: null,
  };
}

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('a full sync of 2,500 sessions through an API that fails 15% of the time', () => {
  let sim: Simulator;
  let dbPath: string;
  let first: CliResult;
  let startedAt: string;
  let finishedAt: string;
  // Small pages make many requests, so every kind of fault turns up (the draws are seeded).
  const args = (perPage: number): string[] => [
    'sync', '--api-url', sim.url, '--db', dbPath, '--concurrency', '4', '--per-page', String(perPage), '--max-retries', '8', '--json',
  ];

  beforeAll(async () => {
    sim = await startSimulator({ sessions: 2500, seed: 11, faultRate: 0.15, retryAfterSeconds: 1, latencyMs: 2 });
    const dir = temp.make();
    dbPath = join(dir, 'sessions.db');
    startedAt = new Date().toISOString();
    first = await runCli(args(10), { env: { ANAM_API_KEY: KEY }, cwd: dir });
    finishedAt = new Date().toISOString();
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('exits 0 and reports every session inserted, with the retries it needed', () => {
    expect(first.code, first.stderr).toBe(0);
    const summary = summaryOf(first);
    expect(summary).toMatchObject({ status: 'succeeded', seen: 2500, inserted: 2500, updated: 0, unchanged: 0, stale: 0, rejected: 0, deleted: 0 });
    const stats = sim.stats();
    expect(stats.faults).toBeGreaterThan(0);
    expect(summary.retries).toBeGreaterThan(0);
    // Every fault the API injected cost one retry; none was given up on or silently skipped.
    expect(summary.retries).toBeGreaterThanOrEqual(stats.faults);
    expect(summary.requests).toBeGreaterThanOrEqual(stats.requests);
  });

  it('leaves every session in the database file itself when it exits: no write-ahead log is left behind', () => {
    // The writer thread copies the log into the file as the run ends; the command waits for it.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const copy = join(temp.make(), 'copy.db');
    copyFileSync(dbPath, copy);
    const db = openSqlite(copy);
    try {
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2500);
    } finally {
      db.close();
    }
  });

  it('met every kind of fault on the way', () => {
    const { byStatus } = sim.stats();
    for (const status of ['429', '500', '502', '503', '504', 'reset']) expect(byStatus[status], status).toBeGreaterThan(0);
  });

  it('never had more than 4 requests in flight', () => {
    const { maxInFlight } = sim.stats();
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('stores every session exactly as the API sent it, in every column', () => {
    const wire = sim.store.all();
    const rows = readRows(dbPath);
    expect(rows).toHaveLength(2500);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const actual = wire.map((session) => {
      const { first_synced_at: _f, last_synced_at: _l, client_metadata, persona_config, ...rest } = byId.get(session.id) ?? ({} as StoredRow);
      return {
        ...rest,
        client_metadata: client_metadata === undefined || client_metadata === null ? client_metadata : JSON.parse(client_metadata),
        persona_config: persona_config === undefined || persona_config === null ? persona_config : JSON.parse(persona_config),
      };
    });
    expect(actual).toEqual(wire.map(expectedRow));
  });

  it('keeps integers as integers and JSON columns as JSON text', () => {
    const db = openSqlite(dbPath);
    try {
      const types = db
        .prepare(
          `SELECT typeof(session_length_ms) AS length, typeof(client_metadata) AS metadata, typeof(persona_config) AS config, count(*) AS n
           FROM sessions GROUP BY 1, 2, 3 ORDER BY 1`,
        )
        .all() as { length: string; metadata: string; config: string; n: number }[];
      expect(types.map((t) => [t.length, t.metadata, t.config])).toEqual([
        ['integer', 'text', 'text'],
        ['null', 'text', 'text'],
      ]);
    } finally {
      db.close();
    }
  });

  it('stamps every row with canonical sync times from the run', () => {
    for (const row of readRows(dbPath)) {
      expect(row.first_synced_at).toMatch(CANONICAL);
      expect(row.last_synced_at).toBe(row.first_synced_at);
      expect(row.first_synced_at >= startedAt && row.first_synced_at <= finishedAt, row.first_synced_at).toBe(true);
    }
  });

  it('keeps each version whole, fields the schema does not list included', () => {
    const db = openSqlite(dbPath);
    try {
      const versions = new Map(
        (db.prepare('SELECT id, json FROM session_history').all() as { id: string; json: string }[]).map((v) => [v.id, JSON.parse(v.json)]),
      );
      expect(versions.size).toBe(2500);
      const withRegion = sim.store.all().filter((s) => s.region !== undefined);
      expect(withRegion.length).toBeGreaterThan(0);
      for (const session of withRegion) expect(versions.get(session.id)?.region).toBe(session.region);
    } finally {
      db.close();
    }
  });

  it('changes nothing on a second full run over the same data', async () => {
    const rowsBefore = readRows(dbPath);
    const versionsBefore = count(dbPath, 'session_history');
    const second = await runCli([...args(100), '--full'], { env: { ANAM_API_KEY: KEY } });
    expect(second.code, second.stderr).toBe(0);
    expect(summaryOf(second)).toMatchObject({ status: 'succeeded', mode: 'full', inserted: 0, updated: 0, unchanged: 2500, stale: 0, deleted: 0 });
    expect(readRows(dbPath)).toEqual(rowsBefore);
    expect(count(dbPath, 'session_history')).toBe(versionsBefore);
  });
});

describe('a full sync at the highest concurrency', () => {
  it('keeps 32 requests in flight and prints nothing with --quiet (no warning from Node either)', async () => {
    // 250 ms of latency: long enough that all 32 requests overlap even on a busy machine (at 100 ms,
    // with both cores taken, the first burst sometimes went out over more than 100 ms).
    const sim = await startSimulator({ sessions: 5000, seed: 12, latencyMs: 250 });
    try {
      const dir = temp.make();
      const result = await runCli(['sync', '--api-url', sim.url, '--db', join(dir, 'sessions.db'), '--concurrency', '32', '--per-page', '20', '--quiet'], {
        env: { ANAM_API_KEY: KEY },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('');
      expect(sim.stats().maxInFlight).toBe(32);
    } finally {
      await sim.close();
    }
  });
});

describe('a sync over records that fail validation and secrets the API should not have sent', () => {
  let sim: Simulator;
  let dir: string;
  let dbPath: string;
  let result: CliResult;

  beforeAll(async () => {
    sim = await startSimulator({ sessions: 600, seed: 5, invalidEvery: 50 });
    dir = temp.make();
    dbPath = join(dir, 'sessions.db');
    result = await runCli(['sync', '--api-url', sim.url, '--db', dbPath, '--json'], { env: { ANAM_API_KEY: KEY }, cwd: dir });
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('finishes, counting the broken records as rejected', () => {
    expect(result.code, result.stderr).toBe(0);
    const summary = summaryOf(result);
    expect(summary).toMatchObject({ status: 'succeeded', seen: 600, inserted: 588, rejected: 12 });
    expect(count(dbPath, 'sessions')).toBe(588);
  });

  it('keeps each broken record in rejected_records with its reason and raw JSON', () => {
    const db = openSqlite(dbPath);
    try {
      const rejected = db.prepare('SELECT run_id, session_id, reason, raw FROM rejected_records ORDER BY id').all() as {
        run_id: number;
        session_id: string | null;
        reason: string;
        raw: string;
      }[];
      expect(rejected).toHaveLength(12);
      const runId = summaryOf(result).runId;
      expect(rejected.every((r) => r.run_id === runId)).toBe(true);
      expect(rejected.filter((r) => r.session_id === null && /\bid\b/.test(r.reason))).toHaveLength(6);
      const badTime = rejected.filter((r) => r.reason.includes('createdAt'));
      expect(badTime).toHaveLength(6);
      for (const r of badTime) expect(JSON.parse(r.raw)).toMatchObject({ id: r.session_id, createdAt: 'yesterday' });
    } finally {
      db.close();
    }
  });

  it('writes no secret value and not the key into the database file', () => {
    const secrets = new Set<string>();
    for (const session of sim.store.all()) {
      secretValues(session.personaConfig, false, secrets);
      secretValues(session.clientMetadata, false, secrets);
    }
    const values = [...secrets].filter((value) => value.length >= 8);
    expect(values.length).toBeGreaterThan(100);
    const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter((file) => existsSync(file));
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(KEY), `${file} holds the key`).toBe(false);
      const found = values.filter((value) => bytes.includes(value));
      expect(found, `${file} holds secrets`).toEqual([]);
    }
    // The secrets are gone, not the fields: the redaction marker is there instead.
    expect(readFileSync(dbPath).includes('"secret_iv":"[REDACTED]"')).toBe(true);
  });
});
