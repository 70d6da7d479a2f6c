/**
 * The writer thread: its own connection to the database, a SessionWriter, and a loop answering
 * the requests of {@link threadWriter} in order.
 *
 * Pages are committed in groups: a transaction stays open while pages keep coming, and commits at
 * {@link PAGES_PER_TRANSACTION} pages, when it is {@link MAX_OPEN_MS} old, when no page came for
 * {@link IDLE_MS}, when the run says no other page is on its way (the last page of a scan: waiting
 * for more would only delay it), or before any other request. The session ids are random, so every
 * commit rewrites index pages all over the file; one commit per page wrote the same index pages
 * again and again.
 * A page is answered only once its transaction has committed: what the run counts is on disk, and a
 * kill loses at most the open group (which the next run reads again). A failed write or commit
 * fails every page of the group with SQLite's own error (a full disk, say), and the thread goes on.
 *
 * Checkpoints: a commit that leaves {@link CHECKPOINT_PAGES} or more pages in the write-ahead log
 * copies them into the database (SQLite's automatic checkpoint, PASSIVE: it waits for nothing).
 * Besides, when no request came for {@link QUIET_MS} after a group's commit, the pages are on the
 * network (a remote API, a rate limit): the thread checkpoints then, in time it would spend
 * waiting. Either way the checkpoint at the end of the run has little left to copy and flush.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.js';
import type { WriteCounts } from './counts.js';
import { PAGES_PER_TRANSACTION, writerOps, type WriterAnswer, type WriterData, type WriterRequest } from './writer.js';

const MAX_OPEN_MS = 100;
const IDLE_MS = 10;
const QUIET_MS = 25;
/**
 * Log pages after which this thread's commits checkpoint: 8 MiB at a new database's 8 KiB pages,
 * where the database's other connections wait for WAL_AUTOCHECKPOINT_PAGES (128 MiB, db.ts). A
 * full scan writes far more log than the database it leaves (the random ids make each commit
 * rewrite index pages all over the file: 221 MB of log for a 117 MB database at 50k sessions).
 * After a complete checkpoint the log starts again from its beginning, so it stays within about
 * 8 MiB and a group of pages (15 MiB at most in a sync of 50k sessions, 132 MiB before): in the
 * page cache, with a small index to search at every read, and with little left for the
 * checkpoint at the end of the run to copy and flush. Measured with `farm-bench`, paired with
 * 16,384 pages: a full sync of 50k local sessions took 0.955 of the time and 0.976 of the CPU (10
 * pairs), with 10% less peak memory; one of 3k sessions at 100 ms latency, 0.95 (12 pairs). At
 * 50k, 512 pages took 1.035 of the time of 1,024 and 256 pages 1.085 (each checkpoint flushes
 * both files), 2,048 pages 1.005.
 */
const CHECKPOINT_PAGES = 1024;

const port = parentPort!;
const { path, lockToken } = workerData as WriterData;
const db = openDatabase(path);
const ops = writerOps(db, lockToken);
db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
// IMMEDIATE: the write lock is taken (waited for) at the start. A deferred transaction that read
// first (the lock's fence) and then wrote would fail at once with SQLITE_BUSY, without waiting, when
// another connection (the main thread's heartbeat, an export's bookmark) committed in between.
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');

/** The pages written in the open transaction, waiting for their answer. */
let group: Array<{ id: number; counts: WriteCounts }> = [];
let openedAt = 0;
let idle: NodeJS.Timeout | undefined;
let quiet: NodeJS.Timeout | undefined;

port.on('message', (request: WriterRequest) => {
  clearTimeout(quiet);
  if (request.op !== 'writePage') {
    commitGroup();
    answer(request.id, () => handle(request));
    if (request.op === 'close') port.close();
    return;
  }
  const [page, runId, now, scope, nothingOnTheWay] = request.args;
  try {
    if (group.length === 0) {
      begin.run();
      openedAt = performance.now();
    }
    group.push({ id: request.id, counts: ops.writer.writeWithin(page, runId, now, scope) });
  } catch (error) {
    // Part of the page may be written: the whole group rolls back and fails with it.
    failGroup([...group.map((page) => page.id), request.id], error);
    return;
  }
  clearTimeout(idle);
  if (nothingOnTheWay || group.length >= PAGES_PER_TRANSACTION || performance.now() - openedAt >= MAX_OPEN_MS) commitPages();
  else idle = setTimeout(commitPages, IDLE_MS);
});
port.postMessage('ready');

function commitGroup(): void {
  clearTimeout(idle);
  if (group.length === 0) return;
  const pages = group;
  group = [];
  try {
    commit.run();
  } catch (error) {
    failGroup(pages.map((page) => page.id), error);
    return;
  }
  for (const page of pages) port.postMessage({ id: page.id, result: page.counts } satisfies WriterAnswer);
}

/** Commits the group of pages; if no request comes for {@link QUIET_MS} then, checkpoints. */
function commitPages(): void {
  commitGroup();
  quiet = setTimeout(checkpointWhenQuiet, QUIET_MS);
}

function checkpointWhenQuiet(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A later checkpoint (the log's bound, or the close) copies what this could not.
  }
}

/** Rolls back what is still open (SQLite may have done so itself) and fails `ids` with `error`. */
function failGroup(ids: number[], error: unknown): void {
  clearTimeout(idle);
  group = [];
  if (db.inTransaction) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // The error to report is the one that failed the group.
    }
  }
  for (const id of ids) answer(id, () => { throw error; });
}

function answer(id: number, work: () => unknown): void {
  let reply: WriterAnswer;
  try {
    reply = { id, result: work() };
  } catch (error) {
    reply = { id, error: { message: (error as Error).message, code: (error as { code?: string }).code } };
  }
  port.postMessage(reply);
}

function handle(request: Exclude<WriterRequest, { op: 'writePage' }>): unknown {
  switch (request.op) {
    case 'markDeleted':
      return ops.markDeleted(...request.args);
    case 'unseenLiveIds':
      return ops.unseenLiveIds(...request.args);
    case 'resetSeen':
      return ops.resetSeen();
    case 'pruneMembers':
      return ops.pruneMembers(...request.args);
    case 'saveCounters':
      return ops.saveCounters(...request.args);
    case 'close':
      // The WAL holds the run's last pages. Copied into the database here, they are copied while
      // the main thread records the run and refreshes the planner statistics, instead of after, by
      // the last connection's close. PASSIVE waits for nothing; what it leaves (frames written
      // meanwhile) the last close copies.
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // The last close copies what this could not.
      }
      db.close();
      return null;
  }
}
