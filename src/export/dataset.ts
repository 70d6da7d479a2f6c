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
 *
 * This file runs the steps in order; `dataset-plan.ts` says which partitions, `dataset-stage.ts`
 * writes them (step 1), `dataset-folders.ts` swaps them in and keeps the folder (step 2), and
 * `dataset-manifest.ts` reads and writes the manifest (step 3).
 */
import { join, resolve } from 'node:path';
import { describeFsError } from '../atomic-file.js';
import { SyncError, UsageError } from '../errors.js';
import type { Db } from '../store/db.js';
import { columnDocument } from './columns.js';
import { isFile, makeStagingFolder, prepareFolder, removeStaging, stagingFolder, swapPartitions, sweepFolders, syncFolder } from './dataset-folders.js';
import { manifestMark, readManifest, writeManifest, type DatasetManifest, type ManifestPartition } from './dataset-manifest.js';
import { allPartitions, byValue, folderName, LAYOUTS, touchedPartitions, type DatasetTable, type PartitionBy } from './dataset-plan.js';
import { Flushes, StagedFile, stagePartition, Statements, type Staged } from './dataset-stage.js';
import { syncWasRunning } from './rows.js';

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
  let next: StagedFile | null = null;
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
    const values = [...todo].sort(byValue);
    if (values.length > 0) makeStagingFolder(staging);
    // Each partition's file is created while the partition before it is encoded (see StagedFile).
    for (let i = 0; i < values.length; i++) {
      const value = values[i] ?? null;
      const file = next ?? new StagedFile(staging, value);
      next = i + 1 < values.length ? new StagedFile(staging, values[i + 1] ?? null) : null;
      staged.push(await stagePartition(layout, options, value, file, noteNewest, flushes, statements));
    }
    await flushes.settle();
  } catch (error) {
    await next?.discard();
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
  try {
    const { written, removed: emptied } = await swapPartitions(tableDir, folderColumn, staged, now);
    const partitions = [...kept, ...written].sort((a, b) => byValue(a.value, b.value));
    const removed = emptied + sweepFolders(tableDir, folderColumn, new Set(partitions.map((p) => folderName(folderColumn, p.value))));
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
    await writeManifest(tableDir, document);
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

function sum(partitions: ReadonlyArray<{ rows: number }>): number {
  return partitions.reduce((total, p) => total + p.rows, 0);
}
