/**
 * Logging on stderr: readable lines by default, one JSON object per line for log shippers,
 * errors and coded warnings only with --quiet, one line per request with --verbose. Nothing here ever sees the key.
 */
const RANK = { debug: 0, info: 1, warn: 2, error: 3 };
/** A logger writing lines to stderr (or `write`). */
export function createLogger(options) {
    const write = options.write ?? ((line) => void process.stderr.write(line));
    const clock = options.clock ?? (() => new Date());
    const emit = (level, message, fields = {}) => {
        // A warning with a `code` is one a person must see (an API inconsistency, a count residual):
        // it is written whatever the level, --quiet included.
        const forAPerson = level === 'warn' && fields.code !== undefined;
        if (RANK[level] < RANK[options.level] && !forAPerson)
            return;
        if (options.format === 'json') {
            write(`${JSON.stringify({ time: clock().toISOString(), level, message, ...fields })}\n`);
            return;
        }
        const extra = Object.entries(fields)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join(' ');
        const prefix = level === 'info' || level === 'debug' ? '' : `${level}: `;
        write(`anam-sync: ${prefix}${message}${extra ? ` (${extra})` : ''}\n`);
    };
    return {
        debug: (message, fields) => emit('debug', message, fields),
        info: (message, fields) => emit('info', message, fields),
        warn: (message, fields) => emit('warn', message, fields),
        error: (message, fields) => emit('error', message, fields),
    };
}
//# sourceMappingURL=log.js.map