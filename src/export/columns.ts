/**
 * The columns each export carries: a table's columns in the schema's order (for `sessions`, the
 * contract's), each with the logical type all three formats agree on. CSV, NDJSON and Parquet are
 * built from these lists, and `--schema` writes them out, so a loader never has to guess.
 */
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { sessions, transcriptMessages, transcripts } from '../store/schema.js';
import type { ExportTableName } from './tables.js';

/**
 * How a column is typed outside SQLite:
 * - `string`: UTF-8 text;
 * - `int64`: a whole number (the schema's booleans too: 0 or 1, as stored);
 * - `double`: a 64-bit floating-point number (SQLite REAL, such as speaking durations in seconds);
 * - `timestamp`: an instant, milliseconds, UTC (text `2026-04-20T09:00:00.000Z` in CSV and NDJSON);
 * - `json`: JSON text carried as a string, so the schema never changes with the data.
 */
type LogicalType = 'string' | 'int64' | 'double' | 'timestamp' | 'json';

/** One exported column. */
export interface ExportColumn {
  readonly name: string;
  readonly type: LogicalType;
  readonly nullable: boolean;
}

const column = (name: string, type: LogicalType, nullable = true): ExportColumn => Object.freeze({ name, type, nullable });

/** Text columns that hold JSON (the schema says only "text"). */
const JSON_COLUMNS = new Set(['client_metadata', 'persona_config', 'raw']);

/**
 * The columns of `table` in the schema's order, derived from the drizzle schema (the one place they
 * are defined): integers and booleans are int64, reals double, the `*_time` and `*_at` columns and
 * a message's `timestamp` timestamps (every time column holds canonical UTC text), nullability as
 * the schema declares it.
 */
function exportColumns(table: SQLiteTable): readonly ExportColumn[] {
  return Object.freeze(Object.values(getTableColumns(table)).map((c) => column(c.name, logicalType(c.name, c.columnType), !c.notNull)));
}

function logicalType(name: string, columnType: string): LogicalType {
  if (columnType === 'SQLiteInteger' || columnType === 'SQLiteBoolean') return 'int64';
  if (columnType === 'SQLiteReal') return 'double';
  if (JSON_COLUMNS.has(name)) return 'json';
  return /^timestamp$|_(time|at)$/.test(name) ? 'timestamp' : 'string';
}

/** The `sessions` columns, in the contract's order. */
export const COLUMNS: readonly ExportColumn[] = exportColumns(sessions);

/** The columns of each exportable table. */
export const TABLE_COLUMNS: Readonly<Record<ExportTableName, readonly ExportColumn[]>> = Object.freeze({
  sessions: COLUMNS,
  transcripts: exportColumns(transcripts),
  transcript_messages: exportColumns(transcriptMessages),
});

/** One column as `--schema` and a dataset's manifest describe it. */
export interface ColumnDocument {
  name: string;
  type: LogicalType;
  nullable: boolean;
  unit?: 'ms';
  timezone?: 'UTC';
}

/** The document `--schema PATH` writes: the column list with logical types and nullability. */
export interface SchemaDocument {
  table: ExportTableName;
  timestampFormat: string;
  columns: ColumnDocument[];
}

/** The column list of `table` as a JSON-ready document (timestamps also say their unit and time zone). */
export function schemaDocument(table: ExportTableName = 'sessions'): SchemaDocument {
  return { table, timestampFormat: 'YYYY-MM-DDTHH:MM:SS.sssZ', columns: columnDocument(TABLE_COLUMNS[table]) };
}

/** `columns` described for a document: name, logical type, nullability; timestamps also their unit and time zone. */
export function columnDocument(columns: readonly ExportColumn[]): ColumnDocument[] {
  return columns.map((c) =>
    c.type === 'timestamp'
      ? { name: c.name, type: c.type, unit: 'ms', timezone: 'UTC', nullable: c.nullable }
      : { name: c.name, type: c.type, nullable: c.nullable },
  );
}
