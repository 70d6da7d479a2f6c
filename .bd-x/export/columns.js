/**
 * The columns every export carries: the `sessions` columns in the contract's order, each with the
 * logical type all three formats agree on. CSV, NDJSON and Parquet are built from this one list, and
 * `--schema` writes it out, so a loader never has to guess.
 */
import { getTableColumns } from 'drizzle-orm';
import { sessions } from '../store/schema.js';
const column = (name, type, nullable = true) => Object.freeze({ name, type, nullable });
/** Text columns that hold JSON (the schema says only "text"). */
const JSON_COLUMNS = new Set(['client_metadata', 'persona_config']);
/**
 * The `sessions` columns, in the contract's order, derived from the drizzle schema (the one place
 * they are defined): integers are int64, the `*_time` and `*_at` columns timestamps (every time
 * column holds canonical UTC text), nullability as the schema declares it.
 */
export const COLUMNS = Object.freeze(Object.values(getTableColumns(sessions)).map((c) => column(c.name, c.columnType === 'SQLiteInteger' ? 'int64' : JSON_COLUMNS.has(c.name) ? 'json' : /_(time|at)$/.test(c.name) ? 'timestamp' : 'string', !c.notNull)));
/** The column names joined for a SELECT list, in order. */
export const COLUMN_LIST = COLUMNS.map((c) => c.name).join(', ');
/** The column list as a JSON-ready document (timestamps also say their unit and time zone). */
export function schemaDocument() {
    return { table: 'sessions', timestampFormat: 'YYYY-MM-DDTHH:MM:SS.sssZ', columns: columnDocument(COLUMNS) };
}
/** `columns` described for a document: name, logical type, nullability; timestamps also their unit and time zone. */
export function columnDocument(columns) {
    return columns.map((c) => c.type === 'timestamp'
        ? { name: c.name, type: c.type, unit: 'ms', timezone: 'UTC', nullable: c.nullable }
        : { name: c.name, type: c.type, nullable: c.nullable });
}
//# sourceMappingURL=columns.js.map