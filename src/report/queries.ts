/**
 * The numbers of `report`, computed in SQL over the live sessions ({@link LIVE_SESSIONS}, the
 * columns of `sessions_flat` it needs) inside one read transaction, so every section describes the
 * same snapshot even while a sync writes.
 */
import type { Db } from '../store/db.js';
import { conversations, type Conversations } from './conversations.js';
import { LIVE_SESSIONS } from './live-sessions.js';
import { exitStatuses, exitStatusGroups, sessionGroups, topModels, topPersonas, type StatusGroup } from './groups.js';
import { round3 } from './rounding.js';
import type { ReportFilters } from './options.js';

/** The longest range shown per day, and per week; longer ones are shown per month. */
const MAX_DAYS_PER_DAY = 92;
const MAX_DAYS_PER_WEEK = 731;

/** How the timeline groups sessions: UTC days, weeks from Monday, or calendar months. */
type Aggregation = 'day' | 'week' | 'month';
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

export type Params = Record<string, string | number>;

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
  // The passes read indexes (see live-sessions.ts); one grouping by persona, model and exit status
  // answers the totals, exit statuses, personas and models, and the timeline is summed per day.
  const read = db.transaction((): Report => {
    const groups = sessionGroups(db, where, params);
    const byStatus = exitStatusGroups(groups);
    const personas = topPersonas(groups);
    const models = topModels(groups);
    const starts = startsOf(db, where, params);
    const totals = totalsOf(byStatus, starts, personas.groups, models.groups);
    const periodRange = rangeOf(filters, starts);
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


function totalsOf(byStatus: readonly StatusGroup[], starts: Starts, personas: number, models: number): Report['totals'] {
  let sessions = 0;
  let active = 0;
  let totalDurationS = 0;
  for (const group of byStatus) {
    sessions += group.sessions;
    active += group.active;
    totalDurationS += group.totalDurationS ?? 0;
  }
  return {
    sessions,
    active,
    ended: sessions - active,
    errors: byStatus.find((group) => group.status === 'ERROR')?.sessions ?? 0,
    personas,
    models,
    totalDurationS: round3(totalDurationS),
    firstStart: starts.first,
    lastStart: starts.last,
  };
}

/** The first and last start time of the sessions the filters select. */
interface Starts {
  first: string | null;
  last: string | null;
}

function startsOf(db: Db, where: string, params: Params): Starts {
  // Two statements: a lone min() or max() walks the start-time index from one end and stops at the
  // first live session; both at once would read every row.
  const bound = (fn: 'min' | 'max'): string | null =>
    db
      .prepare(`SELECT ${fn}(start_time) FROM sessions INDEXED BY sessions_start_time WHERE deleted_at IS NULL AND ${where}`)
      .pluck()
      .get(params) as string | null;
  return { first: bound('min'), last: bound('max') };
}

/**
 * The days the timeline shows: from `--from`'s day (or the first session's) to `--to`'s last day (or
 * the last session's).
 */
function rangeOf(filters: ReportFilters, starts: Starts): Report['periodRange'] {
  const first = filters.from !== null ? filters.from.slice(0, 10) : (starts.first?.slice(0, 10) ?? null);
  const last = filters.to !== null ? new Date(Date.parse(filters.to) - 1).toISOString().slice(0, 10) : (starts.last?.slice(0, 10) ?? null);
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

function periods(db: Db, where: string, params: Params, range: { from: string; to: string }, aggregation: Aggregation): Report['periods'] {
  // Summed per day in the per-day index's order (it holds the exit status and length too), then
  // per week or month here.
  const days = db
    .prepare(
      `SELECT substr(start_time, 1, 10) AS day, count(*) AS sessions, coalesce(sum(exit_status = 'ERROR'), 0) AS errors,
         sum(session_length_ms / 1000.0) AS durationSum, count(session_length_ms) AS durations
       FROM sessions INDEXED BY sessions_live_start_day
       WHERE deleted_at IS NULL AND ${where} AND substr(start_time, 1, 10) >= @dayFrom AND substr(start_time, 1, 10) <= @dayTo
       GROUP BY substr(start_time, 1, 10)`,
    )
    .all({ ...params, dayFrom: range.from, dayTo: range.to }) as Array<{ day: string; sessions: number; errors: number; durationSum: number | null; durations: number }>;
  const byPeriod = new Map<string, { sessions: number; errors: number; durationSum: number; durations: number }>();
  for (const day of days) {
    const start = periodStart(day.day, aggregation);
    const period = byPeriod.get(start) ?? { sessions: 0, errors: 0, durationSum: 0, durations: 0 };
    period.sessions += day.sessions;
    period.errors += day.errors;
    period.durationSum += day.durationSum ?? 0;
    period.durations += day.durations;
    byPeriod.set(start, period);
  }
  const out: Report['periods'] = [];
  for (let start = periodStart(range.from, aggregation); start <= range.to; start = nextPeriod(start, aggregation)) {
    const row = byPeriod.get(start);
    const end = addDays(nextPeriod(start, aggregation), -1);
    out.push({
      date: later(start, range.from),
      to: earlier(end, range.to),
      sessions: row?.sessions ?? 0,
      errors: row?.errors ?? 0,
      meanDurationS: row === undefined || row.durations === 0 ? null : round3(row.durationSum / row.durations),
    });
  }
  return out;
}

function durations(db: Db, where: string, params: Params): Report['durations'] {
  // One pass reads the lengths; sorting them here takes milliseconds, where SQLite's window
  // functions (row_number() over the sorted lengths) took 0.8 s of a report at 200k sessions.
  const lengths = Float64Array.from(
    db.prepare(`SELECT duration_s FROM ${LIVE_SESSIONS} WHERE ${where} AND duration_s IS NOT NULL`).pluck().all(params) as number[],
  ).sort();
  const n = lengths.length;
  // Nearest rank: the smallest length with at least p% of the lengths at or below it.
  const percentile = (p: number): number | null => (n === 0 ? null : lengths[nearestRank(p, n) - 1]!);
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


/** `YYYY-MM-DD` plus `n` days. */
/** The later (earlier) of two ISO dates: their text order is their date order. */
const later = (a: string, b: string): string => (a >= b ? a : b);
const earlier = (a: string, b: string): string => (a <= b ? a : b);

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
