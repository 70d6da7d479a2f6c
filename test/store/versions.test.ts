/**
 * Every version stays recoverable while the current one is stored once: `session_versions` holds the
 * versions the row no longer holds, `session_current_raw` the JSON a row cannot give back, and the
 * `session_history` view lists them all, as `session_versions` alone did before.
 */
import { join } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { FIELD_ORDER, parseSession } from '../../src/api/session.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { sessions } from '../../src/store/schema.js';
import { SessionWriter } from '../../src/store/upsert.js';
import { databaseAtVersion, tempDirs } from '../helpers.js';

const T1 = '2026-04-20T09:00:00.000Z';
const T2 = '2026-04-20T10:00:00.000Z';
const T3 = '2026-04-20T11:00:00.000Z';

/** A wire record with every field, and text that JSON escapes in more than one way. */
function record(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    personaId: 'p-1',
    clientLabel: 'kiosk "north"\n\u2028 caf\u00e9 \ud83d\ude00 \\ </script>',
    startTime: '2026-04-20T10:00:00+02:00',
    endTime: null,
    sessionLengthMs: null,
    exitStatus: null,
    engineHost: 'connect-us.anam.ai/v1/webrtc',
    engineProtocol: 'https',
    engineVersion: 'v5.3.0',
    clientMetadata: { userAgent: 'Mozilla/5.0', tab: '\t', empty: {} },
    personaConfig: {
      name: 'Cara',
      llmConfig: { modelName: 'gpt-4o', temperature: 0.8, maxTokens: 4096, big: 1e21, tiny: 5e-7, secret_iv: 'x' },
      fillerPhrases: [],
      zeroDataRetention: false,
    },
    apiKeyId: 'k-1',
    organizationId: 'org-1',
    createdAt: '2026-04-20T08:00:00Z',
    updatedAt: T1,
    ...overrides,
  };
}

const temp = tempDirs();
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  temp.cleanup();
});

function open(): { db: Db; writer: SessionWriter; path: string } {
  const path = join(temp.make(), 'sessions.db');
  db = openDatabase(path);
  return { db, writer: new SessionWriter(db), path };
}

function history(handle: Db, id?: string): Array<{ id: string; updated_at: string; json: string; first_seen_at: string }> {
  return handle
    .prepare(`SELECT id, updated_at, json, first_seen_at FROM session_history ${id === undefined ? '' : 'WHERE id = ?'} ORDER BY id, updated_at`)
    .all(...(id === undefined ? [] : [id])) as Array<{ id: string; updated_at: string; json: string; first_seen_at: string }>;
}

