/**
 * `export --dataset DIR`: a Hive-partitioned Parquet dataset, `DIR/<table>/start_date=YYYY-MM-DD/part-0.parquet`
 * (or `start_month=YYYY-MM/`), plus `DIR/<table>/_anam_sync.json`, the manifest.
 *
 * Every partition folder holds exactly one file, under one fixed name, with the typed schema of
 * `--format parquet` (the partition value is the folder's name, not a column of the file). One export
 * runs in three steps:
 *
 * 1. **Stage**, inside one read transaction (one snapshot of the store): every partition to rewrite
 *    is written whole, one at a time (memory holds one row group), as a new file under a new name
 *    in `DIR/<table>/_staging/<pid>.<random>/`, and flushed to disk. Readers ignore that folder
 *    (leading `_`, and the files end in `.tmp`).
 * 2. **Swap**: each staged file is renamed over its partition's `part-0.parquet`. A rename replaces
 *    the old file atomically, so a reader listing a folder sees the old file or the new one, never
 *    both and never half of one; a reader that has the old file open keeps reading it. A partition
 *    left with no rows loses its file, then its folder.
 * 3. **Manifest**: written whole or not at all, after every partition is in place. The caller moves
 *    the `--since-last` bookmark only after that.
 *
 * Incremental (with a bookmark): only the partitions holding a row whose `last_synced_at` is after
 * the bookmark are rewritten (inserted, updated or marked deleted rows), plus the partitions an
 * earlier version of such a row lived in (its start time may have changed), plus any partition whose
 * file has gone missing. A kill at any moment leaves each partition whole; the next export rewrites
 * whatever the killed one may have touched, because the bookmark did not move.
 */
import { randomBytes } from 'node:crypto';
import { close, closeSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { canonicalTime } from '../time.js';
import { describeFsError } from '../atomic-file.js';
import { SyncError, UsageError } from '../errors.js';
import { writeOutput } from '../output-file.js';
import type { Db } from '../store/db.js';
import { nextBookmarkValue } from './bookmarks.js';
import { COLUMNS, columnDocument, type ColumnDocument, type ExportColumn } from './columns.js';
import { syncWasRunning } from './rows.js';

/** The tables a dataset can hold. Transcripts are meant to follow as further entries of {@link LAYOUTS}. */
export const DATASET_TABLES = ['sessions'] as const;
export type DatasetTable = (typeof DATASET_TABLES)[number];

/** How rows are spread over folders: one per UTC day or month of the partition time. */
export const PARTITION_BYS = ['day', 'month'] as const;
export type PartitionBy = (typeof PARTITION_BYS)[number];

/** The manifest's file name, inside `DIR/<table>/` (a leading `_` hides it from Spark, Hive and pyarrow). */
const MANIFEST_FILE = '_anam_sync.json';
/** Where new files are written before they are swapped in. */
const STAGING_FOLDER = '_staging';
/** The folder value of rows whose partition time is null, as Hive and Spark write it; DuckDB reads it as NULL. */
const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';
/** The one file of every partition folder. */
const PARTITION_FILE = 'part-0.parquet';

/** Where a table's rows come from and what partitions them. */
interface TableLayout {
  /** The SQLite table. */
  readonly source: string;
  readonly columns: readonly ExportColumn[];
  /** The canonical UTC time column the folders are cut from. */
  readonly timeColumn: string;
  /** The column a sync stamps on every insert, change and deletion. */
  readonly changedColumn: string;
  /** The column `--exclude-deleted` looks at, or null when rows are never deleted. */
  readonly deletedColumn: string | null;
  /** The folder column's name for each partitioning. */
  readonly folderColumn: Readonly<Record<PartitionBy, string>>;
  /** Earlier versions of a row (as JSON) and the key of the time column inside them, or null. */
  readonly versions: { readonly table: string; readonly timeKey: string } | null;
}

const LAYOUTS: Readonly<Record<DatasetTable, TableLayout>> = {
  sessions: {
    source: 'sessions',
    columns: COLUMNS,
    timeColumn: 'start_time',
    changedColumn: 'last_synced_at',
    deletedColumn: 'deleted_at',
    folderColumn: { day: 'start_date', month: 'start_month' },
    versions: { table: 'session_versions', timeKey: 'startTime' },
  },
};

/** Characters of the canonical time that make a partition value. */
const VALUE_LENGTH: Readonly<Record<PartitionBy, number>> = { day: 10, month: 7 };
const VALUE_SHAPE: Readonly<Record<PartitionBy, RegExp>> = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/ };

