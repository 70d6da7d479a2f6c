/**
 * `anam-sync report`: sessions per day, durations, exit statuses, top personas and models, as
 * tables (default), one JSON object (`--json`) or a self-contained HTML page (`--html FILE`).
 * Reads only: the database is opened read-only, so a report runs beside a sync.
 */
import { renderHtml } from '../report/html.js';
import { reportConfig } from '../report/options.js';
import { buildReport } from '../report/queries.js';
import { formatReport } from '../report/text.js';
import { openOutput } from '../output-file.js';
import { asDatabaseError, openForReading } from '../store/db.js';
import { loggerFor } from './context.js';
export async function reportCommand({ argv, env, stdout, stderr }) {
    const config = reportConfig(argv, env);
    const log = loggerFor(config, stderr);
    const db = openForReading(config.db);
    let html = null;
    let report;
    try {
        // Opened before any row is read, so an unusable path fails at once. Meant to be shared, and it
        // holds counts and names, no prompts or keys: readable by others.
        html = config.html === null ? null : await openOutput(config.html, '--html', { mode: 0o644, stdout });
        report = buildReport(db, config.filters, { database: config.db, now: new Date() });
    }
    catch (error) {
        html?.abort();
        throw asDatabaseError(error, config.db);
    }
    finally {
        db.close();
    }
    if (html !== null) {
        try {
            html.stream.write(renderHtml(report));
            await html.commit();
        }
        catch (error) {
            html.abort();
            throw error;
        }
        log.info(`report written to ${config.html}`, { sessions: report.totals.sessions });
    }
    if (config.json)
        stdout.write(`${JSON.stringify(report)}\n`);
    else if (config.html === null)
        stdout.write(formatReport(report));
    return 0;
}
//# sourceMappingURL=report.js.map