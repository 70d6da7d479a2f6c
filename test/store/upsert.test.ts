import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/api/session.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import type { WriteCounts } from '../../src/store/counts.js';
import { SessionWriter } from '../../src/store/upsert.js';
import { openSqlite, tempDirs } from '../helpers.js';

const ID = '3f0c2a9e-6b1d-4c1e-9a43-0f6f6a2b7c11';
const T1 = '2026-04-20T09:00:00.000Z';
const T2 = '2026-04-20T10:00:00.000Z';
const T3 = '2026-04-20T11:00:00.000Z';

/** A wire record; `updatedAt` and the label are what the tests vary. */
function session(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    personaId: null,
    clientLabel: 'web-widget',
    startTime: '2026-04-20T08:00:00.000Z',
    endTime: '2026-04-20T08:30:00.000Z',
    sessionLengthMs: 1_800_000,
    exitStatus: 'NORMAL_EXIT',
    engineHost: null,
    engineProtocol: null,
    engineVersion: null,
    clientMetadata: { sdk: 'js-sdk' },
    personaConfig: { name: 'Cara' },
    apiKeyId: null,
    organizationId: 'org-1',
    createdAt: '2026-04-20T08:00:00.000Z',
    updatedAt: T2,
    ...overrides,
  };
}

interface SessionRow {
  id: string;
  client_label: string | null;
  updated_at: string | null;
  first_synced_at: string;
  last_synced_at: string;
  deleted_at: string | null;
  [column: string]: unknown;
}

const temp = tempDirs();
let db: Db;
let writer: SessionWriter;
/** A second connection, as an analyst's: it sees only what was committed to the file. */
let observer: Database.Database;
let path: string;

beforeEach(() => {
  path = join(temp.make(), 'sessions.db');
  db = openDatabase(path);
  writer = new SessionWriter(db);
  observer = openSqlite(path);
});

afterEach(() => {
  observer.close();
  db.close();
  temp.cleanup();
});

function write(records: unknown[], now: string): WriteCounts {
  return writer.writePage(records.map(parseSession), 1, now);
}

function row(id = ID): SessionRow | undefined {
  return observer.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
}

function versions(id = ID): { updated_at: string; json: string; first_seen_at: string }[] {
  return observer.prepare('SELECT updated_at, json, first_seen_at FROM session_history WHERE id = ? ORDER BY updated_at').all(id) as {
    updated_at: string;
    json: string;
    first_seen_at: string;
  }[];
}

/** Changes every connection has committed to the file since the observer last asked (a counter). */
function dataVersion(): number {
  return observer.pragma('data_version', { simple: true }) as number;
}

const counts = (partial: Partial<WriteCounts>): WriteCounts => ({ inserted: 0, updated: 0, unchanged: 0, stale: 0, rejected: 0, ...partial });

