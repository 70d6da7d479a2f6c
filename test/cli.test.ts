/** The command line's own surface: help, version, usage errors (the built CLI, as users run it). */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('anam-sync: error: unknown flag --colour\n');
  });
});

describe('usage errors are one line, exit 2', () => {
  const cases: Array<[string, string[], string]> = [
    [
      'an unknown command, with the nearest one',
      ['stauts'],
      'unknown command "stauts" (did you mean status?); the commands are sync, status, export, report, migrate, simulate',
    ],
    ['an unknown command nothing is near', ['frobnicate'], 'unknown command "frobnicate"; the commands are sync, status, export, report, migrate, simulate'],
    ['a mistyped flag, with the nearest flag of that command', ['report', '--form', '2026-01-01'], 'unknown flag --form (did you mean --from?)'],
    ['two mistyped flags', ['status', '--jsn', '--dbb', 'x.db'], 'unknown flag --jsn (did you mean --json?); unknown flag --dbb (did you mean --db?)'],
    ['a value outside the choices (yargs writes it over two lines)', ['export', '--format', 'xlsx'], '--format must be one of csv, ndjson, parquet, not "xlsx"'],
    ['a flag without its value', ['status', '--db'], '--db needs a value'],
    ['--quiet with --verbose', ['status', '--quiet', '--verbose'], '--quiet and --verbose cannot be used together'],
    ['-q with -v', ['sync', '-q', '-v'], '--quiet and --verbose cannot be used together'],
    ['no command', [], 'name a command: sync, status, export, report, migrate, simulate (see --help)'],
    [
      'an API URL ending in a version path',
      ['sync', '--api-url', 'http://127.0.0.1:9/v1'],
      '--api-url (ANAM_API_URL) http://127.0.0.1:9/v1 ends in the version path /v1; anam-sync adds /v1 itself: give http://127.0.0.1:9',
    ],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    const result = await runCli(args, { env: { ANAM_API_KEY: 'demo' } });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`anam-sync: error: ${message}\n`);
  });

  it.each(cases)('%s, as one JSON object under --log-format json', async (_, args, message) => {
    const result = await runCli([...args, '--log-format', 'json'], { env: { ANAM_API_KEY: 'demo' } });
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', message, exitCode: 2 });
  });

  it('simulate on a busy port names the port', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const result = await runCli(['simulate', '--port', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`anam-sync: error: --port ${port} is already in use on 127.0.0.1; choose another port, or 0 for a free one\n`);
    } finally {
      busy.close();
    }
  });

  it('simulate checks --sessions against the limit the simulator itself has, with exit 2 and one line', async () => {
    const result = await runCli(['simulate', '--sessions', '2000000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('anam-sync: error: --sessions must be a number from 0 to 1000000, not "2000000"\n');
  });

  it.each([
    [['--latency', '-1'], '--latency must be a number from 0 to 600000, not "-1"'],
    [['--fault-rate', '1.5'], '--fault-rate must be a number from 0 to 1, not "1.5"'],
    [['--fault-rate', 'often'], '--fault-rate must be a number from 0 to 1, not "often"'],
    [['--seed', '2.5'], '--seed must be a whole number from 0 to 2147483647, not "2.5"'],
    [['--faults', '503,teapot'], '--faults takes 429,429-date,500,502,503,504,reset,truncated,html; "teapot" is not one'],
    [['--order', 'random'], '--order must be one of newest, oldest, shuffled, not "random"'],
    [['--key', 'two words'], '--key must not contain spaces'],
    [['--host', ''], '--host must not be empty'],
    [['--host', '192.168.1.10'], '--host must be a loopback interface (127.0.0.1, ::1 or localhost), not "192.168.1.10"'],
  ])('simulate %j exits 2 with one line naming the flag', async (args, message) => {
    const result = await runCli(['simulate', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`anam-sync: error: ${message}\n`);
  });
});
