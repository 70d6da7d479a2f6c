/**
 * The simulator's options: each with the `simulate` flag that sets it, its default and its limits,
 * written once. `simulate` reads its flags through {@link simulatorOptionsFrom}; `startSimulator`,
 * `setOptions` and `createSessionStore` check what they are given with the same checks, so a bad
 * value is the same {@link UsageError} naming the flag wherever it comes from.
 */
import { UsageError } from '../errors.js';
import { integer, number, oneOf, optionalString } from '../option-checks.js';
/** Every fault kind, the default of `faultKinds`. */
const FAULT_KINDS = ['429', '429-date', '500', '502', '503', '504', 'reset', 'truncated', 'html'];
/** The orders the list endpoint understands. */
const LIST_ORDERS = ['newest', 'oldest', 'shuffled'];
/** The numeric options of {@link SimulatorOptions}; one entry per limit. */
const NUMBER_OPTIONS = {
    sessions: { flag: '--sessions', fallback: 250, min: 0, max: 1_000_000, whole: true },
    seed: { flag: '--seed', fallback: 1, min: 0, max: 2 ** 31 - 1, whole: true },
    port: { flag: '--port', fallback: 0, min: 0, max: 65_535, whole: true },
    latencyMs: { flag: '--latency', fallback: 0, min: 0, max: 600_000, whole: false },
    createEvery: { flag: '--create-every', fallback: 0, min: 0, max: 1_000_000, whole: true },
    faultRate: { flag: '--fault-rate', fallback: 0, min: 0, max: 1, whole: false },
    retryAfterSeconds: { flag: '--retry-after', fallback: 1, min: 0, max: 3600, whole: true },
    rateLimit: { flag: '--rate-limit', fallback: 0, min: 0, max: 1_000_000, whole: false },
    stuckOpen: { flag: '--stuck-open', fallback: 0, min: 0, max: 1_000_000, whole: true },
    invalidEvery: { flag: '--invalid-every', fallback: 0, min: 0, max: 1_000_000, whole: true },
    days: { flag: '--days', fallback: 60, min: 1, max: 3660, whole: true },
};
/** A numeric option checked against its flag's limits, or its default when absent. */
export function numberOption(name, value) {
    const { flag, fallback, min, max, whole } = NUMBER_OPTIONS[name];
    return (whole ? integer : number)(value, fallback, flag, min, max);
}
/** The accepted key: absent, or text without spaces. */
function keyOption(value) {
    const key = optionalString(value, '--key');
    if (key === undefined)
        return undefined;
    if (key.trim() === '')
        throw new UsageError('--key must not be empty');
    if (/\s/.test(key))
        throw new UsageError('--key must not contain spaces');
    return key;
}
/** The interface to listen on. */
function hostOption(value) {
    const host = optionalString(value, '--host') ?? '127.0.0.1';
    if (host.trim() === '')
        throw new UsageError('--host must not be empty');
    return host;
}
/** Fault kinds: a list, or the `--faults` text with commas between them. */
function faultKindsOption(value) {
    if (value === undefined)
        return FAULT_KINDS;
    const kinds = typeof value === 'string' ? value.split(',').map((kind) => kind.trim()) : value;
    const takes = `--faults takes ${FAULT_KINDS.join(',')}`;
    if (!Array.isArray(kinds) || kinds.length === 0)
        throw new UsageError(`${takes}; give at least one`);
    for (const kind of kinds) {
        if (!FAULT_KINDS.includes(kind))
            throw new UsageError(`${takes}; ${JSON.stringify(kind)} is not one`);
    }
    return Object.freeze([...kinds]);
}
/** The list order. */
export function orderOption(value) {
    return oneOf(value, 'newest', '--order', LIST_ORDERS);
}
/** Checks the runtime options and fills in their defaults; throws a UsageError naming the flag. */
export function settle(options) {
    return Object.freeze({
        key: keyOption(options.key),
        latencyMs: numberOption('latencyMs', options.latencyMs),
        order: orderOption(options.order),
        createEvery: numberOption('createEvery', options.createEvery),
        faultRate: numberOption('faultRate', options.faultRate),
        faultKinds: faultKindsOption(options.faultKinds),
        retryAfterSeconds: numberOption('retryAfterSeconds', options.retryAfterSeconds),
        rateLimit: numberOption('rateLimit', options.rateLimit),
    });
}
/** The runtime options that settings came from, as `setOptions` and the options endpoint take them. */
export function runtimeOf(settings) {
    const { key, ...rest } = settings;
    return key === undefined ? rest : { key, ...rest };
}
/** Where to listen, checked. */
export function listenOptions(options) {
    return { host: hostOption(options.host), port: numberOption('port', options.port) };
}
/**
 * The options of `anam-sync simulate` from its flags (as the argument parser hands them over),
 * each checked: the same checks `startSimulator` makes, with the same messages.
 */
export function simulatorOptionsFrom(flags) {
    const numbers = Object.fromEntries(Object.entries(NUMBER_OPTIONS).map(([name, { flag }]) => [name, numberOption(name, flags[flag.slice(2)])]));
    return {
        ...numbers,
        key: keyOption(flags.key),
        host: hostOption(flags.host),
        order: orderOption(flags.order),
        faultKinds: faultKindsOption(flags.faults),
    };
}
//# sourceMappingURL=options.js.map