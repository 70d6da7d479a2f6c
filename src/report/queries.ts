/**
 * The numbers of `report`, computed in SQL over the `sessions_flat` view (live sessions only) inside
 * one read transaction, so every section describes the same snapshot even while a sync writes.
 */
import type { Db } from '../store/db.js';
import { conversations, type Conversations } from './conversations.js';
import type { ReportFilters } from './options.js';

/** The longest range shown per day, and per week; longer ones are shown per month. */
const MAX_DAYS_PER_DAY = 92;
const MAX_DAYS_PER_WEEK = 731;

/** How the timeline groups sessions: UTC days, weeks from Monday, or calendar months. */
type Aggregation = 'day' | 'week' | 'month';
/** Rows in the top personas and top models sections. */
const TOP_N = 10;
/** Histogram bucket edges in seconds: `[0, 10)`, `[10, 30)`, ..., `[3600, ∞)`. */
const DURATION_EDGES: readonly number[] = [0, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

/** What `report` shows; also the `--json` output, key for key. */
export interface Report {
  /** The database file as given. */
  database: string;
  generatedAt: string;
  filters: ReportFilters;
  totals: {
    sessions: number;
    /** Sessions without an end time yet. */
    active: number;
    ended: number;
    /** Sessions whose exit status is `ERROR`. */
    errors: number;
    /** Distinct personas: (persona_id, persona_name) pairs; ephemeral personas have no id. */
    personas: number;
    models: number;
    /** Sum of the ended sessions' durations, seconds. */
    totalDurationS: number;
    firstStart: string | null;
    lastStart: string | null;
  };
  /** What one entry of `periods` covers: a day up to 92 days, a week up to two years, else a month. */
  aggregation: Aggregation;
  /**
   * The days `periods` covers, inclusive: the whole `--from`/`--to` range, or the data's first and
   * last day where a bound is not given; null when there is nothing to show.
   */
  periodRange: { from: string; to: string } | null;
  /**
   * One entry per day, week or month of `periodRange` (empty ones included, with 0): `date` is its
   * first day and `to` its last, both inside `periodRange` (the first and last week or month may be
   * cut by the range).
   */
  periods: Array<{ date: string; to: string; sessions: number; errors: number; meanDurationS: number | null }>;
  /** Over ended sessions (those with a duration). Seconds. */
  durations: {
    count: number;
    method: 'nearest-rank';
    p50: number | null;
    p90: number | null;
    p99: number | null;
    mean: number | null;
    min: number | null;
    max: number | null;
    /** One bucket per {@link DURATION_EDGES} entry: `fromS` inclusive, `toS` exclusive (null: open). */
    histogram: Array<{ fromS: number; toS: number | null; sessions: number }>;
  };
  /** Every exit status, most frequent first; `status` null is sessions that have not ended. */
  exitStatuses: Array<{ status: string | null; sessions: number; share: number; meanDurationS: number | null }>;
  topPersonas: Array<{
    personaId: string | null;
    name: string | null;
    type: string | null;
    sessions: number;
    share: number;
    totalDurationS: number;
  }>;
  topModels: Array<{ model: string | null; sessions: number; share: number; meanDurationS: number | null }>;
  /** What the stored transcripts say (see report/conversations.ts). */
  conversations: Conversations;
}

/** Context of one report: where it came from and when. */
export interface ReportContext {
  database: string;
  now: Date;
}

type Params = Record<string, string | number>;

/**
 * The 1-based rank of the p-th percentile among n sorted values by the nearest-rank method: the
 * smallest value with at least p% of the values at or below it, i.e. rank ceil(p·n/100). Integer
 * arithmetic, so p·n/100 never rounds up by a hair. The SQL below computes the same expression.
 */
export function nearestRank(p: number, n: number): number {
  return Math.floor((p * n + 99) / 100);
}

/** Computes the whole report from the database in one read transaction. */
export function buildReport(db: Db, filters: ReportFilters, context: ReportContext): Report {
  const { where, params } = filterClause(filters);
  // Every row holds its JSON, so each pass over `sessions` reads the whole file (0.25 s at 200k
  // sessions): the sections share passes where one grouping answers several of them.
  const read = db.transaction((): Report => {
    const byStatus = exitStatusGroups(db, where, params);
    const personas = topPersonas(db, where, params);
    const models = topModels(db, where, params);
    const totals = totalsOf(byStatus, personas.groups, models.groups);
    const periodRange = rangeOf(db, filters, where, params);
    const aggregation = periodRange === null ? 'day' : aggregationFor(periodRange);
    return {
      database: context.database,
      generatedAt: context.now.toISOString(),
      filters: { ...filters },
      totals,
      aggregation,
      periodRange,
      periods: periodRange === null ? [] : periods(db, where, params, periodRange, aggregation),
      durations: durations(db, where, params),
      exitStatuses: exitStatuses(byStatus),
      topPersonas: personas.top,
      topModels: models.top,
      conversations: conversations(db, where, params),
    };
  });
  // A deferred transaction: the snapshot starts at the first SELECT and holds until the last.
  return read.deferred();
}

function filterClause(filters: ReportFilters): { where: string; params: Params } {
  const conditions: string[] = [];
  const params: Params = {};
  if (filters.from !== null) {
    conditions.push('start_time >= @from');
    params.from = filters.from;
  }
  if (filters.to !== null) {
    conditions.push('start_time < @to');
    params.to = filters.to;
  }
  if (filters.personaId !== null) {
    conditions.push('persona_id = @personaId');
    params.personaId = filters.personaId;
  }
  return { where: conditions.length === 0 ? '1' : conditions.join(' AND '), params };
}

/** One exit status's sessions: the report's totals are sums over these. */
interface StatusGroup {
  status: string | null;
  sessions: number;
  active: number;
  totalDurationS: number | null;
  meanDurationS: number | null;
  firstStart: string | null;
  lastStart: string | null;
}

function exitStatusGroups(db: Db, where: string, params: Params): StatusGroup[] {
  return db
    .prepare(
      `SELECT exit_status AS status, count(*) AS sessions, coalesce(sum(is_active), 0) AS active,
         sum(duration_s) AS totalDurationS, avg(duration_s) AS meanDurationS,
         min(start_time) AS firstStart, max(start_time) AS lastStart
       FROM sessions_flat WHERE ${where}
       GROUP BY exit_status
       ORDER BY sessions DESC, status`,
    )
    .all(params) as StatusGroup[];
}

function totalsOf(byStatus: readonly StatusGroup[], personas: number, models: number): Report['totals'] {
  let sessions = 0;
  let active = 0;
  let totalDurationS = 0;
  let firstStart: string | null = null;
  let lastStart: string | null = null;
  for (const group of byStatus) {
    sessions += group.sessions;
    active += group.active;
    totalDurationS += group.totalDurationS ?? 0;
    if (group.firstStart !== null && (firstStart === null || group.firstStart < firstStart)) firstStart = group.firstStart;
    if (group.lastStart !== null && (lastStart === null || group.lastStart > lastStart)) lastStart = group.lastStart;
  }
  return {
    sessions,
    active,
    ended: sessions - active,
    errors: byStatus.find((group) => group.status === 'ERROR')?.sessions ?? 0,
    personas,
    models,
    totalDurationS: round3(totalDurationS),
    firstStart,
    lastStart,
  };
}

/**
 * The days the timeline shows: from `--from`'s day (or the first session's) to `--to`'s last day (or
 * the last session's).
 */
function rangeOf(db: Db, filters: ReportFilters, where: string, params: Params): Report['periodRange'] {
  // Two statements: SQLite reads a lone min() or max() from the per-day index, both at once from every row.
  const bound = (fn: 'min' | 'max'): string | null =>
    db.prepare(`SELECT ${fn}(start_date) FROM sessions_flat WHERE ${where}`).pluck().get(params) as string | null;
  const data = { first: filters.from !== null ? null : bound('min'), last: filters.to !== null ? null : bound('max') };
  const first = filters.from !== null ? filters.from.slice(0, 10) : data.first;
  const last = filters.to !== null ? new Date(Date.parse(filters.to) - 1).toISOString().slice(0, 10) : data.last;
  if (first === null || last === null || first > last) return null;
  return { from: first, to: last };
}

/** Days up to {@link MAX_DAYS_PER_DAY}, weeks up to {@link MAX_DAYS_PER_WEEK}, else months. */
function aggregationFor(range: { from: string; to: string }): Aggregation {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  return days <= MAX_DAYS_PER_DAY ? 'day' : days <= MAX_DAYS_PER_WEEK ? 'week' : 'month';
}

/** The first day of the day, week (Monday) or month holding `date`; the SQL below says the same. */
function periodStart(date: string, aggregation: Aggregation): string {
  if (aggregation === 'day') return date;
  if (aggregation === 'month') return `${date.slice(0, 7)}-01`;
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** The first day of the next period after the one starting at `start`. */
function nextPeriod(start: string, aggregation: Aggregation): string {
  if (aggregation === 'day') return addDays(start, 1);
  if (aggregation === 'week') return addDays(start, 7);
  const d = new Date(`${start}T00:00:00.000Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

const PERIOD_SQL: Record<Aggregation, string> = {
  day: 'start_date',
  // SQLite's `weekday 1` moves forward to a Monday; six days back first lands on this week's.
  week: "date(start_date, '-6 days', 'weekday 1')",
  month: "substr(start_date, 1, 7) || '-01'",
};

function periods(db: Db, where: string, params: Params, range: { from: string; to: string }, aggregation: Aggregation): Report['periods'] {
  const rows = db
    .prepare(
      `SELECT ${PERIOD_SQL[aggregation]} AS period, count(*) AS sessions,
         coalesce(sum(exit_status = 'ERROR'), 0) AS errors,
         avg(duration_s) AS meanDurationS
       FROM sessions_flat
       WHERE ${where} AND start_date >= @dayFrom AND start_date <= @dayTo
       GROUP BY period`,
    )
    .all({ ...params, dayFrom: range.from, dayTo: range.to }) as Array<{ period: string; sessions: number; errors: number; meanDurationS: number | null }>;
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  const out: Report['periods'] = [];
  for (let start = periodStart(range.from, aggregation); start <= range.to; start = nextPeriod(start, aggregation)) {
    const row = byPeriod.get(start);
    const end = addDays(nextPeriod(start, aggregation), -1);
    out.push({
      date: later(start, range.from),
      to: earlier(end, range.to),
      sessions: row?.sessions ?? 0,
      errors: row?.errors ?? 0,
      meanDurationS: row ? roundOrNull(row.meanDurationS) : null,
    });
  }
  return out;
}

function durations(db: Db, where: string, params: Params): Report['durations'] {
  // One pass reads the lengths; sorting them here takes milliseconds, where SQLite's window
  // functions (row_number() over the sorted lengths) took 0.8 s of a report at 200k sessions.
  const lengths = Float64Array.from(
    db.prepare(`SELECT duration_s FROM sessions_flat WHERE ${where} AND duration_s IS NOT NULL`).pluck().all(params) as number[],
  ).sort();
  const n = lengths.length;
  // Nearest rank: the smallest length with at least p% of the lengths at or below it.
  const percentile = (p: number): number | null => (n === 0 ? null : lengths[Math.ceil((p * n) / 100) - 1]!);
  const buckets = DURATION_EDGES.map(() => 0);
  let sum = 0;
  for (const length of lengths) {
    sum += length;
    let bucket = DURATION_EDGES.length - 1;
    for (let i = 1; i < DURATION_EDGES.length; i++) {
      if (length < DURATION_EDGES[i]!) {
        bucket = i - 1;
        break;
      }
    }
    buckets[bucket]!++;
  }
  return {
    count: n,
    method: 'nearest-rank',
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    mean: n === 0 ? null : round3(sum / n),
    min: n === 0 ? null : lengths[0]!,
    max: n === 0 ? null : lengths[n - 1]!,
    histogram: DURATION_EDGES.map((fromS, i) => ({
      fromS,
      toS: DURATION_EDGES[i + 1] ?? null,
      sessions: buckets[i]!,
    })),
  };
}

function exitStatuses(byStatus: readonly StatusGroup[]): Report['exitStatuses'] {
  const total = byStatus.reduce((sum, group) => sum + group.sessions, 0);
  return byStatus.map((group) => ({
    status: group.status,
    sessions: group.sessions,
    share: round4(group.sessions / total),
    meanDurationS: roundOrNull(group.meanDurationS),
  }));
}

/** The top rows, and how many groups there are in all (window counts over the groups: no second pass). */
function topPersonas(db: Db, where: string, params: Params): { top: Report['topPersonas']; groups: number } {
  const rows = db
    .prepare(
      `SELECT persona_id AS personaId, persona_name AS name, min(persona_type) AS type, count(*) AS sessions,
         count(*) * 1.0 / sum(count(*)) OVER () AS share,
         coalesce(sum(duration_s), 0) AS totalDurationS,
         count(*) OVER () AS groups
       FROM sessions_flat WHERE ${where}
       GROUP BY persona_id, persona_name
       ORDER BY sessions DESC, name, personaId
       LIMIT ${TOP_N}`,
    )
    .all(params) as Array<Report['topPersonas'][number] & { groups: number }>;
  return {
    top: rows.map(({ groups: _, ...row }) => ({ ...row, share: round4(row.share), totalDurationS: round3(row.totalDurationS) })),
    groups: rows[0]?.groups ?? 0,
  };
}

/** The top rows, and how many distinct models there are (a null model is not one). */
function topModels(db: Db, where: string, params: Params): { top: Report['topModels']; groups: number } {
  const rows = db
    .prepare(
      `SELECT llm_model AS model, count(*) AS sessions,
         count(*) * 1.0 / sum(count(*)) OVER () AS share,
         avg(duration_s) AS meanDurationS,
         count(llm_model) OVER () AS groups
       FROM sessions_flat WHERE ${where}
       GROUP BY llm_model
       ORDER BY sessions DESC, model
       LIMIT ${TOP_N}`,
    )
    .all(params) as Array<Report['topModels'][number] & { groups: number }>;
  return {
    top: rows.map(({ groups: _, ...row }) => ({ ...row, share: round4(row.share), meanDurationS: roundOrNull(row.meanDurationS) })),
    groups: rows[0]?.groups ?? 0,
  };
}

/** `YYYY-MM-DD` plus `n` days. */
/** The later (earlier) of two ISO dates: their text order is their date order. */
const later = (a: string, b: string): string => (a >= b ? a : b);
const earlier = (a: string, b: string): string => (a <= b ? a : b);

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

// Means and sums are rounded to the millisecond: more digits are float noise, not information.
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round3(value);
}
