/**
 * The checks of option values, shared by every command's flags and the simulator's options: a
 * failure is a {@link UsageError} (exit 2) whose one line names the flag and the value given.
 */
import { UsageError } from './errors.js';
/** A flag's text, or undefined when it is absent; `name` is the flag an error names. */
export function optionalString(value, name) {
    if (value === undefined)
        return undefined;
    if (Array.isArray(value))
        throw new UsageError(`${name} was given more than once`);
    return String(value);
}
/** A value as an error shows it: text quoted, numbers as they are (`NaN`, `Infinity` included). */
function shown(value) {
    return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
/** `from 1 to 32`, or `of at least 1` when there is no upper limit. */
function range(min, max) {
    return max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
}
/** A number within [min, max] (text is read as a number: flags arrive as text); `name` is the flag the error names. */
export function number(value, fallback, name, min, max) {
    if (value === undefined)
        return fallback;
    if (Array.isArray(value))
        throw new UsageError(`${name} was given more than once`);
    const n = typeof value === 'number' ? value : Number(String(value).trim() === '' ? NaN : value);
    if (!Number.isFinite(n) || n < min || n > max) {
        throw new UsageError(`${name} must be a number ${range(min, max)}, not ${shown(value)}`);
    }
    return n;
}
/** A whole number within [min, max]. */
export function integer(value, fallback, name, min, max) {
    const n = number(value, fallback, name, min, max);
    if (!Number.isInteger(n))
        throw new UsageError(`${name} must be a whole number ${range(min, max)}, not ${shown(value)}`);
    return n;
}
/** One of `choices`, or `fallback` when the value is absent. */
export function oneOf(value, fallback, name, choices) {
    if (value === undefined)
        return fallback;
    if (Array.isArray(value))
        throw new UsageError(`${name} was given more than once`);
    if (!choices.includes(value))
        throw new UsageError(`${name} must be one of ${choices.join(', ')}, not ${shown(value)}`);
    return value;
}
//# sourceMappingURL=option-checks.js.map