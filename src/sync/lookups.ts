/**
 * Looking sessions up by id (`GET /v1/sessions/{id}`): the stored open sessions a head scan did not
 * read (they may have ended) and can still be running, or every stored session a full scan did not
 * list (they may be gone). An open session older than a session can last is stuck (never closed
 * upstream): it waits for the full reconciliation instead of costing a request on every run.
 * A 404 marks a session deleted (the row stays); a found one is written like a listed record. An
 * answer about another id is an API inconsistency: warned about, and nothing is stored.
 */
import { parseSession } from '../api/session.js';
import { flatPage } from '../store/flat-page.js';
import type { RunContext } from './context.js';

/** What the lookups did. */
export interface LookupResult {
  /** Sessions looked up. */
  lookups: number;
  /** Answers that named another session (not stored). */
  mismatched: number;
}

/**
 * The instant against which an open session's age is judged: the earlier of `now` and the newest
 * `createdAt` the API has listed for the scope (canonical UTC text; the API's own clock). The
 * earlier instant only makes sessions look younger: a quiet account, a clock running ahead or an
 * API clock running behind never gets a session skipped that may still end.
 */
export function openReference(listed: ReadonlyArray<string | null>, now: Date): string {
  const clock = now.toISOString();
  let newest: string | null = null;
  for (const createdAt of listed) if (createdAt !== null && (newest === null || createdAt > newest)) newest = createdAt;
  return newest !== null && newest < clock ? newest : clock;
}

/**
 * Looks up the live stored sessions of the run's scope that it did not read from the list: after
 * a head scan only the open ones that can still be running at `openAt` (see {@link openReference}
 * and scope.ts `unseenLiveIds`), after a full scan (`openAt` null) all of them.
 */
export async function lookUp(run: RunContext, openAt: string | null): Promise<LookupResult> {
  run.phase = 'lookups';
  const onlyOpen = openAt !== null;
  const ids = await run.writer.unseenLiveIds(run.scope, run.startedAt, openAt);
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
            await run.write(flatPage([parseSession(record)]), '');
          }
        })
        .catch(failure.note),
    ),
  );
  failure.rethrow();
  return result;
}
