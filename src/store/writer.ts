/**
 * Where a sync's pages are written: in this thread (cheap to start: incremental runs), or in a
 * worker thread with its own connection (full scans: SQLite's work then runs beside the network
 * reads and the JSON parsing instead of after them). This thread writes each page in its own
 * transaction; the worker commits the pages that arrive together in one (see writer-worker.ts).
 * Both keep the ids they have seen on their own connection, and save the run's progress there too:
 * a write on another connection would have to wait for the worker's open transaction.
 *
 * {@link WriterOps} is the protocol: the same operations run on the caller's connection or, as typed
 * messages, in the thread.
 */
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';
import { LOCK_LOST, LockLostError } from './lock.js';
import { saveCounters, type RunCounters, type RunMode } from './runs.js';
import { unseenLiveIds } from './scope.js';
import type { WriteCounts } from './counts.js';
import type { FlatPage } from './flat-page.js';
import { SessionWriter } from './upsert.js';

/** The writes (and the one read) a sync makes on the connection that writes its pages. */
export interface WriterOps {
  /**
   * One page of a list response (scope: its scope key) or one looked-up session (scope ''), as a
   * {@link FlatPage}: what travels to the writer thread.
   * `nothingOnTheWay`: no other request is on the network, so no other page can come before this
   * one is answered; the writer thread then commits at once instead of waiting for more.
   */
  writePage(page: FlatPage, runId: number, now: string, scope: string, nothingOnTheWay: boolean): WriteCounts;
  markDeleted(id: string, now: string): boolean;
  /** Live sessions of the scope stored before the run that this writer has not seen (see scope.ts). */
  unseenLiveIds(scope: string, runStartedAt: string, openAt: string | null): string[];
  resetSeen(): void;
  /** After a complete full scan of a filtered scope: forgets the members it did not list. */
  pruneMembers(scope: string, runId: number): void;
  /** Saves the run's counters so far (its progress, for `status` and after a kill). */
  saveCounters(runId: number, counters: RunCounters, mode: RunMode): void;
}

/** {@link WriterOps}, answered asynchronously, plus the end of the writer. */
export type PageWriter = {
  [K in keyof WriterOps]: (...args: Parameters<WriterOps[K]>) => Promise<ReturnType<WriterOps[K]>>;
} & { close(): Promise<void> };

/** The operations on one connection. `lockToken` fences every write (see lock.ts). */
export function writerOps(db: Db, lockToken: string | null): WriterOps & { writer: SessionWriter } {
  const writer = new SessionWriter(db, { lockToken });
  return {
    writer,
    writePage: (page, runId, now, scope) => writer.writeFlatPage(page, runId, now, scope),
    markDeleted: (id, now) => writer.markDeleted(id, now),
    unseenLiveIds: (scope, runStartedAt, openAt) => unseenLiveIds(db, scope, runStartedAt, openAt),
    resetSeen: () => writer.resetSeen(),
    pruneMembers: (scope, runId) => writer.pruneMembers(scope, runId),
    saveCounters: (runId, counters, mode) => saveCounters(db, runId, counters, mode),
  };
}

/** Writes on the caller's connection, in this thread. */
export function localWriter(db: Db, lockToken: string | null = null): PageWriter {
  const ops = writerOps(db, lockToken);
  return {
    writePage: async (...args) => ops.writePage(...args),
    markDeleted: async (...args) => ops.markDeleted(...args),
    unseenLiveIds: async (...args) => ops.unseenLiveIds(...args),
    resetSeen: async () => ops.resetSeen(),
    pruneMembers: async (...args) => ops.pruneMembers(...args),
    saveCounters: async (...args) => ops.saveCounters(...args),
    close: async () => {},
  };
}

/**
 * The writer `next` will be, usable at once: every call waits for it and then runs in the order the
 * calls were made (a full scan reads on while its thread starts; nothing is written before). When
 * `next` fails, every call fails with its error, and closing does nothing.
 */
