/**
 * The Session record: validation of what the API sent, canonical UTC times, secret redaction.
 * Pure functions, no I/O: the store receives only what passed through here.
 */

/** Keys whose values never reach the database or an export (the contract's rule). */
export const SECRET_KEY = /secret|password|token|api[-_]?key/i;
export const REDACTED = '[REDACTED]';

/** A validated session, one property per `sessions` column the API feeds, times canonical. */
export interface SessionRow {
  id: string;
  personaId: string | null;
  clientLabel: string | null;
  startTime: string | null;
  endTime: string | null;
  sessionLengthMs: number | null;
  exitStatus: string | null;
  engineHost: string | null;
  engineProtocol: string | null;
  engineVersion: string | null;
  clientMetadata: string | null;
  personaConfig: string | null;
  apiKeyId: string | null;
  organizationId: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** The outcome of reading one record: a row plus its full JSON (unknown fields kept), or a reason. */
export type ParsedSession =
  | { ok: true; row: SessionRow; json: string }
  | { ok: false; reason: string; id: string | null; raw: string };

const CANONICAL = /^\d{4}-(?:0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads an RFC 3339 date-time (any offset, any number of fraction digits) as an instant and returns
 * it as `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC. Digits below the millisecond are cut, not rounded, so
 * text order stays time order. Returns null for anything that is not such a date-time.
 */
export function canonicalTime(value: string): string | null {
  // Most times arrive canonical already: a shape check proves it, but for day 29 to 31 of a month,
  // which may not exist (a round trip through Date settles those).
  const canonical = CANONICAL.exec(value);
  if (canonical !== null) {
    if (Number(canonical[1]) <= 28) return value;
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === value) return value;
  }
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 onto 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const text = new Date(date.getTime() - offsetMinutes * 60_000).toISOString();
  return text.length === 24 ? text : null;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const secretKeys = new Map<string, boolean>();

/** True for an object key whose value must be redacted. Keys repeat across records: cached. */
export function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    if (secretKeys.size < 10_000) secretKeys.set(key, secret);
  }
  return secret;
}

function redactingReplacer(key: string, value: unknown): unknown {
  return isSecretKey(key) ? REDACTED : value;
}

/**
 * `value` as JSON text in which every object key matching {@link SECRET_KEY}, at any depth, holds
 * "[REDACTED]". Key order is kept. Redacting while stringifying avoids copying the object first.
 */
export function redactedJson(value: unknown): string {
  return JSON.stringify(value, redactingReplacer);
}

/** A deep copy of `value` with the same redaction as {@link redactedJson}. */
export function redact(value: unknown): unknown {
  return JSON.parse(redactedJson(value) ?? 'null');
}

const TIME_FIELDS = ['startTime', 'endTime', 'createdAt', 'updatedAt'] as const;
const STRING_FIELDS = [
  'personaId',
  'clientLabel',
  'exitStatus',
  'engineHost',
  'engineProtocol',
  'engineVersion',
  'apiKeyId',
  'organizationId',
] as const;
const OBJECT_FIELDS = ['clientMetadata', 'personaConfig'] as const;
/** Top-level fields the schema lists whose names look secret but are identifiers, not secrets. */
const KNOWN_FIELDS = new Set<string>(['id', 'sessionLengthMs', ...TIME_FIELDS, ...STRING_FIELDS, ...OBJECT_FIELDS]);

/**
 * Validates one record from the API. A record without a usable `id` or `createdAt`, or with a field
 * of the wrong type, is returned as rejected with the reason and its redacted raw JSON: never thrown,
 * never dropped. Accepted records come back as a row plus the JSON of the whole record (unknown
 * fields kept, times canonical, secrets redacted) for `session_versions`.
 */
export function parseSession(input: unknown): ParsedSession {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return reject('record is not a JSON object', null, input);
  }
  const raw = input as Record<string, unknown>;
  const id = raw.id;
  if (typeof id !== 'string' || id.trim() === '' || id.length > 200) {
    return reject('missing or invalid id', null, raw);
  }
  const times: Record<string, string | null> = {};
  for (const field of TIME_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) {
      if (field === 'createdAt') return reject('missing createdAt', id, raw);
      times[field] = null;
      continue;
    }
    const canonical = typeof value === 'string' ? canonicalTime(value) : null;
    if (canonical === null) return reject(`${field} is not an RFC 3339 date-time: ${JSON.stringify(value)}`, id, raw);
    times[field] = canonical;
  }
  const strings: Record<string, string | null> = {};
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return reject(`${field} is not a string: ${JSON.stringify(value)}`, id, raw);
    }
    strings[field] = value ?? null;
  }
  const length = raw.sessionLengthMs;
  if (length !== undefined && length !== null && !Number.isSafeInteger(length)) {
    return reject(`sessionLengthMs is not an integer: ${JSON.stringify(length)}`, id, raw);
  }
  const objects: Record<string, string | null> = {};
  for (const field of OBJECT_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) {
      objects[field] = null;
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      objects[field] = redactedJson(value);
    } else {
      return reject(`${field} is not an object`, id, raw);
    }
  }

  // The version JSON keeps every field in the order the API sent it; the two object fields reuse
  // the text already made for their columns instead of stringifying them twice.
  const parts: string[] = [];
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value === undefined) continue;
    let text: string;
    if (Object.hasOwn(times, key)) text = JSON.stringify(times[key]);
    else if (Object.hasOwn(objects, key)) text = objects[key] ?? 'null';
    else if (!KNOWN_FIELDS.has(key) && isSecretKey(key)) text = JSON.stringify(REDACTED);
    else text = redactedJson(value);
    parts.push(`${JSON.stringify(key)}:${text}`);
  }

  return {
    ok: true,
    json: `{${parts.join(',')}}`,
    row: {
      id,
      personaId: strings.personaId ?? null,
      clientLabel: strings.clientLabel ?? null,
      startTime: times.startTime ?? null,
      endTime: times.endTime ?? null,
      sessionLengthMs: (length as number | null | undefined) ?? null,
      exitStatus: strings.exitStatus ?? null,
      engineHost: strings.engineHost ?? null,
      engineProtocol: strings.engineProtocol ?? null,
      engineVersion: strings.engineVersion ?? null,
      clientMetadata: objects.clientMetadata ?? null,
      personaConfig: objects.personaConfig ?? null,
      apiKeyId: strings.apiKeyId ?? null,
      organizationId: strings.organizationId ?? null,
      createdAt: times.createdAt as string,
      updatedAt: times.updatedAt ?? null,
    },
  };
}

function reject(reason: string, id: string | null, raw: unknown): ParsedSession {
  return { ok: false, reason, id, raw: redactRecord(raw) };
}

/** A whole record as redacted JSON, sparing the top-level fields the schema lists (such as `apiKeyId`). */
function redactRecord(raw: unknown): string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return redactedJson(raw) ?? 'null';
  return (
    JSON.stringify(raw, function (this: unknown, key: string, value: unknown) {
      if (this === raw && KNOWN_FIELDS.has(key)) return value;
      return isSecretKey(key) ? REDACTED : value;
    }) ?? 'null'
  );
}
