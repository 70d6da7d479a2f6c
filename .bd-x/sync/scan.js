/**
 * The two ways a run reads the list: the head scan (the newest pages, one at a time, until a page
 * holds nothing newer than the bookmark) and the full scan (every page, several at a time). Both
 * stop where the API's answers say the list ends (plan.ts `PagePlan`), on a page that repeats an
 * earlier one, and at their ceiling; each returns what it found instead of keeping it in the run.
 */
import { PAGES_PER_TRANSACTION, threadWriter } from '../store/writer.js';
import { headScanContinues, isNewestFirst, PagePlan, pageCeiling, SCANS_PER_RUN } from './plan.js';
/** Folds pages into a scan result. */
class ScanTally {
    apiTotal = 0;
    newest = null;
    newestFirst = true;
    pages = 0;
    add(read) {
        this.apiTotal = read.verdict.total;
        this.pages++;
        if (!isNewestFirst(read.createdAts))
            this.newestFirst = false;
        for (const createdAt of read.createdAts)
            if (this.newest === null || createdAt > this.newest)
                this.newest = createdAt;
    }
    result() {
        return { apiTotal: this.apiTotal, newest: this.newest, newestFirst: this.newestFirst, pages: this.pages };
    }
}
/** Page 1 read by a scan: the run's ceiling of list requests is set from the first one. */
function firstPageRead(run, read) {
    run.setListCeiling(SCANS_PER_RUN * pageCeiling(read.verdict.total, run.options.perPage));
}
/**
 * Reads from page 1 while pages are full and still hold sessions above `threshold`, one page at a
 * time. Stops early (having stored what it read) as soon as a page is not in newest-first order:
 * the result says so, and the run reads every page instead.
 */
export async function headScan(run, threshold) {
    run.phase = 'head';
    const tally = new ScanTally();
    const first = await run.readPage(1);
    firstPageRead(run, first);
    tally.add(first);
    const plan = new PagePlan(first.verdict, run.options.perPage, 1, first.ids);
    let read = first;
    while (tally.newestFirst && holdsNewer(read, run.options.perPage, threshold)) {
        const page = plan.take();
        if (page === null)
            break;
        read = await run.readPage(page, (checked, ids) => plan.answer(page, checked, ids));
        tally.add(read);
    }
    if (plan.cutByCeiling)
        warnCeiling(run, plan.ceiling);
    return tally.result();
}
/** Whether the head scan reads on after `read`: the list goes on and the page still held newer sessions. */
function holdsNewer(read, perPage, threshold) {
    return !read.verdict.last && !read.verdict.repeat && headScanContinues(read.received, read.createdAts, perPage, threshold);
}
/**
 * Reads every page, `concurrency` requests at a time, handing out pages lazily (plan.ts). A full
 * scan writes every page: SQLite's work moves to a thread of its own, beside the network reads and
 * JSON parsing of this one; the thread starts while page 1 is on its way.
 */
export async function fullScan(run, lockToken, dbPath, threaded) {
    run.phase = 'full';
    run.mode = 'full';
    const tally = new ScanTally();
    const thread = threaded ? null : threadWriter(dbPath, lockToken);
    // Awaited once page 1 is in; a thread that fails to start before then is reported there.
    thread?.catch(() => { });
    let switched = false;
    let first;
    try {
        first = await run.readPage(1, undefined, async () => {
            if (thread !== null) {
                await run.writer.close();
                run.writer = await thread;
                switched = true;
            }
            await run.writer.resetSeen();
        });
    }
    catch (error) {
        // Page 1 failed before the thread took over: stop it, or it would keep the process alive.
        if (thread !== null && !switched)
            void thread.then((writer) => writer.close(), () => { });
        throw error;
    }
    firstPageRead(run, first);
    tally.add(first);
    // Pages out (on the network, or fetched and waiting for their write) stay within the window, so
    // a database slower than the network cannot make memory grow, and a group waiting for its commit
    // never stops the reading.
    const window = run.options.concurrency * 2 + PAGES_PER_TRANSACTION;
    const plan = new PagePlan(first.verdict, run.options.perPage, window, first.ids);
    const failure = run.firstFailure();
    const pending = new Set();
    const pump = () => {
        while (pending.size < window && !failure.failed()) {
            const page = plan.take();
            if (page === null)
                return;
            const task = run
                .readPage(page, (checked, ids) => plan.answer(page, checked, ids))
                .then((read) => tally.add(read), (error) => {
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
    pump();
    while (pending.size > 0)
        await Promise.all(pending);
    failure.rethrow();
    if (plan.cutByCeiling)
        warnCeiling(run, plan.ceiling);
    return tally.result();
}
function warnCeiling(run, ceiling) {
    run.warn({
        code: 'ceiling',
        message: `the API still listed full pages at page ${ceiling}, the most its count (${run.apiTotal ?? '?'} sessions) allows with drift: the scan stopped there`,
    });
}
//# sourceMappingURL=scan.js.map