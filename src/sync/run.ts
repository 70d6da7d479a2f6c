/**
 * One sync run: decides incremental or full, reads pages through p-limit (each page validated and
 * written as it arrives: in a transaction of its own, or grouped with others on the writer thread),
 * refreshes open sessions, checks completeness against the API's count, reconciles after full
 * scans, and records everything in `sync_runs`.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ApiClient, type ApiClientOptions } from '../api/client.js';
import { parseSession } from '../api/session.js';
import type { Pagination, SessionFilters, SessionListResponse } from '../api/types.js';
import { InterruptedError, SyncError, messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import { asDatabaseError, type Db } from '../store/db.js';
import {
  advanceBookmark,
  finishRun,
  readBookmark,
  saveCounters,
  scopeKey,
  startRun,
  type RunCounters,
  type RunMode,
  type RunStatus,
} from '../store/runs.js';
import { countLive, countRejected } from '../store/scope.js';
import { addCounts } from '../store/upsert.js';
import { localWriter, PAGES_PER_TRANSACTION, threadWriter, type PageWriter } from '../store/writer.js';
import { fullScanReason, HEAD_OVERLAP_MS, headScanContinues, headThreshold, isNewestFirst, PagePlan } from './plan.js';

export interface SyncOptions {
  /** How to reach the API; the run makes its own client so it can abort its requests. */
  api: Omit<ApiClientOptions, 'signal'>;
  filters: SessionFilters;
  perPage: number;
  concurrency: number;
  /** `--full`: read every page and reconcile, whatever the bookmarks say. */
  full: boolean;
  /** A full reconciliation runs by itself when the last one is older than this. */
  fullEveryHours: number;
  /** Aborted (with the signal's name as reason) on SIGINT/SIGTERM: stop after the page in hand. */
  signal?: AbortSignal;
  log: Logger;
  clock?: () => Date;
  onProgress?: (progress: SyncProgress) => void;
}

/** What a progress display needs. */
export interface SyncProgress {
  phase: 'head' | 'full' | 'lookups';
  pages: number;
  lastPage: number | null;
  seen: number;
  total: number | null;
}

/** The summary of a run: the contract's keys, then what the run found out. */
export interface SyncReport extends RunCounters {
  runId: number;
  status: RunStatus;
  mode: RunMode;
  durationMs: number;
  scope: string;
  /** Why every page was read, or null for an incremental run. */
  fullScanReason: string | null;
  /** `meta.total` of the scope in the last list response. */
  apiTotal: number | null;
  /** Live stored sessions of the scope at the end. */
  storedLive: number;
  /** Stored open sessions looked up by id. */
  lookups: number;
  /** What the run did beyond the plain path (order fallback, repairs). */
  notes: string[];
}

/** A sync whose first request is already on its way: give it the database to run, or cancel it. */
export interface PreparedSync {
  /** Runs the sync and returns its report; throws (after recording the run) if it fails or is stopped. */
  run(db: Db): Promise<SyncReport>;
  /** Aborts what is in flight (when the run cannot start: the lock is held, the database is unusable). */
  cancel(): void;
}

/**
 * Starts reading page 1 at once (every run, incremental or full, begins with it), so the network's
 * round trip overlaps opening the database, migrating it and taking the lock.
 */
export function prepareSync(options: SyncOptions): PreparedSync {
  const run = new SyncRun(options);
  return { run: (db) => run.execute(db), cancel: () => run.cancel() };
}

interface PageRead {
  meta: Pagination;
  /** Records on the page, rejected ones included. */
  received: number;
  /** createdAt of the valid records, in page order. */
  createdAts: string[];
}

