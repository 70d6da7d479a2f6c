/**
 * A dataset's folder on disk: created when missing, the staging folders of this run and of killed
 * ones, step 2 of an export (each staged file renamed over its partition's file, emptied
 * partitions removed), the sweep of folders the manifest no longer lists, and the fsyncs that make
 * renames durable.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeFsError, randomTag } from '../atomic-file.js';
import { SyncError, UsageError } from '../errors.js';
import type { ManifestPartition } from './dataset-manifest.js';
import { folderName } from './dataset-plan.js';
import type { Staged } from './dataset-stage.js';

/** Where new files are written before they are swapped in. */
const STAGING_FOLDER = '_staging';
/** The one file of every partition folder. */
const PARTITION_FILE = 'part-0.parquet';
/** Renames under way at once: as many as libuv has threads. */
const MAX_RENAMES = 4;

/**
 * Renames every staged file over its partition's file, a few at a time, and removes the partitions
 * left without rows. Returns the partitions written, as the manifest lists them, and how many were
 * removed.
 */
export async function swapPartitions(
  tableDir: string,
  folderColumn: string,
  staged: readonly Staged[],
  now: string,
): Promise<{ written: ManifestPartition[]; removed: number }> {
  const written: ManifestPartition[] = [];
  let removed = 0;
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
  return { written, removed };
}

/** Creates `DIR/<table>` (and DIR) when missing; a path that cannot be a folder is a usage error. */
export function prepareFolder(dir: string, tableDir: string): void {
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
export function stagingFolder(tableDir: string): string {
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
  return join(root, `${process.pid}.${randomTag()}`);
}

/** Creates this run's staging folder (and `_staging`); a failure is the export's, naming the folder. */
export function makeStagingFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new SyncError(`writing ${folder} failed: ${describeFsError(error)}`, 1, { cause: error });
  }
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
export function sweepFolders(tableDir: string, folderColumn: string, keep: Set<string>): number {
  let removed = 0;
  for (const entry of readdirSync(tableDir)) {
    if (entry.startsWith(`${folderColumn}=`) && !keep.has(entry) && removePartition(join(tableDir, entry))) removed++;
  }
  return removed;
}

/** Flushes a folder's entries (the renames) to disk; not every file system allows it, hence best effort. */
export function syncFolder(folder: string): void {
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

export function isFile(path: string): boolean {
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
export function removeStaging(staging: string): void {
  try {
    // Empty once every staged file is swapped in: the common case needs no recursive removal (whose
    // module took 7 ms of an incremental export).
    rmdirSync(staging);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') removeQuietly(staging);
  }
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
