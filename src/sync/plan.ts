/**
 * Pure decisions of a sync: which mode a run takes, what a list response says about the pages
 * after it, which pages to read next, when a scan stops, and how a count difference is repaired.
 * No I/O: last response in, next step out. Nothing here trusts `meta`: every number from the API
 * is checked, and every scan is bounded by a ceiling derived from what the API reported.
 */
import { createHash } from 'node:crypto';
import type { SessionListResponse } from '../api/types.js';
import { SyncError } from '../errors.js';
import type { Bookmark } from '../store/runs.js';

/** How far below the bookmark the head scan still reads, for equal timestamps and clock skew. */
export const HEAD_OVERLAP_MS = 60_000;

/**
 * Pages a scan may read beyond what `meta.total` needs: sessions created while it reads push
 * older ones onto later pages. At least {@link MIN_DRIFT_PAGES}, or a tenth of the pages.
 */
const MIN_DRIFT_PAGES = 5;
const DRIFT_FRACTION = 0.1;

/**
 * Scans one run may make at most: the first (head or full), a head re-read, a full scan, and the
 * head re-read after it (see {@link nextRepair}). The run's ceiling of list requests is this many
 * times the ceiling of one scan.
 */
export const SCANS_PER_RUN = 4;

/** Why a run reads every page, or null when an incremental head scan will do. */
export function fullScanReason(
  bookmark: Bookmark | null,
  now: Date,
  options: { forced: boolean; fullEveryHours: number },
): string | null {
  if (options.forced) return '--full was given';
  if (bookmark === null || bookmark.lastCompleteAt === null) return 'first sync of this scope';
  if (bookmark.lastFullSyncAt === null) return 'no complete full sync yet';
  const ageMs = now.getTime() - Date.parse(bookmark.lastFullSyncAt);
  if (ageMs > options.fullEveryHours * 3_600_000) {
    return `last full sync is ${(ageMs / 3_600_000).toFixed(1)} h old (--full-every ${options.fullEveryHours})`;
  }
  return null;
}

/** The createdAt at or below which a page no longer holds anything new. */
export function headThreshold(newestCreatedAt: string, overlapMs: number = HEAD_OVERLAP_MS): string {
  return new Date(Date.parse(newestCreatedAt) - overlapMs).toISOString();
}

/**
 * True when a page's canonical createdAt values never increase (ties allowed): the page is
 * consistent with a newest-first list.
 */
export function isNewestFirst(createdAts: readonly string[]): boolean {
  for (let i = 1; i < createdAts.length; i++) {
    if ((createdAts[i] as string) > (createdAts[i - 1] as string)) return false;
  }
  return true;
}

/**
 * Whether a newest-first head scan must read the page after this one: yes while the page was full
 * (`received` records, rejected ones included) and its oldest valid session is still above the
 * threshold.
 */
export function headScanContinues(received: number, createdAts: readonly string[], perPage: number, threshold: string): boolean {
  if (received < perPage) return false;
  const oldest = createdAts[createdAts.length - 1];
  return oldest === undefined || oldest > threshold;
}

/** The API answered something its documentation rules out, and no work-around is safe: exit 1. */
export class ApiInconsistencyError extends SyncError {}

/** Something the API said that does not add up, worked around; `code` is stable, for warnings. */
export interface Inconsistency {
  code: 'page-mismatch' | 'page-overfull' | 'last-page-too-small' | 'last-page-too-large' | 'page-repeated' | 'duplicate-ids' | 'ceiling';
  message: string;
}

/** What one list response says, once checked. */
export interface PageVerdict {
  /** Nothing after this page needs reading. */
  last: boolean;
  /** The page lists the same ids as a page read before in this scan: it is not stored again. */
  repeat: boolean;
  /** `meta.lastPage` as reported (checked to be a non-negative integer). */
  reportedLastPage: number;
  /** `meta.total` as reported (checked). */
  total: number;
  problems: Inconsistency[];
}

/** The largest page number one scan reads, given the API's count: pages it needs plus drift. */
export function pageCeiling(total: number, perPage: number): number {
  const needed = Math.max(1, Math.ceil(total / perPage));
  return needed + Math.max(MIN_DRIFT_PAGES, Math.ceil(needed * DRIFT_FRACTION));
}

function nonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks `meta` of the response to page `asked` (at `perPage`) and says whether the list ends
 * there. A `total` or `lastPage` that is not a non-negative integer cannot be worked around (every
 * bound derives from them): it throws {@link ApiInconsistencyError} naming the field, the value and
 * the page. Everything else is worked around and reported as a problem.
 */
export function checkPage(asked: number, perPage: number, body: SessionListResponse): Omit<PageVerdict, 'repeat'> {
  const { meta, data } = body;
  for (const field of ['total', 'lastPage'] as const) {
    if (!nonNegativeInteger(meta[field])) {
      throw new ApiInconsistencyError(
        `the API's list response for page ${asked} has meta.${field} = ${JSON.stringify(meta[field]) ?? 'undefined'}, not a count; the run stopped (nothing of that page was stored)`,
      );
    }
  }
  const problems: Inconsistency[] = [];
  const needed = Math.ceil(meta.total / perPage);
  // meta's "this is the last page" counts only where lastPage can hold total; otherwise the data
  // decides (a short or empty page ends the list).
  const metaSaysLast = meta.lastPage <= asked || meta.next === null;
  let last = data.length === 0 || data.length < perPage || (metaSaysLast && meta.lastPage >= needed);
  if (meta.currentPage !== undefined && meta.currentPage !== asked) {
    problems.push({
      code: 'page-mismatch',
      message: `page ${asked} was answered as page ${JSON.stringify(meta.currentPage)} (meta.currentPage): taken as the end of the list`,
    });
    last = true;
  }
  if (data.length > perPage) {
    problems.push({ code: 'page-overfull', message: `page ${asked} holds ${data.length} records, more than perPage ${perPage}: all were stored` });
  }
  if (asked === 1 && meta.lastPage < needed) {
    problems.push({
      code: 'last-page-too-small',
      message: `meta.lastPage ${meta.lastPage} cannot hold meta.total ${meta.total} at ${perPage} per page: reading on while pages are full`,
    });
  }
  if (asked === 1 && meta.lastPage > pageCeiling(meta.total, perPage)) {
    problems.push({
      code: 'last-page-too-large',
      message: `meta.lastPage ${meta.lastPage} is more than meta.total ${meta.total} needs at ${perPage} per page: reading at most ${pageCeiling(meta.total, perPage)} pages`,
    });
  }
  return { last, reportedLastPage: meta.lastPage, total: meta.total, problems };
}

/**
 * The ids of a page in a form that compares equal for the same set of ids: a digest of them, since
 * a scan keeps one per page (the ids themselves, 3.7 KB a page, were 7 MB kept through a scan of
 * 200k sessions; a digest is 44 bytes, and SHA-256 makes two different pages' digests equal never
 * in practice).
 */
function pageFingerprint(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n')).digest('base64');
}

/**
 * The pages of one scan, handed out lazily: never beyond the last page the API's answers allow,
 * never beyond the scan's ceiling, and (for a concurrent full scan) at most `window` pages ahead of
 * the lowest page still unanswered, so memory and queued work do not depend on what `meta` claims.
 */
export class PagePlan {
  readonly #ceiling: number;
  readonly #window: number;
  /** The last page the answers so far allow reading. */
  #limit: number;
  /** The first page whose answer said the list ends there. */
  #stopAt = Number.POSITIVE_INFINITY;
  #nextPage = 2;
  readonly #unanswered = new Set<number>();
  readonly #fingerprints = new Map<string, number>();
  #cutByCeiling = false;

  /**
   * Page 1 has been read and checked. `window` is how many pages may be requested ahead of the
   * lowest unanswered one (1: one page at a time, the head scan).
   */
  constructor(first: Omit<PageVerdict, 'repeat'>, perPage: number, window: number, firstIds: readonly string[]) {
    this.#ceiling = pageCeiling(first.total, perPage);
    this.#window = Math.max(1, window);
    this.#limit = this.#allowed(first.reportedLastPage, first.total, perPage);
    if (firstIds.length > 0) this.#fingerprints.set(pageFingerprint(firstIds), 1);
    this.#settle(1, first.last, first.reportedLastPage);
  }

