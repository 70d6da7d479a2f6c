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
import { LOCK_LOST, LockLostError } from './lock.js';
import { saveCounters } from './runs.js';
import { unseenLiveIds } from './scope.js';
import { SessionWriter } from './upsert.js';
/** The operations on one connection. `lockToken` fences every write (see lock.ts). */
export function writerOps(db, lockToken) {
    const writer = new SessionWriter(db, { lockToken });
    return {
        writer,
        writePage: (records, runId, now, scope) => writer.writePage(records, runId, now, scope),
        markDeleted: (id, now) => writer.markDeleted(id, now),
        unseenLiveIds: (scope, runStartedAt, openAt) => unseenLiveIds(db, scope, runStartedAt, openAt),
        resetSeen: () => writer.resetSeen(),
        pruneMembers: (scope, runId) => writer.pruneMembers(scope, runId),
        saveCounters: (runId, counters, mode) => saveCounters(db, runId, counters, mode),
    };
}
/** Writes on the caller's connection, in this thread. */
export function localWriter(db, lockToken = null) {
    const ops = writerOps(db, lockToken);
    return {
        writePage: async (...args) => ops.writePage(...args),
        markDeleted: async (...args) => ops.markDeleted(...args),
        unseenLiveIds: async (...args) => ops.unseenLiveIds(...args),
        resetSeen: async () => ops.resetSeen(),
        pruneMembers: async (...args) => ops.pruneMembers(...args),
        saveCounters: async (...args) => ops.saveCounters(...args),
        close: async () => { },
    };
}
/**
 * Pages the writer thread commits together at most. The run keeps this many pages in hand beyond
 * its requests, so that a group waiting for its commit never stops the reading.
 */
export const PAGES_PER_TRANSACTION = 16;
/** Starts a writer thread on the database file at `path` (already migrated). */
export async function threadWriter(path, lockToken = null) {
    const worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: { path, lockToken } });
    const pending = new Map();
    let next = 1;
    let failure = null;
    const failAll = (error) => {
        failure ??= error;
        for (const { reject } of pending.values())
            reject(error);
        pending.clear();
    };
    // Start-up ends with 'ready', or with the thread's failure: an error, or an exit before it is ready.
    await new Promise((resolve, reject) => {
        const fail = (error) => {
            worker.off('message', ready);
            reject(error);
        };
        const ready = () => {
            worker.off('error', fail);
            worker.off('exit', exited);
            resolve();
        };
        const exited = (code) => fail(new Error(`the database writer thread stopped while starting (exit ${code})`));
        worker.once('message', ready);
        worker.once('error', fail);
        worker.once('exit', exited);
    });
    worker.on('message', (answer) => {
        const waiting = pending.get(answer.id);
        pending.delete(answer.id);
        if (!waiting)
            return;
        if (!('error' in answer))
            waiting.resolve(answer.result);
        else if (answer.error.code === LOCK_LOST)
            waiting.reject(new LockLostError());
        else
            waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
    });
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => failAll(new Error(`the database writer thread stopped (exit ${code})`)));
    const call = (op, ...args) => {
        if (failure)
            return Promise.reject(failure);
        const id = next++;
        return new Promise((resolve, reject) => {
            pending.set(id, { resolve: resolve, reject });
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
            if (!failure)
                await call('close').catch(() => { });
            await worker.terminate();
        },
    };
}
//# sourceMappingURL=writer.js.map