/** One partition as the manifest lists it. `value` null is the {@link NULL_PARTITION} folder. */
interface ManifestPartition {
  value: string | null;
  /** The file, relative to `DIR/<table>/`. */
  path: string;
  rows: number;
  bytes: number;
  writtenAt: string;
}

/** `DIR/<table>/_anam_sync.json`. */
interface DatasetManifest {
  format: 'anam-sync-dataset';
  version: 1;
  table: DatasetTable;
  partitionBy: PartitionBy;
  /** The folder column: `start_date` or `start_month`. */
  partitionColumn: string;
  excludeDeleted: boolean;
  /** The columns of every file, in order (the partition column is not among them). */
  columns: ColumnDocument[];
  /** The store snapshot the newest files were read from. */
  snapshot: {
    exportedAt: string;
    /** Newest `last_synced_at` the dataset reflects: every change up to it is in the files. */
    newestSyncedAt: string | null;
    /** A sync held the database at that snapshot (it may still commit rows of that millisecond). */
    syncRunning: boolean;
  };
  rows: number;
  partitions: ManifestPartition[];
}

/** What to write. */
export interface DatasetOptions {
  dir: string;
  table: DatasetTable;
  partitionBy: PartitionBy;
  excludeDeleted: boolean;
  /**
   * Rewrite only what changed after this `last_synced_at` (the `--since-last` bookmark); null
   * rewrites every partition. Ignored (everything is rewritten) when the folder holds no usable
   * manifest of the same shape.
   */
  changedAfter: string | null;
  /** Rows per row group (default: that of `--format parquet`). */
  rowGroupRows?: number;
}

/** What an export of a dataset did. */
export interface DatasetResult {
  /** `DIR/<table>`, absolute. */
  tableDir: string;
  /** Every partition was rewritten (no bookmark, or no usable manifest). */
  full: boolean;
  /** Partitions and rows in the dataset afterwards. */
  partitions: number;
  rows: number;
  /** Partitions written anew, and removed (left without rows). */
  rewritten: number;
  removed: number;
  /** Rows in the rewritten partitions. */
  rowsWritten: number;
  /** For the bookmark (see bookmarks.ts): the newest `last_synced_at` looked at, or null. */
  newestSyncedAt: string | null;
  syncRunning: boolean;
}

/** A partition written to staging (or found empty), waiting for the swap. */
interface Staged {
  value: string | null;
  rows: number;
  bytes: number;
  /** The staged file; null when the partition has no rows any more. */
  temp: string | null;
}

/** The staging folder of the export running now; removed by {@link abortDataset} on a signal. */
let activeStaging: string | null = null;

/**
 * Brings the dataset under `options.dir` up to date with the store. Reads one snapshot (its own read
 * transaction), writes no file outside `DIR/<table>/`. Errors: UsageError (exit 2) for a folder that
 * cannot be used; SyncError (exit 1) for a disk error or a row that cannot be written.
 */
