/**
 * The two ways a run reads the list: the head scan (the newest pages, one at a time, until a page
 * holds nothing newer than the bookmark) and the full scan (every page, several at a time). Both
 * stop where the API's answers say the list ends (plan.ts `PagePlan`), on a page that repeats an
 * earlier one, and at their ceiling; each returns what it found instead of keeping it in the run.
 */
import { deferredWriter, PAGES_PER_TRANSACTION, threadWriter } from '../store/writer.js';
import type { PageRead, RunContext } from './context.js';
import { headScanContinues, isNewestFirst, PagePlan, pageCeiling, SCANS_PER_RUN, type PageVerdict } from './plan.js';

/** What a scan found. */
export interface ScanResult {
  /** `meta.total` of the last page read. */
  apiTotal: number;
  /** The newest valid createdAt read, or null. */
  newest: string | null;
  /** Every page read was in newest-first order. */
  newestFirst: boolean;
  /** Pages read. */
  pages: number;
}

/** Folds pages into a scan result. */
class ScanTally {
  apiTotal = 0;
  newest: string | null = null;
  newestFirst = true;
  pages = 0;

  add(read: PageRead): void {
    this.apiTotal = read.verdict.total;
    this.pages++;
    if (!isNewestFirst(read.createdAts)) this.newestFirst = false;
    for (const createdAt of read.createdAts) if (this.newest === null || createdAt > this.newest) this.newest = createdAt;
  }

  result(): ScanResult {
    return { apiTotal: this.apiTotal, newest: this.newest, newestFirst: this.newestFirst, pages: this.pages };
  }
}

/** Page 1 checked by a scan: the run's ceiling of list requests is set from the first one. */
function firstPageChecked(run: RunContext, verdict: PageVerdict): void {
  run.setListCeiling(SCANS_PER_RUN * pageCeiling(verdict.total, run.options.perPage));
}

/**
 * Reads from page 1 while pages are full and still hold sessions above `threshold`, one page at a
 * time. Stops early (having stored what it read) as soon as a page is not in newest-first order:
 * the result says so, and the run reads every page instead.
 */
export async function headScan(run: RunContext, threshold: string): Promise<ScanResult> {
  run.phase = 'head';
  const tally = new ScanTally();
  const first = await run.readPage(1);
  firstPageChecked(run, first.verdict);
  tally.add(first);
  const plan = new PagePlan(first.verdict, run.options.perPage, 1, first.ids);
  let read = first;
  while (tally.newestFirst && holdsNewer(read, run.options.perPage, threshold)) {
    const page = plan.take();
    if (page === null) break;
    read = await run.readPage(page, (checked, ids) => plan.answer(page, checked, ids));
    tally.add(read);
  }
  if (plan.cutByCeiling) warnCeiling(run, plan.ceiling);
  return tally.result();
}

/** Whether the head scan reads on after `read`: the list goes on and the page still held newer sessions. */
function holdsNewer(read: PageRead, perPage: number, threshold: string): boolean {
  return !read.verdict.last && !read.verdict.repeat && headScanContinues(read.received, read.createdAts, perPage, threshold);
}

/**
 * Reads every page, `concurrency` requests at a time, handing out pages lazily (plan.ts) from as
 * soon as page 1's `meta` is checked. A full scan writes every page: SQLite's work moves to a
 * thread of its own, beside the network reads and JSON parsing of this one; the thread starts
 * while page 1 is on its way, and the pages read before it is ready wait for it (in hand, within
 * the window below).
 */
export async function fullScan(run: RunContext, lockToken: string | null, dbPath: string, threaded: boolean): Promise<ScanResult> {
  run.phase = 'full';
  run.mode = 'full';
  const tally = new ScanTally();
  if (threaded) {
    await run.writer.resetSeen();
  } else {
    const local = run.writer;
    const thread = threadWriter(dbPath, lockToken);
    run.writer = deferredWriter(
      (async () => {
        await local.close();
        const writer = await thread;
        await writer.resetSeen();
        return writer;
      })(),
    );
  }
  // Pages out (on the network, or fetched and waiting for their write; page 1 aside) stay within
  // the window, so a database slower than the network (or a thread still starting) cannot make
  // memory grow, and a group waiting for its commit never stops the reading.
  const window = run.options.concurrency * 2 + PAGES_PER_TRANSACTION;
  const failure = run.firstFailure();
  const pending = new Set<Promise<void>>();
  // Made from page 1's verdict, before page 1 is stored.
  const scan: { plan?: PagePlan } = {};
  const pump = (): void => {
    const plan = scan.plan;
    while (plan !== undefined && pending.size < window && !failure.failed()) {
      const page = plan.take();
      if (page === null) return;
      const task = run
        .readPage(page, (checked, ids) => plan.answer(page, checked, ids))
        .then((read) => tally.add(read), (error: unknown) => {
          plan.abandon(page);
          failure.note(error);
        })
        .finally(() => {
          pending.delete(task);
          pump();
        });
      pending.add(task);
    }
  };
  const settled = async (): Promise<void> => {
    while (pending.size > 0) await Promise.all(pending);
  };
  try {
    const first = await run.readPage(1, undefined, (verdict, ids) => {
      firstPageChecked(run, verdict);
      scan.plan = new PagePlan(verdict, run.options.perPage, window, ids);
      pump();
    });
    tally.add(first);
  } catch (error) {
    // Page 1 failed (its request, or its write): the pages it let out stop, and are waited for.
    failure.note(error);
    await settled();
    throw error;
  }
  await settled();
  failure.rethrow();
  if (scan.plan?.cutByCeiling === true) warnCeiling(run, scan.plan.ceiling);
  return tally.result();
}

function warnCeiling(run: RunContext, ceiling: number): void {
  run.warn({
    code: 'ceiling',
    message: `the API still listed full pages at page ${ceiling}, the most its count (${run.apiTotal ?? '?'} sessions) allows with drift: the scan stopped there`,
  });
}
