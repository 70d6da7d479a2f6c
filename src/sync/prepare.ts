/**
 * The start of a sync: its context, whose first request (page 1: every run, incremental or full,
 * begins with it) leaves at once. Its round trip overlaps what comes next: loading the store's
 * modules (run.ts and what it imports, which this file leaves out: better-sqlite3, drizzle's
 * schema, the stages), opening the database, migrating it and taking the lock.
 */
import type { Db } from '../store/db.js';
import { scopeKey } from '../store/runs.js';
import { RunContext, type SyncOptions } from './context.js';
import type { SyncOutcome } from './run.js';

/** A sync whose first request is already on its way: give it the database to run, or cancel it. */
export interface PreparedSync {
  /**
   * Runs the sync on `db`; `lockToken` is the sync lock's token, which every write checks. Throws
   * only when the run cannot even be recorded (the database itself failed).
   */
  run(db: Db, lockToken?: string | null): Promise<SyncOutcome>;
  /** Aborts what is in flight (when the run cannot start: the lock is held, the database is unusable). */
  cancel(): void;
  /**
   * Resolves once the run's writer has closed: a writer thread finishes copying its WAL into the
   * database after the run has returned. Wait for it before closing the database and exiting.
   */
  closed(): Promise<void>;
}

/** Starts reading page 1 at once; the run itself is loaded (run.ts) when it is given the database. */
export function prepareSync(options: SyncOptions): PreparedSync {
  const run = new RunContext(options, scopeKey(options.filters));
  return {
    run: async (db, lockToken = null) => (await import('./run.js')).runSync(run, db, lockToken),
    cancel: () => run.cancel(),
    closed: () => run.writerClosed,
  };
}
