/** The command line's own surface: help, version, usage errors (the built CLI, as users run it). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempFolder } from './helpers.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('anam-sync', () => {
  it('--help names every command and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['sync', 'status', 'export', 'report', 'migrate', 'simulate']) {
      expect(result.stdout).toMatch(new RegExp(`anam-sync ${command}`));
    }
    expect(result.stdout).toMatch(/75 +another sync holds this database/);
  });

  it('a command with --help shows that command\'s options and examples, and runs nothing', async () => {
    const result = await runCli(['sync', '--help', '--db', '/nonexistent/folder/x.db']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--concurrency/);
    expect(result.stdout).toMatch(/--full-every/);
    expect(result.stdout).toMatch(/Examples:/);
    expect(result.stderr).toBe('');
  });

  it('--version prints the package version, from whatever folder it is run', async () => {
    const elsewhere = tempFolder();
    try {
      for (const cwd of [undefined, elsewhere.path]) {
        const result = await runCli(['--version'], { cwd });
        expect(result.code).toBe(0);
        expect(result.stdout.trim()).toBe(VERSION);
      }
    } finally {
      elsewhere.cleanup();
    }
  });

  it('an unknown flag on a command exits 2 with one line that names it, and no help text', async () => {
    const result = await runCli(['export', '--format', 'csv', '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/colour/);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    expect(result.stderr).toMatch(/Run 'anam-sync --help' for usage/);
  });
});
