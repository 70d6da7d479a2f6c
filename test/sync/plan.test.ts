import { describe, expect, it } from 'vitest';
import { fullScanReason, headScanContinues, headThreshold, isNewestFirst, PagePlan } from '../../src/sync/plan.js';
import type { Bookmark } from '../../src/store/runs.js';

const bookmark = (lastFullSyncAt: string | null): Bookmark => ({
  scope: '',
  newestCreatedAt: '2026-11-01T10:00:00.000Z',
  lastCompleteAt: '2026-11-01T10:05:00.000Z',
  lastFullSyncAt,
  lastFullRunId: 1,
  lastRunId: 2,
});

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

describe('PagePlan', () => {
  it('hands out every page after page 1 once', () => {
    const plan = new PagePlan(4);
    expect(plan.next()).toEqual([2, 3, 4]);
    expect(plan.next(4)).toEqual([]);
  });

  it('extends the scan when a later response reports more pages', () => {
    const plan = new PagePlan(3);
    expect(plan.next()).toEqual([2, 3]);
    expect(plan.next(5)).toEqual([4, 5]);
    expect(plan.next(2)).toEqual([]);
    expect(plan.lastPage).toBe(5);
  });

  it('plans nothing more for an API with a single page', () => {
    expect(new PagePlan(1).next()).toEqual([]);
    expect(new PagePlan(0).next()).toEqual([]);
  });
});
