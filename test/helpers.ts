/**
 * What the tests share: temp folders, the built CLI run as a child process, the SQLite file opened
 * read-only, and the contract's redaction rule written out again independently of src/.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** The compiled CLI (built by test/global-setup.ts before any test runs). */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Temp folders that one test file creates and removes again. */
export interface TempDirs {
  /** A new empty folder under the OS temp folder. */
  make(): string;
  /** Removes every folder made so far. */
  cleanup(): void;
}

export function tempDirs(): TempDirs {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'anam-sync-test-'));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
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

export interface CliOptions {
  /** The child's whole environment besides PATH: nothing else leaks in from the test process. */
  env?: Record<string, string>;
  cwd?: string;
  /** Killed (SIGKILL) after this long; the result then has a signal. Default 60 s. */
  timeoutMs?: number;
}

/**
 * Runs `node dist/cli.js ...args` and resolves when it exits. Asynchronous on purpose: a simulator
 * in the test process must keep answering while the child runs.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Opens a database file read-only, as an analyst would. */
export function openSqlite(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** The contract's rule for secret-named keys, written out here independently of src/. */
export const SECRET_NAME = /secret|password|token|api[-_]?key/i;

/** What a JSON value should look like once stored: every secret-named key holds "[REDACTED]". */
export function expectedRedaction(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expectedRedaction);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_NAME.test(key) ? '[REDACTED]' : expectedRedaction(inner)]),
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
