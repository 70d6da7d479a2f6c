import {
  openOutput,
  timeFlag
} from "./chunk-WMS6IBNG.js";
import "./chunk-I6OMP3F5.js";
import {
  loggerFor
} from "./chunk-XVP3TTKF.js";
import "./chunk-BT734IXT.js";
import {
  commonConfig,
  filters
} from "./chunk-36R3UL22.js";
import {
  optionalString
} from "./chunk-C6BDQT25.js";
import {
  asDatabaseError,
  openForReading
} from "./chunk-2J63RUNB.js";
import {
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/report/format.js
var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function formatCount(n) {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
function formatShare(share) {
  return `${(share * 100).toFixed(1)}%`;
}
function formatDuration(seconds) {
  if (seconds === null)
    return "\u2013";
  if (seconds < 10)
    return `${seconds.toFixed(1)} s`;
  if (seconds < 60)
    return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600)
    return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, "0")}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
function formatHours(seconds) {
  const [whole = "0", tenth = "0"] = (seconds / 3600).toFixed(1).split(".");
  return `${formatCount(Number(whole))}.${tenth} h`;
}
function formatDay(date) {
  return `${MONTHS[Number(date.slice(5, 7)) - 1] ?? "?"} ${Number(date.slice(8, 10))}`;
}
function formatBucket(fromS, toS) {
  if (toS === null)
    return fromS < 60 ? `\u2265 ${fromS} s` : `\u2265 ${fromS / 60} min`;
  if (fromS === 0)
    return toS <= 60 ? `< ${toS} s` : `< ${toS / 60} min`;
  if (toS <= 60)
    return `${fromS}\u2013${toS} s`;
  if (fromS >= 60)
    return `${fromS / 60}\u2013${toS / 60} min`;
  return `${fromS} s\u2013${toS / 60} min`;
}
function personaLabel(name) {
  return name === null || name === "" ? "(unnamed)" : name;
}
function statusLabel(status) {
  return status ?? "none (active)";
}
function modelLabel(model) {
  return model === null || model === "" ? "(unknown)" : model;
}
function describeFilters(filters2) {
  const from = filters2.from === null ? null : readableBound(filters2.from, "start");
  const to = filters2.to === null ? null : readableBound(filters2.to, "end");
  const parts = [];
  if (from !== null && to !== null)
    parts.push(`${from} \u2013 ${to}`);
  else if (from !== null)
    parts.push(`since ${from}`);
  else if (to !== null)
    parts.push(`until ${to}`);
  if (filters2.personaId !== null)
    parts.push(`persona ${filters2.personaId}`);
  return parts.length === 0 ? "all sessions" : parts.join(" \xB7 ");
}
function readableBound(iso, side) {
  if (iso.endsWith("T00:00:00.000Z")) {
    const day = side === "end" ? new Date(Date.parse(iso) - 864e5).toISOString() : iso;
    return `${formatDay(day.slice(0, 10))}, ${day.slice(0, 4)}`;
  }
  const time = iso.slice(11, 23).replace(/:00\.000$|\.000$/, "");
  return `${formatDay(iso.slice(0, 10))}, ${iso.slice(0, 4)} ${time} UTC${side === "end" ? " (exclusive)" : ""}`;
}
function periodHeading(aggregation) {
  return `Sessions per ${aggregation} (UTC${aggregation === "week" ? ", weeks from Monday" : ""})`;
}
function formatPeriod(date, aggregation) {
  return aggregation === "month" ? `${MONTHS[Number(date.slice(5, 7)) - 1] ?? "?"} ${date.slice(0, 4)}` : formatDay(date);
}

