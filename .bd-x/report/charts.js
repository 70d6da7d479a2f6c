/**
 * The HTML report's charts: plain SVG, sized by viewBox so they scale with the page, with native
 * tooltips via <title>. No script: they are drawn once, here.
 */
import { formatCount } from './format.js';
/** Escapes text for HTML content and attribute values. */
export function esc(text) {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
export function columnChart(chart) {
    const margin = { left: 44, right: 8, top: chart.valueLabels ? 22 : 12, bottom: 30 };
    const plotW = chart.width - margin.left - margin.right;
    const plotH = chart.height - margin.top - margin.bottom;
    const { max, step } = niceScale(Math.max(0, ...chart.columns.map((c) => c.value)));
    const y = (value) => margin.top + plotH - (value / max) * plotH;
    const parts = [];
    for (let tick = 0; tick <= max; tick += step) {
        parts.push(`<line class="grid${tick === 0 ? ' base' : ''}" x1="${margin.left}" x2="${chart.width - margin.right}" y1="${fx(y(tick))}" y2="${fx(y(tick))}"/>`, `<text class="tick" x="${margin.left - 8}" y="${fx(y(tick) + 4)}" text-anchor="end">${formatCount(tick)}</text>`);
    }
    const band = plotW / Math.max(1, chart.columns.length);
    const barW = Math.max(2, band * (chart.columns.length > 15 ? 0.72 : 0.62));
    chart.columns.forEach((column, i) => {
        const x = margin.left + i * band + (band - barW) / 2;
        const h = y(0) - y(column.value);
        parts.push(`<g class="col"><title>${esc(column.title)}</title>`, `<rect class="bar" data-value="${column.value}" x="${fx(x)}" y="${fx(y(column.value))}" width="${fx(barW)}" height="${fx(h)}" rx="${barW > 8 ? 3 : 1}"/>`);
        if (column.overlay !== undefined && column.overlay > 0) {
            const oh = y(0) - y(column.overlay);
            parts.push(`<rect class="bar-err" data-value="${column.overlay}" x="${fx(x)}" y="${fx(y(0) - oh)}" width="${fx(barW)}" height="${fx(oh)}"/>`);
        }
        if (chart.valueLabels && column.value > 0) {
            parts.push(`<text class="val" x="${fx(x + barW / 2)}" y="${fx(y(column.value) - 6)}" text-anchor="middle">${formatCount(column.value)}</text>`);
        }
        if (column.axisLabel !== '') {
            parts.push(`<text class="axis" x="${fx(x + barW / 2)}" y="${chart.height - 10}" text-anchor="middle">${esc(column.axisLabel)}</text>`);
        }
        parts.push('</g>');
    });
    return svg(chart.name, chart.label, chart.width, chart.height, parts.join(''));
}
export function barList(name, label, rows) {
    const width = 520;
    const rowH = 34;
    const labelW = 150;
    const valueW = 112;
    const trackW = width - labelW - valueW;
    const max = Math.max(1, ...rows.map((row) => row.value));
    const parts = rows.map((row, i) => {
        const top = i * rowH;
        const w = row.value === 0 ? 0 : Math.max(3, (row.value / max) * trackW);
        const note = row.note ? `<tspan class="note" dx="6">${esc(row.note)}</tspan>` : '';
        return (`<g class="row"><title>${esc(row.title)}</title>` +
            `<text class="label" x="0" y="${top + 21}">${esc(truncate(row.label, labelChars(row.note)))}${note}</text>` +
            `<rect class="track" x="${labelW}" y="${top + 9}" width="${trackW}" height="16" rx="4"/>` +
            `<rect class="bar${row.tone ? ` ${row.tone}` : ''}" data-value="${row.value}" x="${labelW}" y="${top + 9}" width="${fx(w)}" height="16" rx="4"${row.color ? ` style="fill:${row.color}"` : ''}/>` +
            `<text class="num" x="${width}" y="${top + 21}" text-anchor="end">${esc(row.valueText)}</text></g>`);
    });
    return svg(name, label, width, rows.length * rowH + 4, parts.join(''));
}
/**
 * How many characters of a label fit before the bar, next to its note: no font metrics without a
 * browser, so a generous average width (7.5 px at 13 px, 6 px for the 11 px note) keeps clear of it.
 */
function labelChars(note) {
    const noteWidth = note ? 6 + [...note].length * 6 : 0;
    return Math.max(4, Math.floor((142 - noteWidth) / 7.5));
}
function svg(name, label, width, height, body) {
    return `<svg class="chart" data-chart="${name}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}
/** A round axis maximum and step (1, 2 or 5 × 10^k) giving about four gridlines. */
function niceScale(maxValue) {
    if (maxValue <= 0)
        return { max: 1, step: 1 };
    const raw = maxValue / 4;
    const power = 10 ** Math.floor(Math.log10(raw));
    const m = raw / power;
    const step = Math.max(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power);
    return { max: Math.ceil(maxValue / step) * step, step };
}
function fx(n) {
    return String(Math.round(n * 10) / 10);
}
function truncate(text, max) {
    const chars = [...text.replace(/\s+/g, ' ')];
    return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
//# sourceMappingURL=charts.js.map