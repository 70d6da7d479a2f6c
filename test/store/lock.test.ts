/** The sync lock on a real SQLite file: one holder at a time, fenced by a token per acquisition. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/api/session.js';
import { openDatabase } from '../../src/store/db.js';
import { acquireLock, fence, LOCK_EXPIRY_MS, LOCK_HEARTBEAT_MS, LockLostError } from '../../src/store/lock.js';
import { SessionWriter } from '../../src/store/upsert.js';
import { tempDirs } from '../helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const record = parseSession({ id: 'a-1', createdAt: '2026-04-20T08:00:00.000Z', updatedAt: '2026-04-20T09:00:00.000Z' });

describe('the sync lock', () => {
  it('expires only after many missed heartbeats', () => {
    expect(LOCK_EXPIRY_MS / LOCK_HEARTBEAT_MS).toBeGreaterThanOrEqual(10);
  });

  it('a holder taken over after a stall sees its heartbeat fail and its writes refused; the new holder is untouched', () => {
    const db = openDatabase(join(dirs.make(), 'lock.db'));
    try {
      const start = new Date('2026-04-20T10:00:00.000Z');
      const first = acquireLock(db, start);
      expect(first.heartbeat(start.toISOString())).toBe(true);
      const writer = new SessionWriter(db, { lockToken: first.token });
      expect(writer.writePage([record], 1, start.toISOString()).inserted).toBe(1);

      // No heartbeat for longer than the expiry: another sync takes over.
      const later = new Date(start.getTime() + LOCK_EXPIRY_MS + 1000);
      const second = acquireLock(db, later);
      expect(second.token).not.toBe(first.token);

      expect(first.heartbeat(later.toISOString())).toBe(false);
      expect(() => writer.writePage([record], 1, later.toISOString())).toThrow(LockLostError);
      expect(() => writer.markDeleted('a-1', later.toISOString())).toThrow(LockLostError);
      expect(() => fence(db, second.token)()).not.toThrow();
      first.release();
      expect(db.prepare('SELECT token FROM sync_lock').pluck().get()).toBe(second.token);
      expect(db.prepare('SELECT deleted_at FROM sessions').pluck().get()).toBeNull();
      second.release();
      expect(db.prepare('SELECT count(*) FROM sync_lock').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
