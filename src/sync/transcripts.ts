/**
 * The transcripts stage of `sync --transcripts`: after the sessions, ask for the transcript of every
 * ended live session of the scope that has none stored yet (or whose session changed since), through
 * the run's request slots and retries. Each answer is written in its own transaction as it arrives.
 * Anam deletes transcripts 30 days after the session ended, so a stored one is never dropped, and
 * sessions near that limit without one are a warning.
 */
import { parseTranscript } from '../api/transcript.js';
import type { Db } from '../store/db.js';
import {
  expiringWithoutTranscript,
  TRANSCRIPT_RETENTION_MS,
  transcriptCandidates,
  TranscriptWriter,
  type TranscriptCandidate,
} from '../store/transcripts.js';
import type { RunContext } from './context.js';

/** Candidates read from the store at a time; the next batch is read while this one is fetched. */
const BATCH = 500;
/** Sessions this close to the 30-day limit without a transcript are a warning. */
const EXPIRY_MARGIN_MS = 3 * 86_400_000;

/** What the stage did. */
export interface TranscriptCounts {
  /** Transcript requests made (retries not counted). */
  requests: number;
  /** Transcripts stored (or re-stored after their session changed), `disabled` ones included. */
  stored: number;
  /** 404s and refused answers, by what they were taken to mean. */
  expired: number;
  missing: number;
  invalid: number;
  /** Sessions of personas with zero data retention: decided without asking. */
  zeroRetention: number;
}

export async function fetchTranscripts(run: RunContext, db: Db, lockToken: string | null): Promise<TranscriptCounts> {
  run.phase = 'transcripts';
  const writer = new TranscriptWriter(db, lockToken);
  const counts: TranscriptCounts = { requests: 0, stored: 0, expired: 0, missing: 0, invalid: 0, zeroRetention: 0 };
  const failure = run.firstFailure();
  const pending = new Set<Promise<void>>();
  let after = '';
  let total = 0;

  const handle = async (candidate: TranscriptCandidate): Promise<void> => {
    const now = (): string => run.clock().toISOString();
    if (candidate.zeroRetention) {
      writer.recordMissing(candidate.id, 'zero-retention', 'the persona has zero data retention: Anam keeps no transcript', candidate.updatedAt, now());
      counts.zeroRetention++;
      return;
    }
    // The slot is held while the request is on the network, not while its answer is written.
    const body = await run.limit(() => {
      run.throwIfStopped();
      counts.requests++;
      return run.client.getTranscript(candidate.id);
    });
    if (body === null) {
      const endedMs = Date.parse(candidate.endTime);
      const expired = candidate.status === null && run.clock().getTime() - endedMs > TRANSCRIPT_RETENTION_MS;
      if (expired) {
        writer.recordMissing(candidate.id, 'expired', 'no transcript: the session ended more than 30 days before it was first asked', candidate.updatedAt, now());
        counts.expired++;
      } else {
        writer.recordMissing(candidate.id, 'missing', 'the API answered 404 for an ended session', candidate.updatedAt, now());
        counts.missing++;
      }
    } else {
      const parsed = parseTranscript(body, candidate.id);
      if (parsed.ok) {
        writer.store(parsed.transcript, candidate.updatedAt, now());
        counts.stored++;
      } else {
        writer.recordMissing(candidate.id, 'invalid', parsed.reason, candidate.updatedAt, now());
        run.warn({ code: 'transcript-invalid', message: `GET /v1/sessions/${candidate.id}/transcript: ${parsed.reason}; not stored` });
        counts.invalid++;
      }
    }
  };

  for (;;) {
    const batch = transcriptCandidates(db, run.scope, after, BATCH);
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    total += batch.length;
    for (const candidate of batch) {
      const task: Promise<void> = handle(candidate)
        .then(() => run.transcriptProgress(counts.stored + counts.expired + counts.missing + counts.invalid + counts.zeroRetention, total))
        .catch(failure.note)
        .finally(() => pending.delete(task));
      pending.add(task);
    }
    // Read the next batch once half of this one is done: memory stays at about two batches, and
    // the request slots never run dry between them.
    while (pending.size > BATCH / 2 && !failure.failed()) await Promise.race(pending);
    if (failure.failed()) break;
  }
  await Promise.all(pending);
  failure.rethrow();

  const expiring = expiringWithoutTranscript(db, run.scope, run.clock(), EXPIRY_MARGIN_MS);
  if (expiring > 0) {
    run.warn({
      code: 'transcripts-expiring',
      message: `${expiring} ended session(s) reach Anam's 30-day transcript limit within 3 days and have no transcript stored yet`,
    });
  }
  return counts;
}