export async function exportDataset(db: Db, options: DatasetOptions): Promise<DatasetResult> {
  const layout = LAYOUTS[options.table];
  const tableDir = join(resolve(options.dir), options.table);
  prepareFolder(options.dir, tableDir);
  const manifest = readManifest(tableDir);
  const folderColumn = layout.folderColumn[options.partitionBy];
  if (manifest !== null && manifest.partitionBy !== options.partitionBy) {
    throw new UsageError(
      `--dataset ${options.dir}: ${options.table} there is partitioned by ${manifest.partitionBy}; give --partition-by ${manifest.partitionBy}, or a new folder`,
    );
  }
  const columns = columnDocument(layout.columns);
  const changedAfter =
    options.changedAfter === null ||
    manifest === null ||
    manifest.excludeDeleted !== options.excludeDeleted ||
    manifest.snapshot.newestSyncedAt === null ||
    JSON.stringify(manifest.columns) !== JSON.stringify(columns)
      ? null
      : // The manifest says up to where its files are exact. The bookmark may be ahead of it (another
        // folder exported under the same name) or behind it (killed before the bookmark moved): the
        // earlier of the two misses nothing.
        [options.changedAfter, manifestMark(manifest)].sort()[0]!;

  const staging = stagingFolder(tableDir);
  activeStaging = staging;
  const staged: Staged[] = [];
  const flushes = new Flushes();
  const statements = new Statements(db);
  let kept: ManifestPartition[] = [];
  let newest: string | null = null;
  let syncRunning = false;
  const noteNewest = (value: unknown): void => {
    if (typeof value === 'string' && (newest === null || value > newest)) newest = value;
  };
  const ownTransaction = !db.inTransaction;
  // A deferred BEGIN takes its snapshot at the first read: every partition comes from that one state.
  if (ownTransaction) db.exec('BEGIN');
  try {
    syncRunning = syncWasRunning(db);
    let todo: Set<string | null>;
    if (changedAfter !== null && manifest !== null) {
      todo = touchedPartitions(db, layout, options.partitionBy, changedAfter, noteNewest);
      for (const partition of manifest.partitions) {
        if (todo.has(partition.value)) continue;
        if (isFile(join(tableDir, partition.path))) kept.push(partition);
        else todo.add(partition.value);
      }
    } else {
      todo = allPartitions(db, layout, options.partitionBy, noteNewest);
      kept = [];
    }
    for (const value of [...todo].sort(byValue)) {
      staged.push(await stagePartition(layout, options, value, staging, noteNewest, flushes, statements));
    }
    await flushes.settle();
  } catch (error) {
    await flushes.settle().catch(() => {});
    removeStaging(staging);
    throw error;
  } finally {
    if (ownTransaction && db.inTransaction) db.exec('COMMIT');
  }
  if (changedAfter !== null && staged.length === 0) {
    removeStaging(staging);
    activeStaging = null;
    return { tableDir, full: false, partitions: kept.length, rows: sum(kept), rewritten: 0, removed: 0, rowsWritten: 0, newestSyncedAt: newest, syncRunning };
  }

  const now = new Date().toISOString();
  const written: ManifestPartition[] = [];
  let removed = 0;
  try {
    // A few renames at a time: replacing a file frees the old one's blocks, which takes the file
    // system about 0.7 ms a file when done one after another, 0.25 ms when four are under way.
    await inParallel(staged, MAX_RENAMES, async (partition) => {
      const folder = join(tableDir, folderName(folderColumn, partition.value));
      if (partition.temp === null) {
        if (removePartition(folder)) removed++;
        return;
      }
      mkdirSync(folder, { recursive: true });
      await rename(partition.temp, join(folder, PARTITION_FILE));
      // The rename itself made durable, before the bookmark says the partition is in place.
      await syncFolderAsync(folder);
      written.push({ value: partition.value, path: `${folderName(folderColumn, partition.value)}/${PARTITION_FILE}`, rows: partition.rows, bytes: partition.bytes, writtenAt: now });
    });
    const partitions = [...kept, ...written].sort((a, b) => byValue(a.value, b.value));
    removed += sweepFolders(tableDir, folderColumn, new Set(partitions.map((p) => folderName(folderColumn, p.value))));
    syncFolder(tableDir);
    const document: DatasetManifest = {
      format: 'anam-sync-dataset',
      version: 1,
      table: options.table,
      partitionBy: options.partitionBy,
      partitionColumn: folderColumn,
      excludeDeleted: options.excludeDeleted,
      columns,
      snapshot: { exportedAt: now, newestSyncedAt: newest ?? manifest?.snapshot.newestSyncedAt ?? null, syncRunning },
      rows: sum(partitions),
      partitions,
    };
    await writeOutput(join(tableDir, MANIFEST_FILE), '--dataset', `${JSON.stringify(document, null, 2)}\n`);
    return {
      tableDir,
      full: changedAfter === null,
      partitions: partitions.length,
      rows: document.rows,
      rewritten: written.length,
      removed,
      rowsWritten: sum(written),
      newestSyncedAt: newest,
      syncRunning,
    };
  } catch (error) {
    throw error instanceof SyncError ? error : new SyncError(`writing the dataset ${tableDir} failed: ${describeFsError(error)}`, 1, { cause: error });
  } finally {
    removeStaging(staging);
    activeStaging = null;
  }
}

