/**
 * What the stages of one sync run share: the API client and its request slots, the writer, the
 * run's counters, its warnings, and the stop signal. The stages (scan.ts, lookups.ts) decide
 * nothing here: this file reads, checks and stores one list page at a time, and keeps count.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ApiClient, type ApiClientOptions } from '../api/client.js';
import { CongestionWindow } from '../api/congestion.js';
import { parseSession } from '../api/session.js';
import type { SessionFilters, SessionListResponse } from '../api/types.js';
import type { Logger } from '../log.js';
import type { RunCounters, RunMode } from '../store/runs.js';
import { addCounts, type WriteCounts } from '../store/counts.js';
import { appendRecord, emptyPage, type FlatPage } from '../store/flat-page.js';
import type { PageWriter } from '../store/writer.js';
import { ApiInconsistencyError, checkPage, type Inconsistency, type PageVerdict } from './plan.js';

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
  /** `--transcripts`: after the sessions, fetch the transcripts of ended sessions that have none stored. */
  transcripts?: boolean;
  /**
   * Aborted on SIGINT/SIGTERM (the reason is the signal's name: stop after the page in hand), or
   * with a SyncError as reason (the lock was lost: stop at once with that error).
   */
  signal?: AbortSignal;
  log: Logger;
  /** Warnings found before the run (the settings'), reported with the run's own. */
  warnings?: ReadonlyArray<{ code: string; message: string }>;
  clock?: () => Date;
  onProgress?: (progress: SyncProgress) => void;
}

/** What a progress display needs. */
export interface SyncProgress {
  /** For 'transcripts', `pages` and `seen` count transcripts done and `lastPage` and `total` those to do. */
  phase: 'head' | 'full' | 'lookups' | 'transcripts';
  pages: number;
  lastPage: number | null;
  seen: number;
  total: number | null;
}

/** A warning of the run: something a person should look at. `code` is stable (for logs and status). */
export interface SyncWarning {
  code: string;
  message: string;
  /** How often it happened in this run (the message is the first occurrence's). */
  count: number;
}

/** One list page, read, checked and (unless it repeated an earlier one) stored. */
export interface PageRead {
  verdict: PageVerdict;
  /** The ids the page listed (records without a string id left out). */
  ids: string[];
  /** Records on the page, rejected ones included. */
  received: number;
  /** createdAt of the valid records, in page order. */
  createdAts: string[];
}

/** The shared plumbing of one run. */
export class RunContext {
  readonly options: SyncOptions;
  readonly scope: string;
  readonly client: ApiClient;
  /**
   * Request slots: at most `concurrency` requests on the network, fewer while the congestion
   * window is reduced (every stage's requests go through these slots and this client).
   */
  readonly limit: LimitFunction;
  /** One congestion window for the run's every request (see api/congestion.ts). */
  readonly congestion: CongestionWindow;
  readonly stop = new AbortController();
  readonly clock: () => Date;
  readonly counters: RunCounters = {
    requests: 0, retries: 0, pages: 0, seen: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0, deleted: 0,
  };
  readonly notes: string[] = [];
  readonly #warnings = new Map<string, SyncWarning>();
  /** The scope's warnings left open by its last run (code to message). */
  previousWarnings = new Map<string, string>();
  writer!: PageWriter;
  #writerClosed: Promise<void> | null = null;
  runId = 0;
  startedAt = '';
  phase: SyncProgress['phase'] = 'head';
  mode: RunMode = 'incremental';
  /** The API's count in the last list response, for progress. */
  apiTotal: number | null = null;
  #lastPage: number | null = null;
  /** List requests this run may make at most (set from page 1's count); null until then. */
  #listCeiling: number | null = null;
  #listRequests = 0;
  /** Page 1, requested as the run was prepared; taken by the first read of page 1. */
  #firstPage: Promise<SessionListResponse> | null;
  #countersSavedAt = 0;

  constructor(options: SyncOptions, scope: string) {
    this.options = options;
    this.scope = scope;
    this.clock = options.clock ?? (() => new Date());
    options.signal?.addEventListener('abort', () => this.stop.abort(options.signal?.reason), { once: true });
    this.limit = pLimit(options.concurrency);
    this.congestion = new CongestionWindow({ max: options.concurrency, onWindow: (window) => (this.limit.concurrency = window) });
    this.client = new ApiClient({ ...options.api, signal: this.stop.signal, congestion: this.congestion });
    this.#firstPage = this.#request(1);
    // Its failure is reported when the run reads page 1; a run that never starts ignores it.
    this.#firstPage.catch(() => {});
  }

