/**
 * `anam-sync sync`: settle the config, open the database, take the lock, run, print the summary.
 * Signals stop the run after the page in hand; a second signal exits at once.
 */
import { ExitCode, InterruptedError, messageOf } from '../errors.js';
import { syncConfig, type ConfigWarning } from '../config.js';
import type { Logger } from '../log.js';
import { metricsText } from '../metrics.js';
import { classifyOutput, writeOutput } from '../output-file.js';
import { readScopeHealth } from '../store/health.js';
import { createProgressBar } from '../progress.js';
import { analyzeIfLarge } from '../store/analyze.js';
import { asDatabaseError, openDatabase, type Db } from '../store/db.js';
import { acquireLock, LOCK_HEARTBEAT_MS, LockLostError, type SyncLock } from '../store/lock.js';
import { abandonLeftoverRuns } from '../store/runs.js';
import { prepareSync, type SyncOutcome, type SyncReport } from '../sync/run.js';
import { loggerFor, type CommandContext } from './context.js';

export async function syncCommand({ argv, env, stdout, stderr }: CommandContext): Promise<number> {
  const warnings: ConfigWarning[] = [];
  const config = syncConfig(argv, env, (warning) => warnings.push(warning));
  const log = loggerFor(config, stderr);
  // Fields that repeat what a text line already says: only JSON log lines carry them.
  const jsonFields = (fields: Record<string, unknown>): Record<string, unknown> | undefined =>
    config.logFormat === 'json' ? fields : undefined;
  // A bad --metrics-file is a usage error before any request, not a surprise after the run.
  if (config.metricsFile !== null) classifyOutput(config.metricsFile, '--metrics-file');

  const stop = new AbortController();
  const progress = createProgressBar(stderr, !config.quiet && config.logFormat === 'text');
  // Page 1 is requested now: its round trip overlaps opening the database and taking the lock.
  const prepared = prepareSync({
    api: {
      baseUrl: config.apiUrl,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      proxyUrl: config.proxyUrl,
      onRequest: (event) =>
        log.debug(`${event.method} ${event.path} ${event.status ?? '-'} ${Math.round(event.durationMs)} ms`, {
          attempt: event.attempt,
          error: event.error,
        }),
      // A wait a person would notice gets a line at the default level; shorter ones only count.
      onRetry: (event) => {
        if (event.waitMs <= 1000) return;
        const asked = event.retryAfterMs === null ? '' : `, Retry-After ${(event.retryAfterMs / 1000).toFixed(1)} s`;
        log.info(
          `GET ${event.path} ${event.status ?? event.error}: retrying in ${(event.waitMs / 1000).toFixed(1)} s ` +
            `(attempt ${event.attempt} of ${event.attempts} failed${asked})`,
          jsonFields({ status: event.status, attempt: event.attempt, waitMs: event.waitMs, retryAfterMs: event.retryAfterMs ?? undefined }),
        );
      },
    },
    warnings,
    filters: config.filters,
    perPage: config.perPage,
    concurrency: config.concurrency,
    full: config.full,
    fullEveryHours: config.fullEveryHours,
    transcripts: config.transcripts,
    signal: stop.signal,
    log,
    onProgress: (p) => progress.update(p),
  });
  // Let page 1's request leave (connecting and sending take a turn of the event loop each) before
  // the synchronous work of opening, and on a first run creating, the database. Measured on an idle
  // sync at 100 ms of latency: 0.553 s against 0.566 s without (medians of 15).
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  let db: Db;
  try {
    db = openDatabase(config.db);
  } catch (error) {
    prepared.cancel();
    throw error;
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      // The second signal: the user wants out now. SQLite rolls back whatever was uncommitted.
      log.warn(`${signal} again: exiting at once`);
      process.exit(signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm);
    }
    log.warn(`${signal}: finishing the page in hand, then stopping (send it again to exit at once)`);
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let heartbeat: NodeJS.Timeout | undefined;
  let lock: SyncLock | undefined;
  try {
    lock = acquireLock(db, new Date());
    const held = lock;
    heartbeat = setInterval(() => {
      try {
        // Another sync took the lock over (this one stalled past the expiry): stop before writing
        // again. Every write checks the lock's token too, so none slips in before this fires.
        if (!held.heartbeat(new Date().toISOString())) stop.abort(new LockLostError());
      } catch (error) {
        // A missed beat (the database busy for long, a full disk) is not worth the run: the lock
        // only expires after two minutes without one, and the run's own writes report real trouble.
        log.warn(`could not renew the sync lock: ${messageOf(asDatabaseError(error, config.db))}`);
      }
    }, LOCK_HEARTBEAT_MS);
    heartbeat.unref();
    const abandoned = abandonLeftoverRuns(db, new Date().toISOString());
    if (abandoned > 0) log.warn(`marked ${abandoned} run(s) left running by a killed process as abandoned`);

    let outcome: SyncOutcome;
    try {
      outcome = await prepared.run(db, lock.token);
    } finally {
      progress.done();
    }
    const { report, error } = outcome;
    if (config.json) stdout.write(`${JSON.stringify(report)}\n`);
    if (error instanceof InterruptedError) {
      log.warn(messageOf(error));
      return error.exitCode;
    }
    if (error !== null) throw error;
    // Log shippers get the summary's numbers as fields, not only as text.
    log.info(summaryLine(report), jsonFields(summaryFields(report)));
    // Fresh planner statistics keep the analysts' per-day and per-persona queries on their indexes.
    // The run has succeeded already: a failure here is worth a warning, not a failed exit.
    try {
      const analyzed = analyzeIfLarge(db, report.inserted + report.updated + report.deleted);
      if (analyzed.action === 'analyze') log.debug(`planner statistics refreshed in ${Math.round(analyzed.durationMs)} ms`);
    } catch (error) {
      log.warn(`could not refresh the planner statistics: ${messageOf(asDatabaseError(error, config.db))}`);
    }
    return ExitCode.ok;
  } catch (error) {
    throw asDatabaseError(error, config.db);
  } finally {
    if (config.metricsFile !== null) await writeMetrics(db, config.metricsFile, log);
    // Nothing is in flight after a run; before one (the lock was held) page 1 may still be.
    prepared.cancel();
    // A writer thread may still be copying its write-ahead log into the file (sync/run.ts): the
    // process waits for it, so that it never exits with the run's last pages only in the log.
    await prepared.closed();
    clearInterval(heartbeat);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    try {
      lock?.release();
    } catch (error) {
      // Left behind, the lock is taken over by the next run (this pid will be gone).
      log.warn(`could not release the sync lock: ${messageOf(asDatabaseError(error, config.db))}`);
    }
    db.close();
  }
}

/** The summary's numbers and words, for a JSON log line (notes and warnings have lines of their own). */
function summaryFields(report: SyncReport): Record<string, unknown> {
  const { notes: _notes, warnings: _warnings, ...fields } = report;
  return fields;
}

/**
 * Writes the Prometheus metrics after a run, whole or not at all. A failure is a warning: the run's
 * own outcome (and exit code) stands.
 */
async function writeMetrics(db: Db, path: string, log: Logger): Promise<void> {
  try {
    await writeOutput(path, '--metrics-file', metricsText(readScopeHealth(db)), { mode: 0o644 });
  } catch (error) {
    log.warn(`could not write the metrics file ${path}: ${messageOf(asDatabaseError(error, path))}`);
  }
}

/** The human summary of a run, one line. */
export function summaryLine(report: SyncReport): string {
  return (
    `sync ${report.status} (${report.mode}): ${report.seen} seen in ${report.pages} pages, ` +
    `${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.stale} stale, ` +
    `${report.rejected} rejected, ${report.deleted} deleted; ${report.requests} requests, ${report.retries} retries, ` +
    `${(report.durationMs / 1000).toFixed(1)} s`
  );
}
