/** A WHERE fragment over `sessions s` that keeps the scope's members, with its parameters. */
function memberOf(scope, column = 's.id') {
    if (scope === '')
        return { sql: '1', params: [] };
    return { sql: `${column} IN (SELECT id FROM scope_members WHERE scope = ?)`, params: [scope] };
}
/** Stored sessions of the scope that are not marked deleted. */
export function countLive(db, scope) {
    const where = memberOf(scope);
    return db.prepare(`SELECT count(*) FROM sessions s WHERE s.deleted_at IS NULL AND ${where.sql}`).pluck().get(...where.params);
}
/**
 * Records of the scope the API lists but validation rejected, seen since run `sinceRunId` and never
 * stored since: the API counts them, the sessions table cannot. In a filtered scope only records
 * with an id can be told apart as members.
 */
export function countRejected(db, scope, sinceRunId) {
    const where = memberOf(scope, 'r.session_id');
    return db
        .prepare(`SELECT count(DISTINCT coalesce(r.session_id, r.raw)) FROM rejected_records r
       WHERE r.run_id >= ? AND ${where.sql}
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = r.session_id)`)
        .pluck()
        .get(sinceRunId, ...where.params);
}
/** Seconds a session can last when its persona does not say (`personaConfig.maxSessionLengthSeconds`). */
const DEFAULT_SESSION_LIMIT_SECONDS = 24 * 3600;
/** Added to what a session can last before an open one counts as stuck: clocks and ends that lag. */
const STUCK_MARGIN_SECONDS = 3600;
/**
 * Ids of live sessions of the scope, stored before `runStartedAt`, that this run has not read
 * (the `seen` temp table). With `openAt` (an instant), only the open ones (no end time) that can
 * still be running then: started no longer ago than their persona's `maxSessionLengthSeconds`
 * (else {@link DEFAULT_SESSION_LIMIT_SECONDS}) plus {@link STUCK_MARGIN_SECONDS}. Older open ones
 * are stuck (never closed upstream): only a full reconciliation looks them up.
 */
export function unseenLiveIds(db, scope, runStartedAt, openAt) {
    const where = memberOf(scope);
    const onlyOpen = openAt !== null;
    const limit = `json_extract(CASE WHEN json_valid(s.persona_config) THEN s.persona_config END, '$.maxSessionLengthSeconds')`;
    return db
        .prepare(
    // The open ones are a handful among many: their partial index, not a scan of the live ones;
    // the persona's JSON is read only for those.
    `SELECT s.id FROM sessions s ${onlyOpen ? 'INDEXED BY sessions_open' : ''}
       WHERE s.deleted_at IS NULL AND ${where.sql}
         AND s.first_synced_at < ? AND s.id NOT IN (SELECT id FROM temp.seen)
         ${onlyOpen
        ? `AND s.end_time IS NULL
         AND (julianday(?) - julianday(coalesce(s.start_time, s.created_at))) * 86400.0 <=
             (CASE WHEN typeof(${limit}) IN ('integer', 'real') AND ${limit} > 0 THEN ${limit} ELSE ${DEFAULT_SESSION_LIMIT_SECONDS} END)
             + ${STUCK_MARGIN_SECONDS}`
        : ''}
       ORDER BY s.id`)
        .pluck()
        .all(...where.params, runStartedAt, ...(onlyOpen ? [openAt] : []));
}
//# sourceMappingURL=scope.js.map