/**
 * The options of `report`, settled and validated once: errors name the flag (exit 2). Times become
 * canonical UTC instants, so they compare as text against the database's time columns.
 */
import { commonConfig, filters } from '../config.js';
import { optionalString } from '../option-checks.js';
import { UsageError } from '../errors.js';
import { timeFlag } from '../time.js';
/** Settles every option of `report`. */
export function reportConfig(argv, env) {
    const common = commonConfig(argv, env);
    const from = timeFlag(argv.from, '--from', 'start');
    const to = timeFlag(argv.to, '--to', 'end');
    if (from !== null && to !== null && from >= to) {
        throw new UsageError(`--from ${String(argv.from)} must be before --to ${String(argv.to)}`);
    }
    const personaId = filters({ 'persona-id': argv['persona-id'] }).personaId ?? null;
    return Object.freeze({
        ...common,
        filters: Object.freeze({ from, to, personaId }),
        json: argv.json === true,
        html: htmlPath(argv.html),
    });
}
function htmlPath(value) {
    const path = optionalString(value, '--html');
    if (path === undefined)
        return null;
    // What the path is (a folder, a link, a device) is the output writer's to check, when it opens it.
    if (path.trim() === '')
        throw new UsageError('--html must name a file');
    return path;
}
//# sourceMappingURL=options.js.map