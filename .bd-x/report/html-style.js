/** The HTML report's stylesheet: light and dark, print-friendly, inlined into the page. */
export const STYLE = `
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
//# sourceMappingURL=html-style.js.map