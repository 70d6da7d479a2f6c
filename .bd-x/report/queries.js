import { conversations } from './conversations.js';
import { LIVE_SESSIONS } from './live-sessions.js';
/** The longest range shown per day, and per week; longer ones are shown per month. */
const MAX_DAYS_PER_DAY = 92;
const MAX_DAYS_PER_WEEK = 731;
/** Rows in the top personas and top models sections. */
const TOP_N = 10;
/** Histogram bucket edges in seconds: `[0, 10)`, `[10, 30)`, ..., `[3600, ∞)`. */
const DURATION_EDGES = [0, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/**
 * The 1-based rank of the p-th percentile among n sorted values by the nearest-rank method: the
 * smallest value with at least p% of the values at or below it, i.e. rank ceil(p·n/100). Integer
 * arithmetic, so p·n/100 never rounds up by a hair. The SQL below computes the same expression.
 */
export function nearestRank(p, n) {
    return Math.floor((p * n + 99) / 100);
}
/** Computes the whole report from the database in one read transaction. */
export function buildReport(db, filters, context) {
    const { where, params } = filterClause(filters);
    // The passes read indexes (see live-sessions.ts); one grouping by persona, model and exit status
    // answers the totals, exit statuses, personas and models, and the timeline is summed per day.
    const read = db.transaction(() => {
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
function filterClause(filters) {
    const conditions = [];
    const params = {};
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
function sessionGroups(db, where, params) {
    // Grouped in the index's own order (persona, name, type, model, exit status): no sort.
    return db
        .prepare(`SELECT persona_id AS personaId, persona_name AS name, persona_type AS type, llm_model AS model, exit_status AS status,
         count(*) AS sessions, coalesce(sum(is_active), 0) AS active,
         sum(duration_s) AS durationSum, count(duration_s) AS durations
       FROM ${LIVE_SESSIONS} WHERE ${where}
       GROUP BY persona_id, persona_name, persona_type, llm_model, exit_status`)
        .all(params);
}
/** The groups summed per `keyOf` (a JSON text of the key's values), in first-seen order. */
function sumBy(groups, keyOf) {
    const byKey = new Map();
    for (const group of groups) {
        const key = keyOf(group);
        const text = JSON.stringify(key);
        let entry = byKey.get(text);
        if (entry === undefined) {
            entry = { key, sums: { sessions: 0, active: 0, durationSum: null, durations: 0, type: null } };
            byKey.set(text, entry);
        }
        const sums = entry.sums;
        sums.sessions += group.sessions;
        sums.active += group.active;
        if (group.durationSum !== null)
            sums.durationSum = (sums.durationSum ?? 0) + group.durationSum;
        sums.durations += group.durations;
        if (group.type !== null && (sums.type === null || compareSql(group.type, sums.type) < 0))
            sums.type = group.type;
    }
    return [...byKey.values()];
}
/**
 * SQLite's order for ORDER BY on these values: NULL first, then numbers, then text by its UTF-8 bytes
 * (a JSON field such as a persona name may hold a number).
 */
function compareSql(a, b) {
    const rank = (value) => (value === null ? 0 : typeof value === 'number' ? 1 : 2);
    if (rank(a) !== rank(b))
        return rank(a) - rank(b);
    if (typeof a === 'number' && typeof b === 'number')
        return a - b;
    if (typeof a === 'string' && typeof b === 'string')
        return Buffer.compare(Buffer.from(a), Buffer.from(b));
    return 0;
}
const meanOf = (sums) => (sums.durations === 0 || sums.durationSum === null ? null : sums.durationSum / sums.durations);
/** Per exit status, most sessions first (then by status, as SQL orders them). */
function exitStatusGroups(groups) {
    return sumBy(groups, (group) => group.status)
        .map(({ key, sums }) => ({
        status: key,
        sessions: sums.sessions,
        active: sums.active,
        totalDurationS: sums.durationSum,
        meanDurationS: meanOf(sums),
    }))
        .sort((a, b) => b.sessions - a.sessions || compareSql(a.status, b.status));
}
function totalsOf(byStatus, starts, personas, models) {
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
function startsOf(db, where, params) {
    // Two statements: a lone min() or max() walks the start-time index from one end and stops at the
    // first live session; both at once would read every row.
    const bound = (fn) => db
        .prepare(`SELECT ${fn}(start_time) FROM sessions INDEXED BY sessions_start_time WHERE deleted_at IS NULL AND ${where}`)
        .pluck()
        .get(params);
    return { first: bound('min'), last: bound('max') };
}
/**
 * The days the timeline shows: from `--from`'s day (or the first session's) to `--to`'s last day (or
 * the last session's).
 */
function rangeOf(filters, starts) {
    const first = filters.from !== null ? filters.from.slice(0, 10) : (starts.first?.slice(0, 10) ?? null);
    const last = filters.to !== null ? new Date(Date.parse(filters.to) - 1).toISOString().slice(0, 10) : (starts.last?.slice(0, 10) ?? null);
    if (first === null || last === null || first > last)
        return null;
    return { from: first, to: last };
}
/** Days up to {@link MAX_DAYS_PER_DAY}, weeks up to {@link MAX_DAYS_PER_WEEK}, else months. */
function aggregationFor(range) {
    const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
    return days <= MAX_DAYS_PER_DAY ? 'day' : days <= MAX_DAYS_PER_WEEK ? 'week' : 'month';
}
/** The first day of the day, week (Monday) or month holding `date`; the SQL below says the same. */
function periodStart(date, aggregation) {
    if (aggregation === 'day')
        return date;
    if (aggregation === 'month')
        return `${date.slice(0, 7)}-01`;
    const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
    return addDays(date, -((weekday + 6) % 7));
}
/** The first day of the next period after the one starting at `start`. */
function nextPeriod(start, aggregation) {
    if (aggregation === 'day')
        return addDays(start, 1);
    if (aggregation === 'week')
        return addDays(start, 7);
    const d = new Date(`${start}T00:00:00.000Z`);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}
const PERIOD_SQL = {
    day: 'start_date',
    // SQLite's `weekday 1` moves forward to a Monday; six days back first lands on this week's.
    week: "date(start_date, '-6 days', 'weekday 1')",
    month: "substr(start_date, 1, 7) || '-01'",
};
function periods(db, where, params, range, aggregation) {
    // Summed per day in the per-day index's order (it holds the exit status and length too), then
    // per week or month here.
    const days = db
        .prepare(`SELECT substr(start_time, 1, 10) AS day, count(*) AS sessions, coalesce(sum(exit_status = 'ERROR'), 0) AS errors,
         sum(session_length_ms / 1000.0) AS durationSum, count(session_length_ms) AS durations
       FROM sessions INDEXED BY sessions_live_start_day
       WHERE deleted_at IS NULL AND ${where} AND substr(start_time, 1, 10) >= @dayFrom AND substr(start_time, 1, 10) <= @dayTo
       GROUP BY substr(start_time, 1, 10)`)
        .all({ ...params, dayFrom: range.from, dayTo: range.to });
    const byPeriod = new Map();
    for (const day of days) {
        const start = periodStart(day.day, aggregation);
        const period = byPeriod.get(start) ?? { sessions: 0, errors: 0, durationSum: 0, durations: 0 };
        period.sessions += day.sessions;
        period.errors += day.errors;
        period.durationSum += day.durationSum ?? 0;
        period.durations += day.durations;
        byPeriod.set(start, period);
    }
    const out = [];
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
function durations(db, where, params) {
    // One pass reads the lengths; sorting them here takes milliseconds, where SQLite's window
    // functions (row_number() over the sorted lengths) took 0.8 s of a report at 200k sessions.
    const lengths = Float64Array.from(db.prepare(`SELECT duration_s FROM ${LIVE_SESSIONS} WHERE ${where} AND duration_s IS NOT NULL`).pluck().all(params)).sort();
    const n = lengths.length;
    // Nearest rank: the smallest length with at least p% of the lengths at or below it.
    const percentile = (p) => (n === 0 ? null : lengths[Math.ceil((p * n) / 100) - 1]);
    const buckets = DURATION_EDGES.map(() => 0);
    let sum = 0;
    for (const length of lengths) {
        sum += length;
        let bucket = DURATION_EDGES.length - 1;
        for (let i = 1; i < DURATION_EDGES.length; i++) {
            if (length < DURATION_EDGES[i]) {
                bucket = i - 1;
                break;
            }
        }
        buckets[bucket]++;
    }
    return {
        count: n,
        method: 'nearest-rank',
        p50: percentile(50),
        p90: percentile(90),
        p99: percentile(99),
        mean: n === 0 ? null : round3(sum / n),
        min: n === 0 ? null : lengths[0],
        max: n === 0 ? null : lengths[n - 1],
        histogram: DURATION_EDGES.map((fromS, i) => ({
            fromS,
            toS: DURATION_EDGES[i + 1] ?? null,
            sessions: buckets[i],
        })),
    };
}
function exitStatuses(byStatus) {
    const total = byStatus.reduce((sum, group) => sum + group.sessions, 0);
    return byStatus.map((group) => ({
        status: group.status,
        sessions: group.sessions,
        share: round4(group.sessions / total),
        meanDurationS: roundOrNull(group.meanDurationS),
    }));
}
/** The top rows (most sessions first, then by name and id), and how many personas there are in all. */
function topPersonas(groups) {
    const total = groups.reduce((sum, group) => sum + group.sessions, 0);
    const personas = sumBy(groups, (group) => [group.personaId, group.name]).sort((a, b) => b.sums.sessions - a.sums.sessions || compareSql(a.key[1], b.key[1]) || compareSql(a.key[0], b.key[0]));
    return {
        top: personas.slice(0, TOP_N).map(({ key: [personaId, name], sums }) => ({
            personaId,
            name,
            type: sums.type,
            sessions: sums.sessions,
            share: round4(sums.sessions / total),
            totalDurationS: round3(sums.durationSum ?? 0),
        })),
        groups: personas.length,
    };
}
/** The top rows (most sessions first, then by model), and how many distinct models there are (a null model is not one). */
function topModels(groups) {
    const total = groups.reduce((sum, group) => sum + group.sessions, 0);
    const models = sumBy(groups, (group) => group.model).sort((a, b) => b.sums.sessions - a.sums.sessions || compareSql(a.key, b.key));
    return {
        top: models.slice(0, TOP_N).map(({ key, sums }) => ({
            model: key,
            sessions: sums.sessions,
            share: round4(sums.sessions / total),
            meanDurationS: roundOrNull(meanOf(sums)),
        })),
        groups: models.filter((model) => model.key !== null).length,
    };
}
/** `YYYY-MM-DD` plus `n` days. */
/** The later (earlier) of two ISO dates: their text order is their date order. */
const later = (a, b) => (a >= b ? a : b);
const earlier = (a, b) => (a <= b ? a : b);
function addDays(date, n) {
    return new Date(Date.parse(`${date}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
// Means and sums are rounded to the millisecond: more digits are float noise, not information.
function round3(value) {
    return Math.round(value * 1000) / 1000;
}
function round4(value) {
    return Math.round(value * 10_000) / 10_000;
}
function roundOrNull(value) {
    return value === null ? null : round3(value);
}
//# sourceMappingURL=queries.js.map