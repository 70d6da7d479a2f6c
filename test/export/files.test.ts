import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLine, runCli, runCliBinary, runCliIntoHead, sleep, startCli, tempDirs, type RunningCli } from '../helpers.js';
import { databaseRows, hardDatabase, largeDatabase } from './fixture.js';

const dirs = tempDirs();
let dir: string;
let db: string;
let large: string;
const LARGE_ROWS = 50_000;

beforeAll(() => {
  dir = dirs.make();
  db = hardDatabase(dir);
  large = largeDatabase(dir, LARGE_ROWS);
}, 120_000);
afterAll(() => dirs.cleanup());

/** Temp files an export leaves in `folder` for `name`. */
function tempFiles(folder: string, name: string): string[] {
  return readdirSync(folder).filter((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
}

/** Starts an export of the large table to `out` and resolves once its temp file holds some bytes. */
async function startLargeExport(out: string, extra: string[] = []): Promise<RunningCli> {
  const run = startCli(['export', '--db', large, '--out', out, ...extra]);
  const folder = join(out, '..');
  const name = out.slice(folder.length + 1);
  const until = Date.now() + 20_000;
  for (;;) {
    const temp = tempFiles(folder, name)[0];
    if (temp !== undefined && statSync(join(folder, temp), { throwIfNoEntry: false })?.size) return run;
    if (Date.now() > until) throw new Error('the export never started writing');
    await sleep(2);
  }
}

describe('where an export goes', () => {
  it.each(['csv', 'ndjson', 'parquet'])('writes the same bytes to stdout as to a file (%s)', async (format) => {
    const out = join(dir, `same.${format}`);
    const toFile = await runCliBinary(['export', '--db', db, '--format', format, '--out', out, '--quiet']);
    const toStdout = await runCliBinary(['export', '--db', db, '--format', format, '--quiet']);
    expect(toFile.code).toBe(0);
    expect(toStdout.code).toBe(0);
    expect(toFile.stdout.length).toBe(0);
    expect(toStdout.stdout.length).toBeGreaterThan(0);
    expect(toStdout.stdout.equals(readFileSync(out))).toBe(true);
  });

  it('treats --out - as stdout', async () => {
    const result = await runCliBinary(['export', '--db', db, '--out', '-', '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString('utf8')).toMatch(/^id,persona_id,/);
  });

  it('ends quietly with exit 0 when the reader closes early (| head)', async () => {
    for (const format of ['csv', 'ndjson', 'parquet']) {
      const result = await runCliIntoHead(['export', '--db', large, '--format', format], 100);
      expect(result.status, format).toBe('0');
      expect(result.stderr, format).toBe('');
    }
  });

  it('writes a new file readable by its owner only (it holds system prompts)', async () => {
    const out = join(dir, 'private.csv');
    expect((await runCli(['export', '--db', db, '--out', out, '--quiet'])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});

describe('a file is written whole or not at all', () => {
  it('keeps the old file when the export is killed (SIGKILL) half way, and the next run cleans up the temp file', async () => {
    const out = join(dir, 'killed.csv');
    writeFileSync(out, 'the previous export\r\n');
    const run = await startLargeExport(out);
    run.child.kill('SIGKILL');
    await run.done;
    expect(readFileSync(out, 'utf8')).toBe('the previous export\r\n');
    // SIGKILL cannot be caught: its temp file stays until the next export of the same file.
    expect(tempFiles(dir, 'killed.csv')).toHaveLength(1);

    const again = await runCli(['export', '--db', large, '--out', out, '--quiet']);
    expect(again.code).toBe(0);
    expect(tempFiles(dir, 'killed.csv')).toEqual([]);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('id,persona_id,')).toBe(true);
    expect(text.split('\r\n"session-').length - 1).toBe(LARGE_ROWS);
  });

  it('leaves no file at all when an export to a new path is killed', async () => {
    const out = join(dir, 'never.csv');
    const run = await startLargeExport(out, ['--format', 'ndjson']);
    run.child.kill('SIGKILL');
    await run.done;
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('removes its temp file and keeps the old file when stopped by %s (exit %i)', async (signal, code) => {
    const out = join(dir, `stopped-${signal}.parquet`);
    writeFileSync(out, 'old');
    const run = await startLargeExport(out, ['--format', 'parquet']);
    run.child.kill(signal);
    const { code: exitCode, stderr } = await run.done;
    expect(exitCode).toBe(code);
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(tempFiles(dir, `stopped-${signal}.parquet`)).toEqual([]);
    expect(stderr).toContain(`${signal}: export stopped`);
  });
});

describe('an unwritable --out', () => {
  it('in a missing folder exits 2 with one line naming --out', async () => {
    const result = await runCli(['export', '--db', db, '--out', join(dir, 'missing', 'x.csv')]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/--out .*does not exist/);
  });

  it('that is a folder exits 2 with one line', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const result = await runCli(['export', '--db', db, '--out', folder]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toMatch(/--out .* is a folder/);
  });

  it('under a file instead of a folder exits 2 with one line', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const result = await runCli(['export', '--db', db, '--out', join(file, 'x.csv')]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('--out');
  });

  it.skipIf(process.getuid?.() === 0)('in a folder without write permission exits 2 with one line and writes nothing', async () => {
    const folder = join(dir, 'read-only');
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o555);
    try {
      const result = await runCli(['export', '--db', db, '--out', join(folder, 'x.csv')]);
      expect(result.code).toBe(2);
      expectOneLine(result.stderr);
      expect(result.stderr).toMatch(/--out .*permission denied/);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it('that is the database itself exits 2 and leaves the database alone', async () => {
    const before = readFileSync(db);
    const result = await runCli(['export', '--db', db, '--out', db]);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(databaseRows(db).length).toBeGreaterThan(0);
  });
});
