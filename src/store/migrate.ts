/**
 * Applying the committed migrations: the folder drizzle-kit generates (`meta/_journal.json`, one SQL
 * file per entry, its statements split by `--> statement-breakpoint`), recorded in
 * `__drizzle_migrations` exactly as drizzle-orm's migrator records them (the file's SHA-256, the
 * journal's `when`), so that a database either of them migrated is one the other carries on
 * (a test migrates with both and compares).
 *
 * Ours, not drizzle's migrator: loading that one (drizzle's query builders and dialects with it)
 * cost about 0.12 s of CPU of every first run, where applying the migrations takes 30 ms. And it reads what
 * is applied before taking the write lock, so two processes starting on a new file both tried to
 * apply everything; here the write lock comes first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.js';

/**
 * drizzle's table, as drizzle creates it, down to the whitespace SQLite keeps in its schema (its `id`
 * is not a rowid alias: SQLite leaves it null).
 */
const RECORD_TABLE = `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
\t\t\t\tid SERIAL PRIMARY KEY,
\t\t\t\thash text NOT NULL,
\t\t\t\tcreated_at numeric
\t\t\t)`;

interface JournalEntry {
  tag: string;
  when: number;
}

/** One migration: its statements, and what drizzle's table records of it. */
interface Migration {
  statements: string[];
  hash: string;
  createdAt: number;
}

/** The entries of the journal in `folder`, in order: one per migration. */
export function journalEntries(folder: string): JournalEntry[] {
  return (JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
}

/** The migrations in `folder`, in journal order. */
function readMigrations(folder: string): Migration[] {
  // Loaded here, when there is something to apply: importing node:crypto took about 6 ms of the
  // start of every command, which opens a migrated database.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return journalEntries(folder).map((entry) => {
    const text = readFileSync(join(folder, `${entry.tag}.sql`), 'utf8');
    return {
      statements: text.split('--> statement-breakpoint'),
      hash: createHash('sha256').update(text).digest('hex'),
      createdAt: entry.when,
    };
  });
}

/**
 * Applies the migrations of `folder` newer than the last one `db` records, all in one transaction
 * that holds the write lock from its start (a second process waits, then finds them applied).
 * A failure rolls every one of them back.
 */
export function applyMigrations(db: Db, folder: string): void {
  const migrations = readMigrations(folder);
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(RECORD_TABLE);
    const last = db.prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1').pluck().get() as
      | number
      | string
      | undefined;
    const record = db.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
    for (const migration of migrations) {
      if (last !== undefined && Number(last) >= migration.createdAt) continue;
      for (const statement of migration.statements) db.exec(statement);
      record.run(migration.hash, migration.createdAt);
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
