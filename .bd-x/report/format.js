/** How the report writes numbers, durations and dates, the same in the terminal and in HTML. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12345` → `12,345`. */
export function formatCount(n) {
    return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
/** `0.1234` → `12.3%`. */
export function formatShare(share) {
    return `${(share * 100).toFixed(1)}%`;
}
/** Seconds as a person would say them: `4.2 s`, `42 s`, `4m 05s`, `1h 02m`; null is `–`. */
export function formatDuration(seconds) {
    if (seconds === null)
        return '–';
    if (seconds < 10)
        return `${seconds.toFixed(1)} s`;
    if (seconds < 60)
        return `${Math.round(seconds)} s`;
    const whole = Math.round(seconds);
    if (whole < 3600)
        return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
/** Seconds as hours with one decimal, for totals: `1,812.5 h`. */
export function formatHours(seconds) {
    const [whole = '0', tenth = '0'] = (seconds / 3600).toFixed(1).split('.');
    return `${formatCount(Number(whole))}.${tenth} h`;
}
/** `2026-09-01` → `Sep 1`. */
export function formatDay(date) {
    return `${MONTHS[Number(date.slice(5, 7)) - 1] ?? '?'} ${Number(date.slice(8, 10))}`;
}
/** A histogram bucket's range: `< 10 s`, `30–60 s`, `1–2 min`, `≥ 60 min`. */
export function formatBucket(fromS, toS) {
    if (toS === null)
        return fromS < 60 ? `≥ ${fromS} s` : `≥ ${fromS / 60} min`;
    if (fromS === 0)
        return toS <= 60 ? `< ${toS} s` : `< ${toS / 60} min`;
    if (toS <= 60)
        return `${fromS}–${toS} s`;
    if (fromS >= 60)
        return `${fromS / 60}–${toS / 60} min`;
    return `${fromS} s–${toS / 60} min`;
}
/** The persona column: its name, or `(unnamed)`. */
export function personaLabel(name) {
    return name === null || name === '' ? '(unnamed)' : name;
}
/** The exit-status column: the status, or a note for sessions that have not ended. */
export function statusLabel(status) {
    return status ?? 'none (active)';
}
/** The model column: the model, or `(unknown)`. */
export function modelLabel(model) {
    return model === null || model === '' ? '(unknown)' : model;
}
/**
 * The filters as a short phrase: `all sessions`, `Sep 20, 2026 – Sep 26, 2026`, `since …`,
 * `persona …`. A bound at midnight reads as a day (`--to`'s exclusive midnight as the day before).
 */
export function describeFilters(filters) {
    const from = filters.from === null ? null : readableBound(filters.from, 'start');
    const to = filters.to === null ? null : readableBound(filters.to, 'end');
    const parts = [];
    if (from !== null && to !== null)
        parts.push(`${from} – ${to}`);
    else if (from !== null)
        parts.push(`since ${from}`);
    else if (to !== null)
        parts.push(`until ${to}`);
    if (filters.personaId !== null)
        parts.push(`persona ${filters.personaId}`);
    return parts.length === 0 ? 'all sessions' : parts.join(' · ');
}
function readableBound(iso, side) {
    if (iso.endsWith('T00:00:00.000Z')) {
        const day = side === 'end' ? new Date(Date.parse(iso) - 86_400_000).toISOString() : iso;
        return `${formatDay(day.slice(0, 10))}, ${day.slice(0, 4)}`;
    }
    const time = iso.slice(11, 23).replace(/:00\.000$|\.000$/, '');
    return `${formatDay(iso.slice(0, 10))}, ${iso.slice(0, 4)} ${time} UTC${side === 'end' ? ' (exclusive)' : ''}`;
}
/** The timeline's heading: `Sessions per day (UTC)`, `... per week (UTC, weeks from Monday)`, `... per month (UTC)`. */
export function periodHeading(aggregation) {
    return `Sessions per ${aggregation} (UTC${aggregation === 'week' ? ', weeks from Monday' : ''})`;
}
/** A period as an axis label: `Sep 1` for a day or a week (its first day), `Sep 2026` for a month. */
export function formatPeriod(date, aggregation) {
    return aggregation === 'month' ? `${MONTHS[Number(date.slice(5, 7)) - 1] ?? '?'} ${date.slice(0, 4)}` : formatDay(date);
}
//# sourceMappingURL=format.js.map