const count = (handle: Db, table: string): number => handle.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('the current version', () => {
  it("is the row alone: its JSON rebuilt by the view is, byte for byte, what the API's record became", () => {
    const { db, writer } = open();
    const parsed = parseSession(record('s-1'));
    expect(parsed.ok && parsed.fromRow).toBe(true);
    writer.writePage([parsed], 1, T1);
    expect(count(db, 'session_versions')).toBe(0);
    expect(count(db, 'session_current_raw')).toBe(0);
    expect(history(db)).toEqual([{ id: 's-1', updated_at: T1, json: parsed.ok ? parsed.json : '', first_seen_at: T1 }]);
  });

  it('lists its fields in the order of the columns, whatever order the API sent them in', () => {
    const fed = Object.keys(getTableColumns(sessions)).filter((key) => !['firstSyncedAt', 'lastSyncedAt', 'deletedAt'].includes(key));
    expect([...FIELD_ORDER]).toEqual(fed);
    const reversed = Object.fromEntries(Object.entries(record('s-1')).reverse());
    const parsed = parseSession(reversed);
    expect(parsed.ok && Object.keys(JSON.parse(parsed.json))).toEqual([...FIELD_ORDER]);
    expect(parsed.ok && parsed.fromRow).toBe(true);
  });

  it('keeps its JSON beside the row when the API sent a field the schema lacks, or left one out', () => {
    const { db, writer } = open();
    const extra = parseSession(record('s-extra', { region: 'eu', recording: { token: 'abc' } }));
    const missing = record('s-missing');
    delete missing.engineHost;
    const leftOut = parseSession(missing);
    expect([extra.ok && extra.fromRow, leftOut.ok && leftOut.fromRow]).toEqual([false, false]);
    writer.writePage([extra, leftOut], 1, T1);
    expect(count(db, 'session_current_raw')).toBe(2);
    const json = Object.fromEntries(history(db).map((v) => [v.id, v.json]));
    expect(json['s-extra']).toBe(extra.ok ? extra.json : '');
    expect(JSON.parse(json['s-extra']!).recording).toEqual({ token: '[REDACTED]' });
    expect(json['s-missing']).toBe(leftOut.ok ? leftOut.json : '');
    expect(JSON.parse(json['s-missing']!)).not.toHaveProperty('engineHost');

    // The same record again is unchanged; a newer version the row can give back drops the raw JSON.
    expect(writer.writePage([parseSession(record('s-extra', { region: 'eu', recording: { token: 'abc' } }))], 2, T2).unchanged).toBe(1);
    expect(writer.writePage([parseSession(record('s-extra', { updatedAt: T2 }))], 3, T3).updated).toBe(1);
    expect(db.prepare(`SELECT id FROM session_current_raw`).pluck().all()).toEqual(['s-missing']);
    expect(history(db, 's-extra').map((v) => [v.updated_at, JSON.parse(v.json).region ?? null, v.first_seen_at])).toEqual([
      [T1, 'eu', T1],
      [T2, null, T3],
    ]);
  });

  it('tells a changed column from an unchanged record, for every fed column', () => {
    const { writer } = open();
    writer.writePage([parseSession(record('s-1'))], 1, T1);
    const changes: Record<string, unknown> = {
      personaId: 'p-2', clientLabel: 'other', startTime: '2026-04-20T09:00:00Z', endTime: T2, sessionLengthMs: 5,
      exitStatus: 'NORMAL_EXIT', engineHost: 'h', engineProtocol: 'wss', engineVersion: 'v6', clientMetadata: { a: 1 },
      personaConfig: { name: 'Leo' }, apiKeyId: 'k-2', organizationId: 'org-2', createdAt: '2026-04-19T08:00:00Z',
    };
    expect(Object.keys(changes).sort()).toEqual(FIELD_ORDER.filter((key) => key !== 'id' && key !== 'updatedAt').sort());
    let run = 2;
    for (const [field, value] of Object.entries(changes)) {
      expect(writer.writePage([parseSession(record('s-1', { [field]: value }))], run++, T2), field).toMatchObject({ updated: 1 });
      expect(writer.writePage([parseSession(record('s-1', { [field]: value }))], run++, T2), field).toMatchObject({ unchanged: 1 });
    }
  });
});

describe('a database from before this layout', () => {
  it('keeps every version when migrated: the history lists what session_versions listed, byte for byte', () => {
    const path = join(temp.make(), 'sessions.db');
    // The earlier layout (schema 7): every version a row of session_versions, the current one too,
    // with the time it was first seen. s-2 was deleted since, which moved its row's last_synced_at on.
    const made = databaseAtVersion(path, 7);
    const fed = Object.values(getTableColumns(sessions)).map((column) => column.name);
    const insertRow = made.prepare(`INSERT INTO sessions (${fed.join(', ')}) VALUES (${fed.map(() => '?').join(', ')})`);
    const insertVersion = made.prepare('INSERT INTO session_versions (id, updated_at, json, first_seen_at) VALUES (?, ?, ?, ?)');
    const old = (input: Record<string, unknown>, seen: string, current: boolean): void => {
      const parsed = parseSession(input);
      if (!parsed.ok) throw new Error(parsed.reason);
      insertVersion.run(parsed.row.id, parsed.row.updatedAt ?? '', parsed.json, seen);
      if (current) insertRow.run(...Object.values(parsed.row), T1, seen, null);
    };
    old(record('s-1'), T1, false);
    old(record('s-1', { updatedAt: T2, exitStatus: 'NORMAL_EXIT' }), T2, true);
    old(record('s-2'), T1, true);
    old(record('s-3', { region: 'eu' }), T1, true);
    made.prepare(`UPDATE sessions SET deleted_at = ?, last_synced_at = ? WHERE id = 's-2'`).run(T3, T3);
    const before = made.prepare('SELECT id, updated_at, json, first_seen_at FROM session_versions ORDER BY id, updated_at').all();
    expect(before).toHaveLength(4);
    made.close();

    const migrated = openDatabase(path);
    db = migrated;
    expect(history(migrated)).toEqual(before);
    // What stays: the superseded version, and s-2's current one (its own first_seen_at, before the
    // deletion touched the row). s-3's field the schema lacks lives beside its row.
    expect(migrated.prepare('SELECT id, updated_at FROM session_versions ORDER BY id').all()).toEqual([
      { id: 's-1', updated_at: T1 },
      { id: 's-2', updated_at: T1 },
    ]);
    expect(migrated.prepare('SELECT id FROM session_current_raw').pluck().all()).toEqual(['s-3']);
  });
});
