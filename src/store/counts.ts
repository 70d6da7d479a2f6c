/**
 * What writing a page did to the database, counted. Apart from upsert.ts, which makes the counts,
 * so that a sync's first request can leave before the store's modules are loaded
 * (sync/prepare.ts).
 */

/** What a page did to the database. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  stale: number;
  rejected: number;
}

export function emptyCounts(): WriteCounts {
  return { inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0 };
}

/** Adds `b` into `a`. */
export function addCounts(a: WriteCounts, b: WriteCounts): void {
  a.inserted += b.inserted;
  a.updated += b.updated;
  a.unchanged += b.unchanged;
  a.stale += b.stale;
  a.rejected += b.rejected;
}
