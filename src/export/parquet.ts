/**
 * Parquet through hyparquet-writer (pure JavaScript): a typed file in row groups of a bounded number
 * of rows. Rows are gathered into column arrays one row group at a time, encoded, and the group's
 * bytes handed to the output before the next group is read, so memory holds one row group at most.
 *
 * Types: `string` → UTF8 BYTE_ARRAY; `json` → UTF8 BYTE_ARRAY holding the JSON text; `int64` → INT64; `double` → DOUBLE;
 * `timestamp` → INT64 TIMESTAMP(MILLIS, UTC). Columns the contract keeps non-null are REQUIRED.
 */
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { SyncError } from '../errors.js';
import type { ExportColumn } from './columns.js';

/** Rows per row group unless told otherwise: about 15 MB of column data for real sessions. */
const DEFAULT_ROW_GROUP_ROWS = 10_000;

/** The Parquet schema of the export columns. */
function parquetSchema(columns: readonly ExportColumn[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((c): SchemaElement => {
      const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
      switch (c.type) {
        case 'int64':
          return { name: c.name, type: 'INT64', repetition_type };
        case 'double':
          return { name: c.name, type: 'DOUBLE', repetition_type };
        case 'timestamp':
          return {
            name: c.name,
            type: 'INT64',
            converted_type: 'TIMESTAMP_MILLIS',
            logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
            repetition_type,
          };
      }
      // 'string' and 'json' (JSON text): UTF-8 strings.
      return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type };
    }),
  ];
}

/** Where the bytes of a Parquet file go: a stream's {@link ChunkWriter}, or a dataset's staged file. */
export interface ByteSink {
  /** Takes bytes the caller will not touch again; resolves when more may be sent. */
  writeBytes(bytes: Uint8Array): Promise<void>;
}

/** Hands each finished row group's bytes to the output, then reuses its buffer. */
class OutputByteWriter extends ByteWriter {
  readonly #out: ByteSink;

  constructor(out: ByteSink, initialBytes: number) {
    super(initialBytes);
    this.#out = out;
  }

  flush(): Promise<void> {
    // A copy: the buffer is overwritten by the next row group while the stream may still hold it.
    const bytes = this.getBytes().slice();
    this.index = 0;
    return this.#out.writeBytes(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }

  // The library's getters assume the whole file stays in memory, which this writer avoids.
  override getBuffer(): ArrayBuffer {
    throw new Error('the Parquet bytes were streamed out');
  }
}

/** Options of {@link writeParquet}. */
export interface ParquetOptions {
  /** Rows per row group (default {@link DEFAULT_ROW_GROUP_ROWS}). */
  rowGroupRows?: number;
  /**
   * The encoding buffer's first size; it grows as a row group needs (default 1 MiB). A dataset of
   * small partitions starts smaller: zeroing 1 MiB per file was 5% of a dataset export.
   */
  initialBytes?: number;
}

/**
 * Writes `rows` (arrays of column values in `columns` order, as SQLite returns them) as one Parquet
 * file to `out`. Resolves to the number of rows written. A time that is not a valid date-time, or
 * a non-integer in an int64 column (a non-number in a double one), fails the export naming the row: never a silent null.
 */
export async function writeParquet(
  columns: readonly ExportColumn[],
  rows: Iterable<unknown[]>,
  out: ByteSink,
  options: ParquetOptions = {},
): Promise<number> {
  const groupRows = Math.max(1, Math.floor(options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS));
  const convert = columns.map(converterFor);
  const writer = new ParquetWriter({ writer: new OutputByteWriter(out, options.initialBytes ?? 1 << 20), schema: parquetSchema(columns), createdBy: 'anam-sync' });
  let data: unknown[][] = columns.map(() => []);
  let total = 0;
  let inGroup = 0;
  const writeGroup = async (): Promise<void> => {
    const columnData = columns.map((c, i) => ({ name: c.name, data: data[i] as unknown[] }));
    data = columns.map(() => []);
    inGroup = 0;
    await writer.write({ columnData: columnData as Parameters<ParquetWriter['write']>[0]['columnData'], rowGroupSize: groupRows });
  };
  for (const row of rows) {
    for (let i = 0; i < convert.length; i++) {
      (data[i] as unknown[]).push((convert[i] as Converter)(row[i], row[0]));
    }
    total++;
    if (++inGroup === groupRows) await writeGroup();
  }
  if (inGroup > 0) await writeGroup();
  await writer.finish();
  return total;
}

type Converter = (value: unknown, id: unknown) => unknown;

function converterFor(column: ExportColumn): Converter {
  switch (column.type) {
    case 'timestamp':
      return (value, id) => {
        if (value === null) return null;
        const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
        if (Number.isNaN(ms)) throw badValue(column, value, id, 'a date-time');
        return ms;
      };
    case 'int64':
      return (value, id) => {
        if (value === null) return null;
        if (typeof value === 'bigint') return value;
        if (typeof value !== 'number' || !Number.isInteger(value)) throw badValue(column, value, id, 'an integer');
        return BigInt(value);
      };
    case 'double':
      return (value, id) => {
        if (value === null || typeof value === 'number') return value;
        throw badValue(column, value, id, 'a number');
      };
    case 'string':
    case 'json':
      return (value) => value;
  }
}

function badValue(column: ExportColumn, value: unknown, id: unknown, expected: string): SyncError {
  return new SyncError(`session ${String(id)}: ${column.name} holds ${JSON.stringify(value)}, not ${expected}; the export stopped`);
}
