/**
 * What the report and analytics tests share beyond test/helpers.ts: a database synced from the
 * simulator the way a user fills one and copies of it, the README's example queries, and where
 * Chromium is.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { openSqlite, runCli, tempFolder } from '../helpers.js';

export const README = fileURLToPath(new URL('../../README.md', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** A database synced from a running simulator; `close` stops the simulator. */
export interface SyncedDb {
  sim: Simulator;
  path: string;
  folder: string;
  close(): Promise<void>;
}

/**
 * Starts a simulator with `sessions` generated sessions, syncs them into a new database with the
 * built CLI, and (when `remove` > 0) deletes that many upstream and syncs in full, so the database
 * holds tombstones too.
 */
export async function syncedDatabase(sessions: number, seed: number, remove = 0): Promise<SyncedDb> {
  const folder = tempFolder();
  const sim = await startSimulator({ sessions, seed });
  const path = join(folder.path, 'sessions.db');
  const sync = async (...extra: string[]): Promise<void> => {
    const result = await runCli(['sync', '--api-url', sim.url, '--db', path, '--quiet', ...extra], { env: { ANAM_API_KEY: 'demo' } });
    if (result.code !== 0) throw new Error(`sync failed (${result.code}): ${result.stderr}`);
  };
  await sync();
  if (remove > 0) {
    const ids = sim.store.all().map((s) => s.id).filter((_, i) => i % 37 === 3).slice(0, remove);
    for (const id of ids) sim.store.remove(id);
    await sync('--full');
  }
  return {
    sim,
    path,
    folder: folder.path,
    async close() {
      await sim.close();
      folder.cleanup();
    },
  };
}

/** Copies the database at `from` to a new file `to` (a consistent snapshot, via `VACUUM INTO`). */
export function copyDatabase(from: string, to: string): void {
  const source = openSqlite(from);
  try {
    source.exec(`VACUUM INTO '${to.replaceAll("'", "''")}'`);
  } finally {
    source.close();
  }
}

/** One example question of the README: its `-- N. title` comment and its SQL. */
export interface ReadmeQuery {
  title: string;
  sql: string;
}

/** The numbered example questions in the README's `sql` blocks under `## Database`. */
export function readmeQueries(readme: string): ReadmeQuery[] {
  const section = readme.slice(readme.indexOf('\n## Database'));
  const end = section.indexOf('\n## ', 5);
  const blocks = [...(end > 0 ? section.slice(0, end) : section).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const queries: ReadmeQuery[] = [];
  let current: ReadmeQuery | undefined;
  for (const line of blocks.join('\n').split('\n')) {
    const title = /^-- (\d+\..*)$/.exec(line);
    if (title) {
      current = { title: title[1] ?? '', sql: '' };
      queries.push(current);
    } else if (current && line.trim() !== '') {
      current.sql += `${line}\n`;
    }
  }
  return queries.map((q) => ({ title: q.title, sql: q.sql.trim() }));
}
