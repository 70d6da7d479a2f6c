/**
 * Running the built CLI as a user would: a child process with its own environment, its output
 * captured, its exit code and signal reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** A child process of the CLI whose output is collected; `done` resolves when it exits. */
export interface RunningCli {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

/** Starts `anam-sync ARGS` with only PATH and HOME from this process's environment, plus `env`. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Runs `anam-sync ARGS` to the end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Runs `sync --json` and returns the parsed summary with the raw result. */
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

/** A fresh temp folder, removed by the returned cleanup. */
export function tempFolder(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'anam-sync-test-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Reads rows from a database file with a separate read-only connection. */
export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
