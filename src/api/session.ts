/**
 * The Session record: validation of what the API sent, canonical UTC times, secret redaction.
 * Pure functions, no I/O: the store receives only what passed through here.
 */
import { canonicalTime } from '../time.js';

/** Keys whose values never reach the database or an export (the contract's rule). */
const SECRET_KEY = /secret|password|token|api[-_]?key/i;
const REDACTED = '[REDACTED]';

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

/**
 * The outcome of reading one record: a row plus its full JSON (unknown fields kept), or a reason.
 * `fromRow` says the row's columns give the JSON back (see {@link FIELD_ORDER}): the store then
 * keeps the row alone; otherwise it keeps the JSON beside it. Where `fromRow` is true, `json` is a
 * getter that builds the JSON from the row when read (see RowVersion): a copy of the object
 * (a spread, structuredClone) does not carry it; read it, or keep the object.
 */
export type ParsedSession =
  | { readonly ok: true; readonly row: SessionRow; readonly json: string; readonly fromRow: boolean }
  | { readonly ok: false; readonly reason: string; readonly id: string | null; readonly raw: string };

const secretKeys = new Map<string, boolean>();

/** True for an object key whose value must be redacted. Keys repeat across records: cached. */
function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    if (secretKeys.size < 10_000) secretKeys.set(key, secret);
  }
  return secret;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * `value` as JSON text under the contract's redaction rule, the one rule for every JSON the tool
 * stores: a **string** that sits under a key matching {@link SECRET_KEY}, at any depth below it,
 * becomes "[REDACTED]"; numbers, booleans and null are kept as sent (`llmConfig.maxTokens` stays
 * 4096); objects and arrays are walked. Top-level keys in `spared` are not secret themselves (the
 * schema's own fields, such as `apiKeyId`, are identifiers, not secrets), though what lies under
 * them is still checked; `underSecret` says `value` itself sits under a secret-named key. Key order
 * is kept.
 */
export function redactedJson(value: unknown, spared: ReadonlySet<string> = NOTHING, underSecret = false): string {
  return JSON.stringify(redacted(value, underSecret, spared)) ?? 'null';
}

/**
 * `value` with the redaction rule applied, copied on write: the same object comes back when nothing
 * under it changes, else shallow copies along the paths to the redacted strings (a spread copy keeps
 * key order, and a key named `__proto__` stays an own key, which the assignment then sets). Then
 * JSON.stringify runs without a replacer: a replacer call for every key of every persona config
 * (they all have secret-named keys) cost more than this walk and the copies.
 */
function redacted(value: unknown, underSecret: boolean, spared: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return underSecret ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const out = redacted(item, underSecret, NOTHING);
      if (out === item) continue;
      copy ??= value.slice();
      copy[i] = out;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(record)) {
    const inner = record[key];
    const out = redacted(inner, underSecret || (isSecretKey(key) && !spared.has(key)), NOTHING);
    if (out === inner) continue;
    copy ??= { ...record };
    copy[key] = out;
  }
  return copy ?? value;
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
/**
 * The record's fields in the order of the `sessions` columns that hold them (a test checks the two
 * agree, and that the `session_current` view rebuilds the JSON in this order). The version JSON
 * lists them in this order, then any field the schema lacks in the order the API sent it; key order
 * in a JSON object carries no meaning, and one order for every record lets the row stand for it.
 */
export const FIELD_ORDER = [
  'id',
  'personaId',
  'clientLabel',
  'startTime',
  'endTime',
  'sessionLengthMs',
  'exitStatus',
  'engineHost',
  'engineProtocol',
  'engineVersion',
  'clientMetadata',
  'personaConfig',
  'apiKeyId',
  'organizationId',
  'createdAt',
  'updatedAt',
] as const;
/** Top-level fields the schema lists (whose names may look secret but are identifiers, not secrets). */
const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>(FIELD_ORDER);

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
  // Locals, not records keyed by field name: this runs for every session of every page.
  let startTime: string | null = null;
  let endTime: string | null = null;
  let createdAt: string | null = null;
  let updatedAt: string | null = null;
  for (const field of TIME_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) {
      if (field === 'createdAt') return reject('missing createdAt', id, raw);
      continue;
    }
    const canonical = typeof value === 'string' ? canonicalTime(value) : null;
    if (canonical === null) return reject(`${field} is not an RFC 3339 date-time: ${JSON.stringify(value)}`, id, raw);
    if (field === 'startTime') startTime = canonical;
    else if (field === 'endTime') endTime = canonical;
    else if (field === 'createdAt') createdAt = canonical;
    else updatedAt = canonical;
  }
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return reject(`${field} is not a string: ${JSON.stringify(value)}`, id, raw);
    }
  }
  const length = raw.sessionLengthMs;
  if (length !== undefined && length !== null && !Number.isSafeInteger(length)) {
    return reject(`sessionLengthMs is not an integer: ${JSON.stringify(length)}`, id, raw);
  }
  let clientMetadata: string | null = null;
  let personaConfig: string | null = null;
  for (const field of OBJECT_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return reject(`${field} is not an object`, id, raw);
    if (field === 'clientMetadata') clientMetadata = redactedJson(value);
    else personaConfig = redactedJson(value);
  }

  const row: SessionRow = {
    id,
    personaId: (raw.personaId as string | null | undefined) ?? null,
    clientLabel: (raw.clientLabel as string | null | undefined) ?? null,
    startTime,
    endTime,
    sessionLengthMs: (length as number | null | undefined) ?? null,
    exitStatus: (raw.exitStatus as string | null | undefined) ?? null,
    engineHost: (raw.engineHost as string | null | undefined) ?? null,
    engineProtocol: (raw.engineProtocol as string | null | undefined) ?? null,
    engineVersion: (raw.engineVersion as string | null | undefined) ?? null,
    clientMetadata,
    personaConfig,
    apiKeyId: (raw.apiKeyId as string | null | undefined) ?? null,
    organizationId: (raw.organizationId as string | null | undefined) ?? null,
    createdAt: createdAt!,
    updatedAt,
  };
  // The row gives the version back when the record holds every known field (one left out is what a
  // NULL column cannot tell from null) and no other (a field the schema has no column for).
  const fromRow =
    FIELD_ORDER.every((key) => raw[key] !== undefined) && Object.keys(raw).every((key) => raw[key] === undefined || KNOWN_FIELDS.has(key));
  if (fromRow) return new RowVersion(row);
  // The version JSON: the known fields the record holds, in FIELD_ORDER, then the others as sent.
  let json = fieldsJson(row, raw);
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value === undefined || KNOWN_FIELDS.has(key)) continue;
    json += `,${jsonKey(key)}:${redactedJson(value, undefined, isSecretKey(key))}`;
  }
  json += '}';
  return { ok: true, json, fromRow: false, row };
}

