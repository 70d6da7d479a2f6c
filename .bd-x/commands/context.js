import { createLogger } from '../log.js';
/** The logger the common options ask for: --quiet keeps errors only, --verbose adds requests. */
export function loggerFor(config, stderr) {
    return createLogger({
        format: config.logFormat,
        level: config.quiet ? 'error' : config.verbose ? 'debug' : 'info',
        write: (line) => void stderr.write(line),
    });
}
//# sourceMappingURL=context.js.map