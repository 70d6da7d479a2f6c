const seconds = (iso) => (iso === null ? null : Date.parse(iso) / 1000);
const FAMILIES = [
    {
        name: 'anam_sync_last_run_timestamp_seconds',
        type: 'gauge',
        help: 'When the last sync run of the scope ended (or started, if it never ended), as Unix time.',
        samples: (s) => [{ value: seconds(s.lastRunAt) }],
    },
    {
        name: 'anam_sync_last_success_timestamp_seconds',
        type: 'gauge',
        help: 'When the last successful sync run of the scope ended, as Unix time.',
        samples: (s) => [{ value: seconds(s.lastSuccessAt) }],
    },
    {
        name: 'anam_sync_run_duration_seconds',
        type: 'gauge',
        help: 'How long the last sync run of the scope took.',
        samples: (s) => [{ value: s.lastRunDurationMs === null ? null : s.lastRunDurationMs / 1000 }],
    },
    {
        name: 'anam_sync_sessions',
        type: 'gauge',
        help: 'Stored sessions of the scope: live (not deleted upstream), open (live, no end time yet), deleted.',
        samples: (s) => ['live', 'open', 'deleted'].map((state) => ({ labels: { state }, value: s.sessions[state] })),
    },
    {
        name: 'anam_sync_requests_total',
        type: 'counter',
        help: 'API requests made by every sync run of the scope, retries included.',
        samples: (s) => [{ value: s.requestsTotal }],
    },
    {
        name: 'anam_sync_retries_total',
        type: 'counter',
        help: 'API requests retried by every sync run of the scope.',
        samples: (s) => [{ value: s.retriesTotal }],
    },
    {
        name: 'anam_sync_rejected_records',
        type: 'gauge',
        help: 'Records the API listed that failed validation (kept in rejected_records).',
        samples: (s) => [{ value: s.rejectedRecords }],
    },
    {
        name: 'anam_sync_warnings',
        type: 'gauge',
        help: 'Warnings the last run of the scope left open, by code (1 while open; see anam-sync status).',
        samples: (s) => s.warnings.map((w) => ({ labels: { code: w.code }, value: 1 })),
    },
];
/** A label value as the text format wants it: backslash, double quote and newline escaped. */
function escapeLabel(value) {
    return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
/** The metrics text for these scopes. A value that is not known yet (never succeeded) is left out. */
export function metricsText(scopes) {
    const lines = [];
    for (const family of FAMILIES) {
        lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
        for (const scope of scopes) {
            for (const sample of family.samples(scope)) {
                if (sample.value === null)
                    continue;
                const labels = Object.entries({ scope: scope.scope, ...sample.labels })
                    .map(([key, value]) => `${key}="${escapeLabel(value)}"`)
                    .join(',');
                lines.push(`${family.name}{${labels}} ${sample.value}`);
            }
        }
    }
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=metrics.js.map