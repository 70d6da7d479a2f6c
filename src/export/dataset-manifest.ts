/**
 * A dataset's manifest, `DIR/<table>/_anam_sync.json`: what it holds (shape, columns, partitions)
 * and up to which change its files are exact. Written whole or not at all, after the swap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutput } from '../output-file.js';
import { nextBookmarkValue } from './bookmarks.js';
import type { ColumnDocument } from './columns.js';
import type { DatasetTable, PartitionBy } from './dataset-plan.js';

/** The manifest's file name, inside `DIR/<table>/` (a leading `_` hides it from Spark, Hive and pyarrow). */
const MANIFEST_FILE = '_anam_sync.json';

/** One partition as the manifest lists it. `value` null is the {@link NULL_PARTITION} folder. */
export interface ManifestPartition {
  value: string | null;
  /** The file, relative to `DIR/<table>/`. */
  path: string;
  rows: number;
  bytes: number;
  writtenAt: string;
}

/** `DIR/<table>/_anam_sync.json`. */
export interface DatasetManifest {
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

/**
 * Up to where the manifest's files are exact: its newest `last_synced_at`, less a millisecond when a
 * sync was running then (it may have committed more rows stamped with that millisecond afterwards).
 */
export function manifestMark(manifest: DatasetManifest): string {
  const newest = manifest.snapshot.newestSyncedAt as string;
  return nextBookmarkValue({ newestSyncedAt: newest, syncRunning: manifest.snapshot.syncRunning === true }, null) ?? newest;
}

/** Reads `DIR/<table>/_anam_sync.json`; null when it is missing or not a manifest of ours (the export then rewrites everything). */
export function readManifest(tableDir: string): DatasetManifest | null {
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

/** Writes `DIR/<table>/_anam_sync.json` whole or not at all. */
export async function writeManifest(tableDir: string, manifest: DatasetManifest): Promise<void> {
  await writeOutput(join(tableDir, MANIFEST_FILE), '--dataset', `${JSON.stringify(manifest, null, 2)}\n`);
}
