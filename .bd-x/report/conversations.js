import { LIVE_SESSIONS } from './live-sessions.js';
/** Rows per interruption table. */
const TOP = 10;
/**
 * The section for the live sessions that `where` (over the `sessions_flat` columns of
 * {@link LIVE_SESSIONS}, with `params`) selects.
 * Call inside the report's read transaction.
 */
export function conversations(db, where, params) {
    // The report's filters name sessions_flat columns; transcripts has columns of the same names,
    // so the filtered sessions are picked first and joined after.
    const picked = `(SELECT id, persona_name, llm_model FROM ${LIVE_SESSIONS} WHERE ${where} AND is_active = 0) f
    LEFT JOIN transcripts t ON t.session_id = f.id`;
    // Without a single transcript (no `sync --transcripts` yet) every ended session is "not asked":
    // counted from the index alone, without joining each of them to an empty table.
    if (db.prepare('SELECT EXISTS (SELECT 1 FROM transcripts)').pluck().get() === 0) {
        const ended = db.prepare(`SELECT count(*) FROM ${LIVE_SESSIONS} WHERE ${where} AND is_active = 0`).pluck().get(params);
        return withoutTranscripts({ ended, stored: 0, disabled: 0, missing: 0, expired: 0, zeroRetention: 0, notAsked: ended });
    }
    const coverage = db
        .prepare(`SELECT count(*) AS ended,
         coalesce(sum(t.status = 'stored'), 0) AS stored, coalesce(sum(t.status = 'disabled'), 0) AS disabled,
         coalesce(sum(t.status IN ('missing', 'invalid')), 0) AS missing, coalesce(sum(t.status = 'expired'), 0) AS expired,
         coalesce(sum(t.status = 'zero-retention'), 0) AS zeroRetention, coalesce(sum(t.status IS NULL), 0) AS notAsked,
         coalesce(sum(t.user_speaking_seconds), 0) AS userS, coalesce(sum(t.persona_speaking_seconds), 0) AS personaS
       FROM ${picked}`)
        .get(params);
    if (coverage.stored === 0) {
        const { userS: _, personaS: __, ...counts } = coverage;
        return withoutTranscripts(counts);
    }
    const messages = db
        .prepare(`WITH stored AS (
         SELECT t.message_count AS n, row_number() OVER (ORDER BY t.message_count) AS rn, count(*) OVER () AS total
         FROM ${picked} WHERE t.status = 'stored'
       )
       SELECT count(*) AS count,
         max(CASE WHEN rn = (50 * total + 99) / 100 THEN n END) AS p50,
         max(CASE WHEN rn = (90 * total + 99) / 100 THEN n END) AS p90
       FROM stored`)
        .get(params);
    const interruptions = (column) => db
        .prepare(`SELECT f.${column} AS label, sum(t.persona_messages) AS personaMessages, sum(t.interruptions) AS interruptions
           FROM ${picked} WHERE t.status = 'stored'
           GROUP BY f.${column} ORDER BY personaMessages DESC, label LIMIT ${TOP}`)
        .all(params).map((row) => ({
        label: row.label,
        personaMessages: row.personaMessages,
        interruptions: row.interruptions,
        rate: row.personaMessages === 0 ? null : Math.round((row.interruptions / row.personaMessages) * 10_000) / 10_000,
    }));
    const { userS, personaS, ...counts } = coverage;
    const spoken = userS + personaS;
    return {
        coverage: counts,
        messagesPerSession: messages,
        speaking: {
            userS: Math.round(userS * 10) / 10,
            personaS: Math.round(personaS * 10) / 10,
            userShare: spoken === 0 ? null : Math.round((userS / spoken) * 10_000) / 10_000,
        },
        interruptionsByPersona: interruptions('persona_name').map(({ label, ...row }) => ({ name: label, ...row })),
        interruptionsByModel: interruptions('llm_model').map(({ label, ...row }) => ({ model: label, ...row })),
    };
}
/** The section when none of the report's sessions has a stored transcript. */
function withoutTranscripts(coverage) {
    return {
        coverage,
        messagesPerSession: { count: 0, p50: null, p90: null },
        speaking: { userS: 0, personaS: 0, userShare: null },
        interruptionsByPersona: [],
        interruptionsByModel: [],
    };
}
//# sourceMappingURL=conversations.js.map