/**
 * A dataset's manifest, `DIR/<table>/_anam_sync.json`: what it holds (shape, columns, partitions)
 * and up to which change its files are exact. Written whole or not at all, after the swap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutput } from '../output-file.js';
import { nextBookmarkValue } from './bookmarks.js';
/** The manifest's file name, inside `DIR/<table>/` (a leading `_` hides it from Spark, Hive and pyarrow). */
const MANIFEST_FILE = '_anam_sync.json';
/**
 * Up to where the manifest's files are exact: its newest `last_synced_at`, less a millisecond when a
 * sync was running then (it may have committed more rows stamped with that millisecond afterwards).
 */
export function manifestMark(manifest) {
    const newest = manifest.snapshot.newestSyncedAt;
    return nextBookmarkValue({ newestSyncedAt: newest, syncRunning: manifest.snapshot.syncRunning === true }, null) ?? newest;
}
/** Reads `DIR/<table>/_anam_sync.json`; null when it is missing or not a manifest of ours (the export then rewrites everything). */
export function readManifest(tableDir) {
    let text;
    try {
        text = readFileSync(join(tableDir, MANIFEST_FILE), 'utf8');
    }
    catch {
        return null;
    }
    try {
        const parsed = JSON.parse(text);
        if (parsed.format !== 'anam-sync-dataset' || parsed.version !== 1 || !Array.isArray(parsed.partitions) || parsed.snapshot === undefined)
            return null;
        return parsed;
    }
    catch {
        return null;
    }
}
/** Writes `DIR/<table>/_anam_sync.json` whole or not at all. */
export async function writeManifest(tableDir, manifest) {
    await writeOutput(join(tableDir, MANIFEST_FILE), '--dataset', `${JSON.stringify(manifest, null, 2)}\n`);
}
//# sourceMappingURL=dataset-manifest.js.map