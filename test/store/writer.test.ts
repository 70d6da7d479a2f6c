/**
 * The writer thread of full scans (built code: the thread runs dist/store/writer-worker.js). It
 * commits pages in groups; what the run is told must already be on disk, and a failure must not
 * leave part of a group behind.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/api/session.js';
import { openDatabase } from '../../src/store/db.js';
import { flatPage, type FlatPage } from '../../src/store/flat-page.js';
import type { PageWriter } from '../../src/store/writer.js';
import { openSqlite, tempDirs } from '../helpers.js';

// The built module, so that its worker file exists beside it.
const { deferredWriter, threadWriter } = (await import(new URL('../../dist/store/writer.js', import.meta.url).href)) as typeof import('../../src/store/writer.js');

const NOW = '2026-04-20T12:00:00.000Z';
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function page(number: number, size = 50, personaConfig: Record<string, unknown> = { name: 'Cara' }): FlatPage {
  return flatPage(Array.from({ length: size }, (_, i) =>
    parseSession({
      id: `00000000-0000-4000-8000-${String(number * 1000 + i).padStart(12, '0')}`,
      clientLabel: `page ${number}`,
      createdAt: '2026-04-20T08:00:00.000Z',
      updatedAt: '2026-04-20T09:00:00.000Z',
      personaConfig,
    }),
  ));
}

async function writerOn(setup = ''): Promise<{ path: string; writer: PageWriter; runId: number }> {
  const path = join(dirs.make(), 'writer.db');
  const db = openDatabase(path);
  db.exec(setup);
  const runId = Number(db.prepare(`INSERT INTO sync_runs (started_at, status, mode, scope) VALUES (?, 'running', 'full', '')`).run(NOW).lastInsertRowid);
  db.close();
  return { path, writer: await threadWriter(path), runId };
}

/** A trigger that makes SQLite refuse row `row` of page `number` of {@link page}. */
function refusing(number: number, row: number): string {
  const suffix = String(number * 1000 + row).padStart(12, '0');
  return `CREATE TRIGGER refuse BEFORE INSERT ON sessions WHEN NEW.id LIKE '%${suffix}' BEGIN SELECT RAISE(ABORT, 'refused'); END`;
}