/** Removes the staged files of the export in progress (for a signal handler); the dataset stays as it is. */
export function abortDataset(): void {
  if (activeStaging !== null) removeStaging(activeStaging);
  activeStaging = null;
}

/**
 * Up to where the manifest's files are exact: its newest `last_synced_at`, less a millisecond when a
 * sync was running then (it may have committed more rows stamped with that millisecond afterwards).
 */
function manifestMark(manifest: DatasetManifest): string {
  const newest = manifest.snapshot.newestSyncedAt as string;
  return nextBookmarkValue({ newestSyncedAt: newest, syncRunning: manifest.snapshot.syncRunning === true }, null) ?? newest;
}

/** Reads `DIR/<table>/_anam_sync.json`; null when it is missing or not a manifest of ours (the export then rewrites everything). */
function readManifest(tableDir: string): DatasetManifest | null {
  let text: string;
  try {
    text = readFileSync(join(tableDir, MANIFEST_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<DatasetManifest>;
    if (parsed.format !== 'anam-sync-dataset' || parsed.version !== 1 || !Array.isArray(parsed.partitions) || parsed.snapshot === undefined) return null;
    return parsed as DatasetManifest;
  } catch {
    return null;
  }
}

/** The folder name of a partition value: `start_date=2026-04-20`, or `start_date=__HIVE_DEFAULT_PARTITION__` for null. */
function folderName(column: string, value: string | null): string {
  return `${column}=${value ?? NULL_PARTITION}`;
}

/** Every partition value in the table (null for rows without a time), from the time column's index. */
function allPartitions(db: Db, layout: TableLayout, by: PartitionBy, noteNewest: (value: unknown) => void): Set<string | null> {
  const length = VALUE_LENGTH[by];
  const values = db.prepare(`SELECT DISTINCT substr(${layout.timeColumn}, 1, ${length}) FROM ${layout.source}`).pluck().all() as Array<string | null>;
  // The newest change the dataset reflects: rows left out (--exclude-deleted) count too.
  noteNewest(db.prepare(`SELECT max(${layout.changedColumn}) FROM ${layout.source}`).pluck().get());
  return new Set(values.map((value) => checkedValue(db, layout, by, value)));
}

/**
 * The partitions holding a row changed after `after`, and those its earlier versions lived in.
 * A full scan of one column: the table has no index on `last_synced_at`.
 */
function touchedPartitions(db: Db, layout: TableLayout, by: PartitionBy, after: string, noteNewest: (value: unknown) => void): Set<string | null> {
  const length = VALUE_LENGTH[by];
  const todo = new Set<string | null>();
  const changed = db
    .prepare(`SELECT substr(${layout.timeColumn}, 1, ${length}), max(${layout.changedColumn}) FROM ${layout.source} WHERE ${layout.changedColumn} > ? GROUP BY 1`)
    .raw(true)
    .all(after) as Array<[string | null, string]>;
  for (const [value, newest] of changed) {
    todo.add(checkedValue(db, layout, by, value));
    noteNewest(newest);
  }
  if (layout.versions !== null && changed.length > 0) {
    const earlier = db
      .prepare(
        // IN, not a join: the planner would scan every version (50 ms for 20k) instead of looking up the changed ones.
        `SELECT DISTINCT json_extract(json, '$.${layout.versions.timeKey}') FROM ${layout.versions.table}
         WHERE id IN (SELECT id FROM ${layout.source} WHERE ${layout.changedColumn} > ?)`,
      )
      .pluck()
      .all(after) as unknown[];
    for (const time of earlier) {
      const canonical = typeof time === 'string' ? canonicalTime(time) : null;
      // A version whose time cannot be read cannot name a partition; the row's current one is in `todo`.
      if (time === null || canonical !== null) todo.add(canonical === null ? null : canonical.slice(0, length));
    }
  }
  return todo;
}

/** A partition value as read from the time column, or an error naming a session whose time is not one. */
function checkedValue(db: Db, layout: TableLayout, by: PartitionBy, value: string | null): string | null {
  if (value === null || VALUE_SHAPE[by].test(value)) return value;
  const row = db
    .prepare(`SELECT id, ${layout.timeColumn} FROM ${layout.source} WHERE substr(${layout.timeColumn}, 1, ${VALUE_LENGTH[by]}) = ? LIMIT 1`)
    .raw(true)
    .get(value) as [string, string] | undefined;
  throw new SyncError(`session ${row?.[0] ?? '?'}: ${layout.timeColumn} holds ${JSON.stringify(row?.[1] ?? value)}, not a date-time; the export stopped`);
}

/** Writes one partition's rows, read in the current transaction, to a new file in `staging`. */
async function stagePartition(
  layout: TableLayout,
  options: DatasetOptions,
  value: string | null,
  staging: string,
  noteNewest: (value: unknown) => void,
  flushes: Flushes,
  statements: Statements,
): Promise<Staged> {
  const time = layout.timeColumn;
  const terms = [value === null ? `${time} IS NULL` : `${time} >= @from AND ${time} < @to`];
  if (options.excludeDeleted && layout.deletedColumn !== null) terms.push(`${layout.deletedColumn} IS NULL`);
  const params: Record<string, string> = value === null ? {} : { from: value, to: nextValue(value, options.partitionBy) };
  // Canonical times compare as text: `2026-04-20` <= every time of that day < `2026-04-21`. In the
  // time index's order, so SQLite needs no sort (which would hold the partition's rows).
  const sql = `SELECT ${layout.columns.map((c) => c.name).join(', ')} FROM ${layout.source} WHERE ${terms.join(' AND ')} ORDER BY ${time}`;
  const rows = statements.get(sql).iterate(params);
  const changed = layout.columns.findIndex((c) => c.name === layout.changedColumn);
  const first = rows.next();
  if (first.done === true) return { value, rows: 0, bytes: 0, temp: null };

  mkdirSync(staging, { recursive: true });
  const temp = join(staging, `${value ?? NULL_PARTITION}.${randomBytes(4).toString('hex')}.parquet.tmp`);
  const fd = openFile(temp);
  const sink = new FileSink(fd, temp);
  let count: number;
  try {
    const { writeParquet } = await import('./parquet.js');
    count = await writeParquet(layout.columns, withFirst(first.value, rows, (row) => noteNewest(row[changed])), sink, {
      rowGroupRows: options.rowGroupRows,
      initialBytes: 1 << 16,
    });
  } catch (error) {
    rows.return?.();
    closeSync(fd);
    throw error;
  }
  // Durable before the rename makes it the partition (a crash must not leave an empty file there).
  // Flushed in the background while the next partition is encoded: one fsync after another took
  // longer than encoding every partition (0.7 s of 2.5 s for 400 partitions).
  await flushes.add(fd, temp);
  return { value, rows: count, bytes: sink.bytes, temp };
}

/** Prepared statements kept for the run: preparing one per partition was 3% of an export. */
class Statements {
  readonly #db: Db;
  readonly #prepared = new Map<string, Statement<Record<string, string>, unknown[]>>();

  constructor(db: Db) {
    this.#db = db;
  }

  get(sql: string): Statement<Record<string, string>, unknown[]> {
    let statement = this.#prepared.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql).raw(true) as Statement<Record<string, string>, unknown[]>;
      this.#prepared.set(sql, statement);
    }
    return statement;
  }
}

/** fsync-then-close of staged files in the background, a few at a time; {@link settle} waits for all. */
class Flushes {
  readonly #pending = new Set<Promise<void>>();
  #error: unknown = null;

  /** Starts flushing `fd`; waits first when {@link MAX_FLUSHES} are under way. */
  async add(fd: number, path: string): Promise<void> {
    if (this.#pending.size >= MAX_FLUSHES) await Promise.race(this.#pending);
    const flush = new Promise<void>((done) => {
      fsync(fd, (error) => {
        if (error && this.#error === null) this.#error = new SyncError(`writing ${path} failed: ${describeFsError(error)}`, 1, { cause: error });
        close(fd, () => done());
      });
    });
    this.#pending.add(flush);
    void flush.then(() => this.#pending.delete(flush));
  }

  /** Resolves once every file is flushed and closed; rejects with the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
    if (this.#error !== null) throw this.#error;
  }
}

/**
 * Staged files waiting for their fsync at most (each holds a descriptor). libuv's four threads run
 * four at a time; the queue lets encoding go on meanwhile instead of waiting for the disk.
 */
const MAX_FLUSHES = 32;
/** Renames under way at once: as many as libuv has threads. */
const MAX_RENAMES = 4;

/** The first value of the next partition: the next day or month, as text. */
function nextValue(value: string, by: PartitionBy): string {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number?];
  const next = by === 'day' ? new Date(Date.UTC(year, month - 1, (day ?? 1) + 1)) : new Date(Date.UTC(year, month, 1));
  return next.toISOString().slice(0, VALUE_LENGTH[by]);
}

/** Writes Parquet bytes straight to a file descriptor. */
class FileSink {
  bytes = 0;
  readonly #fd: number;
  readonly #path: string;

  constructor(fd: number, path: string) {
    this.#fd = fd;
    this.#path = path;
  }

  writeBytes(bytes: Uint8Array): Promise<void> {
    try {
      for (let offset = 0; offset < bytes.byteLength; ) offset += writeSync(this.#fd, bytes, offset);
    } catch (error) {
      return Promise.reject(new SyncError(`writing ${this.#path} failed: ${describeFsError(error)}`, 1, { cause: error }));
    }
    this.bytes += bytes.byteLength;
    return Promise.resolve();
  }
}

function* withFirst(first: unknown[], rest: Iterator<unknown[]>, see: (row: unknown[]) => void): Generator<unknown[]> {
  see(first);
  yield first;
  for (let next = rest.next(); next.done !== true; next = rest.next()) {
    see(next.value);
    yield next.value;
  }
}

/** Creates `DIR/<table>` (and DIR) when missing; a path that cannot be a folder is a usage error. */
function prepareFolder(dir: string, tableDir: string): void {
  try {
    mkdirSync(tableDir, { recursive: true });
    if (!statSync(tableDir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new UsageError(`--dataset ${dir} cannot be used: ${describeFsError(error)}`, { cause: error });
  }
}

/**
 * A staging folder of this run, `_staging/<pid>.<random>`; the folders of runs whose process is
 * gone (killed) are removed first. A running export's folder stays: two exports may overlap.
 */
function stagingFolder(tableDir: string): string {
  const root = join(tableDir, STAGING_FOLDER);
  let entries: string[] = [];
  try {
    entries = readdirSync(root);
  } catch {
    // No staging folder yet.
  }
  for (const entry of entries) {
    const pid = Number(/^(\d+)\./.exec(entry)?.[1]);
    if (!Number.isInteger(pid) || !isAlive(pid)) removeQuietly(join(root, entry));
  }
  return join(root, `${process.pid}.${randomBytes(4).toString('hex')}`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a partition's file, then its folder (when nothing else is in it). True when a file was there. */
function removePartition(folder: string): boolean {
  const file = join(folder, PARTITION_FILE);
  const existed = isFile(file);
  rmSync(file, { force: true });
  try {
    rmdirSync(folder);
  } catch {
    // Missing, or holding something that is not ours: left alone.
  }
  return existed;
}

/** Removes partition folders of this partitioning that the manifest no longer lists (left by a killed export). */
function sweepFolders(tableDir: string, folderColumn: string, keep: Set<string>): number {
  let removed = 0;
  for (const entry of readdirSync(tableDir)) {
    if (entry.startsWith(`${folderColumn}=`) && !keep.has(entry) && removePartition(join(tableDir, entry))) removed++;
  }
  return removed;
}

/** Flushes a folder's entries (the renames) to disk; not every file system allows it, hence best effort. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}

async function syncFolderAsync(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort, as syncFolder.
  }
}

function openFile(path: string): number {
  try {
    // Owner-only, like the database and every export file: the rows hold system prompts.
    return openSync(path, 'wx', 0o600);
  } catch (error) {
    throw new SyncError(`writing ${path} failed: ${describeFsError(error)}`, 1, { cause: error });
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // A leftover is removed by the next export.
  }
}

/** Removes this run's staging folder, and `_staging` itself when no other export is using it. */
function removeStaging(staging: string): void {
  removeQuietly(staging);
  try {
    rmdirSync(dirname(staging));
  } catch {
    // Another export's folder is in it, or it is gone already.
  }
}

/** Runs `work` on every item, at most `limit` at once; rejects with the first failure once all have ended. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** Partition order: by value, the null partition last. */
function byValue(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function sum(partitions: ReadonlyArray<{ rows: number }>): number {
  return partitions.reduce((total, p) => total + p.rows, 0);
}
