/**
 * The options of `export`, settled and validated once: every error names its flag (exit 2).
 * Time filters accept RFC 3339 or a plain date and become the stored form
 * (`2026-04-20T09:00:00.000Z`), so SQLite compares them with the stored text.
 */
import { resolve } from 'node:path';
import { canonicalTime } from '../api/session.js';
import { commonConfig, optionalString, type Argv, type CommonConfig, type Env } from '../config.js';
import { UsageError } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat } from './export-sessions.js';
import type { RowFilter } from './rows.js';

/** Everything `export` needs. */
export interface ExportConfig extends CommonConfig {
  format: ExportFormat;
  /** The file to write, or null for stdout. */
  out: string | null;
  /** The filters given as flags (the `--since-last` bookmark is added when the export runs). */
  filter: Readonly<RowFilter>;
  /** The bookmark name of `--since-last`, or null. */
  sinceLast: string | null;
  excelSafe: boolean;
  /** Where `--schema` writes the column list, or null. */
  schema: string | null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Settles every option of `export`. */
export function exportConfig(argv: Argv, env: Env): ExportConfig {
  const common = commonConfig(argv, env);
  const formatText = optionalString(argv.format, '--format') ?? 'csv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(formatText)) {
    throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not ${JSON.stringify(formatText)}`);
  }
  const format = formatText as ExportFormat;
  const outText = optionalString(argv.out, '--out');
  if (outText !== undefined && outText.trim() === '') throw new UsageError('--out must not be empty (use - for stdout)');
  const out = outText === undefined || outText === '-' ? null : outText;
  const schema = optionalString(argv.schema, '--schema') ?? null;
  if (schema !== null && (schema.trim() === '' || schema === '-')) throw new UsageError('--schema must name a file');
  const excelSafe = argv['excel-safe'] === true;
  if (excelSafe && format !== 'csv') throw new UsageError(`--excel-safe applies to CSV only, not --format ${format}`);

  const filter: RowFilter = {};
  if (argv['exclude-deleted'] === true) filter.excludeDeleted = true;
  const updatedSince = timeFlag(argv['updated-since'], '--updated-since');
  const startedFrom = timeFlag(argv['started-from'], '--started-from');
  const startedTo = timeFlag(argv['started-to'], '--started-to', 'end');
  if (updatedSince !== undefined) filter.updatedSince = updatedSince;
  if (startedFrom !== undefined) filter.startedFrom = startedFrom;
  if (startedTo !== undefined) filter.startedTo = startedTo;
  if (startedFrom !== undefined && startedTo !== undefined && startedTo <= startedFrom) {
    throw new UsageError(`--started-to (${startedTo}) must be later than --started-from (${startedFrom})`);
  }

  const sinceLast = optionalString(argv['since-last'], '--since-last') ?? null;
  if (sinceLast !== null && (sinceLast.trim() === '' || sinceLast.length > 200 || /[\u0000-\u001f\u007f]/.test(sinceLast))) {
    throw new UsageError('--since-last must be a name of 1 to 200 printable characters');
  }

  checkPaths(common.db, out, schema);
  return Object.freeze({ ...common, format, out, filter: Object.freeze(filter), sinceLast, excelSafe, schema });
}

/**
 * Reads a time flag: an RFC 3339 date-time (any offset or fraction; digits below the millisecond
 * are cut, as the database does) or a `YYYY-MM-DD` date, a whole UTC day: its first instant, or for
 * an `end` bound the next day's, so `--started-to 2026-09-30` includes September 30 (as `report
 * --to` does). Returned as `YYYY-MM-DDTHH:MM:SS.sssZ`; undefined when the flag is absent.
 */
export function timeFlag(value: unknown, flag: string, side: 'start' | 'end' = 'start'): string | undefined {
  const text = optionalString(value, flag)?.trim();
  if (text === undefined) return undefined;
  let canonical = canonicalTime(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (canonical !== null && side === 'end' && DATE_ONLY.test(text)) {
    canonical = new Date(Date.parse(canonical) + 86_400_000).toISOString();
  }
  if (canonical === null) {
    throw new UsageError(
      `${flag} must be an RFC 3339 date-time (2026-04-20T09:00:00Z, 2026-04-20T11:00:00+02:00) or a date (2026-04-20), not ${JSON.stringify(value)}`,
    );
  }
  return canonical;
}

/** An export must not overwrite the database it reads, nor write data and schema to one file. */
function checkPaths(db: string, out: string | null, schema: string | null): void {
  const database = resolve(db);
  const guarded = [database, `${database}-wal`, `${database}-shm`, `${database}-journal`];
  if (out !== null && guarded.includes(resolve(out))) throw new UsageError(`--out ${out} is the database itself; choose another file`);
  if (schema !== null && guarded.includes(resolve(schema))) throw new UsageError(`--schema ${schema} is the database itself; choose another file`);
  if (out !== null && schema !== null && resolve(out) === resolve(schema)) {
    throw new UsageError('--schema and --out name the same file; choose two files');
  }
}
