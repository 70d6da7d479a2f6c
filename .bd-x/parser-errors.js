/**
 * The argument parser's complaints as one line each, the way a person would say them, with a
 * "did you mean" for a mistyped command or flag. yargs writes some over several lines
 * ("Invalid values:\n  Argument: ...") and names flags without their dashes.
 */
/** yargs' `message` rewritten as one line. */
export function explainParserError(message, context) {
    const unknown = /^Unknown arguments?: (.+)$/s.exec(message.trim());
    if (unknown?.[1] !== undefined) {
        const words = unknown[1].split(', ');
        // yargs lists `--log-format` twice, also as `logFormat`.
        const given = words.filter((word) => !(/[A-Z]/.test(word) && words.includes(kebab(word))));
        const commands = given.filter((word) => !isFlag(word, context.args));
        // Before a command is chosen, its flags are unknown: the missing or mistyped command is the error.
        if (!context.args.some((arg) => context.commands.includes(arg))) {
            return commands.length > 0 ? unknownCommand(commands[0] ?? '', context) : context.noCommand;
        }
        return given.map((word) => (isFlag(word, context.args) ? unknownFlag(word, context) : unknownCommand(word, context))).join('; ');
    }
    const invalid = /Argument: (\S+), Given: (.+), Choices: (.+)$/s.exec(message);
    if (invalid !== null) {
        const [, name = '', given = '', choices = ''] = invalid;
        return `--${name} must be one of ${choices.replaceAll('"', '').trim()}, not ${given.trim()}`;
    }
    const missingValue = /^Not enough arguments following: (\S+)$/.exec(message.trim());
    if (missingValue?.[1] !== undefined)
        return `${dashed(missingValue[1])} needs a value`;
    const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message.trim());
    if (exclusive !== null)
        return `${dashed(exclusive[1] ?? '')} and ${dashed(exclusive[2] ?? '')} cannot be used together`;
    return message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}
function isFlag(word, args) {
    return args.some((arg) => arg === `--${word}` || arg.startsWith(`--${word}=`) || arg === `-${word}` || arg === `--no-${word}`);
}
function unknownCommand(word, context) {
    const guess = closest(word, context.commands);
    return `unknown command ${JSON.stringify(word)}${guess === null ? '' : ` (did you mean ${guess}?)`}; the commands are ${context.commands.join(', ')}`;
}
function unknownFlag(word, context) {
    const guess = closest(word, context.flags.filter((flag) => flag.length > 1 && !/[A-Z]/.test(flag)));
    return `unknown flag ${dashed(word)}${guess === null ? '' : ` (did you mean --${guess}?)`}`;
}
function kebab(word) {
    return word.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
function dashed(name) {
    return name.length === 1 ? `-${name}` : `--${name}`;
}
/** The candidate nearest to `word` by edit distance, when near enough to be a typo (at most 2, and under half its length). */
function closest(word, candidates) {
    let best = null;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best !== null && bestDistance <= Math.min(2, Math.floor((word.length - 1) / 2)) ? best : null;
}
/** Levenshtein distance, with a swap of two neighbours counted as one edit (`stauts` → `status`). */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const row = d[i];
            const up = d[i - 1];
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            row[j] = Math.min(up[j] + 1, row[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                row[j] = Math.min(row[j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}
//# sourceMappingURL=parser-errors.js.map