  /** The list requests this run may make at most, and how many it made. */
  get listRequests(): { made: number; ceiling: number | null } {
    return { made: this.#listRequests, ceiling: this.#listCeiling };
  }

  /** Sets the run's ceiling of list requests (once, from the first page 1 of the run). */
  setListCeiling(ceiling: number): void {
    this.#listCeiling ??= ceiling;
  }

  /**
   * Fetches list page `page`, checks its `meta`, lets `judge` (the scan's plan) call it a repeat,
   * and stores it unless it is one. `onChecked` hears the verdict before the page is stored (a full
   * scan hands out the next pages from page 1's).
   *
   * The response and its parsed records are handed on as call arguments and never held in a
   * variable of an async function: V8 keeps such a variable alive while the function waits, even
   * when nothing reads it afterwards, so each page waiting for its commit (up to the scan's window,
   * about 1 MB each) stayed on the heap after it had been sent to the writer thread.
   */
  async readPage(
    page: number,
    judge: (checked: Omit<PageVerdict, 'repeat'>, ids: string[]) => PageVerdict = (checked) => ({ ...checked, repeat: false }),
    onChecked?: (verdict: PageVerdict, ids: string[]) => void,
  ): Promise<PageRead> {
    this.throwIfStopped();
    const prefetched = page === 1 ? this.#firstPage : null;
    if (prefetched !== null) this.#firstPage = null;
    const read = await this.#checkAndStore(page, await (prefetched ?? this.#request(page)), judge, onChecked);
    this.counters.pages++;
    await this.progress();
    return read;
  }

  /** Writes a page of parsed records (a list page, or a looked-up session with scope '') and counts what they did. */
  write(page: FlatPage, scope: string): Promise<WriteCounts> {
    // Not async, for the same reason as readPage: `page` must not outlive the call.
    // No request on the network or waiting for a slot: no page can come before this one is answered.
    const nothingOnTheWay = this.limit.activeCount === 0 && this.limit.pendingCount === 0;
    return this.writer.writePage(page, this.runId, this.clock().toISOString(), scope, nothingOnTheWay).then((counts) => {
      addCounts(this.counters, counts);
      return counts;
    });
  }

  /**
   * Notes a warning, logged at warn level (also under --quiet) when it is new or changed since the
   * scope's last run, at info level while it stays the same; the report carries it either way.
   * The same code again in this run only counts (its first message stays).
   */
  warn(problem: Inconsistency | { code: string; message: string }): void {
    const seen = this.#warnings.get(problem.code);
    if (seen !== undefined) {
      seen.count++;
      return;
    }
    this.#warnings.set(problem.code, { code: problem.code, message: problem.message, count: 1 });
    if (this.previousWarnings.get(problem.code) === problem.message) {
      this.options.log.info(`${problem.message} (as in the last run)`, { code: problem.code });
    } else {
      this.options.log.warn(problem.message, { code: problem.code });
    }
  }

  /** The warnings so far. */
  get warnings(): SyncWarning[] {
    return [...this.#warnings.values()].map((warning) => ({ ...warning }));
  }

  /** Something the run did beyond the plain path, worth a line at info level. */
  note(note: string): void {
    this.notes.push(note);
    this.options.log.info(note);
  }

  throwIfStopped(): void {
    if (this.stop.signal.aborted) throw this.stop.signal.reason ?? new Error('stopped');
  }

  /**
   * For tasks run side by side: the first failure stops the run at once (no new requests, those in
   * flight aborted) and is rethrown once every task has settled, so nothing is written after the
   * run is recorded.
   */
  firstFailure(): { note: (error: unknown) => void; rethrow: () => void; failed: () => boolean } {
    let first: { error: unknown } | null = null;
    return {
      note: (error) => {
        first ??= { error };
        this.stop.abort(error);
      },
      rethrow: () => {
        if (first !== null) throw first.error;
      },
      failed: () => first !== null,
    };
  }

  /**
   * Closes the writer, once: later calls get the same close. A writer thread copies its WAL into
   * the database as it closes, which may outlast the run (see {@link writerClosed}).
   */
  closeWriter(): Promise<void> {
    this.#writerClosed ??= this.writer.close().catch(() => {});
    return this.#writerClosed;
  }

  /** Resolves once the writer has closed (at once if nothing closed it). */
  get writerClosed(): Promise<void> {
    return this.#writerClosed ?? Promise.resolve();
  }

  /** Copies the client's counters into the run's. */
  takeClientStats(): void {
    this.counters.requests = this.client.stats.requests;
    this.counters.retries = this.client.stats.retries;
  }

  /** Reports progress, and saves the counters through the writer at most once a second. */
  async progress(): Promise<void> {
    if (Date.now() - this.#countersSavedAt > 1000) {
      this.#countersSavedAt = Date.now();
      this.takeClientStats();
      await this.writer.saveCounters(this.runId, { ...this.counters }, this.mode);
    }
    this.options.onProgress?.({
      phase: this.phase,
      pages: this.counters.pages,
      lastPage: this.#lastPage,
      seen: this.counters.seen,
      total: this.apiTotal,
    });
  }

  /** Reports the transcripts stage's progress: `done` of `total` candidates so far. */
  transcriptProgress(done: number, total: number): void {
    this.options.onProgress?.({ phase: 'transcripts', pages: done, lastPage: total, seen: done, total });
  }

  /** Aborts what is in flight (when the run cannot start: the lock is held, the database is unusable). */
  cancel(): void {
    this.stop.abort(new Error('cancelled'));
  }

  /** One list request through the request slots, counted against the run's ceiling. */
  #request(page: number): Promise<SessionListResponse> {
    return this.limit(() => {
      this.throwIfStopped();
      if (this.#listCeiling !== null && this.#listRequests >= this.#listCeiling) {
        throw new ApiInconsistencyError(
          `stopped after ${this.#listRequests} list requests, the most this run may make for the sessions the API reported; the API kept listing pages (see the warnings)`,
        );
      }
      this.#listRequests++;
      return this.client.listSessions(page, this.options.perPage, this.options.filters);
    });
  }

  /** Checks a list response (see readPage), then stores it unless it repeats an earlier page. */
  #checkAndStore(
    page: number,
    body: SessionListResponse,
    judge: (checked: Omit<PageVerdict, 'repeat'>, ids: string[]) => PageVerdict,
    onChecked: ((verdict: PageVerdict, ids: string[]) => void) | undefined,
  ): Promise<PageRead> {
    const ids = body.data.flatMap((record) => {
      const id = (record as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : [];
    });
    const verdict = judge(checkPage(page, this.options.perPage, body), ids);
    for (const problem of verdict.problems) this.warn(problem);
    if (new Set(ids).size < ids.length) {
      // Stored once all the same: the rows are keyed by id, and the newest version wins.
      this.warn({ code: 'duplicate-ids', message: `page ${page} lists a session more than once: each is stored once` });
    }
    this.apiTotal = verdict.total;
    this.#lastPage = Math.max(this.#lastPage ?? 0, verdict.reportedLastPage);
    const received = body.data.length;
    onChecked?.(verdict, ids);
    // The page is in hand: it is written even if a stop was requested meanwhile.
    const stored = verdict.repeat ? Promise.resolve([]) : this.#store(body.data);
    return stored.then((createdAts) => ({ verdict, ids, received, createdAts }));
  }

  /**
   * Validates a page's records and writes them in one transaction; returns their createdAt. Once
   * the writer has the flat page (a message to its thread is a copy), nothing here refers to it.
   *
   * Each record goes into the page's flat form as soon as it is parsed, and its ParsedSession is
   * dropped. A page of ParsedSessions, all alive until the last was parsed, was what V8's young
   * generation found alive whenever it collected during a page. About half the runs V8 then judged
   * that whole allocation site long-lived and allocated its objects in the old generation from then
   * on, where each one kept its strings alive until the next full collection. In those runs 240 MB
   * instead of 40 MB was promoted and the main thread spent 0.6 to 0.8 s instead of 0.2 s collecting
   * garbage (of a 3 s sync of 50k sessions), measured with --trace-gc-nvp.
   */
  #store(data: unknown[]): Promise<string[]> {
    const page = emptyPage();
    const createdAts: string[] = [];
    for (const input of data) {
      const record = parseSession(input);
      if (record.ok) createdAts.push(record.row.createdAt);
      appendRecord(page, record);
    }
    const received = data.length;
    return this.write(page, this.scope).then(() => {
      this.counters.seen += received;
      return createdAts;
    });
  }
}
