/**
 * Transcripts in the store: which ended sessions still need asking, and writing what the API
 * answered, one transcript per transaction (an interrupted backfill keeps every transcript it
 * finished, whole, and resumes with the rest). A stored transcript is never removed or emptied.
 */
import type { Statement } from 'better-sqlite3';
import type { Transcript } from '../api/transcript.js';
import type { Db } from './db.js';
import { fence } from './lock.js';

/** How often an unexplained 404 (or an answer that is not a transcript) is asked again, in all. */
const TRANSCRIPT_ATTEMPTS = 3;
/** Anam deletes transcripts this long after their session ended. */
export const TRANSCRIPT_RETENTION_MS = 30 * 86_400_000;

/** A session whose transcript is to be asked for (or decided without asking). */
export interface TranscriptCandidate {
  id: string;
  updatedAt: string | null;
  endTime: string;
  /** The persona keeps no transcripts (`personaConfig.zeroDataRetention`). */
  zeroRetention: boolean;
  /** What an earlier run found, or null when never asked. */
  status: string | null;
}

/** The no-transcript outcomes. */
export type MissingStatus = 'zero-retention' | 'expired' | 'missing' | 'invalid';

function memberOf(scope: string): { sql: string; params: string[] } {
  if (scope === '') return { sql: '1', params: [] };
  return { sql: 's.id IN (SELECT id FROM scope_members WHERE scope = ?)', params: [scope] };
}

/**
 * Up to `limit` ended live sessions of the scope, ids after `afterId` in id order, whose transcript
 * is to be asked for: never asked, asked without an explained answer fewer than
 * {@link TRANSCRIPT_ATTEMPTS} times, or stored but the session changed since.
 */
export function transcriptCandidates(db: Db, scope: string, afterId: string, limit: number): TranscriptCandidate[] {
  const where = memberOf(scope);
  const rows = db
    .prepare(
      `SELECT s.id, s.updated_at AS updatedAt, s.end_time AS endTime,
         json_extract(s.persona_config, '$.zeroDataRetention') IS 1 AS zeroRetention, t.status
       FROM sessions s LEFT JOIN transcripts t ON t.session_id = s.id
       WHERE s.id > ? AND s.deleted_at IS NULL AND s.end_time IS NOT NULL AND ${where.sql}
         AND (t.session_id IS NULL
              OR (t.status IN ('missing', 'invalid') AND t.attempts < ?)
              OR (t.status IN ('stored', 'disabled') AND coalesce(s.updated_at, '') > coalesce(t.session_updated_at, '')))
       ORDER BY s.id LIMIT ?`,
    )
    .all(afterId, ...where.params, TRANSCRIPT_ATTEMPTS, limit) as Array<Omit<TranscriptCandidate, 'zeroRetention'> & { zeroRetention: number }>;
  return rows.map((row) => ({ ...row, zeroRetention: row.zeroRetention === 1 }));
}

/**
 * Ended live sessions of the scope within `marginMs` of Anam's 30-day limit at `now` whose
 * transcript is neither stored nor known to be unavailable: the next runs must catch up first.
 */
export function expiringWithoutTranscript(db: Db, scope: string, now: Date, marginMs: number): number {
  const where = memberOf(scope);
  const limit = new Date(now.getTime() - TRANSCRIPT_RETENTION_MS).toISOString();
  const soon = new Date(now.getTime() - TRANSCRIPT_RETENTION_MS + marginMs).toISOString();
  return db
    .prepare(
      `SELECT count(*) FROM sessions s LEFT JOIN transcripts t ON t.session_id = s.id
       WHERE s.deleted_at IS NULL AND s.end_time > ? AND s.end_time <= ? AND ${where.sql}
         AND (t.status IS NULL OR t.status IN ('missing', 'invalid'))`,
    )
    .pluck()
    .get(limit, soon, ...where.params) as number;
}

/** Writes transcripts and their outcomes; every write checks the sync lock's token first. */
export class TranscriptWriter {
  readonly #store: (transcript: Transcript, sessionUpdatedAt: string | null, now: string) => void;
  readonly #missing: (id: string, status: MissingStatus, reason: string, sessionUpdatedAt: string | null, now: string) => void;