export function deferredWriter(next: Promise<PageWriter>): PageWriter {
  // Its failure reaches whoever calls; with no call yet, it is no unhandled rejection.
  next.catch(() => {});
  const later =
    <K extends keyof WriterOps>(op: K) =>
    (...args: Parameters<WriterOps[K]>): Promise<ReturnType<WriterOps[K]>> =>
      next.then((writer) => (writer[op] as (...a: Parameters<WriterOps[K]>) => Promise<ReturnType<WriterOps[K]>>)(...args));
  return {
    writePage: later('writePage'),
    markDeleted: later('markDeleted'),
    unseenLiveIds: later('unseenLiveIds'),
    resetSeen: later('resetSeen'),
    pruneMembers: later('pruneMembers'),
    saveCounters: later('saveCounters'),
    close: () => next.then((writer) => writer.close(), () => {}),
  };
}

/**
 * Pages the writer thread commits together at most. The run keeps this many pages in hand beyond
 * its requests, so that a group waiting for its commit never stops the reading.
 */
export const PAGES_PER_TRANSACTION = 16;

/**
 * The writer thread's young generation (MiB). What it holds is a page or two at a time, but a
 * scavenge that finds a page still being written counts it as a survivor, and V8 doubles the young
 * generation after such scavenges until its default ceiling (16 MiB semi-spaces): over a long sync
 * the thread's new space grew from 8 to 32 MiB, which a short one never reached. This ceiling keeps
 * the thread where short syncs left it.
 */
const WRITER_YOUNG_GENERATION_MB = 12;

/** What the thread is started with. */
export interface WriterData {
  path: string;
  lockToken: string | null;
}

/** A request to the writer thread: a page travels as a {@link FlatPage}. */
export type WriterRequest =
  | { [K in keyof WriterOps]: { id: number; op: K; args: Parameters<WriterOps[K]> } }[keyof WriterOps]
  | { id: number; op: 'close'; args: [] };
/** Its answer. */
export type WriterAnswer = { id: number; result: unknown } | { id: number; error: { message: string; code?: string } };

/** Starts a writer thread on the database file at `path` (already migrated). */
export async function threadWriter(path: string, lockToken: string | null = null): Promise<PageWriter> {
  const worker = new Worker(new URL('./writer-worker.js', import.meta.url), {
    workerData: { path, lockToken } satisfies WriterData,
    resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let next = 1;
  let failure: Error | null = null;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  // Start-up ends with 'ready', or with the thread's failure: an error, or an exit before it is ready.
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      worker.off('message', ready);
      reject(error);
    };
    const ready = (): void => {
      worker.off('error', fail);
      worker.off('exit', exited);
      resolve();
    };
    const exited = (code: number): void => fail(new Error(`the database writer thread stopped while starting (exit ${code})`));
    worker.once('message', ready);
    worker.once('error', fail);
    worker.once('exit', exited);
  });
  worker.on('message', (answer: WriterAnswer) => {
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (!waiting) return;
    if (!('error' in answer)) waiting.resolve(answer.result);
    else if (answer.error.code === LOCK_LOST) waiting.reject(new LockLostError());
    else waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the database writer thread stopped (exit ${code})`)));

  const call = <K extends WriterRequest['op']>(op: K, ...args: Extract<WriterRequest, { op: K }>['args']): Promise<never> => {
    if (failure) return Promise.reject(failure);
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  };
  return {
    writePage: (...args) => call('writePage', ...args),
    markDeleted: (...args) => call('markDeleted', ...args),
    unseenLiveIds: (...args) => call('unseenLiveIds', ...args),
    resetSeen: () => call('resetSeen'),
    pruneMembers: (...args) => call('pruneMembers', ...args),
    saveCounters: (...args) => call('saveCounters', ...args),
    close: async () => {
      if (!failure) await call('close').catch(() => {});
      await worker.terminate();
    },
  };
}
