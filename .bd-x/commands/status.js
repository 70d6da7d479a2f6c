/**
 * `anam-sync status`: what the database holds and how the last runs went, for people (text) and
 * scripts (`--json`); `--check` turns it into a health check (exit 0 or 1, one line). Reads only (a
 * read-only connection, never a migration); works while a sync runs (WAL readers do not wait for
 * writers).
 */
import { commonConfig, durationSetting } from '../config.js';
import { ExitCode, UsageError } from '../errors.js';
import { asDatabaseError, openForReading } from '../store/db.js';
import { checkHealth, readStatus } from '../store/status.js';
/** `status --check` accepts a last successful sync this old by default: the default `--full-every`. */
const DEFAULT_MAX_AGE = '24h';
export async function statusCommand({ argv, env, stdout }) {
    const config = commonConfig(argv, env);
    const check = argv.check === true ? durationSetting(argv['max-age'], DEFAULT_MAX_AGE, '--max-age') : null;
    if (check === null && argv['max-age'] !== undefined)
        throw new UsageError('--max-age goes with --check');
    const db = openForReading(config.db);
    try {
        const now = new Date();
        let report;
        try {
            report = readStatus(db, config.db, now);
        }
        catch (error) {
            throw asDatabaseError(error, config.db);
        }
        if (check !== null) {
            const verdict = checkHealth(report.scopes, now, check.ms, check.text);
            stdout.write(`${verdict.line}\n`);
            return verdict.ok ? ExitCode.ok : ExitCode.failed;
        }
        stdout.write(argv.json === true ? `${JSON.stringify(report)}\n` : formatStatus(report));
        return 0;
    }
    finally {
        db.close();
    }
}
/** The status report as a few readable lines. */
export function formatStatus(report) {
    const s = report.sessions;
    const lines = [
        `database  ${report.database}`,
        `sessions  ${s.live} live (${s.open} open), ${s.deleted} deleted, ${s.stored} stored in all`,
        `rejected  ${report.rejectedRecords} records (see the rejected_records table)`,
    ];
    if (report.lock?.stale) {
        lines.push(`lock      left by pid ${report.lock.pid} on ${report.lock.hostname}, which is gone; the next sync takes it over`);
    }
    else if (report.lock) {
        lines.push(`running   a sync holds the database: pid ${report.lock.pid} on ${report.lock.hostname} since ${report.lock.startedAt}`);
    }
    lines.push('', 'bookmarks (per scope)');
    if (report.bookmarks.length === 0)
        lines.push('  none yet: no sync has completed');
    for (const b of report.bookmarks) {
        lines.push(`  ${b.scope === '' ? '(all sessions)' : String(b.scope)}: newest createdAt ${b.newestCreatedAt ?? '-'}, ` +
            `last complete ${b.lastCompleteAt ?? '-'}, last full ${b.lastFullSyncAt ?? '-'}`);
        if (b.countResidual !== null) {
            lines.push(`    warning: the API's count differs by ${b.countResidual} from what its pages list (since ${b.residualSince}); ` +
                'a full scan could not close it');
        }
    }
    if (report.warnings.length > 0) {
        lines.push('', 'open warnings');
        for (const w of report.warnings) {
            lines.push(`  ${w.scope === '' ? '(all sessions)' : w.scope}: ${w.code}: ${w.message} (since ${w.firstSeenAt})`);
        }
    }
    lines.push('', 'last runs');
    if (report.lastRuns.length === 0)
        lines.push('  none');
    for (const r of report.lastRuns) {
        lines.push(`  #${r.runId} ${r.startedAt} ${r.status} ${r.mode}${r.scope ? ` [${r.scope}]` : ''}: ${r.seen} seen, ${r.inserted} inserted, ` +
            `${r.updated} updated, ${r.deleted} deleted, ${r.requests} requests${r.error ? ` — ${r.error}` : ''}`);
    }
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=status.js.map