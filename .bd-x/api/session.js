/**
 * The Session record: validation of what the API sent, canonical UTC times, secret redaction.
 * Pure functions, no I/O: the store receives only what passed through here.
 */
import { canonicalTime } from '../time.js';
/** Keys whose values never reach the database or an export (the contract's rule). */
const SECRET_KEY = /secret|password|token|api[-_]?key/i;
const REDACTED = '[REDACTED]';
const secretKeys = new Map();
/** True for an object key whose value must be redacted. Keys repeat across records: cached. */
function isSecretKey(key) {
    let secret = secretKeys.get(key);
    if (secret === undefined) {
        secret = SECRET_KEY.test(key);
        if (secretKeys.size < 10_000)
            secretKeys.set(key, secret);
    }
    return secret;
}
const NOTHING = new Set();
/**
 * `value` as JSON text under the contract's redaction rule, the one rule for every JSON the tool
 * stores: a **string** that sits under a key matching {@link SECRET_KEY}, at any depth below it,
 * becomes "[REDACTED]"; numbers, booleans and null are kept as sent (`llmConfig.maxTokens` stays
 * 4096); objects and arrays are walked. Top-level keys in `spared` are left alone (the schema's own
 * fields, such as `apiKeyId`, are identifiers, not secrets); `underSecret` says `value` itself sits
 * under a secret-named key. Key order is kept.
 *
 * Redacting while stringifying avoids copying the object first; a value without any secret-named
 * key (many of them) takes JSON.stringify's fast path, without a replacer.
 */
export function redactedJson(value, spared = NOTHING, underSecret = false) {
    if (underSecret && typeof value === 'string')
        return REDACTED_JSON;
    if (!underSecret && !hasSecretKey(value, spared))
        return JSON.stringify(value) ?? 'null';
    // Objects reached through a secret-named key: every string inside them is redacted too.
    const secretHolders = new WeakSet();
    const root = value;
    if (underSecret && value !== null && typeof value === 'object')
        secretHolders.add(value);
    return (JSON.stringify(value, function (key, inner) {
        if (this === root && spared.has(key))
            return inner;
        if (!isSecretKey(key) && !secretHolders.has(this))
            return inner;
        if (typeof inner === 'string')
            return REDACTED;
        if (inner !== null && typeof inner === 'object')
            secretHolders.add(inner);
        return inner;
    }) ?? 'null');
}
/** True if an object key at any depth of `value` (a JSON value) is a secret one, top-level `spared` ones aside. */
function hasSecretKey(value, spared = NOTHING) {
    if (value === null || typeof value !== 'object')
        return false;
    if (Array.isArray(value)) {
        for (const item of value)
            if (hasSecretKey(item))
                return true;
        return false;
    }
    for (const key of Object.keys(value)) {
        if ((isSecretKey(key) && !spared.has(key)) || hasSecretKey(value[key]))
            return true;
    }
    return false;
}
const TIME_FIELDS = ['startTime', 'endTime', 'createdAt', 'updatedAt'];
const STRING_FIELDS = [
    'personaId',
    'clientLabel',
    'exitStatus',
    'engineHost',
    'engineProtocol',
    'engineVersion',
    'apiKeyId',
    'organizationId',
];
const OBJECT_FIELDS = ['clientMetadata', 'personaConfig'];
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
];
/** Top-level fields the schema lists (whose names may look secret but are identifiers, not secrets). */
const KNOWN_FIELDS = new Set(FIELD_ORDER);
/**
 * Validates one record from the API. A record without a usable `id` or `createdAt`, or with a field
 * of the wrong type, is returned as rejected with the reason and its redacted raw JSON: never thrown,
 * never dropped. Accepted records come back as a row plus the JSON of the whole record (unknown
 * fields kept, times canonical, secrets redacted) for `session_versions`.
 */
