/**
 * A page of parsed records in the form that travels to the writer thread: one flat array of strings,
 * numbers and nulls. No drizzle here: a sync builds pages while the store's modules still load.
 */
import { FIELD_ORDER, type ParsedSession, type SessionRow } from '../api/session.js';

/**
 * The row's fields the API feeds, after `id`, in the order of their `sessions` columns (FIELD_ORDER
 * follows the columns; a test checks it does). upsert.ts binds its statements in this order.
 */
export const FED_KEYS = FIELD_ORDER.slice(1) as Array<Exclude<keyof SessionRow, 'id'>>;

/**
 * A page of parsed records as one flat array, in their order. An accepted record takes
 * {@link ACCEPTED_SLOTS}: ACCEPTED, its id, its {@link FED_KEYS} values, its JSON or null when the
 * row gives it back (`fromRow` in ParsedSession); a rejected one {@link REJECTED_SLOTS}: REJECTED,
 * its id (or null), the reason, the raw JSON. Structured clone writes every key of every object,
 * and an array of strings and numbers costs a fraction of the objects; the writer binds the column
 * values straight from it. The JSON a row gives back, a copy of most of the row, stays behind: the
 * writer rebuilds it for the rare stale version.
 */
export type FlatPage = Array<string | number | null> & { readonly [flat]: true };
declare const flat: unique symbol;

/** A page with no record yet. */
export function emptyPage(): FlatPage {
  return [] as unknown as FlatPage;
}

export const REJECTED = 0;
const ACCEPTED = 1;
export const REJECTED_SLOTS = 4;
export const ACCEPTED_SLOTS = 3 + FED_KEYS.length;

/** `records` as a {@link FlatPage}. */
export function flatPage(records: ParsedSession[]): FlatPage {
  const page = emptyPage();
  for (const record of records) appendRecord(page, record);
  return page;
}

/**
 * Adds one parsed record to a {@link FlatPage}. A sync parses each record and appends it at once,
 * so that no ParsedSession outlives its own record (see RunContext's #store for why that matters).
 */
export function appendRecord(page: FlatPage, record: ParsedSession): void {
  if (!record.ok) {
    page.push(REJECTED, record.id, record.reason, record.raw);
    return;
  }
  const { row } = record;
  page.push(ACCEPTED, row.id);
  for (const key of FED_KEYS) page.push(row[key]);
  page.push(record.fromRow ? null : record.json);
}

/** The row that an accepted record's slots hold (`values`: its {@link FED_KEYS} values). */
export function rowOf(id: string, values: unknown[]): SessionRow {
  const row: Record<string, unknown> = { id };
  FED_KEYS.forEach((key, i) => {
    row[key] = values[i];
  });
  return row as unknown as SessionRow;
}
