/**
 * `anam-sync export`: settle the options, open the database, write the rows to stdout or to the
 * output writer (a file written atomically, a device or FIFO written through), then (for
 * `--since-last`) move the bookmark. A reader that closes early
 * (`| head`) ends the export quietly with exit 0; a signal removes the temp file and exits 130/143.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeFsError } from '../atomic-file.js';
import { ExitCode, SyncError } from '../errors.js';
import { nextBookmarkValue, readExportBookmark, saveExportBookmark } from '../export/bookmarks.js';
import { schemaDocument } from '../export/columns.js';
import { abortDataset, exportDataset } from '../export/dataset.js';
import type { DatasetTable } from '../export/dataset-plan.js';
import { exportSessions } from '../export/export-sessions.js';
import { exportConfig, type ExportConfig } from '../export/options.js';
import { bookmarkKey, type ExportTableName } from '../export/tables.js';
import { openOutput, type OutputFile } from '../output-file.js';
import { asDatabaseError, openDatabase, openForReading, ReadOnlyDatabaseError, type Db } from '../store/db.js';
import { loggerFor, type CommandContext } from './context.js';

export async function exportCommand({ argv, env, stdout, stderr }: CommandContext): Promise<number> {
  const config = exportConfig(argv, env);
  const log = loggerFor(config, stderr);
  if (config.out === null && config.format === 'parquet' && stdout.isTTY) {
    throw new SyncError('--format parquet is binary: give --out FILE or redirect stdout', ExitCode.usage);
  }
  if (config.dataset !== null) return datasetCommand(config, log);
  const db = openForExport(config);
  const files: OutputFile[] = [];
  // Only files need cleaning up. Exporting to stdout keeps the default: a signal ends the process at
  // once, even while it is blocked writing to a full pipe (a handler would wait for the write).
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const file of files) file.abort();
    const kept = files.filter((f) => !f.passThrough).map((f) => f.target);
    log.warn(`${signal}: export stopped${kept.length > 0 ? `; ${kept.join(' and ')} left as before` : ''}`);
    process.exit(signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm);
  };
  const catchSignals = config.out !== null || config.schema !== null;
  if (catchSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    // Both files are opened before any row is read, so an unwritable path fails at once.
    const file = config.out === null ? null : await openOutput(config.out, '--out', { stdout });
    if (file) files.push(file);
    const schemaFile = config.schema === null ? null : await openOutput(config.schema, '--schema', { stdout });
    if (schemaFile) files.push(schemaFile);
    for (const [output, flag] of [[file, '--out'], [schemaFile, '--schema']] as const) {
      // A link may lead to the database the rows come from: replacing it would lose every row.
      if (output && isDatabaseFile(output.target, config.db)) {
        throw new SyncError(`${flag} ${flag === '--out' ? config.out : config.schema} leads to the database itself; choose another file`, ExitCode.usage);
      }
    }

    const bookmarkName = config.sinceLast === null ? null : bookmarkKey(config.table, config.sinceLast);
    const previous = bookmarkName === null ? null : readExportBookmark(db, bookmarkName);
    const filter = previous === null ? config.filter : { ...config.filter, changedAfter: previous.lastSyncedAt };
    const result = await exportSessions(
      db,
      { format: config.format, table: config.table, filter, excelSafe: config.excelSafe, skipEmpty: config.skipEmpty },
      file?.stream ?? stdout,
    );
    const noun = ROW_NOUNS[config.table];
    if (result.skipped) {
      // --skip-empty: the target stays as it was (a new path is not created); the bookmark has nothing to move past.
      for (const output of files) output.abort();
      log.info(
        previous === null && config.sinceLast === null
          ? `no ${noun.one} matches; nothing written to ${config.out ?? 'stdout'} (--skip-empty)`
          : `nothing new since the last export under ${JSON.stringify(config.sinceLast)}; nothing written to ${config.out ?? 'stdout'} (--skip-empty)`,
      );
      return ExitCode.ok;
    }
    await file?.commit();
    if (schemaFile) {
      schemaFile.stream.write(`${JSON.stringify(schemaDocument(config.table), null, 2)}\n`);
      await schemaFile.commit();
    }
    // Only now is the output complete: the bookmark may move.
    if (bookmarkName !== null) {
      const value = nextBookmarkValue(result, previous?.lastSyncedAt ?? null);
      if (value !== null) {
        saveExportBookmark(db, { name: bookmarkName, lastSyncedAt: value, exportedAt: new Date().toISOString(), rows: result.rows });
      }
    }
    if (result.threads > 0) log.debug(`the rows were encoded on ${result.threads} threads, each with its own connection, from one snapshot`);
    log.info(`exported ${result.rows} ${noun.many} as ${config.format} to ${config.out ?? 'stdout'}`, {
      since: previous?.lastSyncedAt,
    });
    return ExitCode.ok;
  } catch (error) {
    for (const file of files) file.abort();
    if ((config.out === null || files[0]?.passThrough === true) && isClosedReader(error)) {
      // The reader took what it wanted (`| head`): not a failure. The bookmark did not move.
      log.debug(`${config.out ?? 'stdout'} closed by the reader; export stopped`);
      return ExitCode.ok;
    }
    if (error instanceof SyncError) throw error;
    if (isStreamError(error)) {
      throw new SyncError(`writing ${config.out ?? 'stdout'} failed: ${describeFsError(error)}`, ExitCode.failed, { cause: error });
    }
    throw asDatabaseError(error, config.db);
  } finally {
    if (catchSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    db.close();
  }
}

/**
 * `export --dataset DIR`: brings the partitioned dataset up to date, then (for `--since-last`) moves
 * the bookmark, kept as `dataset:NAME` so that it never mixes with a file export's bookmark `NAME`.
 */
