import { describe, expect, it } from 'vitest';
import type { SessionListResponse } from '../../src/api/types.js';
import type { Bookmark } from '../../src/store/runs.js';
import {
  ApiInconsistencyError,
  checkPage,
  fullScanReason,
  headScanContinues,
  headThreshold,
  isNewestFirst,
  nextRepair,
  pageCeiling,
  PagePlan,
  type RepairState,
} from '../../src/sync/plan.js';

const bookmark = (lastFullSyncAt: string | null): Bookmark => ({
  scope: '',
  newestCreatedAt: '2026-11-01T10:00:00.000Z',
  lastCompleteAt: '2026-11-01T10:05:00.000Z',
  lastFullSyncAt,
  lastFullRunId: 1,
  lastRunId: 2,
  countResidual: null,
  residualSince: null,
});

/** A list response of `count` records (ids `p<page>-<i>`) with the given meta. */
function body(page: number, count: number, meta: Partial<SessionListResponse['meta']> & { total: number; lastPage: number }): SessionListResponse {
  return {
    data: Array.from({ length: count }, (_, i) => ({ id: `p${page}-${i}` }) as never),
    meta: { currentPage: page, perPage: 10, prev: null, next: null, ...meta },
  };
}

const ids = (page: number, count: number): string[] => Array.from({ length: count }, (_, i) => `p${page}-${i}`);

describe('fullScanReason', () => {
  const now = new Date('2026-11-02T09:00:00.000Z');

  it('reads every page on the first sync of a scope', () => {
    expect(fullScanReason(null, now, { forced: false, fullEveryHours: 24 })).toMatch(/first sync/);
  });

  it('reads every page when --full is given, whatever the bookmark', () => {
    expect(fullScanReason(bookmark(now.toISOString()), now, { forced: true, fullEveryHours: 24 })).toMatch(/--full/);
  });

  it('reconciles in full once the last full sync is older than --full-every', () => {
    expect(fullScanReason(bookmark('2026-11-01T08:59:00.000Z'), now, { forced: false, fullEveryHours: 24 })).toMatch(/24/);
    expect(fullScanReason(bookmark('2026-11-01T09:01:00.000Z'), now, { forced: false, fullEveryHours: 24 })).toBeNull();
  });
});

describe('head scan decisions', () => {
  it('places the threshold one overlap below the bookmark', () => {
    expect(headThreshold('2026-11-01T10:00:00.000Z', 60_000)).toBe('2026-11-01T09:59:00.000Z');
  });

  it('accepts non-increasing createdAt values, ties included, and rejects any increase', () => {
    expect(isNewestFirst(['2026-01-03', '2026-01-03', '2026-01-01'])).toBe(true);
    expect(isNewestFirst([])).toBe(true);
    expect(isNewestFirst(['2026-01-01', '2026-01-02'])).toBe(false);
  });

  it('reads on while a full page still reaches above the threshold', () => {
    expect(headScanContinues(2, ['c', 'b'], 2, 'a')).toBe(true);
    expect(headScanContinues(2, ['c', 'a'], 2, 'a')).toBe(false);
    expect(headScanContinues(1, ['c'], 2, 'a')).toBe(false);
  });

  it('counts rejected records toward a full page, so one broken record does not end the scan', () => {
    expect(headScanContinues(2, ['c'], 2, 'a')).toBe(true);
    expect(headScanContinues(2, [], 2, 'a')).toBe(true);
  });
});

