/**
 * The migration runner against drizzle-orm's own migrator: the same record of what is applied, the
 * same schema, and each carries on a database the other migrated.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../src/store/db.js';
import { databaseAtVersion, tempDirs } from '../helpers.js';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const temp = tempDirs();
afterEach(() => temp.cleanup());

/** What drizzle's table records, and every schema object's SQL, of the database at `path`. */
function state(path: string): { recorded: unknown[]; schema: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      recorded: db.prepare('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY created_at').all(),
      schema: db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all(),
    };
  } finally {
    db.close();
  }
}

function byDrizzle(path: string): void {
  const db = new Database(path);
  try {
    migrate(drizzle(db), { migrationsFolder: MIGRATIONS });
  } finally {
    db.close();
  }
}

describe('applying the migrations', () => {
  it('records them and builds the schema exactly as drizzle-orm\'s migrator does', () => {
    const dir = temp.make();
    openDatabase(join(dir, 'ours.db')).close();
    byDrizzle(join(dir, 'drizzle.db'));
    const ours = state(join(dir, 'ours.db'));
    expect(ours.recorded).toHaveLength(schemaVersion());
    expect(ours).toEqual(state(join(dir, 'drizzle.db')));
  });

  it('carries on a database drizzle\'s migrator took part of the way, and drizzle\'s finds nothing left in one it migrated', () => {
    const dir = temp.make();
    databaseAtVersion(join(dir, 'partial.db'), 3).close();
    expect(state(join(dir, 'partial.db')).recorded).toHaveLength(3);
    openDatabase(join(dir, 'partial.db')).close();
    byDrizzle(join(dir, 'drizzle.db'));
    expect(state(join(dir, 'partial.db'))).toEqual(state(join(dir, 'drizzle.db')));

    openDatabase(join(dir, 'ours.db')).close();
    const before = state(join(dir, 'ours.db'));
    byDrizzle(join(dir, 'ours.db'));
    expect(state(join(dir, 'ours.db'))).toEqual(before);
  });

});