  /** The most pages this scan will read. */
  get ceiling(): number {
    return this.#ceiling;
  }

  /** True once the ceiling, not the API, ended the scan. */
  get cutByCeiling(): boolean {
    return this.#cutByCeiling;
  }

  /** The next page to request now, or null (nothing more, or the window is full). */
  take(): number | null {
    const page = this.#nextPage;
    if (page > this.#limit || page >= this.#stopAt) return null;
    const lowest = this.#unanswered.size === 0 ? page : Math.min(...this.#unanswered);
    if (page - lowest >= this.#window) return null;
    this.#nextPage++;
    this.#unanswered.add(page);
    return page;
  }

  /** True when no page is out and none is left to take. */
  get done(): boolean {
    return this.#unanswered.size === 0 && (this.#nextPage > this.#limit || this.#nextPage >= this.#stopAt);
  }

  /**
   * Judges the answer to `page`, checked by {@link checkPage}: a page listing the same ids as an
   * earlier page of this scan is a repeat (the API clamps or loops), and ends the scan.
   */
  answer(page: number, verdict: Omit<PageVerdict, 'repeat'>, ids: readonly string[]): PageVerdict {
    this.#unanswered.delete(page);
    let repeat = false;
    const problems = [...verdict.problems];
    if (ids.length > 0) {
      const fingerprint = pageFingerprint(ids);
      const earlier = this.#fingerprints.get(fingerprint);
      if (earlier !== undefined) {
        repeat = true;
        problems.push({ code: 'page-repeated', message: `page ${page} lists the same sessions as page ${earlier}: taken as the end of the list` });
      } else {
        this.#fingerprints.set(fingerprint, page);
      }
    }
    this.#settle(page, verdict.last || repeat, verdict.reportedLastPage);
    return { ...verdict, repeat, problems };
  }

  /** A failed request gives its page back (the run stops anyway; this keeps `done` true). */
  abandon(page: number): void {
    this.#unanswered.delete(page);
  }

  #allowed(reportedLastPage: number, total: number, perPage: number): number {
    // A lastPage too small for total does not stop the scan before the pages total needs; a
    // lastPage too large is cut to the ceiling.
    return Math.min(Math.max(1, reportedLastPage, Math.ceil(total / perPage)), this.#ceiling);
  }

  #settle(page: number, last: boolean, reportedLastPage: number): void {
    if (last) {
      this.#stopAt = Math.min(this.#stopAt, page + 1);
      return;
    }
    // Sessions created meanwhile push older ones onto later pages: a later lastPage extends the scan.
    if (reportedLastPage > this.#limit) this.#limit = Math.min(reportedLastPage, this.#ceiling);
    // A full page at the limit that the API does not call the last: read on, up to the ceiling.
    if (page >= this.#limit) {
      if (page >= this.#ceiling) this.#cutByCeiling = true;
      else this.#limit = page + 1;
    }
  }
}

/** Where the completeness check stands, for {@link nextRepair}. */
export interface RepairState {
  /** The API's count for the scope minus what the store holds for it. */
  gap: number;
  /** The residual an earlier run recorded for this scope after a full scan (null: none). */
  knownResidual: number | null;
  /** Every page of every scan so far was in newest-first order. */
  newestFirst: boolean;
  /** This run's repair has read every page (the run's first scan, full or not, does not count). */
  fullRepairDone: boolean;
  /** The newest pages were read again after the last scan. */
  headReread: boolean;
}

/**
 * The next step of the completeness check. A run repairs a difference once: by re-reading the
 * newest pages (sessions created while it read), then, if still off, by a full scan with
 * reconciliation followed by the newest pages again. A difference left after that is the
 * residual: recorded and warned about; a later run that finds the same difference accepts it
 * without repairing.
 */
export function nextRepair(state: RepairState): 'none' | 'accept' | 'head' | 'full' | 'residual' {
  if (state.gap === 0) return 'none';
  if (!state.fullRepairDone && state.knownResidual === state.gap) return 'accept';
  if (state.gap > 0 && state.newestFirst && !state.headReread) return 'head';
  if (!state.fullRepairDone) return 'full';
  return 'residual';
}