class SyncRun {
  readonly #o: SyncOptions;
  #db!: Db;
  /** Page 1, requested as the run was prepared; taken by the first read of page 1. */
  #firstPage: Promise<SessionListResponse> | null;
  readonly #clock: () => Date;
  readonly #stop = new AbortController();
  readonly #client: ApiClient;
  readonly #limit: LimitFunction;
  readonly #inHand: LimitFunction;
  #writer!: PageWriter;
  #threaded = false;
  #countersSavedAt = 0;
  readonly #counters: RunCounters = {
    requests: 0, retries: 0, pages: 0, seen: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0, deleted: 0,
  };
  readonly #notes: string[] = [];
  #runId = 0;
  #startedAt = '';
  #mode: RunMode = 'incremental';
  #fullScanReason: string | null = null;
  #newest: string | null = null;
  /** The API's count to check the store against (see #checkCompleteness). */
  #apiTotal: number | null = null;
  /** False once any page was seen out of newest-first order. */
  #newestFirst = true;
  #lookups = 0;
  #phase: SyncProgress['phase'] = 'head';
  #lastPage: number | null = null;

  constructor(options: SyncOptions) {
    this.#o = options;
    this.#clock = options.clock ?? (() => new Date());
    options.signal?.addEventListener('abort', () => this.#stop.abort(options.signal?.reason), { once: true });
    this.#client = new ApiClient({ ...options.api, signal: this.#stop.signal });
    this.#limit = pLimit(options.concurrency);
    this.#inHand = pLimit(options.concurrency * 2 + PAGES_PER_TRANSACTION);
    this.#firstPage = this.#limit(() => this.#client.listSessions(1, options.perPage, options.filters));
    // Its failure is reported when the run reads page 1; a run that never starts ignores it.
    this.#firstPage.catch(() => {});
  }

  cancel(): void {
    this.#stop.abort(new Error('cancelled'));
  }

  async execute(db: Db): Promise<SyncReport> {
    this.#db = db;
    this.#writer = localWriter(db);
    const { filters, log } = this.#o;
    const started = this.#clock();
    const bookmark = readBookmark(db, scopeKey(filters));
    let reason = fullScanReason(bookmark, started, { forced: this.#o.full, fullEveryHours: this.#o.fullEveryHours });
    this.#mode = reason === null ? 'incremental' : 'full';
    this.#startedAt = started.toISOString();
    this.#runId = startRun(db, this.#mode, filters, this.#startedAt);
    try {
      if (reason === null && bookmark !== null) {
        const threshold = bookmark.newestCreatedAt === null ? '' : headThreshold(bookmark.newestCreatedAt);
        if (!(await this.#headScan(threshold))) {
          reason = 'the API does not list sessions newest first';
          this.#note(`${reason}: reading every page instead`);
        }
      }
      if (reason !== null) {
        this.#mode = 'full';
        this.#fullScanReason = reason;
        log.info(`full sync: ${reason}`);
        await this.#fullScan();
      } else {
        await this.#lookUp(true);
      }
      await this.#checkCompleteness(bookmark?.lastFullRunId ?? this.#runId);
      const finished = this.#clock();
      advanceBookmark(db, filters, {
        newestCreatedAt: this.#newest,
        completeAt: finished.toISOString(),
        fullSync: this.#mode === 'full',
        runId: this.#runId,
      });
      await this.#writer.close();
      return this.#finish('succeeded', started, finished);
    } catch (error) {
      await this.#writer.close().catch(() => {});
      const interrupted = this.#o.signal?.aborted === true;
      const thrown = interrupted
        ? new InterruptedError(String(this.#o.signal?.reason ?? 'SIGTERM') as NodeJS.Signals)
        : toSyncError(asDatabaseError(error, db.name));
      try {
        thrown.report = this.#finish(interrupted ? 'interrupted' : 'failed', started, this.#clock(), interrupted ? undefined : thrown.message);
      } catch {
        // The database itself failed (disk full, say): the error in hand already says so.
      }
      throw thrown;
    }
  }

  /**
   * Reads from page 1 while pages still hold sessions above the threshold. Returns false, having
   * stored what it read, as soon as a page is not in newest-first order.
   */
  async #headScan(threshold: string): Promise<boolean> {
    this.#phase = 'head';
    for (let page = 1; ; page++) {
      const { meta, createdAts, received } = await this.#readPage(page);
      // Page 1's count is the one to check against: sessions created after it was read can only
      // appear above it (newest first), never on the later pages this scan reads.
      if (page === 1) this.#apiTotal = meta.total;
      if (!isNewestFirst(createdAts)) return false;
      if (!headScanContinues(received, createdAts, this.#o.perPage, threshold)) return true;
    }
  }

  /**
   * Reads every page, `concurrency` at a time. Page 1 says how many there are; any later response
   * that reports more (sessions created meanwhile push older ones onto later pages) extends the scan.
   * Then stored sessions the scan did not see are confirmed by id.
   */
  async #fullScan(): Promise<void> {
    this.#phase = 'full';
    // A full scan writes every page: SQLite's work moves to a thread of its own, beside the network
    // reads and JSON parsing of this one. The thread starts while page 1 is on its way.
    const thread = this.#threaded ? null : threadWriter(this.#db.name);
    // Awaited once page 1 is in; a thread that fails to start before then is reported there.
    thread?.catch(() => {});
    let first: PageRead;
    try {
      first = await this.#readPage(1, async () => {
        if (thread !== null) {
          await this.#writer.close();
          this.#writer = await thread;
          this.#threaded = true;
        }
        await this.#writer.resetSeen();
      });
    } catch (error) {
      // Page 1 failed before the thread took over: stop it, or it would keep the process alive.
      if (thread !== null && !this.#threaded) void thread.then((writer) => writer.close(), () => {});
      throw error;
    }
    this.#apiTotal = first.meta.total;
    const plan = new PagePlan(first.meta.lastPage);
    const pending = new Set<Promise<void>>();
    const failure = this.#firstFailure();
    const schedule = (pages: number[]): void => {
      for (const page of pages) {
        const task = this.#readPage(page).then(
          (read) => {
            this.#apiTotal = read.meta.total;
            schedule(plan.next(read.meta.lastPage));
          },
          failure.note,
        );
        pending.add(task);
        void task.finally(() => pending.delete(task));
      }
    };
    schedule(plan.next());
    while (pending.size > 0) await Promise.all(pending);
    failure.rethrow();
    await this.#lookUp(false);
  }

  /**
   * Looks up by id the live stored sessions of the scope that this run did not read from the list:
   * only the open ones after a head scan, all of them after a full scan. 404 marks a session
   * deleted (the row stays); a found one is written like any listed record.
   */
  async #lookUp(onlyOpen: boolean): Promise<void> {
    this.#phase = 'lookups';
    const ids = await this.#writer.unseenLiveIds(this.#o.filters, this.#startedAt, onlyOpen);
    if (ids.length === 0) return;
    this.#o.log.info(`looking up ${ids.length} ${onlyOpen ? 'open' : 'unlisted'} sessions by id`);
    const failure = this.#firstFailure();
    await Promise.all(
      ids.map((id) =>
        this.#limit(async () => {
          this.#throwIfStopped();
          const record = await this.#client.getSession(id);
          this.#lookups++;
          const now = this.#clock().toISOString();
          if (record === null) {
            if (await this.#writer.markDeleted(id, now)) this.#counters.deleted++;
          } else {
            this.#counters.seen++;
            addCounts(this.#counters, await this.#writer.writePage([parseSession(record)], this.#runId, now));
          }
        }).catch(failure.note),
      ),
    );
    failure.rethrow();
  }

  /**
   * For tasks run side by side: the first failure stops the run at once (no new requests, those in
   * flight aborted) and is rethrown once every task has settled, so nothing is written after the
   * run is recorded.
   */
  #firstFailure(): { note: (error: unknown) => void; rethrow: () => void } {
    let first: { error: unknown } | null = null;
    return {
      note: (error) => {
        first ??= { error };
        this.#stop.abort(error);
      },
      rethrow: () => {
        if (first !== null) throw first.error;
      },
    };
  }

  /**
   * Compares the API's count for the scope with the live stored sessions (plus records it sent
   * that validation rejected). A difference is repaired: first by re-reading the newest pages
   * (sessions created while the run read), then, if still off, by a full scan with reconciliation.
   */
  async #checkCompleteness(rejectedSinceRun: number): Promise<void> {
    const gap = (): number => {
      if (this.#apiTotal === null) return 0;
      const stored = countLive(this.#db, this.#o.filters) + countRejected(this.#db, this.#o.filters, rejectedSinceRun);
      return this.#apiTotal - stored;
    };
    const headRepair = async (): Promise<number> => {
      if (this.#newestFirst && this.#newest !== null) await this.#headScan(headThreshold(this.#newest, HEAD_OVERLAP_MS));
      return gap();
    };
    let difference = gap();
    if (difference === 0) return;
    this.#note(`the API lists ${this.#apiTotal} sessions, ${this.#apiTotal! - difference} stored: repairing`);
    if (difference > 0 && this.#newestFirst && (await headRepair()) === 0) {
      this.#note('repaired by re-reading the newest pages');
      return;
    }
    this.#mode = 'full';
    this.#fullScanReason ??= 'repair: the counts differed';
    await this.#fullScan();
    difference = await headRepair();
    this.#note(
      difference === 0
        ? 'repaired by a full scan'
        : `after a full scan the counts still differ by ${difference} (the API changed during the run); the next run repairs again`,
    );
  }

  /**
   * Fetches one list page, validates its records and writes them in one transaction (after
   * `beforeWrite`, if given).
   */
  #readPage(page: number, beforeWrite?: () => Promise<void>): Promise<PageRead> {
    // A request slot is held only while the page is on the network; its write goes on beside the
    // next requests. Pages in hand (fetched, not yet written) are bounded too, so a database slower
    // than the network cannot make memory grow.
    return this.#inHand(async () => {
      this.#throwIfStopped();
      const prefetched = page === 1 ? this.#firstPage : null;
      if (prefetched !== null) this.#firstPage = null;
      const body = await (prefetched ??
        this.#limit(() => {
          this.#throwIfStopped();
          return this.#client.listSessions(page, this.#o.perPage, this.#o.filters);
        }));
      await beforeWrite?.();
      return this.#storePage(body);
    });
  }

  /** Validates a page's records and writes them in one transaction. */
  async #storePage(body: SessionListResponse): Promise<PageRead> {
    // The page is in hand: it is written even if a stop was requested meanwhile.
    const parsed = body.data.map(parseSession);
    const counts = await this.#writer.writePage(parsed, this.#runId, this.#clock().toISOString());
    addCounts(this.#counters, counts);
    const createdAts: string[] = [];
    for (const record of parsed) {
      if (!record.ok) continue;
      createdAts.push(record.row.createdAt);
      if (this.#newest === null || record.row.createdAt > this.#newest) this.#newest = record.row.createdAt;
    }
    this.#counters.pages++;
    this.#counters.seen += body.data.length;
    if (!isNewestFirst(createdAts)) this.#newestFirst = false;
    this.#lastPage = Math.max(this.#lastPage ?? 0, body.meta.lastPage);
    // The run's row shows progress to `status` and after a kill; once a second is plenty.
    if (Date.now() - this.#countersSavedAt > 1000) await this.#saveProgress();
    this.#o.onProgress?.({
      phase: this.#phase,
      pages: this.#counters.pages,
      lastPage: this.#lastPage,
      seen: this.#counters.seen,
      total: this.#apiTotal,
    });
    return { meta: body.meta, received: body.data.length, createdAts };
  }

  #throwIfStopped(): void {
    if (this.#stop.signal.aborted) throw this.#stop.signal.reason ?? new Error('stopped');
  }

  #saveCounters(): void {
    this.#takeClientStats();
    saveCounters(this.#db, this.#runId, this.#counters, this.#mode);
  }

  /** The counters so far, saved through the writer (whose connection may hold a transaction open). */
  async #saveProgress(): Promise<void> {
    this.#takeClientStats();
    await this.#writer.saveCounters(this.#runId, { ...this.#counters }, this.#mode);
  }

  #takeClientStats(): void {
    this.#countersSavedAt = Date.now();
    this.#counters.requests = this.#client.stats.requests;
    this.#counters.retries = this.#client.stats.retries;
  }

  #note(note: string): void {
    this.#notes.push(note);
    this.#o.log.info(note);
  }

  #finish(status: Exclude<RunStatus, 'running'>, started: Date, finished: Date, error?: string): SyncReport {
    const durationMs = finished.getTime() - started.getTime();
    this.#saveCounters();
    finishRun(this.#db, this.#runId, { status, finishedAt: finished.toISOString(), durationMs, error, notes: this.#notes });
    return {
      runId: this.#runId,
      status,
      mode: this.#mode,
      ...this.#counters,
      durationMs,
      scope: scopeKey(this.#o.filters),
      fullScanReason: this.#fullScanReason,
      apiTotal: this.#apiTotal,
      storedLive: countLive(this.#db, this.#o.filters),
      lookups: this.#lookups,
      notes: [...this.#notes],
    };
  }
}

function toSyncError(error: unknown): SyncError {
  return error instanceof SyncError ? error : new SyncError(`sync failed: ${messageOf(error)}`, 1, { cause: error });
}