describe('SessionWriter.writePage', () => {
  it('inserts a new session with first and last synced times and records its version', () => {
    expect(write([session()], T1)).toEqual(counts({ inserted: 1 }));
    expect(row()).toMatchObject({ id: ID, client_label: 'web-widget', updated_at: T2, first_synced_at: T1, last_synced_at: T1, deleted_at: null });
    expect(versions()).toEqual([{ updated_at: T2, json: expect.stringContaining(`"updatedAt":"${T2}"`), first_seen_at: T1 }]);
  });

  it('leaves an identical session alone: counted unchanged, last_synced_at kept, nothing written to the file', () => {
    write([session()], T1);
    const before = row();
    const versionsBefore = versions();
    const version = dataVersion();
    expect(write([session()], T3)).toEqual(counts({ unchanged: 1 }));
    expect(row()).toEqual(before);
    expect(row()?.last_synced_at).toBe(T1);
    expect(versions()).toEqual(versionsBefore);
    // No commit touched the database file at all (the writer's own bookkeeping lives in a temp table).
    expect(dataVersion()).toBe(version);
  });

  it('recognises the same instant written in another shape as identical', () => {
    write([session({ updatedAt: '2026-04-20T10:00:00Z' })], T1);
    expect(write([session({ updatedAt: '2026-04-20T12:00:00.000000+02:00' })], T3)).toEqual(counts({ unchanged: 1 }));
    expect(row()?.last_synced_at).toBe(T1);
  });

  it('replaces the row with a version whose updatedAt is later, keeping first_synced_at', () => {
    write([session()], T1);
    expect(write([session({ updatedAt: T3, clientLabel: 'kiosk-3' })], T3)).toEqual(counts({ updated: 1 }));
    expect(row()).toMatchObject({ client_label: 'kiosk-3', updated_at: T3, first_synced_at: T1, last_synced_at: T3 });
    expect(versions().map((v) => v.updated_at)).toEqual([T2, T3]);
  });

  it('never rolls the row back to an older version, but records that version as history', () => {
    write([session({ updatedAt: T3, clientLabel: 'new' })], T1);
    const before = row();
    expect(write([session({ updatedAt: T2, clientLabel: 'old' })], T3)).toEqual(counts({ stale: 1 }));
    expect(row()).toEqual(before);
    expect(versions()).toEqual([
      { updated_at: T2, json: expect.stringContaining('"clientLabel":"old"'), first_seen_at: T3 },
      { updated_at: T3, json: expect.stringContaining('"clientLabel":"new"'), first_seen_at: T1 },
    ]);
  });

  it('replaces the row when updatedAt is equal but the content differs', () => {
    write([session()], T1);
    expect(write([session({ clientLabel: 'kiosk-3' })], T3)).toEqual(counts({ updated: 1 }));
    expect(row()).toMatchObject({ client_label: 'kiosk-3', updated_at: T2, last_synced_at: T3 });
    expect(versions()).toEqual([{ updated_at: T2, json: expect.stringContaining('"clientLabel":"kiosk-3"'), first_seen_at: T3 }]);
  });

  it('counts a change inside a JSON column as different content', () => {
    write([session()], T1);
    expect(write([session({ clientMetadata: { sdk: 'js-sdk', page: '/pricing' } })], T3)).toEqual(counts({ updated: 1 }));
    expect(JSON.parse(row()?.client_metadata as string)).toEqual({ sdk: 'js-sdk', page: '/pricing' });
  });

  it('counts a change in a field the schema does not list as different content', () => {
    write([session({ region: 'eu-west-1' })], T1);
    expect(write([session({ region: 'us-east-1' })], T3)).toEqual(counts({ updated: 1 }));
    expect(versions()[0]?.json).toContain('"region":"us-east-1"');
  });

  it('replaces a row whose updatedAt is null when the content differs', () => {
    write([session({ updatedAt: null })], T1);
    expect(write([session({ updatedAt: null, clientLabel: 'kiosk-3' })], T3)).toEqual(counts({ updated: 1 }));
    expect(row()).toMatchObject({ client_label: 'kiosk-3', updated_at: null, last_synced_at: T3 });
    expect(versions()).toEqual([{ updated_at: '', json: expect.stringContaining('"clientLabel":"kiosk-3"'), first_seen_at: T3 }]);
  });

  it('leaves a row whose updatedAt is null alone when the content is the same', () => {
    write([session({ updatedAt: null })], T1);
    const version = dataVersion();
    expect(write([session({ updatedAt: null })], T3)).toEqual(counts({ unchanged: 1 }));
    expect(row()?.last_synced_at).toBe(T1);
    expect(dataVersion()).toBe(version);
  });

  it('treats a version without updatedAt as older than a stored one that has it', () => {
    write([session({ updatedAt: T2, clientLabel: 'edited' })], T1);
    const before = row();
    expect(write([session({ updatedAt: null, clientLabel: 'original' })], T3)).toEqual(counts({ stale: 1 }));
    expect(row()).toEqual(before);
    expect(versions().map((v) => v.updated_at)).toEqual(['', T2]);
  });

  it('replaces a row whose updatedAt was null with a version that has one', () => {
    write([session({ updatedAt: null })], T1);
    expect(write([session({ updatedAt: T2, clientLabel: 'kiosk-3' })], T3)).toEqual(counts({ updated: 1 }));
    expect(row()).toMatchObject({ client_label: 'kiosk-3', updated_at: T2 });
  });

  it('clears deleted_at when a deleted session is seen again', () => {
    write([session()], T1);
    expect(writer.markDeleted(ID, T2)).toBe(true);
    expect(row()?.deleted_at).toBe(T2);
    expect(write([session()], T3)).toEqual(counts({ updated: 1 }));
    expect(row()).toMatchObject({ deleted_at: null, last_synced_at: T3 });
  });

  it('clears deleted_at but keeps the newer data when a deleted session comes back in an older version', () => {
    write([session({ updatedAt: T3, clientLabel: 'new' })], T1);
    writer.markDeleted(ID, T2);
    expect(write([session({ updatedAt: T2, clientLabel: 'old' })], T3)).toEqual(counts({ stale: 1 }));
    expect(row()).toMatchObject({ deleted_at: null, client_label: 'new', updated_at: T3, last_synced_at: T3 });
  });

  it('marks a session deleted only once and keeps its row', () => {
    write([session()], T1);
    expect(writer.markDeleted(ID, T2)).toBe(true);
    expect(writer.markDeleted(ID, T3)).toBe(false);
    expect(row()).toMatchObject({ deleted_at: T2, client_label: 'web-widget' });
  });

  it('keeps rejected records with their reason and redacted raw JSON, beside the good ones of the page', () => {
    const { id: _id, ...noId } = session({ clientMetadata: { password: 'hunter2' } });
    const badTime = session({ id: 'b2c7a0de-0000-4000-8000-000000000002', createdAt: 'yesterday' });
    const good = session({ id: 'c3d8b1ef-0000-4000-8000-000000000003' });
    expect(write([noId, badTime, good], T1)).toEqual(counts({ inserted: 1, rejected: 2 }));
    const rejected = observer
      .prepare('SELECT run_id, seen_at, session_id, reason, raw FROM rejected_records ORDER BY id')
      .all() as { run_id: number; seen_at: string; session_id: string | null; reason: string; raw: string }[];
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatchObject({ run_id: 1, seen_at: T1, session_id: null, reason: expect.stringMatching(/\bid\b/) });
    expect(JSON.parse(rejected[0]?.raw as string).clientMetadata).toEqual({ password: '[REDACTED]' });
    expect(rejected[1]).toMatchObject({ session_id: badTime.id, reason: expect.stringContaining('createdAt') });
    expect(JSON.parse(rejected[1]?.raw as string).createdAt).toBe('yesterday');
    expect(observer.prepare('SELECT id FROM sessions').pluck().all()).toEqual([good.id]);
  });

  it('keeps one row per distinct rejected record, moving its run and time forward when seen again', () => {
    const broken = session({ createdAt: 'yesterday' });
    expect(write([broken], T1)).toEqual(counts({ rejected: 1 }));
    expect(writer.writePage([parseSession(broken)], 2, T3)).toEqual(counts({ rejected: 1 }));
    const rows = observer.prepare('SELECT run_id, seen_at FROM rejected_records').all();
    expect(rows).toEqual([{ run_id: 2, seen_at: T3 }]);
  });

  it('writes a page in one transaction, counting each record by what it did', () => {
    write([session(), session({ id: 'a1', updatedAt: T3 })], T1);
    const page = [
      session(),
      session({ id: 'a1', updatedAt: T2 }),
      session({ id: 'a2' }),
      session({ id: 'a3', createdAt: null }),
      session({ id: 'a4', updatedAt: null }),
    ];
    expect(write(page, T3)).toEqual(counts({ inserted: 2, unchanged: 1, stale: 1, rejected: 1 }));
  });

  it('writes nothing of a page when one of its rows cannot be written', () => {
    const admin = openDatabase(path);
    admin.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON sessions WHEN NEW.id = 'boom' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    admin.close();
    expect(() => write([session({ id: 'first' }), session({ id: 'boom' })], T1)).toThrow(/disk says no/);
    expect(observer.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
    expect(observer.prepare('SELECT count(*) FROM session_history').pluck().get()).toBe(0);
  });
});
