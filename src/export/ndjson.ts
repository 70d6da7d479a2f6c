/**
 * NDJSON ready for Parquet, written by SQLite's `json_object`: one object per line (LF), the columns
 * as keys in the contract's order on every line, NULL as `null`. Times stay the stored text
 * (`2026-04-20T09:00:00.000Z`, which DuckDB and Spark read as timestamps), `session_length_ms` is a
 * JSON integer, and `client_metadata` / `persona_config` are JSON *text* in a string, so each key keeps
 * one JSON type on every line whatever the data holds.
 */
import type { ExportColumn } from './columns.js';

/** An SQL expression (over the `sessions` columns) giving one NDJSON line, LF included. */
export function ndjsonLineSql(columns: readonly ExportColumn[]): string {
  // A column's text is a JSON string here even when it holds JSON: only values made by SQLite's JSON
  // functions are embedded as JSON, and plain column values never are.
  // `session_length_ms` has INTEGER affinity and sync writes only safe integers, so it is a JSON integer.
  const pairs = columns.map((c) => `'${c.name}', ${c.name}`);
  return `json_object(${pairs.join(', ')}) || char(10)`;
}