/**
 * An accepted record whose row gives its version back (nearly every record): its JSON is built
 * only when asked for. A sync never asks (the store keeps the row alone); building it for every
 * record was a fifth of what a sync of 50k sessions allocated (830 MB, now 670 MB) and about 0.1 s
 * of its main thread.
 */
class RowVersion {
  readonly ok = true;
  readonly fromRow = true;
  readonly row: SessionRow;

  constructor(row: SessionRow) {
    this.row = row;
  }

  get json(): string {
    return rowJson(this.row);
  }
}

/**
 * The version JSON of a record whose row gives it back (`fromRow` in {@link ParsedSession}), built
 * from the row alone: the same text parseSession returned for it.
 */
export function rowJson(row: SessionRow): string {
  return `${fieldsJson(row, null)}}`;
}

/**
 * The start of a version JSON, without its closing brace: the fields of FIELD_ORDER that `raw` holds
 * (all of them when `raw` is null), their values from the row. The row holds what the record sent,
 * with the times canonical and the object fields redacted, so the row's text is the version's.
 */
function fieldsJson(row: SessionRow, raw: Record<string, unknown> | null): string {
  let json = '{';
  for (const key of FIELD_ORDER) {
    if (raw !== null && raw[key] === undefined) continue;
    const value = row[key];
    const text = value === null ? 'null' : key === 'clientMetadata' || key === 'personaConfig' ? (value as string) : JSON.stringify(value);
    json += `${json.length === 1 ? '' : ','}${jsonKey(key)}:${text}`;
  }
  return json;
}

const jsonKeys = new Map<string, string>();

/** A key as JSON text. Keys repeat across records: cached. */
function jsonKey(key: string): string {
  let text = jsonKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (jsonKeys.size < 10_000) jsonKeys.set(key, text);
  }
  return text;
}

function reject(reason: string, id: string | null, raw: unknown): ParsedSession {
  return { ok: false, reason, id, raw: redactRecord(raw) };
}

/** A whole record as redacted JSON, sparing the top-level fields the schema lists (such as `apiKeyId`). */
function redactRecord(raw: unknown): string {
  return redactedJson(raw, raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? KNOWN_FIELDS : undefined);
}