// dist/report/charts.js
function esc(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function columnChart(chart) {
  const margin = { left: 44, right: 8, top: chart.valueLabels ? 22 : 12, bottom: 30 };
  const plotW = chart.width - margin.left - margin.right;
  const plotH = chart.height - margin.top - margin.bottom;
  const { max, step } = niceScale(Math.max(0, ...chart.columns.map((c) => c.value)));
  const y = (value) => margin.top + plotH - value / max * plotH;
  const parts = [];
  for (let tick = 0; tick <= max; tick += step) {
    parts.push(`<line class="grid${tick === 0 ? " base" : ""}" x1="${margin.left}" x2="${chart.width - margin.right}" y1="${fx(y(tick))}" y2="${fx(y(tick))}"/>`, `<text class="tick" x="${margin.left - 8}" y="${fx(y(tick) + 4)}" text-anchor="end">${formatCount(tick)}</text>`);
  }
  const band = plotW / Math.max(1, chart.columns.length);
  const barW = Math.max(2, band * (chart.columns.length > 15 ? 0.72 : 0.62));
  chart.columns.forEach((column, i) => {
    const x = margin.left + i * band + (band - barW) / 2;
    const h = y(0) - y(column.value);
    parts.push(`<g class="col"><title>${esc(column.title)}</title>`, `<rect class="bar" data-value="${column.value}" x="${fx(x)}" y="${fx(y(column.value))}" width="${fx(barW)}" height="${fx(h)}" rx="${barW > 8 ? 3 : 1}"/>`);
    if (column.overlay !== void 0 && column.overlay > 0) {
      const oh = y(0) - y(column.overlay);
      parts.push(`<rect class="bar-err" data-value="${column.overlay}" x="${fx(x)}" y="${fx(y(0) - oh)}" width="${fx(barW)}" height="${fx(oh)}"/>`);
    }
    if (chart.valueLabels && column.value > 0) {
      parts.push(`<text class="val" x="${fx(x + barW / 2)}" y="${fx(y(column.value) - 6)}" text-anchor="middle">${formatCount(column.value)}</text>`);
    }
    if (column.axisLabel !== "") {
      parts.push(`<text class="axis" x="${fx(x + barW / 2)}" y="${chart.height - 10}" text-anchor="middle">${esc(column.axisLabel)}</text>`);
    }
    parts.push("</g>");
  });
  return svg(chart.name, chart.label, chart.width, chart.height, parts.join(""));
}
function barList(name, label, rows) {
  const width2 = 520;
  const rowH = 34;
  const labelW = 150;
  const valueW = 112;
  const trackW = width2 - labelW - valueW;
  const max = Math.max(1, ...rows.map((row) => row.value));
  const parts = rows.map((row, i) => {
    const top = i * rowH;
    const w = row.value === 0 ? 0 : Math.max(3, row.value / max * trackW);
    const note = row.note ? `<tspan class="note" dx="6">${esc(row.note)}</tspan>` : "";
    return `<g class="row"><title>${esc(row.title)}</title><text class="label" x="0" y="${top + 21}">${esc(truncate(row.label, labelChars(row.note)))}${note}</text><rect class="track" x="${labelW}" y="${top + 9}" width="${trackW}" height="16" rx="4"/><rect class="bar${row.tone ? ` ${row.tone}` : ""}" data-value="${row.value}" x="${labelW}" y="${top + 9}" width="${fx(w)}" height="16" rx="4"${row.color ? ` style="fill:${row.color}"` : ""}/><text class="num" x="${width2}" y="${top + 21}" text-anchor="end">${esc(row.valueText)}</text></g>`;
  });
  return svg(name, label, width2, rows.length * rowH + 4, parts.join(""));
}
function labelChars(note) {
  const noteWidth = note ? 6 + [...note].length * 6 : 0;
  return Math.max(4, Math.floor((142 - noteWidth) / 7.5));
}
function svg(name, label, width2, height, body) {
  return `<svg class="chart" data-chart="${name}" viewBox="0 0 ${width2} ${height}" width="${width2}" height="${height}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}
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
  const chars = [...text.replace(/\s+/g, " ")];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}\u2026`;
}

// dist/report/html-style.js
var STYLE = `
:root{--bg:#f5f6fa;--card:#fff;--ink:#0f172a;--muted:#64748b;--line:#e5e7eb;--grid:#eef0f4;--accent:#6366f1;--accent-soft:#a5b4fc;--err:#ef4444;--track:#f1f3f8}
@media (prefers-color-scheme:dark){:root{--bg:#0b1020;--card:#131a2e;--ink:#e5e7eb;--muted:#94a3b8;--line:#243049;--grid:#1e2740;--accent:#818cf8;--accent-soft:#4f5b9a;--track:#1a2238}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
main{max-width:1160px;margin:0 auto;padding:32px 28px 40px}
.top{display:flex;justify-content:space-between;align-items:flex-end;gap:24px;flex-wrap:wrap;margin-bottom:24px}
.eyebrow{margin:0 0 4px;color:var(--accent);font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase}
h1{margin:0;font-size:28px;line-height:1.2;font-weight:650;letter-spacing:-.01em}
.meta{margin:6px 0 0;color:var(--muted)}
.stamp{display:flex;gap:24px;margin:0}
.stamp div{text-align:right}
.stamp dt{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.06em}
.stamp dd{margin:0;font-weight:500}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:16px;margin-bottom:16px}
.kpi,.card{background:var(--card);border:1px solid var(--line);border-radius:12px;box-shadow:0 1px 2px rgba(15,23,42,.04)}
.kpi{padding:14px 16px}
.kpi p{margin:0}
.kpi-label{color:var(--muted);font-size:12px;font-weight:500;text-transform:uppercase;letter-spacing:.06em}
.kpi-value{font-size:28px;font-weight:650;line-height:1.3;margin-top:4px!important}
.kpi-sub{color:var(--muted);font-size:12px}
.kpi.warn .kpi-value{color:var(--err)}
.card{padding:18px 20px 16px;min-width:0}
.card.wide{margin-bottom:16px}
.card-head{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap;margin-bottom:8px}
h2{margin:0;font-size:15px;font-weight:600}
.sub{margin:0;color:var(--muted);font-size:12.5px}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
@media (max-width:860px){.grid{grid-template-columns:1fr}}
@media (max-width:600px){main{padding:20px 14px 28px}.stamp div{text-align:left}}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
.chart text{fill:var(--muted);font-size:11px}
.chart .grid{stroke:var(--grid);stroke-width:1}
.chart .grid.base{stroke:var(--line)}
.chart .bar{fill:var(--accent)}
.chart .bar.soft{fill:var(--accent-soft)}
.chart .bar-err{fill:var(--err);opacity:.85}
.chart .col:hover .bar,.chart .row:hover .bar{opacity:.8}
.chart .val{fill:var(--ink);font-size:11px;font-weight:600}
.chart .track{fill:var(--track)}
.chart .label{fill:var(--ink);font-size:13px;font-weight:500}
.chart .note{fill:var(--muted);font-size:11px;font-weight:400}
.chart .num{fill:var(--muted);font-size:12px}
.legend{margin:0 0 6px;color:var(--muted);font-size:12px}
.key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 5px 0 12px;vertical-align:-1px}
.key:first-child{margin-left:0}
.key-bar{background:var(--accent)}
.key-err{background:var(--err)}
.chips{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 8px}
.chip{background:var(--track);border-radius:999px;padding:2px 10px;font-size:12.5px}
.chip b{color:var(--muted);font-weight:600;margin-right:2px}
.empty{color:var(--muted);padding:40px 0;text-align:center;margin:0}
details{margin-top:10px;color:var(--muted);font-size:12.5px}
summary{cursor:pointer}
table{border-collapse:collapse;margin-top:8px;width:100%;max-width:560px}
th,td{text-align:right;padding:3px 10px;border-bottom:1px solid var(--line)}
th:first-child,td:first-child{text-align:left}
th{font-weight:600;color:var(--ink)}
footer{margin-top:24px;color:var(--muted);font-size:12px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px}
@media print{body{background:#fff}.kpi,.card{box-shadow:none;break-inside:avoid}main{padding:0}}
`;

// dist/report/html.js
var STATUS_COLORS = {
  NORMAL_EXIT: "#10b981",
  CLOSED_BY_ENGINE: "#3b82f6",
  ERROR: "#ef4444",
  TIMEOUT: "#f59e0b"
};
var OTHER_COLORS = ["#8b5cf6", "#14b8a6", "#ec4899", "#0ea5e9", "#84cc16"];
var ACTIVE_COLOR = "#94a3b8";
function renderHtml(report) {
  const t = report.totals;
  const d = report.durations;
  const title = "Anam session report";
  const span = t.firstStart === null ? "no sessions" : `${longDate(t.firstStart)} \u2013 ${longDate(t.lastStart ?? t.firstStart)}`;
  const errorRate = t.ended === 0 ? null : t.errors / t.ended;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="generator" content="anam-sync">
<meta name="color-scheme" content="light dark">
<title>${esc(title)} \xB7 ${esc(span)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="top">
  <div>
    <p class="eyebrow">anam-sync report</p>
    <h1>Anam sessions</h1>
    <p class="meta">${esc(metaLine(report))}</p>
  </div>
  <dl class="stamp">
    <div><dt>Database</dt><dd>${esc(baseName(report.database))}</dd></div>
    <div><dt>Generated</dt><dd>${esc(report.generatedAt.slice(0, 16).replace("T", " "))} UTC</dd></div>
  </dl>
</header>

<section class="kpis" aria-label="Totals">
  ${kpi("Sessions", formatCount(t.sessions), `${formatCount(t.active)} open \xB7 ${formatCount(t.ended)} ended`)}
  ${kpi("Median length", formatDuration(d.p50), `p90 ${formatDuration(d.p90)} \xB7 p99 ${formatDuration(d.p99)}`)}
  ${kpi("Talk time", formatHours(t.totalDurationS), `mean ${formatDuration(d.mean)} per session`)}
  ${kpi("Error rate", errorRate === null ? "\u2013" : formatShare(errorRate), `${formatCount(t.errors)} of ${formatCount(t.ended)} ended sessions`, errorRate !== null && errorRate >= 0.1 ? "warn" : "")}
  ${kpi("Personas", formatCount(t.personas), `${formatCount(t.models)} LLM model${t.models === 1 ? "" : "s"}`)}
</section>

${perDaySection(report)}

<div class="grid">
${durationSection(report)}
${exitSection(report)}
${personaSection(report)}
${modelSection(report)}
${conversationSection(report)}
</div>

<footer>
  Live sessions (not deleted upstream), times in UTC. Percentiles by nearest rank over ended sessions.
  Generated by anam-sync from the <code>sessions_flat</code> view.
</footer>
</main>
</body>
</html>
`;
}
function metaLine(report) {
  const { firstStart, lastStart } = report.totals;
  const started = firstStart === null ? "no sessions" : `sessions started ${longDate(firstStart)} \u2013 ${longDate(lastStart ?? firstStart)}`;
  const filters2 = describeFilters(report.filters);
  return filters2 === "all sessions" ? capitalize(started) : `${capitalize(filters2)} \xB7 ${started}`;
}
function kpi(label, value, sub, tone = "") {
  return `<div class="kpi${tone ? ` ${tone}` : ""}"><p class="kpi-label">${esc(label)}</p><p class="kpi-value">${esc(value)}</p><p class="kpi-sub">${esc(sub)}</p></div>`;
}
function card(id, heading, sub, body, wide = false) {
  return `<section class="card${wide ? " wide" : ""}" id="${id}">
  <div class="card-head"><h2>${esc(heading)}</h2><p class="sub">${sub}</p></div>
  ${body}
</section>`;
}
function empty(text) {
  return `<p class="empty">${esc(text)}</p>`;
}
function perDaySection(report) {
  const range = report.periodRange;
  const unit = report.aggregation;
  const heading = periodHeading(unit).replace(/ \(.*$/, "");
  if (range === null)
    return card("per-day", heading, "UTC", empty("No sessions match these filters."), true);
  const periods2 = report.periods;
  const total = periods2.reduce((sum, p) => sum + p.sessions, 0);
  const errors = periods2.reduce((sum, p) => sum + p.errors, 0);
  const every = periods2.length <= 10 ? 1 : periods2.length <= 20 ? 2 : periods2.length <= 60 ? 5 : 10;
  const span = (p) => unit === "day" ? p.date : `${p.date} \u2013 ${p.to}`;
  const chart = columnChart({
    name: "per-day",
    label: `${heading} from ${range.from} to ${range.to}`,
    width: 1080,
    height: 260,
    columns: periods2.map((p, i) => ({
      value: p.sessions,
      overlay: p.errors,
      axisLabel: i % every === 0 || i === periods2.length - 1 ? formatPeriod(p.date, unit) : "",
      title: `${span(p)}: ${formatCount(p.sessions)} sessions, ${formatCount(p.errors)} errors, mean ${formatDuration(p.meanDurationS)}`
    }))
  });
  const legend = `<p class="legend"><span class="key key-bar"></span>sessions <span class="key key-err"></span>ended in ERROR</p>`;
  const units = unit === "day" ? "UTC days" : unit === "week" ? "UTC weeks from Monday" : "UTC months";
  const sub = `${esc(formatDay(range.from))}, ${range.from.slice(0, 4)} \u2013 ${esc(formatDay(range.to))}, ${range.to.slice(0, 4)} \xB7 ${formatCount(total)} sessions, ${formatCount(errors)} errors \xB7 ${units}`;
  const table2 = `<details><summary>Table</summary><table><thead><tr><th>${unit === "day" ? "Date" : unit === "week" ? "Week" : "Month"}</th><th>Sessions</th><th>Errors</th><th>Mean length</th></tr></thead><tbody>${periods2.map((p) => `<tr><td>${esc(span(p))}</td><td>${formatCount(p.sessions)}</td><td>${formatCount(p.errors)}</td><td>${esc(formatDuration(p.meanDurationS))}</td></tr>`).join("")}</tbody></table></details>`;
  return card("per-day", heading, sub, `${legend}${chart}${table2}`, true);
}
function durationSection(report) {
  const d = report.durations;
  if (d.count === 0)
    return card("durations", "Session length", "ended sessions", empty("No ended sessions."));
  const chips = `<p class="chips">${["p50", "p90", "p99"].map((p) => `<span class="chip"><b>${p}</b> ${esc(formatDuration(d[p]))}</span>`).join("")}<span class="chip"><b>max</b> ${esc(formatDuration(d.max))}</span></p>`;
  const chart = columnChart({
    name: "durations",
    label: "Number of ended sessions by length",
    width: 520,
    height: 240,
    valueLabels: true,
    columns: d.histogram.map((bucket) => ({
      value: bucket.sessions,
      axisLabel: formatBucket(bucket.fromS, bucket.toS).replace(" min", "m").replace(" s", "s"),
      title: `${formatBucket(bucket.fromS, bucket.toS)}: ${formatCount(bucket.sessions)} sessions (${formatShare(bucket.sessions / d.count)})`
    }))
  });
  return card("durations", "Session length", `${formatCount(d.count)} ended sessions`, chips + chart);
}
function exitSection(report) {
  if (report.exitStatuses.length === 0)
    return card("exit-statuses", "How sessions end", "exit status", empty("No sessions."));
  let other = 0;
  const rows = report.exitStatuses.map((s) => ({
    label: statusLabel(s.status),
    value: s.sessions,
    valueText: `${formatCount(s.sessions)} \xB7 ${formatShare(s.share)}`,
    color: s.status === null ? ACTIVE_COLOR : STATUS_COLORS[s.status] ?? OTHER_COLORS[other++ % OTHER_COLORS.length],
    title: `${statusLabel(s.status)}: ${formatCount(s.sessions)} sessions (${formatShare(s.share)}), mean ${formatDuration(s.meanDurationS)}`
  }));
  return card("exit-statuses", "How sessions end", "exit status \xB7 share of all sessions", barList("exit-statuses", "Sessions by exit status", rows));
}
function personaSection(report) {
  if (report.topPersonas.length === 0)
    return card("personas", "Top personas", "by sessions", empty("No sessions."));
  const rows = report.topPersonas.map((p) => ({
    label: personaLabel(p.name),
    note: p.personaId === null ? p.type ?? "ephemeral" : p.type ?? "",
    value: p.sessions,
    valueText: `${formatCount(p.sessions)} \xB7 ${formatShare(p.share)}`,
    tone: p.personaId === null ? "soft" : "",
    title: `${personaLabel(p.name)} (${p.personaId ?? "ephemeral, no persona id"}): ${formatCount(p.sessions)} sessions, ${formatHours(p.totalDurationS)}`
  }));
  const of = report.totals.personas > rows.length ? `top ${rows.length} of ${formatCount(report.totals.personas)}` : `${rows.length} persona${rows.length === 1 ? "" : "s"}`;
  const soft = rows.some((row) => row.tone === "soft") ? " \xB7 lighter: ephemeral" : "";
  return card("personas", "Top personas", `${of} \xB7 by sessions${soft}`, barList("personas", "Sessions by persona", rows));
}
function modelSection(report) {
  if (report.topModels.length === 0)
    return card("models", "LLM models", "by sessions", empty("No sessions."));
  const rows = report.topModels.map((m) => ({
    label: modelLabel(m.model),
    value: m.sessions,
    valueText: `${formatCount(m.sessions)} \xB7 ${formatShare(m.share)}`,
    color: "#0ea5e9",
    title: `${modelLabel(m.model)}: ${formatCount(m.sessions)} sessions, mean ${formatDuration(m.meanDurationS)}`
  }));
  return card("models", "LLM models", "by sessions \xB7 from the persona config", barList("models", "Sessions by LLM model", rows));
}
function conversationSection(report) {
  const c = report.conversations;
  const v = c.coverage;
  if (v.ended === v.notAsked)
    return "";
  const coverage = [
    ["stored", v.stored],
    ["transcripts off", v.disabled],
    ["missing", v.missing],
    ["expired (over 30 days)", v.expired],
    ["zero data retention", v.zeroRetention],
    ["not asked yet", v.notAsked]
  ];
  const rateBar = (label, row) => ({
    label,
    value: row.rate ?? 0,
    valueText: `${row.rate === null ? "\u2013" : formatShare(row.rate)} of ${formatCount(row.personaMessages)}`,
    color: "#f97316",
    title: `${label}: ${formatCount(row.interruptions)} of ${formatCount(row.personaMessages)} persona messages interrupted`
  });
  const rows = c.interruptionsByPersona.map((p) => rateBar(personaLabel(p.name), p));
  const models = c.interruptionsByModel.map((m) => rateBar(modelLabel(m.model), m));
  const share = c.speaking.userShare === null ? "\u2013" : formatShare(c.speaking.userShare);
  const body = `<dl class="coverage">${coverage.map(([label, n]) => `<div><dt>${esc(label)}</dt><dd>${esc(formatCount(n))}</dd></div>`).join("")}</dl>
  <p class="sub">Messages per session: p50 ${esc(String(c.messagesPerSession.p50 ?? "\u2013"))}, p90 ${esc(String(c.messagesPerSession.p90 ?? "\u2013"))} \xB7
  users spoke ${esc(formatHours(c.speaking.userS))}, personas ${esc(formatHours(c.speaking.personaS))} (users ${esc(share)})</p>
  ${rows.length === 0 ? "" : barList("interruptions-persona", "Interruption rate by persona", rows)}
  ${models.length === 0 ? "" : barList("interruptions-model", "Interruption rate by LLM model", models)}`;
  return card("conversations", "Conversations", `transcripts of ${formatCount(v.ended)} ended sessions \xB7 interruption rate of persona messages`, body, true);
}
function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
function baseName(path) {
  return path.split(/[\\/]/).pop() || path;
}
function longDate(iso) {
  return `${formatDay(iso.slice(0, 10))}, ${iso.slice(0, 4)}`;
}

// dist/report/options.js
function reportConfig(argv, env) {
  const common = commonConfig(argv, env);
  const from = timeFlag(argv.from, "--from", "start");
  const to = timeFlag(argv.to, "--to", "end");
  if (from !== null && to !== null && from >= to) {
    throw new UsageError(`--from ${String(argv.from)} must be before --to ${String(argv.to)}`);
  }
  const personaId = filters({ "persona-id": argv["persona-id"] }).personaId ?? null;
  return Object.freeze({
    ...common,
    filters: Object.freeze({ from, to, personaId }),
    json: argv.json === true,
    html: htmlPath(argv.html)
  });
}
function htmlPath(value) {
  const path = optionalString(value, "--html");
  if (path === void 0)
    return null;
  if (path.trim() === "")
    throw new UsageError("--html must name a file");
  return path;
}

// dist/report/live-sessions.js
var LIVE_SESSIONS = `(SELECT id, persona_id,
    json_extract(persona_config, '$.name') AS persona_name,
    json_extract(persona_config, '$.type') AS persona_type,
    json_extract(persona_config, '$.llmConfig.modelName') AS llm_model,
    start_time, substr(start_time, 1, 10) AS start_date,
    session_length_ms / 1000.0 AS duration_s, exit_status, (end_time IS NULL) AS is_active
  FROM sessions INDEXED BY sessions_live_report WHERE deleted_at IS NULL)`;

// dist/report/conversations.js
var TOP = 10;
function conversations(db, where, params) {
  const picked = `(SELECT id, persona_name, llm_model FROM ${LIVE_SESSIONS} WHERE ${where} AND is_active = 0) f
    LEFT JOIN transcripts t ON t.session_id = f.id`;
  if (db.prepare("SELECT EXISTS (SELECT 1 FROM transcripts)").pluck().get() === 0) {
    const ended = db.prepare(`SELECT count(*) FROM ${LIVE_SESSIONS} WHERE ${where} AND is_active = 0`).pluck().get(params);
    return withoutTranscripts({ ended, stored: 0, disabled: 0, missing: 0, expired: 0, zeroRetention: 0, notAsked: ended });
  }
  const coverage = db.prepare(`SELECT count(*) AS ended,
         coalesce(sum(t.status = 'stored'), 0) AS stored, coalesce(sum(t.status = 'disabled'), 0) AS disabled,
         coalesce(sum(t.status IN ('missing', 'invalid')), 0) AS missing, coalesce(sum(t.status = 'expired'), 0) AS expired,
         coalesce(sum(t.status = 'zero-retention'), 0) AS zeroRetention, coalesce(sum(t.status IS NULL), 0) AS notAsked,
         coalesce(sum(t.user_speaking_seconds), 0) AS userS, coalesce(sum(t.persona_speaking_seconds), 0) AS personaS
       FROM ${picked}`).get(params);
  if (coverage.stored === 0) {
    const { userS: _, personaS: __, ...counts2 } = coverage;
    return withoutTranscripts(counts2);
  }
  const messages = db.prepare(`WITH stored AS (
         SELECT t.message_count AS n, row_number() OVER (ORDER BY t.message_count) AS rn, count(*) OVER () AS total
         FROM ${picked} WHERE t.status = 'stored'
       )
       SELECT count(*) AS count,
         max(CASE WHEN rn = (50 * total + 99) / 100 THEN n END) AS p50,
         max(CASE WHEN rn = (90 * total + 99) / 100 THEN n END) AS p90
       FROM stored`).get(params);
  const interruptions = (column) => db.prepare(`SELECT f.${column} AS label, sum(t.persona_messages) AS personaMessages, sum(t.interruptions) AS interruptions
           FROM ${picked} WHERE t.status = 'stored'
           GROUP BY f.${column} ORDER BY personaMessages DESC, label LIMIT ${TOP}`).all(params).map((row) => ({
    label: row.label,
    personaMessages: row.personaMessages,
    interruptions: row.interruptions,
    rate: row.personaMessages === 0 ? null : Math.round(row.interruptions / row.personaMessages * 1e4) / 1e4
  }));
  const { userS, personaS, ...counts } = coverage;
  const spoken = userS + personaS;
  return {
    coverage: counts,
    messagesPerSession: messages,
    speaking: {
      userS: Math.round(userS * 10) / 10,
      personaS: Math.round(personaS * 10) / 10,
      userShare: spoken === 0 ? null : Math.round(userS / spoken * 1e4) / 1e4
    },
    interruptionsByPersona: interruptions("persona_name").map(({ label, ...row }) => ({ name: label, ...row })),
    interruptionsByModel: interruptions("llm_model").map(({ label, ...row }) => ({ model: label, ...row }))
  };
}
function withoutTranscripts(coverage) {
  return {
    coverage,
    messagesPerSession: { count: 0, p50: null, p90: null },
    speaking: { userS: 0, personaS: 0, userShare: null },
    interruptionsByPersona: [],
    interruptionsByModel: []
  };
}

// dist/report/queries.js
var MAX_DAYS_PER_DAY = 92;
var MAX_DAYS_PER_WEEK = 731;
var TOP_N = 10;
var DURATION_EDGES = [0, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
function buildReport(db, filters2, context) {
  const { where, params } = filterClause(filters2);
  const read = db.transaction(() => {
    const groups = sessionGroups(db, where, params);
    const byStatus = exitStatusGroups(groups);
    const personas = topPersonas(groups);
    const models = topModels(groups);
    const starts = startsOf(db, where, params);
    const totals = totalsOf(byStatus, starts, personas.groups, models.groups);
    const periodRange = rangeOf(filters2, starts);
    const aggregation = periodRange === null ? "day" : aggregationFor(periodRange);
    return {
      database: context.database,
      generatedAt: context.now.toISOString(),
      filters: { ...filters2 },
      totals,
      aggregation,
      periodRange,
      periods: periodRange === null ? [] : periods(db, where, params, periodRange, aggregation),
      durations: durations(db, where, params),
      exitStatuses: exitStatuses(byStatus),
      topPersonas: personas.top,
      topModels: models.top,
      conversations: conversations(db, where, params)
    };
  });
  return read.deferred();
}
function filterClause(filters2) {
  const conditions = [];
  const params = {};
  if (filters2.from !== null) {
    conditions.push("start_time >= @from");
    params.from = filters2.from;
  }
  if (filters2.to !== null) {
    conditions.push("start_time < @to");
    params.to = filters2.to;
  }
  if (filters2.personaId !== null) {
    conditions.push("persona_id = @personaId");
    params.personaId = filters2.personaId;
  }
  return { where: conditions.length === 0 ? "1" : conditions.join(" AND "), params };
}
function sessionGroups(db, where, params) {
  return db.prepare(`SELECT persona_id AS personaId, persona_name AS name, persona_type AS type, llm_model AS model, exit_status AS status,
         count(*) AS sessions, coalesce(sum(is_active), 0) AS active,
         sum(duration_s) AS durationSum, count(duration_s) AS durations
       FROM ${LIVE_SESSIONS} WHERE ${where}
       GROUP BY persona_id, persona_name, persona_type, llm_model, exit_status`).all(params);
}
function sumBy(groups, keyOf) {
  const byKey = /* @__PURE__ */ new Map();
  for (const group of groups) {
    const key = keyOf(group);
    const text = JSON.stringify(key);
    let entry = byKey.get(text);
    if (entry === void 0) {
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
function compareSql(a, b) {
  const rank = (value) => value === null ? 0 : typeof value === "number" ? 1 : 2;
  if (rank(a) !== rank(b))
    return rank(a) - rank(b);
  if (typeof a === "number" && typeof b === "number")
    return a - b;
  if (typeof a === "string" && typeof b === "string")
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return 0;
}
var meanOf = (sums) => sums.durations === 0 || sums.durationSum === null ? null : sums.durationSum / sums.durations;
function exitStatusGroups(groups) {
  return sumBy(groups, (group) => group.status).map(({ key, sums }) => ({
    status: key,
    sessions: sums.sessions,
    active: sums.active,
    totalDurationS: sums.durationSum,
    meanDurationS: meanOf(sums)
  })).sort((a, b) => b.sessions - a.sessions || compareSql(a.status, b.status));
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
    errors: byStatus.find((group) => group.status === "ERROR")?.sessions ?? 0,
    personas,
    models,
    totalDurationS: round3(totalDurationS),
    firstStart: starts.first,
    lastStart: starts.last
  };
}
function startsOf(db, where, params) {
  const bound = (fn) => db.prepare(`SELECT ${fn}(start_time) FROM sessions INDEXED BY sessions_start_time WHERE deleted_at IS NULL AND ${where}`).pluck().get(params);
  return { first: bound("min"), last: bound("max") };
}
function rangeOf(filters2, starts) {
  const first = filters2.from !== null ? filters2.from.slice(0, 10) : starts.first?.slice(0, 10) ?? null;
  const last = filters2.to !== null ? new Date(Date.parse(filters2.to) - 1).toISOString().slice(0, 10) : starts.last?.slice(0, 10) ?? null;
  if (first === null || last === null || first > last)
    return null;
  return { from: first, to: last };
}
function aggregationFor(range) {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 864e5 + 1;
  return days <= MAX_DAYS_PER_DAY ? "day" : days <= MAX_DAYS_PER_WEEK ? "week" : "month";
}
function periodStart(date, aggregation) {
  if (aggregation === "day")
    return date;
  if (aggregation === "month")
    return `${date.slice(0, 7)}-01`;
  const weekday = (/* @__PURE__ */ new Date(`${date}T00:00:00.000Z`)).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}
function nextPeriod(start, aggregation) {
  if (aggregation === "day")
    return addDays(start, 1);
  if (aggregation === "week")
    return addDays(start, 7);
  const d = /* @__PURE__ */ new Date(`${start}T00:00:00.000Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}
function periods(db, where, params, range, aggregation) {
  const days = db.prepare(`SELECT substr(start_time, 1, 10) AS day, count(*) AS sessions, coalesce(sum(exit_status = 'ERROR'), 0) AS errors,
         sum(session_length_ms / 1000.0) AS durationSum, count(session_length_ms) AS durations
       FROM sessions INDEXED BY sessions_live_start_day
       WHERE deleted_at IS NULL AND ${where} AND substr(start_time, 1, 10) >= @dayFrom AND substr(start_time, 1, 10) <= @dayTo
       GROUP BY substr(start_time, 1, 10)`).all({ ...params, dayFrom: range.from, dayTo: range.to });
  const byPeriod = /* @__PURE__ */ new Map();
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
      meanDurationS: row === void 0 || row.durations === 0 ? null : round3(row.durationSum / row.durations)
    });
  }
  return out;
}
function durations(db, where, params) {
  const lengths = Float64Array.from(db.prepare(`SELECT duration_s FROM ${LIVE_SESSIONS} WHERE ${where} AND duration_s IS NOT NULL`).pluck().all(params)).sort();
  const n = lengths.length;
  const percentile = (p) => n === 0 ? null : lengths[Math.ceil(p * n / 100) - 1];
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
    method: "nearest-rank",
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    mean: n === 0 ? null : round3(sum / n),
    min: n === 0 ? null : lengths[0],
    max: n === 0 ? null : lengths[n - 1],
    histogram: DURATION_EDGES.map((fromS, i) => ({
      fromS,
      toS: DURATION_EDGES[i + 1] ?? null,
      sessions: buckets[i]
    }))
  };
}
function exitStatuses(byStatus) {
  const total = byStatus.reduce((sum, group) => sum + group.sessions, 0);
  return byStatus.map((group) => ({
    status: group.status,
    sessions: group.sessions,
    share: round4(group.sessions / total),
    meanDurationS: roundOrNull(group.meanDurationS)
  }));
}
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
      totalDurationS: round3(sums.durationSum ?? 0)
    })),
    groups: personas.length
  };
}
function topModels(groups) {
  const total = groups.reduce((sum, group) => sum + group.sessions, 0);
  const models = sumBy(groups, (group) => group.model).sort((a, b) => b.sums.sessions - a.sums.sessions || compareSql(a.key, b.key));
  return {
    top: models.slice(0, TOP_N).map(({ key, sums }) => ({
      model: key,
      sessions: sums.sessions,
      share: round4(sums.sessions / total),
      meanDurationS: roundOrNull(meanOf(sums))
    })),
    groups: models.filter((model) => model.key !== null).length
  };
}
var later = (a, b) => a >= b ? a : b;
var earlier = (a, b) => a <= b ? a : b;
function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + n * 864e5).toISOString().slice(0, 10);
}
function round3(value) {
  return Math.round(value * 1e3) / 1e3;
}
function round4(value) {
  return Math.round(value * 1e4) / 1e4;
}
function roundOrNull(value) {
  return value === null ? null : round3(value);
}

