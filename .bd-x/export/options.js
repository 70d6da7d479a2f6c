/**
 * The options of `export`, settled and validated once: every error names its flag (exit 2).
 * Time filters accept RFC 3339 or a plain date and become the stored form
 * (`2026-04-20T09:00:00.000Z`), so SQLite compares them with the stored text.
 */
import { resolve } from 'node:path';
import { timeFlag } from '../time.js';
import { commonConfig } from '../config.js';
import { oneOf, optionalString } from '../option-checks.js';
import { UsageError } from '../errors.js';
import { DATASET_TABLES, PARTITION_BYS } from './dataset-plan.js';
import { EXPORT_FORMATS } from './export-sessions.js';
/** Tables other commands know of that `export` does not carry yet. */
const LATER_TABLES = ['transcripts', 'transcript_messages'];
/** Settles every option of `export`. */
export function exportConfig(argv, env) {
    const common = commonConfig(argv, env);
    const dataset = datasetFlag(argv);
    const formatText = optionalString(argv.format, '--format') ?? (dataset === null ? 'csv' : 'parquet');
    if (!EXPORT_FORMATS.includes(formatText)) {
        throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not ${JSON.stringify(formatText)}`);
    }
    const format = formatText;
    const outText = optionalString(argv.out, '--out');
    if (outText !== undefined && outText.trim() === '')
        throw new UsageError('--out must not be empty (use - for stdout)');
    const out = outText === undefined || outText === '-' ? null : outText;
    const schema = optionalString(argv.schema, '--schema') ?? null;
    if (schema !== null && (schema.trim() === '' || schema === '-'))
        throw new UsageError('--schema must name a file');
    const excelSafe = argv['excel-safe'] === true;
    if (excelSafe && format !== 'csv')
        throw new UsageError(`--excel-safe applies to CSV only, not --format ${format}`);
    const filter = {};
    if (argv['exclude-deleted'] === true)
        filter.excludeDeleted = true;
    const updatedSince = timeFlag(argv['updated-since'], '--updated-since');
    const startedFrom = timeFlag(argv['started-from'], '--started-from');
    const startedTo = timeFlag(argv['started-to'], '--started-to', 'end');
    if (updatedSince !== null)
        filter.updatedSince = updatedSince;
    if (startedFrom !== null)
        filter.startedFrom = startedFrom;
    if (startedTo !== null)
        filter.startedTo = startedTo;
    if (startedFrom !== null && startedTo !== null && startedTo <= startedFrom) {
        throw new UsageError(`--started-to (${startedTo}) must be later than --started-from (${startedFrom})`);
    }
    const sinceLast = optionalString(argv['since-last'], '--since-last') ?? null;
    if (sinceLast !== null && (sinceLast.trim() === '' || sinceLast.length > 200 || /[\u0000-\u001f\u007f]/.test(sinceLast))) {
        throw new UsageError('--since-last must be a name of 1 to 200 printable characters');
    }
    const tableText = optionalString(argv.table, '--table') ?? 'sessions';
    if (!DATASET_TABLES.includes(tableText)) {
        const later = LATER_TABLES.includes(tableText) ? ` (${tableText} cannot be exported yet)` : '';
        throw new UsageError(`--table must be one of ${DATASET_TABLES.join(', ')}, not ${JSON.stringify(tableText)}${later}`);
    }
    const table = tableText;
    const partitionText = optionalString(argv['partition-by'], '--partition-by');
    if (partitionText !== undefined && dataset === null)
        throw new UsageError('--partition-by applies to --dataset only');
    const partitionBy = oneOf(partitionText, 'day', '--partition-by', PARTITION_BYS);
    const skipEmpty = argv['skip-empty'] === true;
    if (dataset !== null)
        checkDatasetFlags(argv, format);
    checkPaths(common.db, out, schema);
    if (dataset !== null)
        checkDatasetPath(common.db, dataset, table);
    return Object.freeze({ ...common, format, out, filter: Object.freeze(filter), sinceLast, excelSafe, schema, table, dataset, partitionBy, skipEmpty });
}
function datasetFlag(argv) {
    const text = optionalString(argv.dataset, '--dataset');
    if (text === undefined)
        return null;
    if (text.trim() === '' || text === '-')
        throw new UsageError('--dataset must name a folder');
    return text;
}
/** A dataset is the whole table, in Parquet: flags for one file or for a subset of rows do not apply. */
function checkDatasetFlags(argv, format) {
    if (format !== 'parquet')
        throw new UsageError(`--dataset writes Parquet; leave out --format ${format}`);
    for (const flag of ['out', 'schema', 'updated-since', 'started-from', 'started-to']) {
        if (argv[flag] !== undefined) {
            throw new UsageError(`--${flag} does not apply to --dataset (a dataset holds the whole table; its manifest lists the columns)`);
        }
    }
}
/** The database must not be the dataset folder, nor lie in the table's folder, which the export owns. */
function checkDatasetPath(db, dataset, table) {
    const database = resolve(db);
    const owned = resolve(dataset, table);
    if (resolve(dataset) === database || database === owned || database.startsWith(`${owned}/`)) {
        throw new UsageError(`--dataset ${dataset} would hold the database itself; choose another folder`);
    }
}
/** An export must not overwrite the database it reads, nor write data and schema to one file. */
function checkPaths(db, out, schema) {
    const database = resolve(db);
    const guarded = [database, `${database}-wal`, `${database}-shm`, `${database}-journal`];
    if (out !== null && guarded.includes(resolve(out)))
        throw new UsageError(`--out ${out} is the database itself; choose another file`);
    if (schema !== null && guarded.includes(resolve(schema)))
        throw new UsageError(`--schema ${schema} is the database itself; choose another file`);
    if (out !== null && schema !== null && resolve(out) === resolve(schema)) {
        throw new UsageError('--schema and --out name the same file; choose two files');
    }
}
//# sourceMappingURL=options.js.map