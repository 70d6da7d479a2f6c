/**
 * What the tests share: temp folders, the built CLI run as a child process (its output collected,
 * its exit code and signal reported), the SQLite file opened read-only, and the contract's
 * redaction rule written out again independently of src/.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { expect } from 'vitest';

/** The compiled CLI (built by test/global-setup.ts before any test runs). */
export const CLI = fileURLToPath(new URL('../dist/bin/cli.js', import.meta.url));

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A new empty folder under the OS temp folder, and its removal. */
export interface TempFolder {
  path: string;
  cleanup(): void;
}

export function tempFolder(): TempFolder {
  const path = mkdtempSync(join(tmpdir(), 'anam-sync-test-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Temp folders that one test file creates and removes again. */
export interface TempDirs {
  /** A new empty folder under the OS temp folder. */
  make(): string;
  /** Removes every folder made so far. */
  cleanup(): void;
}

export function tempDirs(): TempDirs {
  const made: TempFolder[] = [];
  return {
    make() {
      const folder = tempFolder();
      made.push(folder);
      return folder.path;
    },
    cleanup() {
      for (const folder of made.splice(0)) folder.cleanup();
    },
  };
}

/** How a CLI run ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How a CLI run ended, stdout kept as bytes (Parquet is binary). */
export interface BinaryCliResult extends Omit<CliResult, 'stdout'> {
  stdout: Buffer;
}

export interface CliOptions {
  /**
   * The child's whole environment besides PATH: nothing else leaks in from the test process. A
   * test that needs HOME passes it here (an undefined value is left out).
   */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Killed (SIGKILL) after this long; the result then has a signal. Default 60 s. */
  timeoutMs?: number;
}

/** A running CLI whose output is collected; `done` resolves when it exits. */
export interface RunningCli {
  child: ChildProcessByStdio<null, Readable, Readable>;
  done: Promise<CliResult>;
}

/**
 * Starts `node dist/bin/cli.js ...args`. Asynchronous on purpose: a simulator in the test process must
 * keep answering while the child runs.
 */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const { child, done } = spawnCli(args, options);
  return { child, done: done.then((result) => ({ ...result, stdout: result.stdout.toString('utf8') })) };
}

/** Runs `node dist/bin/cli.js ...args` to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Runs the built CLI to the end and keeps stdout as bytes. */
export function runCliBinary(args: string[], options: CliOptions = {}): Promise<BinaryCliResult> {
  return spawnCli(args, options).done;
}

function spawnCli(args: string[], options: CliOptions): { child: RunningCli['child']; done: Promise<BinaryCliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<BinaryCliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr });
    });
  });
  return { child, done };
}

/** Runs `sync --json --quiet ...args` and returns the parsed summary with the raw result. */
export async function syncJson(args: string[], options: CliOptions = {}): Promise<{ result: CliResult; summary: Record<string, unknown> }> {
  const result = await runCli(['sync', '--json', '--quiet', ...args], options);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  let summary: Record<string, unknown> = {};
  try {
    summary = JSON.parse(line) as Record<string, unknown>;
  } catch {
    // left empty: the caller's assertions on the exit code say what went wrong
  }
  return { result, summary };
}

/**
 * Runs `node dist/bin/cli.js ...args | head -c bytes`, a reader that stops early, and resolves with the
 * CLI's own exit status (bash's PIPESTATUS) and the pipeline's stderr.
 */
export function runCliIntoHead(args: string[], bytes: number): Promise<{ status: string; stderr: string }> {
  const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = `${[process.execPath, CLI, ...args].map(quote).join(' ')} | head -c ${bytes} > /dev/null; echo "\${PIPESTATUS[0]}"`;
  return new Promise((resolve, reject) => {
    const shell = spawn('bash', ['-c', command], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let status = '';
    let stderr = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (status += chunk));
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    shell.on('error', reject);
    shell.on('close', () => resolve({ status: status.trim(), stderr }));
  });
}

/** The CLI's stderr is one line, with no stack trace. */
export function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** Opens a database file read-only, as an analyst would. */
export function openSqlite(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** Reads rows from a database file with a separate read-only connection. */
export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = openSqlite(dbPath);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The contract's rule for secret-named keys, written out here independently of src/. */
const SECRET_NAME = /secret|password|token|api[-_]?key/i;

/**
 * What a JSON value should look like once stored: every string under a secret-named key (at any
 * depth below it) holds "[REDACTED]"; numbers, booleans and null are kept.
 */
export function expectedRedaction(value: unknown, underSecret = false): unknown {
  if (Array.isArray(value)) return value.map((item) => expectedRedaction(item, underSecret));
  if (value === null || typeof value !== 'object') return underSecret && typeof value === 'string' ? '[REDACTED]' : value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, expectedRedaction(inner, underSecret || SECRET_NAME.test(key))]),
  );
}

/** Every string found under a secret-named key anywhere inside `value`. */
export function secretValues(value: unknown, underSecret = false, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) secretValues(item, underSecret, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) secretValues(inner, underSecret || SECRET_NAME.test(key), out);
  } else if (underSecret && typeof value === 'string') {
    out.add(value);
  }
  return out;
}

/** An RFC 3339 time as the contract stores it; V8's parser reads any offset and cuts sub-ms digits. */
export function expectedTime(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${text}`);
  return new Date(ms).toISOString();
}

/**
 * A new database at schema version `count`, as an older anam-sync left it: only the first `count`
 * committed migrations applied (from a copy of migrations/ whose journal stops there), marked as ours.
 */
export function databaseAtVersion(path: string, count: number): Database.Database {
  const folder = mkdtempSync(join(tmpdir(), 'anam-sync-migrations-'));
  try {
    cpSync(fileURLToPath(new URL('../migrations', import.meta.url)), folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
    const db = new Database(path);
    migrate(drizzle(db), { migrationsFolder: folder });
    db.pragma('application_id = 0x414E5359');
    db.pragma(`user_version = ${count}`);
    return db;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
