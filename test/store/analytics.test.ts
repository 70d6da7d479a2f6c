import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSession } from '../../src/api/types.js';
import { analyzeIfLarge, ANALYZE_THRESHOLD } from '../../src/store/analyze.js';
import { openDatabase, schemaVersion, type Db } from '../../src/store/db.js';
import { openSqlite, tempFolder } from '../helpers.js';
import { copyDatabase, README, readmeQueries, syncedDatabase, type SyncedDb } from '../report/fixture.js';

const VIEW_COLUMNS = [
  'id', 'persona_id', 'persona_name', 'persona_type', 'llm_model', 'tts_provider', 'avatar_engine_key',
  'language_code', 'client_label', 'api_key_id', 'user_agent', 'start_time', 'end_time', 'start_date',
  'duration_s', 'exit_status', 'is_active', 'engine_version', 'messages', 'user_messages', 'persona_messages', 'interruptions',
];

/** An API time as an instant (ms), read by V8's parser, independently of the tool's own. */
const instant = (text: string | null): number | null => (text === null ? null : Date.parse(text));

let data: SyncedDb;
const REMOVED = 6;

beforeAll(async () => {
  data = await syncedDatabase(900, 11, REMOVED);
});

afterAll(async () => {
  await data?.close();
});

describe('the sessions_flat view', () => {
  it('has the columns the README lists, in that order', () => {
    const db = openSqlite(data.path);
    try {
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sessions_flat');
      expect(columns).toEqual(VIEW_COLUMNS);
    } finally {
      db.close();
    }
  });

  it("agrees with the API's record for every live session", () => {
    const api = new Map(data.sim.store.all().map((s) => [s.id, s] as [string, ApiSession]));
    const db = openSqlite(data.path);
    const rows = db.prepare('SELECT * FROM sessions_flat').all() as Array<Record<string, unknown>>;
    db.close();
    expect(rows).toHaveLength(api.size);
    for (const row of rows) {
      const s = api.get(row.id as string);
      expect(s, `session ${String(row.id)} is live in the API`).toBeDefined();
      if (!s) continue;
      const config = s.personaConfig as Record<string, unknown> & { llmConfig?: { modelName?: string } };
      const expected = {
        id: s.id,
        persona_id: s.personaId,
        persona_name: config.name,
        persona_type: config.type,
        llm_model: config.llmConfig?.modelName,
        tts_provider: config.ttsProvider,
        avatar_engine_key: config.avatarEngineKey,
        language_code: config.languageCode,
        client_label: s.clientLabel,
        api_key_id: s.apiKeyId,
        user_agent: (s.clientMetadata as { userAgent?: string }).userAgent,
        start_date: new Date(Date.parse(s.startTime)).toISOString().slice(0, 10),
        duration_s: s.sessionLengthMs === null ? null : s.sessionLengthMs / 1000,
        exit_status: s.exitStatus,
        is_active: s.endTime === null ? 1 : 0,
        engine_version: s.engineVersion,
        // No transcripts were synced: the conversation columns are null.
        messages: null,
        user_messages: null,
        persona_messages: null,
        interruptions: null,
      };
      const { start_time, end_time, ...rest } = row;
      expect(rest).toEqual(expected);
      expect(instant(start_time as string)).toBe(instant(s.startTime));
      expect(instant(end_time as string | null)).toBe(instant(s.endTime));
    }
  });

  it('leaves out the sessions deleted upstream, which stay in the sessions table', () => {
    const db = openSqlite(data.path);
    try {
      const deleted = db.prepare('SELECT id FROM sessions WHERE deleted_at IS NOT NULL').pluck().all() as string[];
      expect(deleted).toHaveLength(REMOVED);
      const inView = db.prepare(`SELECT count(*) FROM sessions_flat WHERE id IN (${deleted.map(() => '?').join(',')})`).pluck().get(...deleted);
      expect(inView).toBe(0);
    } finally {
      db.close();
    }
  });

  it('gives typed values: text dates, real durations, 0/1 activity', () => {
    const db = openSqlite(data.path);
    try {
      const types = db
        .prepare(
          `SELECT DISTINCT typeof(start_date) AS date, typeof(duration_s) AS duration, typeof(is_active) AS active, is_active
           FROM sessions_flat ORDER BY is_active`,
        )
        .all();
      expect(types).toEqual([
        { date: 'text', duration: 'real', active: 'integer', is_active: 0 },
        { date: 'text', duration: 'null', active: 'integer', is_active: 1 },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('migrations', () => {
  it('create the analytics indexes and record the schema version', () => {
    const db = openSqlite(data.path);
    try {
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sessions'").pluck().all();
      expect(indexes).toEqual(
        expect.arrayContaining([
          'sessions_start_time',
          'sessions_persona_start',
          'sessions_api_key_start',
          'sessions_updated_at',
          'sessions_live_start_day',
          'sessions_live_persona_name',
          'sessions_live_llm_model',
        ]),
      );
      expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion());
    } finally {
      db.close();
    }
  });
});

describe("the README's example questions", () => {
  const readme = readFileSync(README, 'utf8');
  const queries = readmeQueries(readme);
  // The questions an index answers, and the index each must read (per-day ones the day index, not
  // a scan of some other index over every row).
  const INDEX_FOR: Array<[RegExp, RegExp]> = [
    [/per day/i, /sessions_live_start_day/],
    [/per persona/i, /sessions_live_persona_name/],
    [/per LLM model/i, /sessions_live_llm_model/],
    [/per API key/i, /sessions_start_time|sessions_api_key_start/],
    [/changed/i, /sessions_updated_at/],
  ];
  const indexed = queries.flatMap((q) => INDEX_FOR.filter(([title]) => title.test(q.title)).map(([, index]) => ({ ...q, index })));

  /** Plan lines reading the sessions table other than through the expected index. */
  function otherReads(db: Db, sql: string, index: RegExp): string[] {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>;
    return plan.map((row) => row.detail).filter((detail) => /^(SCAN|SEARCH) sessions\b/.test(detail) && !index.test(detail));
  }

  it('are ten, numbered, and include per-day and per-persona questions', () => {
    expect(queries.map((q) => q.title.split('.')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(queries.filter((q) => /per day/i.test(q.title)).length).toBeGreaterThanOrEqual(1);
    expect(queries.filter((q) => /per persona/i.test(q.title))).toHaveLength(1);
    expect(indexed.length).toBeGreaterThanOrEqual(6);
  });

  it('each run and answer', () => {
    const db = openSqlite(data.path);
    try {
      for (const q of queries) {
        const rows = db.prepare(q.sql).all();
        // 9 and 10 ask about "now": the simulated history may hold no such sessions.
        if (!/more than an hour|last 24 hours/.test(q.title)) expect(rows.length, q.title).toBeGreaterThan(0);
      }
      const perPersona = queries.find((q) => /per persona/i.test(q.title));
      const personas = db.prepare(perPersona?.sql ?? '').all() as Array<{ sessions: number }>;
      expect(personas.reduce((sum, row) => sum + row.sessions, 0)).toBe(data.sim.store.all().length);
    } finally {
      db.close();
    }
  });

  it('per day, per persona, per model, per API key and recent changes read an index, with or without planner statistics', () => {
    const copy = join(data.folder, 'plans.db');
    copyDatabase(data.path, copy);
    const db = openDatabase(copy);
    try {
      db.exec('DROP TABLE IF EXISTS sqlite_stat1');
      for (const q of indexed) expect(otherReads(db, q.sql, q.index), `${q.title} (no statistics)`).toEqual([]);
      analyzeIfLarge(db, 0);
      expect(db.prepare('SELECT count(*) FROM sqlite_stat1').pluck().get()).toBeGreaterThan(0);
      for (const q of indexed) expect(otherReads(db, q.sql, q.index), `${q.title} (after ANALYZE)`).toEqual([]);
    } finally {
      db.close();
    }
  });

  it.skipIf(!existsSync('/usr/bin/sqlite3'))('run in the sqlite3 command line as written', () => {
    for (const q of queries) {
      const out = execFileSync('/usr/bin/sqlite3', ['-readonly', data.path, q.sql], { encoding: 'utf8' });
      expect(typeof out).toBe('string');
    }
  });
});

describe('analyzeIfLarge', () => {
  let folder: ReturnType<typeof tempFolder>;
  let db: Db;

  beforeAll(() => {
    folder = tempFolder();
    db = openDatabase(join(folder.path, 'stats.db'));
  });

  afterAll(() => {
    db.close();
    folder.cleanup();
  });

  it('analyzes an empty database every time: there is nothing to measure yet, and it costs nothing', () => {
    expect(analyzeIfLarge(db, 0)).toMatchObject({ action: 'analyze', reason: 'no-statistics' });
    expect(analyzeIfLarge(db, 0)).toMatchObject({ action: 'analyze', reason: 'no-statistics' });
  });

  it('analyzes a database whose sessions have no statistics yet, whatever the count', () => {
    const insert = db.prepare(
      `INSERT INTO sessions (id, start_time, created_at, first_synced_at, last_synced_at, persona_config)
       VALUES (?, ?, ?, ?, ?, '{"name":"Cara","llmConfig":{"modelName":"gpt-4o"}}')`,
    );
    for (let i = 0; i < 50; i++) {
      const t = new Date(Date.UTC(2026, 8, 1 + (i % 20), 9)).toISOString();
      insert.run(`session-${i}`, t, t, t, t);
    }
    expect(analyzeIfLarge(db, 50)).toMatchObject({ action: 'analyze', reason: 'no-statistics' });
    // 50 rows, 3 per day (and per day and exit status, and length: both are null here).
    expect(db.prepare("SELECT stat FROM sqlite_stat1 WHERE idx = 'sessions_live_start_day'").pluck().get()).toBe('50 3 3 3');
  });

  it('analyzes after a run that changed more rows than the threshold', () => {
    expect(analyzeIfLarge(db, ANALYZE_THRESHOLD + 1)).toMatchObject({ action: 'analyze', reason: 'large-change' });
  });

  it('only optimizes after a small run', () => {
    expect(analyzeIfLarge(db, ANALYZE_THRESHOLD)).toMatchObject({ action: 'optimize', reason: 'small-change' });
    expect(analyzeIfLarge(db, 0, 10)).toMatchObject({ action: 'optimize', reason: 'small-change' });
  });

  it('rejects a negative, NaN or infinite count', () => {
    expect(() => analyzeIfLarge(db, -1)).toThrow(RangeError);
    expect(() => analyzeIfLarge(db, Number.NaN)).toThrow(RangeError);
    expect(() => analyzeIfLarge(db, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
