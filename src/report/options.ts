/**
 * The options of `report`, settled and validated once: errors name the flag (exit 2). Times become
 * canonical UTC instants, so they compare as text against the database's time columns.
 */
import { commonConfig, filters, optionalString, type Argv, type CommonConfig, type Env } from '../config.js';
import { UsageError } from '../errors.js';

/** Which sessions a report covers. */
export interface ReportFilters {
  /** Sessions started at or after this instant (canonical UTC), or null for no lower bound. */
  from: string | null;
  /** Sessions started before this instant (canonical UTC), or null for no upper bound. */
  to: string | null;
  /** Sessions of this persona only (lower-case UUID), or null for every persona. */
  personaId: string | null;
}

/** Everything `report` needs. */
export interface ReportConfig extends CommonConfig {
  filters: ReportFilters;
  json: boolean;
  /** Where to write the HTML page, or null for none. */
  html: string | null;
}

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Settles every option of `report`. */
export function reportConfig(argv: Argv, env: Env): ReportConfig {
  const common = commonConfig(argv, env);
  const from = timeBound(argv.from, '--from', 'start');
  const to = timeBound(argv.to, '--to', 'end');
  if (from !== null && to !== null && from >= to) {
    throw new UsageError(`--from ${String(argv.from)} must be before --to ${String(argv.to)}`);
  }
  const personaId = filters({ 'persona-id': argv['persona-id'] }).personaId ?? null;
  return Object.freeze({
    ...common,
    filters: Object.freeze({ from, to, personaId }),
    json: argv.json === true,
    html: htmlPath(argv.html),
  });
}

/**
 * An ISO date (`2026-10-01`) or date-time (`2026-10-01T09:30:00Z`, an offset, or no zone meaning UTC)
 * as a canonical UTC instant. A date alone is a whole UTC day: as a `start` bound it means that
 * day's first instant, as an `end` bound the next day's (so `--to 2026-09-30` includes September 30).
 * Digits below the millisecond are cut, as the database does.
 */
export function timeBound(value: unknown, flag: string, side: 'start' | 'end'): string | null {
  const text = optionalString(value, flag)?.trim();
  if (text === undefined) return null;
  const bad = (): UsageError =>
    new UsageError(`${flag} must be an ISO date (2026-10-01) or date-time (2026-10-01T09:30:00Z), not ${JSON.stringify(value)}`);
  const match = ISO.exec(text);
  if (!match) throw bad();
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z'] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const dayMs = Date.UTC(year, month - 1, day);
  const check = new Date(dayMs);
  if (month < 1 || month > 12 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw bad();
  }
  if (h === undefined) return new Date(side === 'end' ? dayMs + DAY_MS : dayMs).toISOString();
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)];
  if (hour > 23 || minute > 59 || second > 59) throw bad();
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offset = zone.toUpperCase() === 'Z' ? 0 : offsetMinutes(zone);
  if (Math.abs(offset) > 18 * 60) throw bad();
  const instant = dayMs + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms;
  const date = new Date(instant);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) throw bad();
  return date.toISOString();
}

function offsetMinutes(zone: string): number {
  const digits = zone.slice(1).replace(':', '');
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function htmlPath(value: unknown): string | null {
  const path = optionalString(value, '--html');
  if (path === undefined) return null;
  // What the path is (a folder, a link, a device) is the output writer's to check, when it opens it.
  if (path.trim() === '') throw new UsageError('--html must name a file');
  return path;
}