async function datasetCommand(config: ExportConfig, log: ReturnType<typeof loggerFor>): Promise<number> {
  const dataset = config.dataset as string;
  const db = openForExport(config);
  // A signal removes the staged files; each partition is whole, old or new, and the bookmark stays.
  const onSignal = (signal: NodeJS.Signals): void => {
    abortDataset();
    log.warn(`${signal}: dataset export stopped; every partition of ${dataset} is whole, and the next export finishes the work`);
    process.exit(signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const bookmarkName = config.sinceLast === null ? null : `dataset:${config.sinceLast}`;
    const previous = bookmarkName === null ? null : readExportBookmark(db, bookmarkName);
    const result = await exportDataset(db, {
      dir: dataset,
      // The options refuse --dataset with any other table.
      table: config.table as DatasetTable,
      partitionBy: config.partitionBy,
      excludeDeleted: config.filter.excludeDeleted === true,
      changedAfter: previous?.lastSyncedAt ?? null,
    });
    if (bookmarkName !== null) {
      const value = nextBookmarkValue(result, previous?.lastSyncedAt ?? null);
      if (value !== null) {
        saveExportBookmark(db, { name: bookmarkName, lastSyncedAt: value, exportedAt: new Date().toISOString(), rows: result.rowsWritten });
      }
    }
    if (!result.full && result.rewritten === 0 && result.removed === 0) {
      log.info(`nothing new since the last export under ${JSON.stringify(config.sinceLast)}; ${result.tableDir} left as it was`);
    } else {
      log.info(
        `dataset ${result.tableDir}: ${result.full ? 'wrote every partition' : 'rewrote the changed partitions'}: ${result.rewritten} written, ${result.removed} removed; ${result.partitions} partitions, ${result.rows} sessions`,
      );
    }
    return ExitCode.ok;
  } catch (error) {
    abortDataset();
    if (error instanceof SyncError) throw error;
    throw asDatabaseError(error, config.db);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    db.close();
  }
}

/** What the log lines call a row of each table. */
const ROW_NOUNS: Readonly<Record<ExportTableName, { one: string; many: string }>> = {
  sessions: { one: 'session', many: 'sessions' },
  transcripts: { one: 'transcript', many: 'transcripts' },
  transcript_messages: { one: 'message', many: 'messages' },
};

/**
 * Read-only, unless a --since-last bookmark must be written: then the database must be writable
 * (and an older one is migrated, as by sync).
 */
function openForExport(config: ExportConfig): Db {
  if (config.sinceLast === null) return openForReading(config.db);
  try {
    return openDatabase(config.db);
  } catch (error) {
    if (!(error instanceof ReadOnlyDatabaseError)) throw error;
    throw new SyncError(
      `export --since-last keeps its bookmark in the database, and ${config.db} cannot be written: run it with write access, or export without --since-last`,
      ExitCode.usage,
      { cause: error },
    );
  }
}

/** True when `target` is the database file at `db` or one of its companions (-wal, -shm). */
function isDatabaseFile(target: string, db: string): boolean {
  let real: string;
  try {
    real = realpathSync(db);
  } catch {
    real = resolve(db);
  }
  return [real, `${real}-wal`, `${real}-shm`, `${real}-journal`].includes(target);
}

function isClosedReader(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
}

function isStreamError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('E') || code.startsWith('ERR_STREAM')) && !code.startsWith('SQLITE');
}
