import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSession, redactedJson, type ParsedSession } from '../../src/api/session.js';
import { canonicalTime } from '../../src/time.js';
import { expectedRedaction } from '../helpers.js';

/** A record as the API documents it, with every field the schema lists. */
function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '3f0c2a9e-6b1d-4c1e-9a43-0f6f6a2b7c11',
    personaId: '6f1c3b0e-2a4d-4f8e-8d1b-5e9f7a3c2d10',
    clientLabel: 'web-widget',
    startTime: '2026-04-20T09:00:01.000Z',
    endTime: '2026-04-20T09:05:00.000Z',
    sessionLengthMs: 298_999,
    exitStatus: 'NORMAL_EXIT',
    engineHost: 'connect-eu.anam.ai/v1/webrtc/engines/pod-1',
    engineProtocol: 'https',
    engineVersion: 'v5.3.0',
    clientMetadata: { sdk: 'js-sdk' },
    personaConfig: { name: 'Cara', llmConfig: { modelName: 'gpt-4o', secret_iv: 'iv-value-1' } },
    apiKeyId: '9a8b7c6d-1111-4222-8333-444455556666',
    organizationId: 'org-1',
    createdAt: '2026-04-20T09:00:00.000Z',
    updatedAt: '2026-04-20T09:05:01.000Z',
    ...overrides,
  };
}

function accepted(parsed: ParsedSession): Extract<ParsedSession, { ok: true }> {
  if (!parsed.ok) throw new Error(`expected the record to be accepted, it was rejected: ${parsed.reason}`);
  return parsed;
}

function rejected(parsed: ParsedSession): Extract<ParsedSession, { ok: false }> {
  if (parsed.ok) throw new Error('expected the record to be rejected, it was accepted');
  return parsed;
}

