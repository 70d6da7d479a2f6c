/**
 * NDJSON ready for Parquet, written by SQLite's `json_object`: one object per line (LF), the columns
 * as keys in the contract's order on every line, NULL as `null`. Times stay the stored text
 * (`2026-04-20T09:00:00.000Z`, which DuckDB and Spark read as timestamps), integer columns
 * (`session_length_ms`) are JSON integers, REAL columns (speaking durations) JSON numbers written
 * with a fraction or an exponent (`3.0`, `2.5e-07`: always a double, never read as an integer), and `client_metadata` / `persona_config` are JSON *text* in a string, so each key keeps
 * one JSON type on every line whatever the data holds.
 */
import type { ExportColumn } from './columns.js';

/**
 * An SQL expression (over a table's columns, under `alias` when given) giving one NDJSON line, LF
 * included; the keys are the plain column names.
 */
export function ndjsonLineSql(columns: readonly ExportColumn[], alias?: string): string {
  // A column's text is a JSON string here even when it holds JSON: only values made by SQLite's JSON
  // functions are embedded as JSON, and plain column values never are.
  // `session_length_ms` has INTEGER affinity and sync writes only safe integers, so it is a JSON integer.
  const prefix = alias === undefined ? '' : `${alias}.`;
  const pairs = columns.map((c) => `'${c.name}', ${prefix}${c.name}`);
  return `json_object(${pairs.join(', ')}) || char(10)`;
}
