import {
  LOCK_LOST,
  LockLostError,
  fence
} from "./chunk-IUG6GPWO.js";
import {
  getTableColumns,
  sessions
} from "./chunk-UCKWP4CT.js";

// dist/store/runs.js
function scopeKey(filters) {
  const parts = [];
  if (filters.personaId !== void 0)
    parts.push(`personaId=${encodeURIComponent(filters.personaId)}`);
  if (filters.apiKeyId !== void 0)
    parts.push(`apiKeyId=${encodeURIComponent(filters.apiKeyId)}`);
  if (filters.search !== void 0)
    parts.push(`search=${encodeURIComponent(filters.search)}`);
  return parts.join("&");
}
function abandonLeftoverRuns(db, now) {
  return db.prepare(`UPDATE sync_runs SET status = 'abandoned', finished_at = ?, error = 'the process ended without finishing the run' WHERE status = 'running'`).run(now).changes;
}
function startRun(db, mode, filters, now) {
  const result = db.prepare(`INSERT INTO sync_runs (started_at, status, mode, scope, persona_id, api_key_id, search, pid)
       VALUES (?, 'running', ?, ?, ?, ?, ?, ?)`).run(now, mode, scopeKey(filters), filters.personaId ?? null, filters.apiKeyId ?? null, filters.search ?? null, process.pid);
  return Number(result.lastInsertRowid);
}
function saveCounters(db, runId, counters, mode) {
  db.prepare(`UPDATE sync_runs SET requests = @requests, retries = @retries, pages = @pages, seen = @seen, inserted = @inserted,
       updated = @updated, unchanged = @unchanged, stale = @stale, rejected = @rejected, deleted = @deleted,
       mode = coalesce(@mode, mode)
     WHERE id = @id`).run({ ...counters, mode: mode ?? null, id: runId });
}
function finishRun(db, runId, end) {
  db.prepare(`UPDATE sync_runs SET status = ?, finished_at = ?, duration_ms = ?, error = ?, notes = ? WHERE id = ?`).run(end.status, end.finishedAt, end.durationMs, end.error ?? null, end.notes && end.notes.length > 0 ? JSON.stringify(end.notes) : null, runId);
}
function readBookmark(db, scope) {
  const row = db.prepare(`SELECT scope, newest_created_at AS newestCreatedAt, last_complete_at AS lastCompleteAt,
         last_full_sync_at AS lastFullSyncAt, last_full_run_id AS lastFullRunId, last_run_id AS lastRunId,
         count_residual AS countResidual, residual_since AS residualSince
       FROM sync_state WHERE scope = ?`).get(scope);
  return row ?? null;
}
function advanceBookmark(db, filters, update) {
  db.prepare(`INSERT INTO sync_state (scope, persona_id, api_key_id, search, newest_created_at, last_complete_at,
       last_full_sync_at, last_full_run_id, last_run_id, count_residual, residual_since)
     VALUES (@scope, @personaId, @apiKeyId, @search, @newest, @completeAt,
       CASE WHEN @full THEN @completeAt END, CASE WHEN @full THEN @runId END, @runId,
       @residual, CASE WHEN @residual IS NOT NULL THEN @completeAt END)
     ON CONFLICT (scope) DO UPDATE SET
       newest_created_at = CASE WHEN newest_created_at IS NULL OR excluded.newest_created_at > newest_created_at
                                THEN excluded.newest_created_at ELSE newest_created_at END,
       last_complete_at = excluded.last_complete_at,
       last_full_sync_at = CASE WHEN @full THEN excluded.last_complete_at ELSE last_full_sync_at END,
       last_full_run_id = CASE WHEN @full THEN excluded.last_run_id ELSE last_full_run_id END,
       last_run_id = excluded.last_run_id,
       residual_since = CASE WHEN excluded.count_residual IS NULL THEN NULL
                             WHEN count_residual IS excluded.count_residual THEN residual_since
                             ELSE excluded.residual_since END,
       count_residual = excluded.count_residual`).run({
    scope: scopeKey(filters),
    personaId: filters.personaId ?? null,
    apiKeyId: filters.apiKeyId ?? null,
    search: filters.search ?? null,
    newest: update.newestCreatedAt,
    completeAt: update.completeAt,
    full: update.fullSync ? 1 : 0,
    runId: update.runId,
    residual: update.residual
  });
}

// dist/store/writer.js
import { Worker } from "node:worker_threads";

