/**
 * One sync run, as stages that each return what they found: the first scan (the head of the list,
 * or every page), the lookups by id, and the completeness check, whose repairs (plan.ts
 * `nextRepair`) are more scans. The run records itself in `sync_runs` and returns its report, with
 * the error that ended it, if any.
 */
import { InterruptedError, SyncError, messageOf } from '../errors.js';
import { asDatabaseError, WAL_AUTOCHECKPOINT_PAGES, type Db } from '../store/db.js';
import {
  advanceBookmark,
  finishRun,
  readBookmark,
  saveCounters,
  startRun,
  type RunCounters,
  type RunMode,
  type RunStatus,
} from '../store/runs.js';
import { attachRunToLock } from '../store/lock.js';
import { countLive, countRejected } from '../store/scope.js';
import { openWarningsOf, saveWarnings } from '../store/warnings.js';
import { localWriter } from '../store/writer.js';
import type { RunContext, SyncOptions, SyncProgress, SyncWarning } from './context.js';
import { lookUp, openReference } from './lookups.js';
import { fullScanReason, HEAD_OVERLAP_MS, headThreshold, nextRepair } from './plan.js';
import { fullScan, headScan, type ScanResult } from './scan.js';
import { fetchTranscripts, type TranscriptCounts } from './transcripts.js';

export type { SyncOptions, SyncProgress };

/** The summary of a run: the contract's keys, then what the run found out. */
export interface SyncReport extends RunCounters {
  runId: number;
  status: RunStatus;
  mode: RunMode;
  durationMs: number;
  scope: string;
  /** Why every page was read, or null for an incremental run. */
  fullScanReason: string | null;
  /** `meta.total` of the scope in the list response the completeness check used. */
  apiTotal: number | null;
  /** Live stored sessions of the scope at the end. */
  storedLive: number;
  /**
   * The API's count minus what its pages list, left after a full scan (null: the counts agree, or
   * the run did not get as far as checking them).
   */
  residual: number | null;
  /** Stored sessions looked up by id. */
  lookups: number;
  /** List requests made, and the most this run could make (set from the API's count on page 1). */
  listRequests: number;
  listCeiling: number | null;
  /** What the run did beyond the plain path (order fallback, repairs). */
  notes: string[];
  /** What a person should look at: API inconsistencies, a residual, the ceiling reached. */
  warnings: SyncWarning[];
  /** What `--transcripts` did (null without it, or when the run ended before it). */
  transcripts: TranscriptCounts | null;
  /** Why the run failed or stopped (absent when it succeeded). */
  error?: string;
}

/** How a run ended: its report, and the error that ended it (null when it succeeded). */
export interface SyncOutcome {
  report: SyncReport;
  error: SyncError | null;
}

/** What the stages found so far, folded together. */
interface Findings {
  apiTotal: number | null;
  newest: string | null;
  newestFirst: boolean;
  lookups: number;
  fullScanReason: string | null;
  /** This run has read every page (its first scan, or a repair). */
  fullScanDone: boolean;
  /** A repair read every page. */
  fullRepairDone: boolean;
  headReread: boolean;
  threaded: boolean;
  residual: number | null;
  transcripts: TranscriptCounts | null;
}

/**
 * Runs the sync prepared in `run` (sync/prepare.ts) on `db`; `lockToken` is the sync lock's token,
 * which every write checks. Throws only when the run cannot even be recorded (the database itself
 * failed).
 */
