import {
  isAlive
} from "./chunk-I6OMP3F5.js";
import {
  LockedError
} from "./chunk-IEG2ED32.js";

// dist/store/lock.js
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
var LOCK_HEARTBEAT_MS = 1e4;
var LOCK_EXPIRY_MS = 12e4;
function attachRunToLock(db, token, runId) {
  db.prepare(`UPDATE sync_lock SET run_id = ? WHERE id = 1 AND token = ?`).run(runId, token);
}
var LOCK_LOST = "ANAM_SYNC_LOCK_LOST";
var LockLostError = class extends LockedError {
  constructor() {
    super("the sync lock was taken over by another sync (this one stalled past the lock expiry); stopped before writing again");
  }
  code = LOCK_LOST;
};
function isLockStale(holder, now, expireMs = LOCK_EXPIRY_MS) {
  const deadHere = holder.hostname === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);
  return deadHere || now.getTime() - Date.parse(holder.heartbeatAt) > expireMs;
}
function readLockHolder(db) {
  const holder = db.prepare(`SELECT pid, hostname, started_at AS startedAt, heartbeat_at AS heartbeatAt FROM sync_lock WHERE id = 1`).get();
  return holder ?? null;
}
function acquireLock(db, now, expireMs = LOCK_EXPIRY_MS) {
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
  take.immediate();
  const beat = db.prepare(`UPDATE sync_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?`);
  const release = db.prepare(`DELETE FROM sync_lock WHERE id = 1 AND token = ?`);
  return {
    token,
    heartbeat: (iso) => beat.run(iso, token).changes > 0,
    release: () => void release.run(token)
  };
}
function fence(db, token) {
  if (token === null)
    return () => {
    };
  const held = db.prepare(`SELECT 1 FROM sync_lock WHERE id = 1 AND token = ?`).pluck();
  return () => {
    if (held.get(token) === void 0)
      throw new LockLostError();
  };
}

export {
  LOCK_HEARTBEAT_MS,
  attachRunToLock,
  LOCK_LOST,
  LockLostError,
  isLockStale,
  readLockHolder,
  acquireLock,
  fence
};
//# sourceMappingURL=chunk-IUG6GPWO.js.map