describe('checkPage', () => {
  it('takes a short page, an empty page, meta.next null or page >= lastPage as the end', () => {
    expect(checkPage(1, 10, body(1, 10, { total: 30, lastPage: 3, next: 2 })).last).toBe(false);
    expect(checkPage(2, 10, body(2, 4, { total: 30, lastPage: 3, next: 3 })).last).toBe(true);
    expect(checkPage(2, 10, body(2, 0, { total: 30, lastPage: 3, next: 3 })).last).toBe(true);
    expect(checkPage(2, 10, body(2, 10, { total: 30, lastPage: 3, next: null })).last).toBe(true);
    expect(checkPage(3, 10, body(3, 10, { total: 30, lastPage: 3, next: 4 })).last).toBe(true);
  });

  for (const [field, value] of [['total', -1], ['lastPage', 2.5], ['total', '12'], ['lastPage', undefined], ['total', 2 ** 60]] as const) {
    it(`fails on meta.${field} = ${String(value)}, naming the field, the value and the page`, () => {
      const response = body(4, 10, { total: 30, lastPage: 3 });
      (response.meta as unknown as Record<string, unknown>)[field] = value;
      expect(() => checkPage(4, 10, response)).toThrow(ApiInconsistencyError);
      expect(() => checkPage(4, 10, response)).toThrow(new RegExp(`page 4 has meta\\.${field} = `));
    });
  }

  it('takes a page answered as another page as the end of the list, and says so', () => {
    const verdict = checkPage(5, 10, body(5, 10, { total: 30, lastPage: 3, currentPage: 3, next: 4 }));
    expect(verdict.last).toBe(true);
    expect(verdict.problems.map((p) => p.code)).toContain('page-mismatch');
  });

  it('notes a page holding more records than perPage', () => {
    expect(checkPage(1, 10, body(1, 12, { total: 30, lastPage: 3, next: 2 })).problems.map((p) => p.code)).toEqual(['page-overfull']);
  });

  it('reads on past a lastPage too small for total while pages are full', () => {
    const verdict = checkPage(1, 10, body(1, 10, { total: 50, lastPage: 1, next: null }));
    expect(verdict.last).toBe(false);
    expect(verdict.problems.map((p) => p.code)).toEqual(['last-page-too-small']);
  });

  it('notes a lastPage far beyond what total needs', () => {
    const verdict = checkPage(1, 10, body(1, 10, { total: 30, lastPage: 2_000_000, next: 2 }));
    expect(verdict.problems.map((p) => p.code)).toEqual(['last-page-too-large']);
  });
});

describe('pageCeiling', () => {
  it('allows the pages total needs plus a drift of at least five pages or a tenth', () => {
    expect(pageCeiling(0, 100)).toBe(6);
    expect(pageCeiling(1000, 100)).toBe(15);
    expect(pageCeiling(100_000, 100)).toBe(1100);
  });
});

describe('PagePlan', () => {
  const start = (total: number, lastPage: number, window: number, count = 10): PagePlan =>
    new PagePlan(checkPage(1, 10, body(1, count, { total, lastPage, next: lastPage > 1 ? 2 : null })), 10, window, ids(1, count));
  const answer = (plan: PagePlan, page: number, count: number, meta: { total: number; lastPage: number }, pageIds = ids(page, count)) =>
    plan.answer(page, checkPage(page, 10, body(page, count, { ...meta, next: page < meta.lastPage ? page + 1 : null })), pageIds);
  const takeAll = (plan: PagePlan): number[] => {
    const pages: number[] = [];
    for (let page = plan.take(); page !== null; page = plan.take()) pages.push(page);
    return pages;
  };

  it('hands out every page after page 1 once, at most a window ahead of the lowest unanswered one', () => {
    const plan = start(60, 6, 3);
    expect(takeAll(plan)).toEqual([2, 3, 4]);
    answer(plan, 3, 10, { total: 60, lastPage: 6 });
    expect(takeAll(plan)).toEqual([]);
    answer(plan, 2, 10, { total: 60, lastPage: 6 });
    expect(takeAll(plan)).toEqual([5, 6]);
    answer(plan, 4, 10, { total: 60, lastPage: 6 });
    answer(plan, 5, 10, { total: 60, lastPage: 6 });
    answer(plan, 6, 10, { total: 60, lastPage: 6 });
    expect(takeAll(plan)).toEqual([]);
    expect(plan.done).toBe(true);
  });

  it('extends the scan when a later response reports more pages', () => {
    const plan = start(30, 3, 10);
    expect(takeAll(plan)).toEqual([2, 3]);
    answer(plan, 2, 10, { total: 50, lastPage: 5 });
    expect(takeAll(plan)).toEqual([4, 5]);
  });

  it('plans nothing more for an API with a single page', () => {
    expect(takeAll(start(3, 1, 4, 3))).toEqual([]);
    expect(takeAll(start(0, 0, 4, 0))).toEqual([]);
  });

  it('never plans more than the ceiling, whatever lastPage claims, and says the ceiling cut the scan', () => {
    const plan = start(30, 10 ** 10, 4);
    const handed: number[] = [];
    for (let round = 0; round < 100; round++) {
      const pages = takeAll(plan);
      if (pages.length === 0) break;
      handed.push(...pages);
      for (const page of pages) answer(plan, page, 10, { total: 30, lastPage: 10 ** 10 });
    }
    expect(Math.max(...handed)).toBe(pageCeiling(30, 10));
    expect(plan.cutByCeiling).toBe(true);
    expect(plan.done).toBe(true);
  });

  it('stops at a page that repeats an earlier one, and plans nothing after it', () => {
    const plan = start(20, 2, 1);
    expect(takeAll(plan)).toEqual([2]);
    answer(plan, 2, 10, { total: 20, lastPage: 2 });
    const clamped = new PagePlan(checkPage(1, 10, body(1, 10, { total: 999, lastPage: 100, next: 2 })), 10, 1, ids(1, 10));
    expect(takeAll(clamped)).toEqual([2]);
    const verdict = clamped.answer(2, checkPage(2, 10, body(2, 10, { total: 999, lastPage: 100, next: 3 })), ids(1, 10));
    expect(verdict.repeat).toBe(true);
    expect(verdict.problems.map((p) => p.code)).toContain('page-repeated');
    expect(takeAll(clamped)).toEqual([]);
    expect(clamped.done).toBe(true);
  });

  it('calls a page with the same ids in another order a repeat, and one with a single id changed not', () => {
    const first = ids(1, 10);
    const plan = new PagePlan(checkPage(1, 10, body(1, 10, { total: 40, lastPage: 4, next: 2 })), 10, 4, first);
    expect(takeAll(plan)).toEqual([2, 3, 4]);
    const changed = [...first.slice(0, 9), 'another-id'];
    expect(plan.answer(2, checkPage(2, 10, body(2, 10, { total: 40, lastPage: 4, next: 3 })), changed).repeat).toBe(false);
    expect(plan.answer(3, checkPage(3, 10, body(3, 10, { total: 40, lastPage: 4, next: 4 })), [...first].reverse()).repeat).toBe(true);
  });
});

