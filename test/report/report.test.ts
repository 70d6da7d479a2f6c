import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/queries.js';
import { openSqlite, runCli, tempFolder } from '../helpers.js';
import { copyDatabase, syncedDatabase, type SyncedDb } from './fixture.js';

/** `report --json`'s object, as far as these tests read it. */
interface JsonReport {
  filters: { from: string | null; to: string | null; personaId: string | null };
  totals: Record<string, number | string | null>;
  periodRange: { from: string; to: string } | null;
  aggregation: 'day' | 'week' | 'month';
  periods: Array<{ date: string; to: string; sessions: number; errors: number; meanDurationS: number | null }>;
  durations: {
    count: number;
    p50: number | null;
    p90: number | null;
    p99: number | null;
    min: number | null;
    max: number | null;
    mean: number | null;
    histogram: Array<{ fromS: number; toS: number | null; sessions: number }>;
  };
  exitStatuses: Array<{ status: string | null; sessions: number; share: number }>;
  topPersonas: Array<{ personaId: string | null; name: string | null; sessions: number; share: number }>;
  topModels: Array<{ model: string | null; sessions: number; share: number }>;
}

interface Filters {
  from?: string;
  to?: string;
  personaId?: string;
}

let data: SyncedDb;

beforeAll(async () => {
  data = await syncedDatabase(1500, 5, 8);
});

afterAll(async () => {
  await data?.close();
});