describe('canonicalTime', () => {
  it('keeps a UTC time with milliseconds as it is', () => {
    expect(canonicalTime('2026-04-20T09:00:00.000Z')).toBe('2026-04-20T09:00:00.000Z');
  });

  it('turns a positive offset into the same instant in UTC', () => {
    expect(canonicalTime('2026-04-20T11:00:00.000+02:00')).toBe('2026-04-20T09:00:00.000Z');
  });

  it('turns a negative half-hour offset into the same instant in UTC, crossing midnight', () => {
    expect(canonicalTime('2026-04-20T21:15:00-05:30')).toBe('2026-04-21T02:45:00.000Z');
  });

  it('adds milliseconds to a time without a fraction', () => {
    expect(canonicalTime('2026-04-20T09:00:00Z')).toBe('2026-04-20T09:00:00.000Z');
  });

  it('pads one fraction digit and keeps three', () => {
    expect(canonicalTime('2026-04-20T09:00:00.5Z')).toBe('2026-04-20T09:00:00.500Z');
    expect(canonicalTime('2026-04-20T09:00:00.123Z')).toBe('2026-04-20T09:00:00.123Z');
  });

  it('cuts six and nine fraction digits to milliseconds instead of rounding them', () => {
    expect(canonicalTime('2026-04-20T09:00:00.123999Z')).toBe('2026-04-20T09:00:00.123Z');
    expect(canonicalTime('2026-04-20T09:00:00.999999999Z')).toBe('2026-04-20T09:00:00.999Z');
    expect(canonicalTime('2026-12-31T23:59:59.999999+00:00')).toBe('2026-12-31T23:59:59.999Z');
  });

  it('reads a lowercase t and z', () => {
    expect(canonicalTime('2026-04-20t09:00:00.250z')).toBe('2026-04-20T09:00:00.250Z');
  });

  it('accepts the 29th of February in a leap year only', () => {
    expect(canonicalTime('2028-02-29T12:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
    expect(canonicalTime('2000-02-29T12:00:00Z')).toBe('2000-02-29T12:00:00.000Z');
    expect(canonicalTime('2026-02-29T12:00:00Z')).toBeNull();
    expect(canonicalTime('2100-02-29T12:00:00Z')).toBeNull();
  });

  it('rejects days and hours that do not exist', () => {
    expect(canonicalTime('2026-02-30T09:00:00Z')).toBeNull();
    expect(canonicalTime('2026-04-31T09:00:00Z')).toBeNull();
    expect(canonicalTime('2026-13-01T09:00:00Z')).toBeNull();
    expect(canonicalTime('2026-04-20T25:00:00Z')).toBeNull();
    expect(canonicalTime('2026-04-20T09:60:00Z')).toBeNull();
    expect(canonicalTime('2026-04-20T09:00:00+24:00')).toBeNull();
  });

  it('reads a leap second as the instant right after the minute it ends', () => {
    expect(canonicalTime('2016-12-31T23:59:60Z')).toBe('2017-01-01T00:00:00.000Z');
  });

  it('rejects impossible dates that already look canonical', () => {
    for (const text of ['2026-02-30T09:00:00.000Z', '2026-02-29T00:00:00.000Z', '2026-04-20T24:00:00.000Z', '2026-04-20T25:00:00.000Z']) {
      expect(canonicalTime(text), text).toBeNull();
    }
  });

  it('rejects text that is not an RFC 3339 date-time', () => {
    for (const text of ['', 'yesterday', '2026-04-20', '2026-04-20T09:00:00', '2026-04-20T09:00Z', '20260420T090000Z',
      '1776675600000', 'Mon, 20 Apr 2026 09:00:00 GMT', ' 2026-04-20T09:00:00Z', '2026-04-20T09:00:00.Z']) {
      expect(canonicalTime(text), text).toBeNull();
    }
  });

  it('rejects numbers, even ones that look like epoch times or dates', () => {
    for (const value of [1776675600000, 0, 20260420]) {
      expect(canonicalTime(value as unknown as string), String(value)).toBeNull();
    }
  });

  it('gives text whose sort order is the order of the instants, whatever shape came in', () => {
    const base = Date.UTC(2026, 3, 20, 9, 0, 0);
    const instants = Array.from({ length: 400 }, (_, i) => base + ((i * 7_919_113) % 200_000_000) - 100_000_000 + (i % 1000));
    const shapes = [
      (ms: number) => new Date(ms).toISOString(),
      (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}456Z`,
      (ms: number) => `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, 23)}+02:00`,
      (ms: number) => `${new Date(ms - 5.5 * 3_600_000).toISOString().slice(0, 23)}-05:30`,
    ];
    const texts = instants.map((ms, i) => {
      const text = canonicalTime((shapes[i % shapes.length] as (ms: number) => string)(ms));
      expect(text).toBe(new Date(ms).toISOString());
      return text as string;
    });
    const byText = [...texts].sort();
    const byTime = [...instants].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
    expect(byText).toEqual(byTime);
  });
});

const redact = (value: unknown): unknown => JSON.parse(redactedJson(value));

describe('redactedJson', () => {
  it('replaces the string under every secret-named key at any depth and inside arrays', () => {
    const input = {
      llmConfig: { secret_iv: 'iv', encrypted_secret: 'enc', nested: { deeper: { password: 'p' } } },
      hooks: [{ name: 'crm', api_key: 'sk-1' }, { name: 'x', 'api-key': 'sk-2', apikey: 'sk-3' }],
      authToken: { value: 'a string inside a secret object', list: ['sk-4', 7] },
    };
    expect(redact(input)).toEqual({
      llmConfig: { secret_iv: '[REDACTED]', encrypted_secret: '[REDACTED]', nested: { deeper: { password: '[REDACTED]' } } },
      hooks: [{ name: 'crm', api_key: '[REDACTED]' }, { name: 'x', 'api-key': '[REDACTED]', apikey: '[REDACTED]' }],
      authToken: { value: '[REDACTED]', list: ['[REDACTED]', 7] },
    });
  });

  it('keeps numbers, booleans and null under secret-named keys (maxTokens stays 4096)', () => {
    const input = { llmConfig: { maxTokens: 4096, tokenLimit: null, useApiKey: true, secret_iv: 'iv' } };
    expect(redact(input)).toEqual({ llmConfig: { maxTokens: 4096, tokenLimit: null, useApiKey: true, secret_iv: '[REDACTED]' } });
  });

  it('matches key names whatever their case', () => {
    expect(redact({ PASSWORD: 'a', ClientSecret: 'b', AccessTOKEN: 'c', ApiKey: 'd', API_KEY: 'e' })).toEqual({
      PASSWORD: '[REDACTED]', ClientSecret: '[REDACTED]', AccessTOKEN: '[REDACTED]', ApiKey: '[REDACTED]', API_KEY: '[REDACTED]',
    });
  });

  it('leaves other keys, their values and key order alone', () => {
    const input = { b: 1, a: [1, 'two', null, { c: true }], name: 'token-looking value', api: 'x', key: 'y', secretary: 'z' };
    const output = redact(input) as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['b', 'a', 'name', 'api', 'key', 'secretary']);
    expect(output).toEqual({ ...input, secretary: '[REDACTED]' });
  });

  it('does not change the object it was given', () => {
    const input = { password: 'p', inner: { token: 't' } };
    redact(input);
    expect(input).toEqual({ password: 'p', inner: { token: 't' } });
  });

  it('agrees with the rule written out in the test helpers on any JSON value, and leaves it unchanged', () => {
    // Keys: secret-named ones (any case, inside longer names), harmless ones, array-index-like ones
    // (which objects order first) and the names an object inherits, __proto__ among them.
    const key = fc.oneof(
      fc.constantFrom('secret_iv', 'encrypted_secret', 'PASSWORD', 'authToken', 'api_key', 'api-key', 'ApiKey', 'apikey'),
      fc.constantFrom('name', 'api', 'key', 'maxTokens', '0', '7', '__proto__', 'constructor', 'toString'),
      fc.string({ maxLength: 6 }),
    );
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 8 }),
        fc.constant('[REDACTED]'),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json'), { maxLength: 4 }),
        // Built from entries, as JSON.parse builds them: a key named __proto__ is an own property.
        fc.array(fc.tuple(key, tie('json')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
      ),
    }));
    fc.assert(
      fc.property(json, fc.boolean(), (value, underSecret) => {
        const before = JSON.stringify(value);
        expect(redactedJson(value, undefined, underSecret)).toBe(JSON.stringify(expectedRedaction(value, underSecret)));
        expect(JSON.stringify(value)).toBe(before);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a key named __proto__ as an own key when a value beside it is redacted', () => {
    const input = JSON.parse('{"__proto__":{"a":1},"password":"p","list":[{"__proto__":"x","token":"t"}]}');
    expect(redactedJson(input)).toBe('{"__proto__":{"a":1},"password":"[REDACTED]","list":[{"__proto__":"x","token":"[REDACTED]"}]}');
  });
});

describe('parseSession', () => {
  it('accepts a documented record and fills every column', () => {
    const parsed = accepted(parseSession(record()));
    expect(parsed.row).toEqual({
      id: '3f0c2a9e-6b1d-4c1e-9a43-0f6f6a2b7c11',
      personaId: '6f1c3b0e-2a4d-4f8e-8d1b-5e9f7a3c2d10',
      clientLabel: 'web-widget',
      startTime: '2026-04-20T09:00:01.000Z',
      endTime: '2026-04-20T09:05:00.000Z',
      sessionLengthMs: 298_999,
      exitStatus: 'NORMAL_EXIT',
      engineHost: 'connect-eu.anam.ai/v1/webrtc/engines/pod-1',
      engineProtocol: 'https',
      engineVersion: 'v5.3.0',
      clientMetadata: '{"sdk":"js-sdk"}',
      personaConfig: '{"name":"Cara","llmConfig":{"modelName":"gpt-4o","secret_iv":"[REDACTED]"}}',
      apiKeyId: '9a8b7c6d-1111-4222-8333-444455556666',
      organizationId: 'org-1',
      createdAt: '2026-04-20T09:00:00.000Z',
      updatedAt: '2026-04-20T09:05:01.000Z',
    });
  });

  it('accepts an active session with null end, length, status and updatedAt', () => {
    const parsed = accepted(parseSession(record({ endTime: null, sessionLengthMs: null, exitStatus: null, updatedAt: null, personaId: null })));
    expect(parsed.row).toMatchObject({ endTime: null, sessionLengthMs: null, exitStatus: null, updatedAt: null, personaId: null });
  });

  it('rejects a record without an id', () => {
    const { id: _id, ...rest } = record();
    const parsed = rejected(parseSession(rest));
    expect(parsed.reason).toMatch(/\bid\b/);
    expect(parsed.id).toBeNull();
  });

  it('rejects an empty, blank or numeric id', () => {
    for (const id of ['', '   ', 42]) {
      expect(rejected(parseSession(record({ id }))).reason, String(id)).toMatch(/\bid\b/);
    }
  });

  it('rejects a record without createdAt, naming the field', () => {
    const { createdAt: _createdAt, ...rest } = record();
    expect(rejected(parseSession(rest)).reason).toMatch(/createdAt/);
    expect(rejected(parseSession(record({ createdAt: null }))).reason).toMatch(/createdAt/);
  });

  it('rejects a createdAt or updatedAt that is not a date-time, naming the field and keeping the id', () => {
    const bad = rejected(parseSession(record({ createdAt: 'yesterday' })));
    expect(bad.reason).toMatch(/createdAt/);
    expect(bad.id).toBe('3f0c2a9e-6b1d-4c1e-9a43-0f6f6a2b7c11');
    expect(rejected(parseSession(record({ updatedAt: '2026-02-30T00:00:00Z' }))).reason).toMatch(/updatedAt/);
    expect(rejected(parseSession(record({ startTime: 1776675600000 }))).reason).toMatch(/startTime/);
  });

  it('rejects fields of the wrong type, naming the field', () => {
    const cases: [string, unknown][] = [
      ['personaId', 7],
      ['clientLabel', { text: 'x' }],
      ['exitStatus', true],
      ['organizationId', ['org']],
      ['sessionLengthMs', '1000'],
      ['sessionLengthMs', 1.5],
      ['clientMetadata', 'sdk=js'],
      ['personaConfig', [1, 2]],
    ];
    for (const [field, value] of cases) {
      expect(rejected(parseSession(record({ [field]: value }))).reason, `${field}=${JSON.stringify(value)}`).toContain(field);
    }
  });

  it('rejects a record that is not an object', () => {
    for (const value of [null, 'text', 12, [record()]]) {
      expect(parseSession(value).ok, JSON.stringify(value)).toBe(false);
    }
  });

  it('keeps the raw JSON of a rejected record with its secrets redacted and its apiKeyId kept', () => {
    const parsed = rejected(
      parseSession(
        record({
          createdAt: 'yesterday',
          clientMetadata: { login: { password: 'hunter2-secret' }, authToken: 'eyJ-token' },
          webhookSecret: 'whsec-123',
        }),
      ),
    );
    const raw = JSON.parse(parsed.raw) as Record<string, unknown>;
    expect(raw.createdAt).toBe('yesterday');
    expect(raw.apiKeyId).toBe('9a8b7c6d-1111-4222-8333-444455556666');
    expect(raw.clientMetadata).toEqual({ login: { password: '[REDACTED]' }, authToken: '[REDACTED]' });
    expect(raw.personaConfig).toEqual({ name: 'Cara', llmConfig: { modelName: 'gpt-4o', secret_iv: '[REDACTED]' } });
    expect(raw.webhookSecret).toBe('[REDACTED]');
    for (const secret of ['hunter2-secret', 'eyJ-token', 'whsec-123', 'iv-value-1']) expect(parsed.raw).not.toContain(secret);
  });

  it('keeps fields the schema does not list in the version JSON, redacting secret-named ones', () => {
    const parsed = accepted(parseSession(record({ region: 'eu-west-1', tags: ['a', { refreshToken: 'rt' }], sessionSecret: 's' })));
    const version = JSON.parse(parsed.json) as Record<string, unknown>;
    expect(version.region).toBe('eu-west-1');
    expect(version.tags).toEqual(['a', { refreshToken: '[REDACTED]' }]);
    expect(version.sessionSecret).toBe('[REDACTED]');
    expect(version.apiKeyId).toBe('9a8b7c6d-1111-4222-8333-444455556666');
  });

  it('keeps numbers under secret-named keys as numbers, in the columns, the version JSON and a rejected record', () => {
    const llmConfig = { modelName: 'gpt-4o', maxTokens: 4096, secret_iv: 'iv', tokenBudget: { limit: 10, label: 'sk-x' } };
    const parsed = accepted(parseSession(record({ personaConfig: { llmConfig }, sessionTokens: 12, authToken: 'at' })));
    const expected = { modelName: 'gpt-4o', maxTokens: 4096, secret_iv: '[REDACTED]', tokenBudget: { limit: 10, label: '[REDACTED]' } };
    expect(JSON.parse(parsed.row.personaConfig!)).toEqual({ llmConfig: expected });
    const version = JSON.parse(parsed.json) as Record<string, unknown>;
    expect(version).toMatchObject({ personaConfig: { llmConfig: expected }, sessionTokens: 12, authToken: '[REDACTED]' });
    const rejected = parseSession(record({ personaConfig: { llmConfig }, sessionTokens: 12, createdAt: 'yesterday' }));
    expect(rejected.ok).toBe(false);
    expect(JSON.parse((rejected as { raw: string }).raw)).toMatchObject({ personaConfig: { llmConfig: expected }, sessionTokens: 12 });
  });

  it('keeps unknown fields whose names are also names of object properties', () => {
    const parsed = accepted(parseSession(JSON.parse(`{${JSON.stringify(record()).slice(1, -1)},"constructor":"c","toString":1,"__proto__":{"a":2}}`)));
    const version = JSON.parse(parsed.json) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(version, 'constructor')?.value).toBe('c');
    expect(Object.getOwnPropertyDescriptor(version, 'toString')?.value).toBe(1);
    expect(Object.getOwnPropertyDescriptor(version, '__proto__')?.value).toEqual({ a: 2 });
  });

  it('keeps a nested key named __proto__ in a JSON column, redacting what is under it', () => {
    const parsed = accepted(parseSession(record({ clientMetadata: JSON.parse('{"__proto__":{"password":"p","b":1},"c":2}') })));
    expect(parsed.row.clientMetadata).toBe('{"__proto__":{"password":"[REDACTED]","b":1},"c":2}');
  });

  it('writes canonical times into the version JSON', () => {
    const parsed = accepted(
      parseSession(record({ startTime: '2026-04-20T11:00:01+02:00', createdAt: '2026-04-20T09:00:00.000999Z', updatedAt: null })),
    );
    const version = JSON.parse(parsed.json) as Record<string, unknown>;
    expect(version.startTime).toBe('2026-04-20T09:00:01.000Z');
    expect(version.createdAt).toBe('2026-04-20T09:00:00.000Z');
    expect(version.endTime).toBe('2026-04-20T09:05:00.000Z');
    expect(version.updatedAt).toBeNull();
  });

  it('writes the object fields into the version JSON exactly as into their columns', () => {
    const parsed = accepted(parseSession(record()));
    const version = JSON.parse(parsed.json) as Record<string, unknown>;
    expect(JSON.stringify(version.personaConfig)).toBe(parsed.row.personaConfig);
    expect(JSON.stringify(version.clientMetadata)).toBe(parsed.row.clientMetadata);
  });

  it('gives the same version JSON for the same record, so an identical one is recognised', () => {
    expect(accepted(parseSession(record())).json).toBe(accepted(parseSession(structuredClone(record()))).json);
  });
});
