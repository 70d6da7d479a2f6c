/**
 * Pure decisions of a sync: which mode a run takes, which pages to read next, when the head scan
 * may stop, whether the API's order can be trusted. No I/O: last response in, next step out.
 */
import type { Bookmark } from '../store/runs.js';

/** How far below the bookmark the head scan still reads, for equal timestamps and clock skew. */
export const HEAD_OVERLAP_MS = 60_000;

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

/**
 * The pages of a full scan. The last page is learned from page 1 and may grow while the scan runs
 * (sessions created meanwhile push older ones onto later pages); every response can extend it.
 */
export class PagePlan {
  #lastPage: number;
  #scheduled: number;

  /** Page 1 has been read; it said there are `lastPage` pages. */
  constructor(lastPage: number) {
    this.#lastPage = Math.max(1, lastPage);
    this.#scheduled = 1;
  }

  /** Pages not yet handed out, given the newest `lastPage` any response reported. */
  next(reportedLastPage?: number): number[] {
    if (reportedLastPage !== undefined && reportedLastPage > this.#lastPage) this.#lastPage = reportedLastPage;
    const pages: number[] = [];
    while (this.#scheduled < this.#lastPage) pages.push(++this.#scheduled);
    return pages;
  }

  get lastPage(): number {
    return this.#lastPage;
  }
}
