import {
  countSessions,
  displayedStatus,
  heldRunId,
  listOpenWarnings,
  readScopeHealth
} from "./chunk-K4KUVLML.js";
import {
  isLockStale,
  readLockHolder
} from "./chunk-IUG6GPWO.js";
import "./chunk-I6OMP3F5.js";
import {
  commonConfig,
  durationSetting
} from "./chunk-36R3UL22.js";
import "./chunk-C6BDQT25.js";
import {
  asDatabaseError,
  openForReading
} from "./chunk-2J63RUNB.js";
import {
  ExitCode,
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/store/status.js
function readStatus(db, path, now = /* @__PURE__ */ new Date()) {
  const sessions = countSessions(db);
  const rejectedRecords = db.prepare("SELECT count(*) FROM rejected_records").pluck().get();
  const holder = readLockHolder(db);
  const lock = holder ? { ...holder, stale: isLockStale(holder, now) } : null;
  const held = heldRunId(db, now);
  const lastRuns = db.prepare(`SELECT id AS runId, started_at AS startedAt, finished_at AS finishedAt, status, mode, scope, requests, retries,
           pages, seen, inserted, updated, unchanged, stale, rejected, deleted, duration_ms AS durationMs, error
         FROM sync_runs ORDER BY id DESC LIMIT 5`).all().map((run) => ({ ...run, status: displayedStatus(run.status, run.runId, held) }));
  const bookmarks = db.prepare(`SELECT scope, newest_created_at AS newestCreatedAt, last_complete_at AS lastCompleteAt,
         last_full_sync_at AS lastFullSyncAt, last_run_id AS lastRunId,
         count_residual AS countResidual, residual_since AS residualSince
       FROM sync_state ORDER BY scope`).all();
  return {
    database: path,
    sessions,
    rejectedRecords,
    lock,
    lastRuns,
    bookmarks,
    warnings: listOpenWarnings(db),
    scopes: readScopeHealth(db, now)
  };
}
function checkHealth(scopes, now, maxAgeMs, maxAgeText) {
  if (scopes.length === 0)
    return { ok: false, line: "no sync has run on this database yet" };
  const problems = [];
  for (const scope of scopes) {
    const name = scope.scope === "" ? "all sessions" : scope.scope;
    if (scope.lastSuccessAt === null) {
      problems.push(`${name}: no successful sync yet`);
    } else {
      const ageMs = now.getTime() - Date.parse(scope.lastSuccessAt);
      if (ageMs > maxAgeMs)
        problems.push(`${name}: last successful sync ${formatAge(ageMs)} ago (--max-age ${maxAgeText})`);
    }
    if (scope.lastRunStatus === "failed" || scope.lastRunStatus === "abandoned" || scope.lastRunStatus === "interrupted") {
      problems.push(`${name}: last run ${scope.lastRunStatus}${scope.lastRunError ? ` (${scope.lastRunError})` : ""}`);
    }
    for (const warning of scope.warnings)
      problems.push(`${name}: warning ${warning.code}: ${warning.message}`);
  }
  if (problems.length > 0)
    return { ok: false, line: problems.join("; ") };
  return { ok: true, line: `OK: ${scopes.length} scope(s) synced within ${maxAgeText}, no open warnings` };
}
function formatAge(ms) {
  const minutes = ms / 6e4;
  if (minutes < 90)
    return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60)
    return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

// dist/commands/status.js
var DEFAULT_MAX_AGE = "24h";
async function statusCommand({ argv, env, stdout }) {
  const config = commonConfig(argv, env);
  const check = argv.check === true ? durationSetting(argv["max-age"], DEFAULT_MAX_AGE, "--max-age") : null;
  if (check === null && argv["max-age"] !== void 0)
    throw new UsageError("--max-age goes with --check");
  const db = openForReading(config.db);
  try {
    const now = /* @__PURE__ */ new Date();
    let report;
    try {
      report = readStatus(db, config.db, now);
    } catch (error) {
      throw asDatabaseError(error, config.db);
    }
    if (check !== null) {
      const verdict = checkHealth(report.scopes, now, check.ms, check.text);
      stdout.write(`${verdict.line}
`);
      return verdict.ok ? ExitCode.ok : ExitCode.failed;
    }
    stdout.write(argv.json === true ? `${JSON.stringify(report)}
` : formatStatus(report));
    return 0;
  } finally {
    db.close();
  }
}
function formatStatus(report) {
  const s = report.sessions;
  const lines = [
    `database  ${report.database}`,
    `sessions  ${s.live} live (${s.open} open), ${s.deleted} deleted, ${s.stored} stored in all`,
    `rejected  ${report.rejectedRecords} records (see the rejected_records table)`
  ];
  if (report.lock?.stale) {
    lines.push(`lock      left by pid ${report.lock.pid} on ${report.lock.hostname}, which is gone; the next sync takes it over`);
  } else if (report.lock) {
    lines.push(`running   a sync holds the database: pid ${report.lock.pid} on ${report.lock.hostname} since ${report.lock.startedAt}`);
  }
  lines.push("", "bookmarks (per scope)");
  if (report.bookmarks.length === 0)
    lines.push("  none yet: no sync has completed");
  for (const b of report.bookmarks) {
    lines.push(`  ${b.scope === "" ? "(all sessions)" : String(b.scope)}: newest createdAt ${b.newestCreatedAt ?? "-"}, last complete ${b.lastCompleteAt ?? "-"}, last full ${b.lastFullSyncAt ?? "-"}`);
    if (b.countResidual !== null) {
      lines.push(`    warning: the API's count differs by ${b.countResidual} from what its pages list (since ${b.residualSince}); a full scan could not close it`);
    }
  }
  if (report.warnings.length > 0) {
    lines.push("", "open warnings");
    for (const w of report.warnings) {
      lines.push(`  ${w.scope === "" ? "(all sessions)" : w.scope}: ${w.code}: ${w.message} (since ${w.firstSeenAt})`);
    }
  }
  lines.push("", "last runs");
  if (report.lastRuns.length === 0)
    lines.push("  none");
  for (const r of report.lastRuns) {
    lines.push(`  #${r.runId} ${r.startedAt} ${r.status} ${r.mode}${r.scope ? ` [${r.scope}]` : ""}: ${r.seen} seen, ${r.inserted} inserted, ${r.updated} updated, ${r.deleted} deleted, ${r.requests} requests${r.error ? ` \u2014 ${r.error}` : ""}`);
  }
  return `${lines.join("\n")}
`;
}
export {
  formatStatus,
  statusCommand
};
//# sourceMappingURL=chunk-7M26CGFD.js.map
