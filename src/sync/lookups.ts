/**
 * Looking sessions up by id (`GET /v1/sessions/{id}`): the stored open sessions a head scan did not
 * read (they may have ended), or every stored session a full scan did not list (they may be gone).
 * A 404 marks a session deleted (the row stays); a found one is written like a listed record. An
 * answer about another id is an API inconsistency: warned about, and nothing is stored.
 */
import { parseSession } from '../api/session.js';
import type { RunContext } from './context.js';

/** What the lookups did. */
export interface LookupResult {
  /** Sessions looked up. */
  lookups: number;
  /** Answers that named another session (not stored). */
  mismatched: number;
}

/**
 * Looks up the live stored sessions of the run's scope that it did not read from the list: only
 * the open ones (`onlyOpen`, after a head scan) or all of them (after a full scan).
 */
export async function lookUp(run: RunContext, onlyOpen: boolean): Promise<LookupResult> {
  run.phase = 'lookups';
  const ids = await run.writer.unseenLiveIds(run.scope, run.startedAt, onlyOpen);
  const result: LookupResult = { lookups: 0, mismatched: 0 };
  if (ids.length === 0) return result;
  run.options.log.info(`looking up ${ids.length} ${onlyOpen ? 'open' : 'unlisted'} sessions by id`);
  const failure = run.firstFailure();
  await Promise.all(
    ids.map((id) =>
      run
        .limit(async () => {
          run.throwIfStopped();
          const record = await run.client.getSession(id);
          result.lookups++;
          if (record === null) {
            if (await run.writer.markDeleted(id, run.clock().toISOString())) run.counters.deleted++;
          } else if (record.id !== id) {
            result.mismatched++;
            run.warn({
              code: 'lookup-mismatch',
              message: `GET /v1/sessions/${id} answered with session ${JSON.stringify(record.id)?.slice(0, 80)}: not stored, the session is left as it was`,
            });
          } else {
            run.counters.seen++;
            // A lookup is not a listing: it says nothing about which scope lists the session.
            await run.write([parseSession(record)], '');
          }
        })
        .catch(failure.note),
    ),
  );
  failure.rethrow();
  return result;
}
