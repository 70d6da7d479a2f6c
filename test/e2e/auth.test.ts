import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../../src/simulate/options.js';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { openSqlite, runCli, tempDirs, type CliResult } from '../helpers.js';

const RIGHT = 'right';
const WRONG = 'sk-wrong-5e0b7d2a91';

const temp = tempDirs();
const running: Simulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
  temp.cleanup();
});

async function start(options: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator(options);
  running.push(sim);
  return sim;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

function expectNoStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toMatch(/\.(js|ts):\d+/);
}

describe('a key the API refuses', () => {
  it('exits 77 after exactly one request, with one line on stderr that never shows the key', async () => {
    // Faults on every request would hide a client that retries a 401: the simulator checks the key first.
    const sim = await start({ key: RIGHT, sessions: 50, faultRate: 1 });
    const dir = temp.make();
    const result = await runCli(['sync', '--api-url', sim.url, '--db', join(dir, 's.db')], { env: { ANAM_API_KEY: WRONG }, cwd: dir });
    expect(result.code).toBe(77);
    expect(sim.stats().requests).toBe(1);
    expect(sim.stats().byStatus).toEqual({ '401': 1 });
    const errors = lines(result.stderr).filter((line) => /error/i.test(line));
    expect(errors, result.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(/key/i);
    expectNoStackTrace(result);
    expect(result.stdout).not.toContain(WRONG);
    expect(result.stderr).not.toContain(WRONG);
  });

  it('keeps the key out of the --json summary and out of the database too', async () => {
    const sim = await start({ key: RIGHT, sessions: 50 });
    const dir = temp.make();
    const dbPath = join(dir, 's.db');
    const result = await runCli(['sync', '--api-url', sim.url, '--db', dbPath, '--json', '--log-format', 'json'], {
      env: { ANAM_API_KEY: WRONG },
    });
    expect(result.code).toBe(77);
    expect(sim.stats().requests).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(WRONG);
    expect(existsSync(dbPath)).toBe(true);
    const db = openSqlite(dbPath);
    try {
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
      const text = JSON.stringify(db.prepare('SELECT * FROM sync_runs').all());
      expect(text).not.toContain(WRONG);
    } finally {
      db.close();
    }
  });

  it('says so in exactly one line with --quiet, as cron mail would show it', async () => {
    const sim = await start({ key: RIGHT, sessions: 50 });
    const dir = temp.make();
    const result = await runCli(['sync', '--api-url', sim.url, '--db', join(dir, 's.db'), '--quiet'], { env: { ANAM_API_KEY: WRONG } });
    expect(result.code).toBe(77);
    expect(lines(result.stderr), result.stderr).toHaveLength(1);
    expect(result.stderr).not.toContain(WRONG);
  });

  it('reads the key from --api-key-file and refuses it the same way', async () => {
    const sim = await start({ key: RIGHT, sessions: 50 });
    const dir = temp.make();
    const file = join(dir, 'key');
    writeFileSync(file, `${WRONG}\n`);
    chmodSync(file, 0o600);
    const result = await runCli(['sync', '--api-url', sim.url, '--db', join(dir, 's.db'), '--api-key-file', file], { env: {} });
    expect(result.code).toBe(77);
    expect(sim.stats().requests).toBe(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(WRONG);
  });
});

describe('the right key', () => {
  it('syncs with the key from --api-key-file, warning once when others can read the file', async () => {
    const sim = await start({ key: RIGHT, sessions: 30 });
    const dir = temp.make();
    const file = join(dir, 'key');
    writeFileSync(file, `${RIGHT}\n`);
    chmodSync(file, 0o644);
    const result = await runCli(['sync', '--api-url', sim.url, '--db', join(dir, 's.db'), '--api-key-file', file], { env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(sim.stats().byStatus['401']).toBeUndefined();
    const warnings = lines(result.stderr).filter((line) => line.includes(file));
    expect(warnings, result.stderr).toHaveLength(1);
    expect(warnings[0]).toMatch(/warn/);
  });
});

describe('no key at all', () => {
  it('exits 2 naming ANAM_API_KEY, without asking the API anything', async () => {
    const sim = await start({ sessions: 10 });
    const dir = temp.make();
    const result = await runCli(['sync', '--api-url', sim.url, '--db', join(dir, 's.db')], { env: {}, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ANAM_API_KEY');
    expect(lines(result.stderr)).toHaveLength(1);
    expectNoStackTrace(result);
    expect(result.stdout).toBe('');
    expect(sim.stats().requests).toBe(0);
  });

  it('exits 2 naming ANAM_API_KEY when the variable is set but empty', async () => {
    const dir = temp.make();
    const result = await runCli(['sync', '--db', join(dir, 's.db')], { env: { ANAM_API_KEY: '' }, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ANAM_API_KEY');
  });
});