// dist/report/text.js
var BAR_WIDTH = 24;
function formatReport(report) {
  const t = report.totals;
  const d = report.durations;
  const lines = [
    `Anam sessions report \xB7 ${report.database} \xB7 ${describeFilters(report.filters)}`,
    t.firstStart === null ? "no sessions match" : `started ${t.firstStart} .. ${t.lastStart}`,
    "",
    ...table([{ header: "" }, { header: "" }], [
      ["sessions", `${formatCount(t.sessions)} (${formatCount(t.active)} active, ${formatCount(t.ended)} ended) \xB7 ${plural(t.personas, "persona")} \xB7 ${plural(t.models, "model")}`],
      ["errors", `${formatCount(t.errors)} (${formatShare(t.ended === 0 ? 0 : t.errors / t.ended)} of ended sessions)`],
      ["length", `p50 ${formatDuration(d.p50)} \xB7 p90 ${formatDuration(d.p90)} \xB7 p99 ${formatDuration(d.p99)} \xB7 mean ${formatDuration(d.mean)} \xB7 longest ${formatDuration(d.max)}`],
      ["talk time", formatHours(t.totalDurationS)]
    ], { headers: false })
  ];
  if (report.periodRange !== null) {
    const max = Math.max(1, ...report.periods.map((p) => p.sessions));
    const unit = report.aggregation;
    lines.push("", `${periodHeading(unit)} \xB7 ${report.periodRange.from} .. ${report.periodRange.to}`);
    lines.push(...table([{ header: unit === "day" ? "date" : unit }, { header: "sessions", align: "right" }, { header: "errors", align: "right" }, { header: "mean", align: "right" }, { header: "" }], report.periods.map((p) => [
      unit === "day" ? p.date : `${p.date} .. ${p.to}`,
      formatCount(p.sessions),
      formatCount(p.errors),
      formatDuration(p.meanDurationS),
      bar(p.sessions, max)
    ])));
  }
  if (d.count > 0) {
    const max = Math.max(1, ...d.histogram.map((b) => b.sessions));
    lines.push("", `Session length \xB7 ${formatCount(d.count)} ended sessions \xB7 nearest-rank percentiles`);
    lines.push(...table([{ header: "length" }, { header: "sessions", align: "right" }, { header: "share", align: "right" }, { header: "" }], d.histogram.map((b) => [formatBucket(b.fromS, b.toS), formatCount(b.sessions), formatShare(b.sessions / d.count), bar(b.sessions, max)])));
  }
  if (report.exitStatuses.length > 0) {
    lines.push("", "Exit statuses");
    lines.push(...table([{ header: "status" }, { header: "sessions", align: "right" }, { header: "share", align: "right" }, { header: "mean length", align: "right" }], report.exitStatuses.map((s) => [statusLabel(s.status), formatCount(s.sessions), formatShare(s.share), formatDuration(s.meanDurationS)])));
  }
  if (report.topPersonas.length > 0) {
    lines.push("", `Top personas (of ${formatCount(t.personas)})`);
    lines.push(...table([{ header: "persona" }, { header: "type" }, { header: "id" }, { header: "sessions", align: "right" }, { header: "share", align: "right" }, { header: "time", align: "right" }], report.topPersonas.map((p) => [
      personaLabel(p.name),
      p.type ?? "",
      p.personaId ?? "\u2013",
      formatCount(p.sessions),
      formatShare(p.share),
      formatHours(p.totalDurationS)
    ])));
  }
  if (report.topModels.length > 0) {
    lines.push("", `Top models (of ${formatCount(t.models)})`);
    lines.push(...table([{ header: "model" }, { header: "sessions", align: "right" }, { header: "share", align: "right" }, { header: "mean length", align: "right" }], report.topModels.map((m) => [modelLabel(m.model), formatCount(m.sessions), formatShare(m.share), formatDuration(m.meanDurationS)])));
  }
  lines.push(...conversationLines(report));
  return `${lines.join("\n")}
`;
}
function conversationLines(report) {
  const c = report.conversations;
  const v = c.coverage;
  if (v.ended === v.notAsked)
    return [];
  const lines = ["", `Conversations \xB7 transcripts of ${formatCount(v.ended)} ended sessions`];
  lines.push(...table([{ header: "stored" }, { header: "disabled" }, { header: "missing" }, { header: "expired" }, { header: "zero retention" }, { header: "not asked" }], [[v.stored, v.disabled, v.missing, v.expired, v.zeroRetention, v.notAsked].map(formatCount)]));
  if (c.messagesPerSession.count > 0) {
    const share = c.speaking.userShare === null ? "\u2013" : formatShare(c.speaking.userShare);
    lines.push(`  messages per session: p50 ${c.messagesPerSession.p50}, p90 ${c.messagesPerSession.p90}; speaking: users ${formatHours(c.speaking.userS)}, personas ${formatHours(c.speaking.personaS)} (users ${share})`);
    const rate = (r) => r === null ? "\u2013" : formatShare(r);
    lines.push("", "Interruptions per persona");
    lines.push(...table([{ header: "persona" }, { header: "persona messages", align: "right" }, { header: "interrupted", align: "right" }, { header: "rate", align: "right" }], c.interruptionsByPersona.map((p) => [personaLabel(p.name), formatCount(p.personaMessages), formatCount(p.interruptions), rate(p.rate)])));
    lines.push("", "Interruptions per model");
    lines.push(...table([{ header: "model" }, { header: "persona messages", align: "right" }, { header: "interrupted", align: "right" }, { header: "rate", align: "right" }], c.interruptionsByModel.map((m) => [modelLabel(m.model), formatCount(m.personaMessages), formatCount(m.interruptions), rate(m.rate)])));
  }
  return lines;
}
function table(columns, rows, options = {}) {
  const clean = rows.map((row) => row.map(printable));
  const all = options.headers === false ? clean : [columns.map((c) => c.header), ...clean];
  const widths = columns.map((_, i) => Math.max(0, ...all.map((row) => width(row[i] ?? ""))));
  return all.map((row) => `  ${columns.map((column, i) => {
    const cell = row[i] ?? "";
    const pad = " ".repeat((widths[i] ?? 0) - width(cell));
    return column.align === "right" ? pad + cell : cell + pad;
  }).join("  ")}`.trimEnd());
}
function plural(n, word) {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}
function bar(value, max) {
  if (value === 0)
    return "";
  return "\u2588".repeat(Math.max(1, Math.round(value / max * BAR_WIDTH)));
}
function printable(text) {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}
function width(text) {
  let n = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    n += code >= 4352 && code <= 4447 || code >= 11904 && code <= 42191 || code >= 44032 && code <= 55203 || code >= 63744 && code <= 64255 || code >= 65072 && code <= 65103 || code >= 65280 && code <= 65376 || code >= 65504 && code <= 65510 || code >= 127744 && code <= 129791 || code >= 131072 && code <= 262141 ? 2 : 1;
  }
  return n;
}

// dist/commands/report.js
async function reportCommand({ argv, env, stdout, stderr }) {
  const config = reportConfig(argv, env);
  const log = loggerFor(config, stderr);
  const db = openForReading(config.db);
  let html = null;
  let report;
  try {
    html = config.html === null ? null : await openOutput(config.html, "--html", { mode: 420, stdout });
    report = buildReport(db, config.filters, { database: config.db, now: /* @__PURE__ */ new Date() });
  } catch (error) {
    html?.abort();
    throw asDatabaseError(error, config.db);
  } finally {
    db.close();
  }
  if (html !== null) {
    try {
      html.stream.write(renderHtml(report));
      await html.commit();
    } catch (error) {
      html.abort();
      throw error;
    }
    log.info(`report written to ${config.html}`, { sessions: report.totals.sessions });
  }
  if (config.json)
    stdout.write(`${JSON.stringify(report)}
`);
  else if (config.html === null)
    stdout.write(formatReport(report));
  return 0;
}
export {
  reportCommand
};
//# sourceMappingURL=chunk-DCZYFHVY.js.map