export async function runSync(run: RunContext, db: Db, lockToken: string | null): Promise<SyncOutcome> {
  const { filters, log } = run.options;
  run.writer = localWriter(db, lockToken);
  const started = run.clock();
  const bookmark = readBookmark(db, run.scope);
  run.previousWarnings = openWarningsOf(db, run.scope);
  for (const warning of run.options.warnings ?? []) run.warn(warning);
  const found: Findings = {
    apiTotal: null,
    newest: null,
    newestFirst: true,
    lookups: 0,
    fullScanReason: fullScanReason(bookmark, started, { forced: run.options.full, fullEveryHours: run.options.fullEveryHours }),
    fullScanDone: false,
    fullRepairDone: false,
    headReread: false,
    threaded: false,
    residual: null,
    transcripts: null,
  };
  run.mode = found.fullScanReason === null ? 'incremental' : 'full';
  run.startedAt = started.toISOString();
  run.runId = startRun(db, run.mode, filters, run.startedAt);
  if (lockToken !== null) attachRunToLock(db, lockToken, run.runId);

  const absorb = (scan: ScanResult): void => {
    found.apiTotal = scan.apiTotal;
    if (scan.newest !== null && (found.newest === null || scan.newest > found.newest)) found.newest = scan.newest;
    found.newestFirst &&= scan.newestFirst;
  };
  const readNewest = async (threshold: string): Promise<void> => {
    absorb(await headScan(run, threshold));
    found.headReread = true;
  };
  const readAll = async (): Promise<void> => {
    log.info(`full sync: ${found.fullScanReason}`);
    // The writer thread's connection commits the pages, and checkpoints the WAL as they grow; this
    // one leaves checkpoints to it, so that none runs here while pages wait to be read, and the
    // last one runs in the thread while this one finishes the run (see the writer's close below).
    if (!found.threaded) db.pragma('wal_autocheckpoint = 0');
    absorb(await fullScan(run, lockToken, db.name, found.threaded));
    found.threaded = true;
    found.lookups += (await lookUp(run, null)).lookups;
    if (run.scope !== '') await run.writer.pruneMembers(run.scope, run.runId);
    found.fullScanDone = true;
    found.headReread = false;
  };

  try {
    if (found.fullScanReason === null && bookmark !== null) {
      const head = await headScan(run, bookmark.newestCreatedAt === null ? '' : headThreshold(bookmark.newestCreatedAt));
      absorb(head);
      if (!head.newestFirst) {
        found.fullScanReason = 'the API does not list sessions newest first';
        run.note(`${found.fullScanReason}: reading every page instead`);
      }
    }
    if (found.fullScanReason !== null) await readAll();
    else found.lookups += (await lookUp(run, openReference([found.newest, bookmark?.newestCreatedAt ?? null], run.clock()))).lookups;

    // The completeness check: the API's count against what the store holds for the scope (plus
    // records the API lists that validation rejected), repaired at most once (plan.ts nextRepair).
    const rejectedSince = (): number => (found.fullScanDone ? run.runId : (bookmark?.lastFullRunId ?? run.runId));
    const gap = (): number =>
      found.apiTotal === null ? 0 : found.apiTotal - countLive(db, run.scope) - countRejected(db, run.scope, rejectedSince());
    const knownResidual = bookmark?.countResidual ?? null;
    for (;;) {
      const difference = gap();
      const step = nextRepair({ gap: difference, knownResidual, ...found });
      if (step === 'none') break;
      if (step === 'accept' || step === 'residual') {
        found.residual = difference;
        run.warn(residualWarning(difference));
        break;
      }
      run.note(`the API lists ${found.apiTotal} sessions, ${(found.apiTotal ?? 0) - difference} stored: ${step === 'head' ? 're-reading the newest pages' : 'reading every page'}`);
      if (step === 'head') {
        if (found.newest === null) found.headReread = true;
        else await readNewest(headThreshold(found.newest, HEAD_OVERLAP_MS));
      } else {
        found.fullScanReason ??= 'repair: the counts differed';
        await readAll();
        found.fullRepairDone = true;
      }
    }

    // Every page is committed and the writer has nothing left to do. A writer thread copies its WAL
    // into the database as it closes, while this thread records the run and refreshes the planner
    // statistics (the command waits for it before closing the database). Then checkpoints are this
    // connection's again: the transcripts stage writes here, and its log must not grow unbounded.
    void run.closeWriter().then(() => {
      try {
        db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      } catch {
        // Closed already (nothing more is written on it).
      }
    });
    const rejected = countRejected(db, run.scope, rejectedSince());
    if (rejected > 0) run.warn(rejectedWarning(rejected));
    if (run.counters.stale > 0) {
      run.warn({
        code: 'stale-versions',
        message: 'the API served versions older than the stored ones (a lagging copy?): they were kept in session_versions, the rows were not rolled back',
      });
    }
    if (run.client.stats.nearlyExhausted > 0) {
      run.warn({
        code: 'retries-nearly-exhausted',
        message: `requests succeeded only on their last allowed attempts (--max-retries ${run.options.api.maxRetries}): the API is failing often`,
      });
    }
    const finished = run.clock();
    advanceBookmark(db, filters, {
      newestCreatedAt: found.newest,
      completeAt: finished.toISOString(),
      fullSync: found.fullScanDone,
      runId: run.runId,
      residual: found.residual,
    });
    // The sessions are complete (their bookmark has moved): transcripts come after, each in a
    // transaction of its own, so a failure here keeps both the sessions and every transcript stored.
    if (run.options.transcripts === true) found.transcripts = await fetchTranscripts(run, db, lockToken);
    return { report: finish(run, db, found, 'succeeded', started, run.clock()), error: null };
  } catch (error) {
    await run.closeWriter();
    const stopReason: unknown = run.options.signal?.aborted ? run.options.signal.reason : undefined;
    const thrown =
      typeof stopReason === 'string'
        ? new InterruptedError(stopReason as NodeJS.Signals)
        : stopReason instanceof SyncError
          ? stopReason
          : toSyncError(asDatabaseError(error, db.name));
    try {
      const status = thrown instanceof InterruptedError ? 'interrupted' : 'failed';
      return { report: finish(run, db, found, status, started, run.clock(), thrown.message), error: thrown };
    } catch {
      // The database itself failed (disk full, say): the error in hand already says so.
      throw thrown;
    }
  }
}