export function parseSession(input) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        return reject('record is not a JSON object', null, input);
    }
    const raw = input;
    const id = raw.id;
    if (typeof id !== 'string' || id.trim() === '' || id.length > 200) {
        return reject('missing or invalid id', null, raw);
    }
    // Locals, not records keyed by field name: this runs for every session of every page.
    let startTime = null;
    let endTime = null;
    let createdAt = null;
    let updatedAt = null;
    for (const field of TIME_FIELDS) {
        const value = raw[field];
        if (value === undefined || value === null) {
            if (field === 'createdAt')
                return reject('missing createdAt', id, raw);
            continue;
        }
        const canonical = typeof value === 'string' ? canonicalTime(value) : null;
        if (canonical === null)
            return reject(`${field} is not an RFC 3339 date-time: ${JSON.stringify(value)}`, id, raw);
        if (field === 'startTime')
            startTime = canonical;
        else if (field === 'endTime')
            endTime = canonical;
        else if (field === 'createdAt')
            createdAt = canonical;
        else
            updatedAt = canonical;
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
    let clientMetadata = null;
    let personaConfig = null;
    for (const field of OBJECT_FIELDS) {
        const value = raw[field];
        if (value === undefined || value === null)
            continue;
        if (typeof value !== 'object' || Array.isArray(value))
            return reject(`${field} is not an object`, id, raw);
        if (field === 'clientMetadata')
            clientMetadata = redactedJson(value);
        else
            personaConfig = redactedJson(value);
    }
    // The version JSON: the known fields in FIELD_ORDER, then the others as sent. The times are the
    // canonical ones, and the two object fields reuse the text already made for their columns.
    let json = '{';
    let fromRow = true;
    const add = (key, text) => {
        json += `${json.length === 1 ? '' : ','}${jsonKey(key)}:${text}`;
    };
    for (const key of FIELD_ORDER) {
        const value = raw[key];
        if (value === undefined) {
            fromRow = false; // left out, which a NULL column cannot tell from null
            continue;
        }
        let text;
        if (key === 'startTime' && startTime !== null)
            text = quoted(startTime);
        else if (key === 'endTime' && endTime !== null)
            text = quoted(endTime);
        else if (key === 'createdAt')
            text = quoted(createdAt);
        else if (key === 'updatedAt' && updatedAt !== null)
            text = quoted(updatedAt);
        else if (key === 'clientMetadata' && clientMetadata !== null)
            text = clientMetadata;
        else if (key === 'personaConfig' && personaConfig !== null)
            text = personaConfig;
        else
            text = JSON.stringify(value);
        add(key, text);
    }
    for (const key of Object.keys(raw)) {
        const value = raw[key];
        if (value === undefined || KNOWN_FIELDS.has(key))
            continue;
        fromRow = false; // a field the schema has no column for
        add(key, redactedJson(value, undefined, isSecretKey(key)));
    }
    json += '}';
    return {
        ok: true,
        json,
        fromRow,
        row: {
            id,
            personaId: raw.personaId ?? null,
            clientLabel: raw.clientLabel ?? null,
            startTime,
            endTime,
            sessionLengthMs: length ?? null,
            exitStatus: raw.exitStatus ?? null,
            engineHost: raw.engineHost ?? null,
            engineProtocol: raw.engineProtocol ?? null,
            engineVersion: raw.engineVersion ?? null,
            clientMetadata,
            personaConfig,
            apiKeyId: raw.apiKeyId ?? null,
            organizationId: raw.organizationId ?? null,
            createdAt: createdAt,
            updatedAt,
        },
    };
}
const REDACTED_JSON = JSON.stringify(REDACTED);
/** A canonical time as a JSON string: it has nothing to escape. */
function quoted(time) {
    return `"${time}"`;
}
const jsonKeys = new Map();
/** A key as JSON text. Keys repeat across records: cached. */
function jsonKey(key) {
    let text = jsonKeys.get(key);
    if (text === undefined) {
        text = JSON.stringify(key);
        if (jsonKeys.size < 10_000)
            jsonKeys.set(key, text);
    }
    return text;
}
function reject(reason, id, raw) {
    return { ok: false, reason, id, raw: redactRecord(raw) };
}
/** A whole record as redacted JSON, sparing the top-level fields the schema lists (such as `apiKeyId`). */
function redactRecord(raw) {
    return redactedJson(raw, raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? KNOWN_FIELDS : undefined);
}
//# sourceMappingURL=session.js.map