describe('the writer thread', () => {
  it('answers a page only once it is committed: another connection already sees its rows', async () => {
    const { path, writer, runId } = await writerOn();
    const reader = openSqlite(path);
    try {
      const count = reader.prepare('SELECT count(*) FROM sessions WHERE client_label = ?').pluck();
      // Sent together, so the thread groups them into few transactions.
      const answers = Array.from({ length: 20 }, (_, n) =>
        writer.writePage(page(n), runId, NOW, '', false).then((counts) => ({ n, counts, visible: count.get(`page ${n}`) })),
      );
      for (const { counts, visible } of await Promise.all(answers)) {
        expect(counts.inserted).toBe(50);
        expect(visible).toBe(50);
      }
      expect(reader.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1000);
      expect(reader.prepare('SELECT count(*) FROM session_history').pluck().get()).toBe(1000);
    } finally {
      reader.close();
      await writer.close();
    }
  });

  it('a page that fails fails its whole group, and nothing of the group stays written', async () => {
    // SQLite refuses page 3 part-way through (after some of its rows were written).
    const { path, writer, runId } = await writerOn(refusing(3, 10));
    const reader = openSqlite(path);
    try {
      const answers = Array.from({ length: 6 }, (_, n) => writer.writePage(page(n), runId, NOW, '', false).then(() => 'ok', (error: Error) => error.message));
      const results = await Promise.all(answers);
      // Sent together, pages 0 to 3 share one transaction: the pages before the failing one, which
      // SQLite had accepted, fail with it and left nothing behind.
      for (const n of [0, 1, 2, 3]) expect(results[n]).toMatch(/refused/);
      // Pages answered 'ok' are on disk; every other page of the failed group left nothing.
      for (const [n, result] of results.entries()) {
        const stored = reader.prepare('SELECT count(*) FROM sessions WHERE client_label = ?').pluck().get(`page ${n}`);
        expect(stored).toBe(result === 'ok' ? 50 : 0);
      }
    } finally {
      reader.close();
      await writer.close();
    }
  });

  it('commits a page at once when the run says no other page is on its way', async () => {
    // Page 1 is refused: had page 0 waited for more pages, the two would share a transaction and
    // page 0 would fail with it, as in the test above.
    const { path, writer, runId } = await writerOn(refusing(1, 10));
    const reader = openSqlite(path);
    try {
      const alone = writer.writePage(page(0), runId, NOW, '', true).then(() => 'ok', (error: Error) => error.message);
      const next = writer.writePage(page(1), runId, NOW, '', false).then(() => 'ok', (error: Error) => error.message);
      expect(await Promise.all([alone, next])).toEqual(['ok', expect.stringMatching(/refused/)]);
      expect(reader.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(50);
    } finally {
      reader.close();
      await writer.close();
    }
  });

  it('keeps its write-ahead log within about 8 MiB and a group of pages, however much a scan writes', async () => {
    const { path, writer, runId } = await writerOn();
    // 3,200 sessions of about 4 KB each: more than 40 MB written, all of it still in the log at
    // the database's usual interval (128 MiB of log).
    const personaConfig = { name: 'Cara', systemPrompt: 'You are a patient guide. '.repeat(160) };
    try {
      for (let batch = 0; batch < 4; batch++) {
        const pages = Array.from({ length: 16 }, (_, i) => writer.writePage(page(batch * 16 + i, 50, personaConfig), runId, NOW, '', false));
        await Promise.all(pages);
      }
      // The log file's size is its high-water mark: a log that starts again from its beginning
      // after a checkpoint keeps its length.
      const log = statSync(`${path}-wal`).size;
      expect(statSync(path).size + log).toBeGreaterThan(40 * 2 ** 20);
      expect(log).toBeLessThan(20 * 2 ** 20);
    } finally {
      await writer.close();
    }
  });

  it('takes writes before it has started, and applies them in the order they were made once it has', async () => {
    const { path, runId } = await writerOn();
    let start = (): void => {};
    const started = new Promise<void>((resolve) => {
      start = resolve;
    });
    // The thread starts only when told: every write before then waits for it.
    const writer = deferredWriter(started.then(() => threadWriter(path)));
    const reader = openSqlite(path);
    try {
      const first = writer.writePage(page(0), runId, NOW, '', false);
      // The same session again, a version later: applied second, it updates the row.
      const later = flatPage([
        parseSession({ id: '00000000-0000-4000-8000-000000000000', clientLabel: 'page 0', createdAt: '2026-04-20T08:00:00.000Z', updatedAt: '2026-04-20T10:00:00.000Z' }),
      ]);
      const second = writer.writePage(later, runId, NOW, '', false);
      expect(reader.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
      start();
      expect((await first).inserted).toBe(50);
      expect((await second).updated).toBe(1);
      expect(reader.prepare('SELECT updated_at FROM sessions WHERE id = ?').pluck().get('00000000-0000-4000-8000-000000000000')).toBe(
        '2026-04-20T10:00:00.000Z',
      );
    } finally {
      reader.close();
      await writer.close();
    }
  });

  it('fails every write with the error of a thread that could not start, and closes without one', async () => {
    const path = join(dirs.make(), 'missing', 'writer.db');
    const writer = deferredWriter(threadWriter(path));
    await expect(writer.writePage(page(0), 1, NOW, '', false)).rejects.toThrow(/does not exist/);
    await expect(writer.saveCounters(1, {} as never, 'full')).rejects.toThrow(/does not exist/);
    await expect(writer.close()).resolves.toBeUndefined();
  });
});