  constructor(db: Db, lockToken: string | null) {
    const checkFence = fence(db, lockToken);
    const removeMessages: Statement = db.prepare('DELETE FROM transcript_messages WHERE session_id = ?');
    const insertMessage: Statement = db.prepare(
      `INSERT INTO transcript_messages (session_id, position, role, message, timestamp, speaking_duration_seconds, interrupted)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsert: Statement = db.prepare(
      `INSERT INTO transcripts (session_id, persona_name, start_time, end_time, duration_ms, total_messages, transcripts_enabled,
         status, reason, attempts, session_updated_at, fetched_at, checked_at, message_count, user_messages, persona_messages,
         interruptions, user_speaking_seconds, persona_speaking_seconds, raw)
       VALUES (@sessionId, @personaName, @startTime, @endTime, @durationMs, @totalMessages, @enabled, @status, NULL, 0,
         @sessionUpdatedAt, @now, @now, @messages, @user, @persona, @interruptions, @userSpeaking, @personaSpeaking, @raw)
       ON CONFLICT (session_id) DO UPDATE SET persona_name = excluded.persona_name, start_time = excluded.start_time,
         end_time = excluded.end_time, duration_ms = excluded.duration_ms, total_messages = excluded.total_messages,
         transcripts_enabled = excluded.transcripts_enabled, status = excluded.status, reason = NULL, attempts = 0,
         session_updated_at = excluded.session_updated_at, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at,
         message_count = excluded.message_count, user_messages = excluded.user_messages, persona_messages = excluded.persona_messages,
         interruptions = excluded.interruptions, user_speaking_seconds = excluded.user_speaking_seconds,
         persona_speaking_seconds = excluded.persona_speaking_seconds, raw = excluded.raw`,
    );
    // A transcript already stored stays as it is: only the time it was checked and the session
    // version it was checked against move (so an unchanged session is not asked again).
    const missing: Statement = db.prepare(
      `INSERT INTO transcripts (session_id, status, reason, attempts, session_updated_at, checked_at)
       VALUES (@id, @status, @reason, @attempts, @sessionUpdatedAt, @now)
       ON CONFLICT (session_id) DO UPDATE SET
         status = CASE WHEN status IN ('stored', 'disabled') THEN status ELSE excluded.status END,
         reason = CASE WHEN status IN ('stored', 'disabled') THEN reason ELSE excluded.reason END,
         attempts = CASE WHEN status IN ('stored', 'disabled') THEN attempts ELSE attempts + excluded.attempts END,
         session_updated_at = excluded.session_updated_at, checked_at = excluded.checked_at`,
    );
    this.#store = db.transaction((transcript: Transcript, sessionUpdatedAt: string | null, now: string) => {
      checkFence();
      removeMessages.run(transcript.sessionId);
      for (const m of transcript.messages) {
        insertMessage.run(
          transcript.sessionId,
          m.position,
          m.role,
          m.message,
          m.timestamp,
          m.speakingDurationSeconds,
          m.interrupted === null ? null : m.interrupted ? 1 : 0,
        );
      }
      const c = transcript.counts;
      upsert.run({
        sessionId: transcript.sessionId,
        personaName: transcript.personaName,
        startTime: transcript.startTime,
        endTime: transcript.endTime,
        durationMs: transcript.durationMs,
        totalMessages: transcript.totalMessages,
        enabled: transcript.transcriptsEnabled ? 1 : 0,
        status: transcript.transcriptsEnabled ? 'stored' : 'disabled',
        sessionUpdatedAt,
        now,
        messages: c.messages,
        user: c.user,
        persona: c.persona,
        interruptions: c.interruptions,
        userSpeaking: c.userSpeakingSeconds,
        personaSpeaking: c.personaSpeakingSeconds,
        raw: transcript.raw,
      });
    }).immediate;
    this.#missing = db.transaction((id: string, status: MissingStatus, reason: string, sessionUpdatedAt: string | null, now: string) => {
      checkFence();
      // Only the outcomes worth asking again about count attempts.
      const attempts = status === 'missing' || status === 'invalid' ? 1 : 0;
      missing.run({ id, status, reason, attempts, sessionUpdatedAt, now });
    }).immediate;
  }

  /** Stores a transcript whole (its messages replace any stored before), in one transaction. */
  store(transcript: Transcript, sessionUpdatedAt: string | null, now: string): void {
    this.#store(transcript, sessionUpdatedAt, now);
  }

  /** Records why a session has no transcript; a stored one is kept. */
  recordMissing(id: string, status: MissingStatus, reason: string, sessionUpdatedAt: string | null, now: string): void {
    this.#missing(id, status, reason, sessionUpdatedAt, now);
  }
}
