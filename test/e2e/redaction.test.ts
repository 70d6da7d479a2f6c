/**
 * The contract's redaction rule as stored: strings under secret-named keys are replaced, numbers
 * are kept (`llmConfig.maxTokens`), and a database written under the old rule (every value under
 * such a key replaced) is corrected by the next full reconciliation.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { query, syncJson, tempDirs } from '../helpers.js';

const dirs = tempDirs();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  dirs.cleanup();
});

const maxTokensOf = (json: string): unknown => (JSON.parse(json) as { llmConfig?: { maxTokens?: unknown } }).llmConfig?.maxTokens;

describe('redaction in the database', () => {
  it('stores llmConfig.maxTokens as the number the API sent, and no secret string', async () => {
    sim = await startSimulator({ sessions: 300, seed: 31 });
    const db = join(dirs.make(), 'r.db');
    expect((await syncJson(['--api-url', sim.url, '--db', db], { env: { ANAM_API_KEY: 'demo' } })).result.code).toBe(0);
    const wire = new Map(sim.store.all().map((s) => [s.id, s]));
    const rows = query<{ id: string; persona_config: string }>(db, 'SELECT id, persona_config FROM sessions');
    for (const row of rows) {
      const sent = (wire.get(row.id)!.personaConfig as { llmConfig?: { maxTokens?: number; secret_iv?: string } }).llmConfig;
      if (sent?.maxTokens === undefined) continue;
      expect(maxTokensOf(row.persona_config)).toBe(sent.maxTokens);
      if (sent.secret_iv !== undefined) expect(row.persona_config).not.toContain(sent.secret_iv);
    }
    for (const { json } of query<{ json: string }>(db, 'SELECT json FROM session_history')) {
      expect(typeof maxTokensOf(JSON.stringify((JSON.parse(json) as { personaConfig: unknown }).personaConfig))).not.toBe('string');
    }
  });

  it('a database written under the old rule is corrected by the next full reconciliation', async () => {
    sim = await startSimulator({ sessions: 300, seed: 32 });
    const db = join(dirs.make(), 'old-rule.db');
    const sync = (...args: string[]) => syncJson(['--api-url', sim!.url, '--db', db, ...args], { env: { ANAM_API_KEY: 'demo' } });
    await sync();
    // What the old rule wrote: every value under a secret-named key replaced, numbers included.
    const conn = new Database(db);
    conn.exec(`UPDATE sessions SET persona_config = replace(replace(replace(persona_config,
                 '"maxTokens":1024', '"maxTokens":"[REDACTED]"'), '"maxTokens":2048', '"maxTokens":"[REDACTED]"'), '"maxTokens":4096', '"maxTokens":"[REDACTED]"');
               UPDATE session_current_raw SET json = replace(replace(replace(json,
                 '"maxTokens":1024', '"maxTokens":"[REDACTED]"'), '"maxTokens":2048', '"maxTokens":"[REDACTED]"'), '"maxTokens":4096', '"maxTokens":"[REDACTED]"');`);
    conn.close();
    const damaged = () =>
      query<{ n: number }>(db, `SELECT (SELECT count(*) FROM sessions WHERE persona_config LIKE '%"maxTokens":"[REDACTED]"%')
        + (SELECT count(*) FROM session_history WHERE json LIKE '%"maxTokens":"[REDACTED]"%') AS n`)[0]!.n;
    expect(damaged()).toBeGreaterThan(100);

    const { result, summary } = await sync('--full');

    expect(result.code).toBe(0);
    expect(Number(summary.updated)).toBeGreaterThan(50);
    expect(damaged()).toBe(0);
  });
});