// dist/store/scope.js
function memberOf(scope, column = "s.id") {
  if (scope === "")
    return { sql: "1", params: [] };
  return { sql: `${column} IN (SELECT id FROM scope_members WHERE scope = ?)`, params: [scope] };
}
function countLive(db, scope) {
  const where = memberOf(scope);
  return db.prepare(`SELECT count(*) FROM sessions s WHERE s.deleted_at IS NULL AND ${where.sql}`).pluck().get(...where.params);
}
function countRejected(db, scope, sinceRunId) {
  const where = memberOf(scope, "r.session_id");
  return db.prepare(`SELECT count(DISTINCT coalesce(r.session_id, r.raw)) FROM rejected_records r
       WHERE r.run_id >= ? AND ${where.sql}
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = r.session_id)`).pluck().get(sinceRunId, ...where.params);
}
var DEFAULT_SESSION_LIMIT_SECONDS = 24 * 3600;
var STUCK_MARGIN_SECONDS = 3600;
function unseenLiveIds(db, scope, runStartedAt, openAt) {
  const where = memberOf(scope);
  const onlyOpen = openAt !== null;
  const limit = `json_extract(CASE WHEN json_valid(s.persona_config) THEN s.persona_config END, '$.maxSessionLengthSeconds')`;
  return db.prepare(
    // The open ones are a handful among many: their partial index, not a scan of the live ones;
    // the persona's JSON is read only for those.
    `SELECT s.id FROM sessions s ${onlyOpen ? "INDEXED BY sessions_open" : ""}
       WHERE s.deleted_at IS NULL AND ${where.sql}
         AND s.first_synced_at < ? AND s.id NOT IN (SELECT id FROM temp.seen)
         ${onlyOpen ? `AND s.end_time IS NULL
         AND (julianday(?) - julianday(coalesce(s.start_time, s.created_at))) * 86400.0 <=
             (CASE WHEN typeof(${limit}) IN ('integer', 'real') AND ${limit} > 0 THEN ${limit} ELSE ${DEFAULT_SESSION_LIMIT_SECONDS} END)
             + ${STUCK_MARGIN_SECONDS}` : ""}
       ORDER BY s.id`
  ).pluck().all(...where.params, runStartedAt, ...onlyOpen ? [openAt] : []);
}

