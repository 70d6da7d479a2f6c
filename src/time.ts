/**
 * Time, one grammar for the whole tool: the API's RFC 3339 date-times and every time flag
 * (`export --updated-since/--started-from/--started-to`, `report --from/--to`) are read here.
 * Stored and compared as canonical UTC text, `YYYY-MM-DDTHH:MM:SS.sssZ`, so text order is time order.
 */
import { optionalString } from './option-checks.js';
import { UsageError } from './errors.js';

const CANONICAL = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads an RFC 3339 date-time (any offset, any number of fraction digits) as an instant and returns
 * it as `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC. Digits below the millisecond are cut, not rounded, so
 * text order stays time order. Returns null for anything that is not such a date-time.
 */
export function canonicalTime(value: string): string | null {
  // Most times arrive canonical already: a shape check proves it, but for day 29 to 31 of a month,
  // which that month may lack (the month's length settles it: a round trip through Date cost more
  // than the rest of the check).
  if (CANONICAL.test(value)) {
    const day = (value.charCodeAt(8) - 48) * 10 + (value.charCodeAt(9) - 48);
    if (day <= 28 || day <= daysInMonth(Number(value.slice(0, 4)), Number(value.slice(5, 7)))) return value;
  }
  const m = RFC3339.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (hour > 23 || minute > 59 || second > 60) return null;
  const millis = (m[7] ?? '').slice(0, 3).padEnd(3, '0');
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // In UTC already (microseconds, say) and no leap second: the fields as they stand. A third of a
  // sync's times took the Date round trip below before this.
  if (offsetMinutes === 0 && second < 60) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${millis}Z`;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 onto 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(millis));
  const text = new Date(date.getTime() - offsetMinutes * 60_000).toISOString();
  return text.length === 24 ? text : null;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A date-time as a person types it: seconds, fraction and zone optional (no zone: UTC). */
const TYPED = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads a time flag: a date-time (`2026-09-01T09:30`, `2026-09-01T09:30:00Z`,
 * `2026-09-01T11:30:00.5+02:00`, `+0200`; no zone means UTC; digits below the millisecond are
 * cut) or a date alone, a whole UTC day: its first instant, or for an `end` bound the next day's,
 * so `--to 2026-09-30` includes September 30. Returns the canonical instant, or null when the flag
 * is absent; anything else is a usage error naming the flag.
 */
export function timeFlag(value: unknown, flag: string, side: 'start' | 'end' = 'start'): string | null {
  const text = optionalString(value, flag)?.trim();
  if (text === undefined) return null;
  let canonical: string | null = null;
  if (DATE_ONLY.test(text)) {
    canonical = canonicalTime(`${text}T00:00:00Z`);
    if (canonical !== null && side === 'end') canonical = new Date(Date.parse(canonical) + DAY_MS).toISOString();
  } else {
    const m = TYPED.exec(text);
    if (m !== null) {
      const zone = m[4] === undefined ? 'Z' : /^[+-]\d{4}$/.test(m[4]) ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
      canonical = canonicalTime(`${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`);
    }
  }
  // Year 0 is a valid ISO year but no session's: a typo, not a bound.
  if (canonical === null || canonical < '0001') {
    throw new UsageError(
      `${flag} must be a date (2026-04-20) or a date-time (2026-04-20T09:30, 2026-04-20T09:00:00Z, 2026-04-20T11:00:00+02:00), not ${JSON.stringify(value)}`,
    );
  }
  return canonical;
}