async function reportJson(...args: string[]): Promise<JsonReport> {
  const result = await runCli(['report', '--db', data.path, '--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

/** The percentile by nearest rank: the value at rank ceil(p·n/100) of the sorted values. */
function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.ceil((p * sorted.length) / 100) - 1] ?? null;
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The report's numbers computed again with plain SQL on the `sessions` table (not the view) and a
 * little JavaScript: what an analyst would write by hand.
 */
function expected(filters: Filters): Omit<JsonReport, 'filters'> {
  const db = openSqlite(data.path);
  try {
    const conditions = ['deleted_at IS NULL'];
    const params: Record<string, string> = {};
    if (filters.from) {
      conditions.push('start_time >= @from');
      params.from = filters.from;
    }
    if (filters.to) {
      conditions.push('start_time < @to');
      params.to = filters.to;
    }
    if (filters.personaId) {
      conditions.push('persona_id = @personaId');
      params.personaId = filters.personaId;
    }
    const where = conditions.join(' AND ');
    const rows = db
      .prepare(
        `SELECT persona_id, start_time, end_time, session_length_ms, exit_status,
           json_extract(persona_config, '$.name') AS name,
           json_extract(persona_config, '$.llmConfig.modelName') AS model
         FROM sessions WHERE ${where}`,
      )
      .all(params) as Array<{
      persona_id: string | null;
      start_time: string;
      end_time: string | null;
      session_length_ms: number | null;
      exit_status: string | null;
      name: string | null;
      model: string | null;
    }>;
    const total = rows.length;
    const ms = rows.flatMap((r) => (r.session_length_ms === null ? [] : [r.session_length_ms])).sort((a, b) => a - b);
    const seconds = ms.map((v) => v / 1000);
    const count = <K>(key: (r: (typeof rows)[number]) => K): Map<K, number> => {
      const map = new Map<K, number>();
      for (const r of rows) map.set(key(r), (map.get(key(r)) ?? 0) + 1);
      return map;
    };
    const byDay = count((r) => r.start_time.slice(0, 10));
    const errorsByDay = new Map<string, number>();
    for (const r of rows) if (r.exit_status === 'ERROR') errorsByDay.set(r.start_time.slice(0, 10), (errorsByDay.get(r.start_time.slice(0, 10)) ?? 0) + 1);
    const days = [...byDay.keys()].sort();
    // The whole range asked for, or the data's; per day up to 92 days, per week (from Monday) up to 731, else per month.
    const first = filters.from ? filters.from.slice(0, 10) : days[0];
    const last = filters.to ? new Date(Date.parse(filters.to) - 1).toISOString().slice(0, 10) : days[days.length - 1];
    let periodRange: JsonReport['periodRange'] = null;
    const periods: JsonReport['periods'] = [];
    let aggregation: JsonReport['aggregation'] = 'day';
    if (first !== undefined && last !== undefined && first <= last) {
      periodRange = { from: first, to: last };
      const span = (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
      aggregation = span <= 92 ? 'day' : span <= 731 ? 'week' : 'month';
      const startOf = (d: string): string =>
        aggregation === 'day' ? d : aggregation === 'month' ? `${d.slice(0, 7)}-01` : addDays(d, -((new Date(d).getUTCDay() + 6) % 7));
      for (let d = first; d <= last; d = addDays(d, 1)) {
        const start = startOf(d);
        let entry = periods.at(-1);
        if (entry === undefined || startOf(entry.date) !== start) {
          entry = { date: d, to: d, sessions: 0, errors: 0, meanDurationS: null };
          periods.push(entry);
        }
        entry.to = d;
        entry.sessions += byDay.get(d) ?? 0;
        entry.errors += errorsByDay.get(d) ?? 0;
      }
    }
    const edges = [0, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
    const personas = count((r) => JSON.stringify([r.persona_id, r.name]));
    const sortGroups = <T extends { sessions: number }>(list: T[], ...keys: Array<(t: T) => string | null>): T[] =>
      list.sort((a, b) => {
        if (a.sessions !== b.sessions) return b.sessions - a.sessions;
        for (const key of keys) {
          // SQLite sorts NULL first, then text by bytes.
          const [x, y] = [key(a), key(b)];
          if (x === y) continue;
          if (x === null) return -1;
          if (y === null) return 1;
          return Buffer.compare(Buffer.from(x), Buffer.from(y));
        }
        return 0;
      });
    return {
      totals: {
        sessions: total,
        active: rows.filter((r) => r.end_time === null).length,
        ended: rows.filter((r) => r.end_time !== null).length,
        errors: rows.filter((r) => r.exit_status === 'ERROR').length,
        personas: personas.size,
        models: new Set(rows.map((r) => r.model).filter((m) => m !== null)).size,
        totalDurationS: ms.reduce((sum, v) => sum + v, 0) / 1000,
        firstStart: rows.length === 0 ? null : rows.map((r) => r.start_time).sort()[0] ?? null,
        lastStart: rows.length === 0 ? null : rows.map((r) => r.start_time).sort().pop() ?? null,
      },
      aggregation,
      periodRange,
      periods,
      durations: {
        count: ms.length,
        p50: nearestRank(seconds, 50),
        p90: nearestRank(seconds, 90),
        p99: nearestRank(seconds, 99),
        min: seconds[0] ?? null,
        max: seconds[seconds.length - 1] ?? null,
        mean: ms.length === 0 ? null : ms.reduce((sum, v) => sum + v, 0) / ms.length / 1000,
        histogram: edges.map((fromS, i) => ({
          fromS,
          toS: edges[i + 1] ?? null,
          sessions: seconds.filter((s) => s >= fromS && (edges[i + 1] === undefined || s < (edges[i + 1] as number))).length,
        })),
      },
      exitStatuses: sortGroups(
        [...count((r) => r.exit_status)].map(([status, sessions]) => ({ status, sessions, share: sessions / total })),
        (s) => s.status,
      ),
      topPersonas: sortGroups(
        [...personas].map(([key, sessions]) => {
          const [personaId, name] = JSON.parse(key) as [string | null, string | null];
          return { personaId, name, sessions, share: sessions / total };
        }),
        (p) => p.name,
        (p) => p.personaId,
      ).slice(0, 10),
      topModels: sortGroups(
        [...count((r) => r.model)].map(([model, sessions]) => ({ model, sessions, share: sessions / total })),
        (m) => m.model,
      ).slice(0, 10),
    };
  } finally {
    db.close();
  }
}

/** Compares a report with the plain-SQL numbers: counts exactly, means and shares to the rounding. */
function expectSameNumbers(report: JsonReport, want: ReturnType<typeof expected>): void {
  const { totalDurationS, ...counts } = want.totals;
  expect(report.totals).toMatchObject(counts);
  expect(report.totals.totalDurationS).toBeCloseTo(totalDurationS as number, 2);
  expect(report.periodRange).toEqual(want.periodRange);
  expect(report.aggregation).toBe(want.aggregation);
  expect(report.periods.map(({ date, to, sessions, errors }) => ({ date, to, sessions, errors }))).toEqual(
    want.periods.map(({ date, to, sessions, errors }) => ({ date, to, sessions, errors })),
  );
  const { mean, ...exact } = want.durations;
  expect(report.durations).toMatchObject(exact);
  if (mean === null) expect(report.durations.mean).toBeNull();
  else expect(report.durations.mean).toBeCloseTo(mean, 2);
  const strip = <T extends { share: number }>(list: T[]) => list.map(({ share, ...rest }) => rest);
  expect(strip(report.exitStatuses)).toEqual(strip(want.exitStatuses).map((s) => expect.objectContaining(s)));
  expect(strip(report.topPersonas)).toEqual(strip(want.topPersonas).map((p) => expect.objectContaining(p)));
  expect(strip(report.topModels)).toEqual(strip(want.topModels).map((m) => expect.objectContaining(m)));
  for (const [i, s] of report.exitStatuses.entries()) expect(s.share).toBeCloseTo(want.exitStatuses[i]?.share ?? NaN, 3);
  for (const [i, p] of report.topPersonas.entries()) expect(p.share).toBeCloseTo(want.topPersonas[i]?.share ?? NaN, 3);
}

describe('report --json', () => {
  it('gives the numbers plain SQL on the sessions table gives: totals, per day, percentiles, exit statuses, top personas and models', async () => {
    const report = await reportJson();
    const want = expected({});
    expectSameNumbers(report, want);
    expect(report.totals.sessions).toBe(data.sim.store.all().length);
    // No range asked for: the timeline spans the data, first day to last.
    expect(report.periodRange).toEqual({ from: String(report.totals.firstStart).slice(0, 10), to: String(report.totals.lastStart).slice(0, 10) });
    expect(report.periods.reduce((sum, p) => sum + p.sessions, 0)).toBe(report.totals.sessions);
    expect(report.durations.histogram.reduce((sum, b) => sum + b.sessions, 0)).toBe(report.durations.count);
    expect(report.topPersonas).toHaveLength(10);
  });

  it('takes --from and --to as UTC days: --to includes its whole day', async () => {
    const report = await reportJson('--from', '2026-09-05', '--to', '2026-09-20');
    expect(report.filters).toEqual({ from: '2026-09-05T00:00:00.000Z', to: '2026-09-21T00:00:00.000Z', personaId: null });
    expectSameNumbers(report, expected({ from: '2026-09-05T00:00:00.000Z', to: '2026-09-21T00:00:00.000Z' }));
    expect(report.periodRange).toEqual({ from: '2026-09-05', to: '2026-09-20' });
    expect(report.periods).toHaveLength(16);
    expect(report.totals.firstStart! >= '2026-09-05').toBe(true);
    expect(report.totals.lastStart! < '2026-09-21').toBe(true);
  });

  it('takes date-times with offsets, and --persona-id in any case', async () => {
    const busiest = expected({}).topPersonas.find((p) => p.personaId !== null)?.personaId as string;
    const report = await reportJson('--from', '2026-09-10T12:00:00+02:00', '--to', '2026-09-25T06:30Z', '--persona-id', busiest.toUpperCase());
    const filters = { from: '2026-09-10T10:00:00.000Z', to: '2026-09-25T06:30:00.000Z', personaId: busiest };
    expect(report.filters).toEqual(filters);
    expectSameNumbers(report, expected(filters));
    expect(report.totals.personas).toBe(1);
    expect(report.topPersonas.map((p) => p.personaId)).toEqual([busiest]);
    expect(report.periodRange).toEqual({ from: '2026-09-10', to: '2026-09-25' });
  });

  it('shows the whole --from/--to range, per day up to 92 days', async () => {
    const report = await reportJson('--from', '2026-08-01', '--to', '2026-09-15');
    expect(report.aggregation).toBe('day');
    expect(report.periodRange).toEqual({ from: '2026-08-01', to: '2026-09-15' });
    expect(report.periods).toHaveLength(46);
    expectSameNumbers(report, expected({ from: '2026-08-01T00:00:00.000Z', to: '2026-09-16T00:00:00.000Z' }));
  });

  it('shows a whole year per week (from Monday), the first and last week cut to the range, in JSON, text and HTML alike', async () => {
    const args = ['--from', '2026-01-01', '--to', '2026-12-31'];
    const report = await reportJson(...args);
    expect(report.aggregation).toBe('week');
    expect(report.periodRange).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(report.periods).toHaveLength(53);
    // January 1st, 2026 is a Thursday: the first week runs to Sunday the 4th, the next from Monday the 5th.
    expect(report.periods.slice(0, 2).map(({ date, to }) => ({ date, to }))).toEqual([
      { date: '2026-01-01', to: '2026-01-04' },
      { date: '2026-01-05', to: '2026-01-11' },
    ]);
    expect(report.periods.at(-1)).toMatchObject({ date: '2026-12-28', to: '2026-12-31' });
    expect(report.periods.reduce((sum, p) => sum + p.sessions, 0)).toBe(report.totals.sessions);
    expectSameNumbers(report, expected({ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }));

    const text = (await runCli(['report', '--db', data.path, ...args])).stdout;
    expect(text).toContain('Sessions per week (UTC, weeks from Monday) · 2026-01-01 .. 2026-12-31');
    const rows = text.split('\n').filter((line) => /^ {2}\d{4}-\d{2}-\d{2} \.\. \d{4}-\d{2}-\d{2} /.test(line));
    expect(rows.map((line) => line.trim().split(/\s+/).slice(0, 4))).toEqual(
      report.periods.map((p) => [p.date, '..', p.to, p.sessions.toLocaleString('en-US')]),
    );

    const page = join(data.folder, 'year.html');
    expect((await runCli(['report', '--db', data.path, ...args, '--html', page, '--quiet'])).code).toBe(0);
    const html = readFileSync(page, 'utf8');
    const chart = /<svg class="chart" data-chart="per-day"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect([...chart.matchAll(/<rect class="bar" data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(report.periods.map((p) => p.sessions));
    expect(html).toContain('<h2>Sessions per week</h2>');
  });

  it('shows a range over two years per calendar month', async () => {
    const report = await reportJson('--from', '2025-01-01', '--to', '2027-12-31');
    expect(report.aggregation).toBe('month');
    expect(report.periods).toHaveLength(36);
    expect(report.periods[0]).toMatchObject({ date: '2025-01-01', to: '2025-01-31' });
    expect(report.periods[13]).toMatchObject({ date: '2026-02-01', to: '2026-02-28' });
    expectSameNumbers(report, expected({ from: '2025-01-01T00:00:00.000Z', to: '2028-01-01T00:00:00.000Z' }));
  });

  it('reports zeros, not an error, when nothing matches', async () => {
    const report = await reportJson('--from', '2030-01-01');
    expect(report.totals).toMatchObject({ sessions: 0, active: 0, ended: 0, personas: 0, firstStart: null });
    expect(report.periodRange).toBeNull();
    expect(report.periods).toEqual([]);
    expect(report.durations).toMatchObject({ count: 0, p50: null, p90: null, p99: null });
    expect(report.exitStatuses).toEqual([]);
  });
});

describe('report reads indexes, not the rows', () => {
  it('every statement reads sessions through a named index, and groups without sorting the rows', () => {
    const db = openSqlite(data.path);
    try {
      // The statements the report prepares, recorded as it runs (the database is the real one).
      const statements: string[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => {
        statements.push(sql);
        return prepare(sql);
      }) as typeof db.prepare;
      for (const filters of [{ from: null, to: null, personaId: null }, { from: '2026-04-01T00:00:00.000Z', to: null, personaId: 'p' }]) {
        buildReport(db, filters, { database: data.path, now: new Date() });
      }
      db.prepare = prepare;
      expect(statements.length).toBeGreaterThan(5);
      for (const sql of statements) {
        const names = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1]!, 'x']));
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(names) as Array<{ detail: string }>).map((step) => step.detail);
        for (const step of plan.filter((detail) => /\bsessions\b/.test(detail))) {
          expect(step, sql).toMatch(/USING (COVERING )?INDEX (sessions_live_report|sessions_live_start_day|sessions_start_time)\b/);
        }
        expect(plan.join('\n'), sql).not.toMatch(/TEMP B-TREE FOR GROUP BY/);
      }
    } finally {
      db.close();
    }
  });
});

describe('report (text)', () => {
  it('prints the same numbers as small aligned tables', async () => {
    const result = await runCli(['report', '--db', data.path]);
    expect(result.code).toBe(0);
    const json = await reportJson();
    const out = result.stdout;
    for (const heading of ['Sessions per day (UTC)', 'Session length', 'Exit statuses', 'Top personas', 'Top models']) {
      expect(out).toContain(heading);
    }
    const dayLines = out.split('\n').filter((line) => /^ {2}\d{4}-\d{2}-\d{2} /.test(line));
    expect(json.aggregation).toBe('day');
    expect(dayLines).toHaveLength(json.periods.length);
    // Right-aligned counts: every day's count ends in the same column.
    const ends = new Set(dayLines.map((line) => /^ {2}\S+\s+\d+/.exec(line)?.[0].length));
    expect(ends.size).toBe(1);
    const first = json.periods[0];
    expect(dayLines[0]).toMatch(new RegExp(`^  ${first?.date}\\s+${first?.sessions}\\s+${first?.errors}\\s`));
    expect(out).toContain(`sessions   ${Number(json.totals.sessions).toLocaleString('en-US')} (`);
  });
});

describe('report while a sync writes, and on an older database', () => {
  it('reads a consistent snapshot beside an open write transaction, without waiting for it', async () => {
    const before = await reportJson();
    const writer = new Database(data.path);
    try {
      writer.exec('BEGIN IMMEDIATE');
      writer
        .prepare(
          `INSERT INTO sessions (id, start_time, created_at, first_synced_at, last_synced_at, persona_config, client_metadata)
           VALUES ('00000000-0000-4000-8000-000000000001', '2026-09-30T12:00:00.000Z', '2026-09-30T12:00:00.000Z',
                   '2026-09-30T12:00:00.000Z', '2026-09-30T12:00:00.000Z', '{"name":"Uncommitted"}', '{}')`,
        )
        .run();
      const started = Date.now();
      const during = await reportJson();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(during.totals).toEqual(before.totals);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('does not migrate a database written before the view existed: one line names its version and anam-sync migrate', async () => {
    const folder = tempFolder();
    try {
      const old = join(folder.path, 'old.db');
      copyDatabase(data.path, old);
      const db = new Database(old);
      const version = db.pragma('user_version', { simple: true }) as number;
      // Back to what migration 0001 left: 0002 (the view and its indexes), 0003 (the live-count
      // index), 0004 (scope members, open warnings, lock token, residual), 0005 (transcripts), 0006
      // (one row per rejected record), 0007 (the current version as the row) and 0008 (the report's
      // and export's indexes) undone, with their rows in drizzle's journal.
      db.exec(`DROP VIEW session_history; DROP VIEW session_current; DROP TABLE session_current_raw;
        DROP INDEX sessions_live_report; DROP INDEX sessions_last_synced_at;
        DROP VIEW sessions_flat; DROP INDEX sessions_live_start_day; DROP INDEX sessions_live_persona_name;
        DROP INDEX sessions_live_llm_model; DROP INDEX sessions_deleted_at;
        DROP TABLE scope_members; DROP TABLE open_warnings; ALTER TABLE sync_lock DROP COLUMN token;
        DROP TABLE transcripts; DROP TABLE transcript_messages; DROP INDEX rejected_records_reason_raw;
        ALTER TABLE sync_state DROP COLUMN count_residual; ALTER TABLE sync_state DROP COLUMN residual_since;
        DELETE FROM __drizzle_migrations WHERE created_at >= (SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1 OFFSET 6);`);
      db.pragma(`user_version = ${version - 7}`);
      db.close();
      const before = readFileSync(old);
      for (const command of [['report', '--json'], ['status'], ['export']]) {
        const result = await runCli([...command, '--db', old]);
        expect(result.code, command[0]).toBe(2);
        expect(result.stderr).toBe(
          `anam-sync: error: database ${old} is at schema version ${version - 7} and this anam-sync reads version ${version}: ` +
            `run anam-sync migrate --db ${old} (with write access) to update it\n`,
        );
      }
      expect(readFileSync(old).equals(before)).toBe(true);

      expect((await runCli(['migrate', '--db', old, '--quiet'])).code).toBe(0);
      const result = await runCli(['report', '--db', old, '--json']);
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as JsonReport).totals.sessions).toBe(data.sim.store.all().length);
      const after = openSqlite(old);
      expect(after.pragma('user_version', { simple: true })).toBe(version);
      after.close();
    } finally {
      folder.cleanup();
    }
  });
});

describe('report with bad input', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a --from that is not a date', ['--from', 'yesterday'], /^anam-sync: error: --from must be a date \(2026-04-20\) or a date-time/],
    ['a --from that is no calendar day', ['--from', '2026-02-30'], /--from/],
    ['a --to with month 13', ['--to', '2026-13-01'], /--to/],
    ['a --to at hour 24', ['--to', '2026-09-01T24:00:00Z'], /--to/],
    ['a --from after --to', ['--from', '2026-09-10', '--to', '2026-09-01'], /--from 2026-09-10 must be before --to 2026-09-01/],
    ['a --persona-id that is not a UUID', ['--persona-id', 'cara'], /--persona-id must be a UUID/],
    ['an --html folder that does not exist', ['--html', '/nonexistent-folder/r.html'], /--html/],
  ];
  for (const [title, args, message] of cases) {
    it(`exits 2 with one line naming the flag for ${title}`, async () => {
      const result = await runCli(['report', '--db', data.path, ...args]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    });
  }

  it('exits 2 for a database that does not exist, and does not create it', async () => {
    const folder = tempFolder();
    try {
      const path = join(folder.path, 'missing.db');
      const result = await runCli(['report', '--db', path]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/does not exist/);
      expect(existsSync(path)).toBe(false);
    } finally {
      folder.cleanup();
    }
  });

  it('leaves the database file untouched', async () => {
    const folder = tempFolder();
    try {
      const copy = join(folder.path, 'copy.db');
      copyDatabase(data.path, copy);
      const bytes = readFileSync(copy);
      expect((await runCli(['report', '--db', copy, '--json'])).code).toBe(0);
      expect(readFileSync(copy).equals(bytes)).toBe(true);
    } finally {
      folder.cleanup();
    }
  });
});
