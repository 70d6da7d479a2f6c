import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { runCli, secretValues, tempDirs } from '../helpers.js';
import { duck, sqlPath } from './fixture.js';

const KEY = 'sk-live-export-test-key-9c1e';

const dirs = tempDirs();
let sim: Simulator;
let dir: string;
let db: string;
let secrets: string[];

beforeAll(async () => {
  sim = await startSimulator({ sessions: 400, seed: 5 });
  dir = dirs.make();
  db = join(dir, 'sessions.db');
  // The API's raw records, before the sync redacts them. Top-level fields such as `apiKeyId` are
  // identifiers the contract keeps; the secrets live inside the two JSON objects.
  const objects = sim.store.all().flatMap((s) => [s.clientMetadata, s.personaConfig]);
  secrets = [...secretValues(objects)].filter((s) => s.length >= 8);
  const synced = await runCli(['sync', '--api-url', sim.url, '--db', db, '--quiet'], { env: { ANAM_API_KEY: KEY } });
  expect(synced.code).toBe(0);
});
afterAll(async () => {
  await sim.close();
  dirs.cleanup();
});

describe('exports and secrets', () => {
  it('the simulated API really sends secrets (so the checks below mean something)', () => {
    expect(secrets.length).toBeGreaterThan(20);
    expect(secrets.some((s) => s.startsWith('hunter2-'))).toBe(true);
    expect(secrets.some((s) => s.startsWith('eyJ'))).toBe(true);
  });

  it.each(['csv', 'ndjson'])('a %s export after a real sync holds "[REDACTED]" and no secret value nor the API key', async (format) => {
    const out = join(dir, `sessions.${format}`);
    const result = await runCli(['export', '--db', db, '--format', format, '--out', out], { env: { ANAM_API_KEY: KEY } });
    expect(result.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('[REDACTED]');
    for (const secret of secrets) expect(text.includes(secret), secret).toBe(false);
    expect(text).not.toContain(KEY);
    expect(result.stderr).not.toContain(KEY);
  });

  it('a Parquet export read back holds "[REDACTED]" and no secret value', async () => {
    const out = join(dir, 'sessions.parquet');
    expect((await runCli(['export', '--db', db, '--format', 'parquet', '--out', out])).code).toBe(0);
    const rows = await duck(`SELECT * FROM read_parquet(${sqlPath(out)})`);
    expect(rows).toHaveLength(400);
    const text = JSON.stringify(rows);
    expect(text).toContain('[REDACTED]');
    for (const secret of secrets) expect(text.includes(secret), secret).toBe(false);
  });
});