/** The warning for a count the pages do not reach. */
function residualWarning(residual: number): { code: string; message: string } {
  const how = residual > 0 ? `${residual} more sessions than its pages list` : `${-residual} fewer sessions than its pages list`;
  return {
    code: 'count-residual',
    message:
      `after a full scan the API still counts ${how}; later runs accept this difference while it stays the same, ` +
      'and the scheduled full scan (--full-every) checks again',
  };
}

/** The warning for records the API lists that failed validation (kept in rejected_records). */
function rejectedWarning(count: number): { code: string; message: string } {
  return {
    code: 'rejected-records',
    message: `${count} record(s) the API lists failed validation and are kept in the rejected_records table, not in sessions`,
  };
}

function finish(
  run: RunContext,
  db: Db,
  found: Findings,
  status: Exclude<RunStatus, 'running'>,
  started: Date,
  finished: Date,
  error?: string,
): SyncReport {
  const durationMs = finished.getTime() - started.getTime();
  run.takeClientStats();
  saveCounters(db, run.runId, run.counters, run.mode);
  const warnings = run.warnings;
  const notes = [...run.notes, ...warnings.map((warning) => `warning: ${warning.message}`)];
  finishRun(db, run.runId, { status, finishedAt: finished.toISOString(), durationMs, error, notes });
  saveWarnings(db, run.scope, run.runId, finished.toISOString(), warnings, status === 'succeeded');
  const { made, ceiling } = run.listRequests;
  return {
    runId: run.runId,
    status,
    mode: run.mode,
    ...run.counters,
    durationMs,
    scope: run.scope,
    fullScanReason: found.fullScanReason,
    apiTotal: found.apiTotal,
    storedLive: countLive(db, run.scope),
    residual: found.residual,
    lookups: found.lookups,
    listRequests: made,
    listCeiling: ceiling,
    notes: [...run.notes],
    warnings,
    transcripts: found.transcripts,
    ...(error === undefined ? {} : { error }),
  };
}

function toSyncError(error: unknown): SyncError {
  return error instanceof SyncError ? error : new SyncError(`sync failed: ${messageOf(error)}`, 1, { cause: error });
}
