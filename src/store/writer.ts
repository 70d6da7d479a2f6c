/**
 * Where a sync's pages are written: in this thread (cheap to start: incremental runs), or in a
 * worker thread with its own connection (full scans: SQLite's work then runs beside the network
 * reads and the JSON parsing instead of after them). This thread writes each page in its own
 * transaction; the worker commits the pages that arrive together in one (see writer-worker.ts).
 * Both keep the ids they have seen on their own connection, and save the run's progress there too:
 * a write on another connection would have to wait for the worker's open transaction.
 */
import { Worker } from 'node:worker_threads';
import type { ParsedSession } from '../api/session.js';
import type { SessionFilters } from '../api/types.js';
import type { Db } from './db.js';
import { saveCounters, type RunCounters, type RunMode } from './runs.js';
import { unseenLiveIds } from './scope.js';
import { SessionWriter, type WriteCounts } from './upsert.js';

/** The writes a sync makes per page or per looked-up session. */
export interface PageWriter {
  writePage(records: ParsedSession[], runId: number, now: string): Promise<WriteCounts>;
  markDeleted(id: string, now: string): Promise<boolean>;
  /** Live sessions of the scope stored before the run that this writer has not seen. */
  unseenLiveIds(filters: SessionFilters, runStartedAt: string, onlyOpen: boolean): Promise<string[]>;
  resetSeen(): Promise<void>;
  /** Saves the run's counters so far (its progress, for `status` and after a kill). */
  saveCounters(runId: number, counters: RunCounters, mode: RunMode): Promise<void>;
  close(): Promise<void>;
}

/** Writes on the caller's connection, in this thread. */
export function localWriter(db: Db): PageWriter {
  const writer = new SessionWriter(db);
  return {
    writePage: async (records, runId, now) => writer.writePage(records, runId, now),
    markDeleted: async (id, now) => writer.markDeleted(id, now),
    unseenLiveIds: async (filters, runStartedAt, onlyOpen) => unseenLiveIds(db, filters, runStartedAt, onlyOpen),
    resetSeen: async () => writer.resetSeen(),
    saveCounters: async (runId, counters, mode) => saveCounters(db, runId, counters, mode),
    close: async () => {},
  };
}

/**
 * Pages the writer thread commits together at most. The run keeps this many pages in hand beyond
 * its requests, so that a group waiting for its commit never stops the reading.
 */
export const PAGES_PER_TRANSACTION = 16;

/** A request to the writer thread and its answer. */
export type WriterRequest =
  | { id: number; op: 'writePage'; args: [ParsedSession[], number, string] }
  | { id: number; op: 'markDeleted'; args: [string, string] }
  | { id: number; op: 'unseenLiveIds'; args: [SessionFilters, string, boolean] }
  | { id: number; op: 'resetSeen'; args: [] }
  | { id: number; op: 'saveCounters'; args: [number, RunCounters, RunMode] }
  | { id: number; op: 'close'; args: [] };
export type WriterAnswer = { id: number; result: unknown } | { id: number; error: { message: string; code?: string } };

/** Starts a writer thread on the database file at `path` (already migrated). */
export async function threadWriter(path: string): Promise<PageWriter> {
  const worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: { path } });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let next = 1;
  let failure: Error | null = null;
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (answer: WriterAnswer | 'ready') => {
    if (answer === 'ready') return;
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (!waiting) return;
    if ('error' in answer) waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
    else waiting.resolve(answer.result);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the database writer thread stopped (exit ${code})`)));
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });

  const call = <T>(op: WriterRequest['op'], ...args: unknown[]): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  };
  return {
    writePage: (records, runId, now) => call<WriteCounts>('writePage', records, runId, now),
    markDeleted: (id, now) => call<boolean>('markDeleted', id, now),
    unseenLiveIds: (filters, runStartedAt, onlyOpen) => call<string[]>('unseenLiveIds', filters, runStartedAt, onlyOpen),
    resetSeen: () => call<void>('resetSeen'),
    saveCounters: (runId, counters, mode) => call<void>('saveCounters', runId, counters, mode),
    close: async () => {
      if (!failure) await call('close').catch(() => {});
      await worker.terminate();
    },
  };
}
