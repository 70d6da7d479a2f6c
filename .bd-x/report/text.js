/** The report for the terminal: a few headline lines, then small aligned tables. */
import { describeFilters, formatBucket, formatCount, formatDuration, formatHours, formatShare, modelLabel, periodHeading, personaLabel, statusLabel, } from './format.js';
const BAR_WIDTH = 24;
/** The whole report as text, ending with a newline. */
export function formatReport(report) {
    const t = report.totals;
    const d = report.durations;
    const lines = [
        `Anam sessions report · ${report.database} · ${describeFilters(report.filters)}`,
        t.firstStart === null ? 'no sessions match' : `started ${t.firstStart} .. ${t.lastStart}`,
        '',
        ...table([{ header: '' }, { header: '' }], [
            ['sessions', `${formatCount(t.sessions)} (${formatCount(t.active)} active, ${formatCount(t.ended)} ended) · ${plural(t.personas, 'persona')} · ${plural(t.models, 'model')}`],
            ['errors', `${formatCount(t.errors)} (${formatShare(t.ended === 0 ? 0 : t.errors / t.ended)} of ended sessions)`],
            ['length', `p50 ${formatDuration(d.p50)} · p90 ${formatDuration(d.p90)} · p99 ${formatDuration(d.p99)} · mean ${formatDuration(d.mean)} · longest ${formatDuration(d.max)}`],
            ['talk time', formatHours(t.totalDurationS)],
        ], { headers: false }),
    ];
    if (report.periodRange !== null) {
        const max = Math.max(1, ...report.periods.map((p) => p.sessions));
        const unit = report.aggregation;
        lines.push('', `${periodHeading(unit)} · ${report.periodRange.from} .. ${report.periodRange.to}`);
        lines.push(...table([{ header: unit === 'day' ? 'date' : unit }, { header: 'sessions', align: 'right' }, { header: 'errors', align: 'right' }, { header: 'mean', align: 'right' }, { header: '' }], report.periods.map((p) => [
            unit === 'day' ? p.date : `${p.date} .. ${p.to}`,
            formatCount(p.sessions),
            formatCount(p.errors),
            formatDuration(p.meanDurationS),
            bar(p.sessions, max),
        ])));
    }
    if (d.count > 0) {
        const max = Math.max(1, ...d.histogram.map((b) => b.sessions));
        lines.push('', `Session length · ${formatCount(d.count)} ended sessions · nearest-rank percentiles`);
        lines.push(...table([{ header: 'length' }, { header: 'sessions', align: 'right' }, { header: 'share', align: 'right' }, { header: '' }], d.histogram.map((b) => [formatBucket(b.fromS, b.toS), formatCount(b.sessions), formatShare(b.sessions / d.count), bar(b.sessions, max)])));
    }
    if (report.exitStatuses.length > 0) {
        lines.push('', 'Exit statuses');
        lines.push(...table([{ header: 'status' }, { header: 'sessions', align: 'right' }, { header: 'share', align: 'right' }, { header: 'mean length', align: 'right' }], report.exitStatuses.map((s) => [statusLabel(s.status), formatCount(s.sessions), formatShare(s.share), formatDuration(s.meanDurationS)])));
    }
    if (report.topPersonas.length > 0) {
        lines.push('', `Top personas (of ${formatCount(t.personas)})`);
        lines.push(...table([{ header: 'persona' }, { header: 'type' }, { header: 'id' }, { header: 'sessions', align: 'right' }, { header: 'share', align: 'right' }, { header: 'time', align: 'right' }], report.topPersonas.map((p) => [
            personaLabel(p.name),
            p.type ?? '',
            p.personaId ?? '–',
            formatCount(p.sessions),
            formatShare(p.share),
            formatHours(p.totalDurationS),
        ])));
    }
    if (report.topModels.length > 0) {
        lines.push('', `Top models (of ${formatCount(t.models)})`);
        lines.push(...table([{ header: 'model' }, { header: 'sessions', align: 'right' }, { header: 'share', align: 'right' }, { header: 'mean length', align: 'right' }], report.topModels.map((m) => [modelLabel(m.model), formatCount(m.sessions), formatShare(m.share), formatDuration(m.meanDurationS)])));
    }
    lines.push(...conversationLines(report));
    return `${lines.join('\n')}\n`;
}
/** The conversation section: shown once any transcript of the report's sessions was asked for. */
function conversationLines(report) {
    const c = report.conversations;
    const v = c.coverage;
    if (v.ended === v.notAsked)
        return [];
    const lines = ['', `Conversations · transcripts of ${formatCount(v.ended)} ended sessions`];
    lines.push(...table([{ header: 'stored' }, { header: 'disabled' }, { header: 'missing' }, { header: 'expired' }, { header: 'zero retention' }, { header: 'not asked' }], [[v.stored, v.disabled, v.missing, v.expired, v.zeroRetention, v.notAsked].map(formatCount)]));
    if (c.messagesPerSession.count > 0) {
        const share = c.speaking.userShare === null ? '–' : formatShare(c.speaking.userShare);
        lines.push(`  messages per session: p50 ${c.messagesPerSession.p50}, p90 ${c.messagesPerSession.p90}; ` +
            `speaking: users ${formatHours(c.speaking.userS)}, personas ${formatHours(c.speaking.personaS)} (users ${share})`);
        const rate = (r) => (r === null ? '–' : formatShare(r));
        lines.push('', 'Interruptions per persona');
        lines.push(...table([{ header: 'persona' }, { header: 'persona messages', align: 'right' }, { header: 'interrupted', align: 'right' }, { header: 'rate', align: 'right' }], c.interruptionsByPersona.map((p) => [personaLabel(p.name), formatCount(p.personaMessages), formatCount(p.interruptions), rate(p.rate)])));
        lines.push('', 'Interruptions per model');
        lines.push(...table([{ header: 'model' }, { header: 'persona messages', align: 'right' }, { header: 'interrupted', align: 'right' }, { header: 'rate', align: 'right' }], c.interruptionsByModel.map((m) => [modelLabel(m.model), formatCount(m.personaMessages), formatCount(m.interruptions), rate(m.rate)])));
    }
    return lines;
}
/**
 * Rows under a header, each column as wide as its widest cell, two spaces apart, indented by two.
 * Cells are made printable first: a label holding a newline or escape would break the layout.
 */
function table(columns, rows, options = {}) {
    const clean = rows.map((row) => row.map(printable));
    const all = options.headers === false ? clean : [columns.map((c) => c.header), ...clean];
    const widths = columns.map((_, i) => Math.max(0, ...all.map((row) => width(row[i] ?? ''))));
    return all.map((row) => `  ${columns
        .map((column, i) => {
        const cell = row[i] ?? '';
        const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
        return column.align === 'right' ? pad + cell : cell + pad;
    })
        .join('  ')}`.trimEnd());
}
function plural(n, word) {
    return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
function bar(value, max) {
    if (value === 0)
        return '';
    return '█'.repeat(Math.max(1, Math.round((value / max) * BAR_WIDTH)));
}
function printable(text) {
    return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
/** Columns a string takes in a terminal: wide (CJK, emoji) characters count two. */
function width(text) {
    let n = 0;
    for (const char of text) {
        const code = char.codePointAt(0) ?? 0;
        n += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
            (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
            (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd)
            ? 2
            : 1;
    }
    return n;
}
//# sourceMappingURL=text.js.map