describe('nextRepair', () => {
  const state = (partial: Partial<RepairState>): RepairState => ({
    gap: 0, knownResidual: null, newestFirst: true, fullRepairDone: false, headReread: false, ...partial,
  });

  it('does nothing when the counts agree', () => {
    expect(nextRepair(state({ gap: 0, knownResidual: 3 }))).toBe('none');
  });

  it('re-reads the newest pages first, then reads every page, then accepts what is left', () => {
    expect(nextRepair(state({ gap: 2 }))).toBe('head');
    expect(nextRepair(state({ gap: 2, headReread: true }))).toBe('full');
    expect(nextRepair(state({ gap: 2, fullRepairDone: true }))).toBe('head');
    expect(nextRepair(state({ gap: 2, fullRepairDone: true, headReread: true }))).toBe('residual');
  });

  it('goes straight to a full scan for sessions gone upstream, or an API not newest first', () => {
    expect(nextRepair(state({ gap: -1 }))).toBe('full');
    expect(nextRepair(state({ gap: 1, newestFirst: false }))).toBe('full');
    expect(nextRepair(state({ gap: -1, fullRepairDone: true }))).toBe('residual');
  });

  it('accepts a residual a full scan recorded while it stays the same, and repairs once when it changes', () => {
    expect(nextRepair(state({ gap: 2, knownResidual: 2 }))).toBe('accept');
    expect(nextRepair(state({ gap: 3, knownResidual: 2 }))).toBe('head');
    expect(nextRepair(state({ gap: 2, knownResidual: 2, headReread: true }))).toBe('accept');
    expect(nextRepair(state({ gap: 2, knownResidual: 2, fullRepairDone: true, headReread: true }))).toBe('residual');
  });

  it('ends within four steps from any state', () => {
    for (const gap of [-3, -1, 1, 4]) {
      for (const newestFirst of [true, false]) {
        for (const knownResidual of [null, gap, gap + 1]) {
          let s = state({ gap, newestFirst, knownResidual });
          let steps = 0;
          for (let step = nextRepair(s); step === 'head' || step === 'full'; step = nextRepair(s)) {
            s = step === 'head' ? { ...s, headReread: true } : { ...s, fullRepairDone: true, headReread: false };
            steps++;
          }
          expect(steps).toBeLessThanOrEqual(3);
        }
      }
    }
  });
});