// dist/store/upsert.js
function emptyCounts() {
  return { inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
}
function addCounts(a, b) {
  a.inserted += b.inserted;
  a.updated += b.updated;
  a.unchanged += b.unchanged;
  a.stale += b.stale;
  a.rejected += b.rejected;
}
var SessionWriter = class {
  #db;
  #checkFence;
  #member;
  #pruneMembers;
  #verdict;
  #insert;
  #update;
  #archive;
  #dropVersion;
  #setRaw;
  #dropRaw;
  #staleVersion;
  #reject;
  #markDeleted;
  #revive;
  #markSeen;
  #writePage;
  #markDeletedFenced;
  constructor(db, options = {}) {
    this.#db = db;
    this.#checkFence = fence(db, options.lockToken ?? null);
    this.#member = db.prepare(`INSERT INTO scope_members (scope, id, run_id) SELECT ?, value, ? FROM json_each(?) WHERE true
       ON CONFLICT (scope, id) DO UPDATE SET run_id = excluded.run_id`);
    this.#pruneMembers = db.prepare(`DELETE FROM scope_members WHERE scope = ? AND run_id < ?`);
    db.exec("CREATE TEMP TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY)");
    this.#markSeen = db.prepare("INSERT OR IGNORE INTO temp.seen (id) SELECT value FROM json_each(?)");
    const fed = FED_COLUMNS.map((column) => column.name);
    this.#verdict = db.prepare(`SELECT CASE
           WHEN ? IS NULL AND s.updated_at IS NOT NULL THEN 'stale'
           WHEN s.updated_at IS NULL AND ? IS NOT NULL THEN 'newer'
           WHEN ? > s.updated_at THEN 'newer'
           WHEN ? < s.updated_at THEN 'stale'
           WHEN s.deleted_at IS NULL AND r.json IS ? AND ${fed.map((name) => `s.${name} IS ?`).join(" AND ")} THEN 'unchanged'
           ELSE 'revised'
         END
         FROM sessions s
         LEFT JOIN session_current_raw r ON r.id = s.id
         WHERE s.id = ?`).pluck();
    this.#insert = db.prepare(`INSERT INTO sessions (id, ${fed.join(", ")}, first_synced_at, last_synced_at, deleted_at)
       VALUES (?, ${fed.map(() => "?").join(", ")}, ?, ?, NULL)
       ON CONFLICT (id) DO NOTHING`);
    this.#update = db.prepare(`UPDATE sessions SET ${fed.map((name) => `${name} = ?`).join(", ")}, last_synced_at = ?, deleted_at = NULL WHERE id = ?`);
    this.#archive = db.prepare(`INSERT INTO session_versions (id, updated_at, json, first_seen_at)
       SELECT id, updated_at, json, first_seen_at FROM session_current WHERE id = ?`);
    this.#dropVersion = db.prepare(`DELETE FROM session_versions WHERE id = ? AND updated_at = ?`);
    this.#setRaw = db.prepare(`INSERT INTO session_current_raw (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`);
    this.#dropRaw = db.prepare(`DELETE FROM session_current_raw WHERE id = ?`);
    this.#staleVersion = db.prepare(`INSERT INTO session_versions (id, updated_at, json, first_seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id, updated_at) DO NOTHING`);
    this.#reject = db.prepare(`INSERT INTO rejected_records (run_id, seen_at, session_id, reason, raw) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (reason, raw) DO UPDATE SET run_id = excluded.run_id, seen_at = excluded.seen_at`);
    this.#revive = db.prepare(`UPDATE sessions SET deleted_at = NULL, last_synced_at = @now WHERE id = @id AND deleted_at IS NOT NULL`);
    this.#markDeleted = db.prepare(`UPDATE sessions SET deleted_at = @now, last_synced_at = @now WHERE id = @id AND deleted_at IS NULL`);
    this.#writePage = db.transaction((records, runId, now, scope) => this.#write(records, runId, now, scope));
    this.#markDeletedFenced = db.transaction((id, now) => {
      this.#checkFence();
      return this.#markDeleted.run({ id, now }).changes > 0;
    });
  }
  /**
   * Writes one page of parsed records in one transaction and says what they did. `scope` is the
   * scope key of the list response the records came from ('' for the unfiltered list or a lookup
   * by id): a filtered scope records which ids it listed.
   */
  writePage(records, runId, now, scope = "") {
    return this.#writePage(records, runId, now, scope);
  }
  /**
   * Writes one page inside the transaction the caller holds (see writer-worker.ts: several pages per
   * commit). A throw leaves part of the page written: the caller must roll back.
   */
  writeWithin(records, runId, now, scope = "") {
    if (!this.#db.inTransaction)
      throw new Error("writeWithin needs an open transaction");
    return this.#write(records, runId, now, scope);
  }
  #write(records, runId, now, scope) {
    this.#checkFence();
    const counts = emptyCounts();
    const ids = [];
    if (scope !== "") {
      const listed = records.map((record) => record.ok ? record.row.id : record.id).filter((id) => id !== null);
      this.#member.run(scope, runId, JSON.stringify(listed));
    }
    for (const record of records) {
      if (!record.ok) {
        this.#reject.run(runId, now, record.id, record.reason, record.raw);
        counts.rejected++;
        continue;
      }
      if (!this.#apply(record, now, counts))
        ids.push(record.row.id);
    }
    if (ids.length > 0)
      this.#markSeen.run(JSON.stringify(ids));
    return counts;
  }
  /** Marks a session gone (the API answered 404); the row stays. True if it was live before. */
  markDeleted(id, now) {
    return this.#markDeletedFenced(id, now);
  }
  /** After a complete full scan of a filtered scope (run `runId`): forgets members it did not list. */
  pruneMembers(scope, runId) {
    this.#checkFence();
    this.#pruneMembers.run(scope, runId);
  }
  /** Applies the upsert rule to one session; true when it was new. */
  #apply(record, now, counts) {
    const { row, json } = record;
    const versionKey = row.updatedAt ?? "";
    const raw = record.fromRow ? null : json;
    const values = columnValues(row);
    if (this.#insert.run(row.id, ...values, now, now).changes > 0) {
      if (raw !== null)
        this.#setRaw.run(row.id, raw);
      counts.inserted++;
      return true;
    }
    const updatedAt = row.updatedAt;
    switch (this.#verdict.get(updatedAt, updatedAt, updatedAt, updatedAt, raw, ...values, row.id)) {
      case "newer":
        this.#archive.run(row.id);
        this.#replace(row.id, versionKey, values, raw, now);
        counts.updated++;
        break;
      case "revised":
        this.#replace(row.id, versionKey, values, raw, now);
        counts.updated++;
        break;
      case "stale":
        this.#staleVersion.run(row.id, versionKey, json, now);
        this.#revive.run({ id: row.id, now });
        counts.stale++;
        break;
      default:
        counts.unchanged++;
    }
    return false;
  }
  /** Makes the row hold this version (and its raw JSON, when the row cannot give it back). */
  #replace(id, versionKey, values, raw, now) {
    this.#dropVersion.run(id, versionKey);
    this.#update.run(...values, now, id);
    if (raw === null)
      this.#dropRaw.run(id);
    else
      this.#setRaw.run(id, raw);
  }
  /** Forgets which ids were read (before a new full scan). */
  resetSeen() {
    this.#db.exec("DELETE FROM temp.seen");
  }
};
var FED_COLUMNS = Object.entries(getTableColumns(sessions)).filter(([key]) => !["id", "firstSyncedAt", "lastSyncedAt", "deletedAt"].includes(key)).map(([key, column]) => ({ key, name: column.name }));
function columnValues(row) {
  return FED_COLUMNS.map((column) => row[column.key]);
}

// dist/store/writer.js
function writerOps(db, lockToken) {
  const writer = new SessionWriter(db, { lockToken });
  return {
    writer,
    writePage: (records, runId, now, scope) => writer.writePage(records, runId, now, scope),
    markDeleted: (id, now) => writer.markDeleted(id, now),
    unseenLiveIds: (scope, runStartedAt, openAt) => unseenLiveIds(db, scope, runStartedAt, openAt),
    resetSeen: () => writer.resetSeen(),
    pruneMembers: (scope, runId) => writer.pruneMembers(scope, runId),
    saveCounters: (runId, counters, mode) => saveCounters(db, runId, counters, mode)
  };
}
function localWriter(db, lockToken = null) {
  const ops = writerOps(db, lockToken);
  return {
    writePage: async (...args) => ops.writePage(...args),
    markDeleted: async (...args) => ops.markDeleted(...args),
    unseenLiveIds: async (...args) => ops.unseenLiveIds(...args),
    resetSeen: async () => ops.resetSeen(),
    pruneMembers: async (...args) => ops.pruneMembers(...args),
    saveCounters: async (...args) => ops.saveCounters(...args),
    close: async () => {
    }
  };
}
var PAGES_PER_TRANSACTION = 16;
async function threadWriter(path, lockToken = null) {
  const worker = new Worker(new URL("./writer-worker.js", import.meta.url), { workerData: { path, lockToken } });
  const pending = /* @__PURE__ */ new Map();
  let next = 1;
  let failure = null;
  const failAll = (error) => {
    failure ??= error;
    for (const { reject } of pending.values())
      reject(error);
    pending.clear();
  };
  await new Promise((resolve, reject) => {
    const fail = (error) => {
      worker.off("message", ready);
      reject(error);
    };
    const ready = () => {
      worker.off("error", fail);
      worker.off("exit", exited);
      resolve();
    };
    const exited = (code) => fail(new Error(`the database writer thread stopped while starting (exit ${code})`));
    worker.once("message", ready);
    worker.once("error", fail);
    worker.once("exit", exited);
  });
  worker.on("message", (answer) => {
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    if (!waiting)
      return;
    if (!("error" in answer))
      waiting.resolve(answer.result);
    else if (answer.error.code === LOCK_LOST)
      waiting.reject(new LockLostError());
    else
      waiting.reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`the database writer thread stopped (exit ${code})`)));
  const call = (op, ...args) => {
    if (failure)
      return Promise.reject(failure);
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  };
  return {
    writePage: (...args) => call("writePage", ...args),
    markDeleted: (...args) => call("markDeleted", ...args),
    unseenLiveIds: (...args) => call("unseenLiveIds", ...args),
    resetSeen: () => call("resetSeen"),
    pruneMembers: (...args) => call("pruneMembers", ...args),
    saveCounters: (...args) => call("saveCounters", ...args),
    close: async () => {
      if (!failure)
        await call("close").catch(() => {
        });
      await worker.terminate();
    }
  };
}

export {
  scopeKey,
  abandonLeftoverRuns,
  startRun,
  saveCounters,
  finishRun,
  readBookmark,
  advanceBookmark,
  countLive,
  countRejected,
  addCounts,
  writerOps,
  localWriter,
  PAGES_PER_TRANSACTION,
  threadWriter
};
//# sourceMappingURL=chunk-IJNDUZVJ.js.map
