/**
 * The one-sync-per-database lock (`sync_lock`, one row). Each acquisition draws a random token;
 * the heartbeat, every write of the run (see upsert.ts) and the release match on it. A holder that
 * stalled past the expiry and was taken over finds its token gone and stops before writing again.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LockedError } from '../errors.js';
import { isAlive } from '../process.js';
/** How often a running sync renews its lock. */
export const LOCK_HEARTBEAT_MS = 10_000;
/** A lock whose heartbeat is older than this (twelve missed beats) is taken over even if its pid looks alive. */
export const LOCK_EXPIRY_MS = 120_000;
/** Records which run holds the lock (for `status`). */
export function attachRunToLock(db, token, runId) {
    db.prepare(`UPDATE sync_lock SET run_id = ? WHERE id = 1 AND token = ?`).run(runId, token);
}
/** The code a {@link LockLostError} carries across the writer thread's messages. */
export const LOCK_LOST = 'ANAM_SYNC_LOCK_LOST';
/** Raised when the lock was taken over while this run held it: exit 75, like any lock conflict. */
export class LockLostError extends LockedError {
    constructor() {
        super('the sync lock was taken over by another sync (this one stalled past the lock expiry); stopped before writing again');
    }
    code = LOCK_LOST;
}
/** Whether a lock's holder is gone: its pid is dead on this host, or its heartbeat expired. */
export function isLockStale(holder, now, expireMs = LOCK_EXPIRY_MS) {
    const deadHere = holder.hostname === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);
    return deadHere || now.getTime() - Date.parse(holder.heartbeatAt) > expireMs;
}
/** The holder of the lock, or null when it is free. */
export function readLockHolder(db) {
    const holder = db
        .prepare(`SELECT pid, hostname, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM sync_lock WHERE id = 1`)
        .get();
    return holder ?? null;
}
/**
 * Takes the one-sync-per-database lock, or throws LockedError naming the holder. A holder that is
 * gone (see {@link isLockStale}) is taken over.
 */
export function acquireLock(db, now, expireMs = LOCK_EXPIRY_MS) {
    const token = randomUUID();
    const take = db.transaction(() => {
        const holder = readLockHolder(db);
        if (holder !== null && !isLockStale(holder, now, expireMs)) {
            throw new LockedError(`another sync holds this database (pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}); nothing was changed`);
        }
        const iso = now.toISOString();
        db.prepare(`INSERT INTO sync_lock (id, pid, hostname, started_at, heartbeat_at, token) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname,
         started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, run_id = NULL, token = excluded.token`).run(process.pid, hostname(), iso, iso, token);
    });
    // IMMEDIATE: two processes reading "free" at once cannot both write it.
    take.immediate();
    const beat = db.prepare(`UPDATE sync_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?`);
    const release = db.prepare(`DELETE FROM sync_lock WHERE id = 1 AND token = ?`);
    return {
        token,
        heartbeat: (iso) => beat.run(iso, token).changes > 0,
        release: () => void release.run(token),
    };
}
/**
 * A check that throws {@link LockLostError} unless the lock still carries `token` (null: no check,
 * for tools and tests that write without the lock). Call it inside each write's transaction.
 */
export function fence(db, token) {
    if (token === null)
        return () => { };
    const held = db.prepare(`SELECT 1 FROM sync_lock WHERE id = 1 AND token = ?`).pluck();
    return () => {
        if (held.get(token) === undefined)
            throw new LockLostError();
    };
}
//# sourceMappingURL=lock.js.map