/**
 * Watching anam-sync from cron and monitoring: warnings that reach a person under --quiet (once),
 * retries that show, JSON log fields, the Prometheus metrics file (parsed with a real parser),
 * `status --check`, abandoned runs, and requests through a real HTTP proxy on loopback.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createProxy } from 'proxy';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { expectOneLine, query, runCli, sleep, startCli, syncJson, tempDirs } from '../helpers.js';

const dirs = tempDirs();
let sim: Simulator | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  dirs.cleanup();
});

const KEY = 'sk-monitoring-key-3f9a';
const env = (extra: Record<string, string> = {}) => ({ ANAM_API_KEY: KEY, ...extra });

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('warnings that reach a person', () => {
  it('--quiet prints a warning the first time records are rejected, nothing on the next identical run; status --check stays 1 while it is open', async () => {
    sim = await startSimulator({ sessions: 300, seed: 51, invalidEvery: 50 });
    const db = join(dirs.make(), 'w.db');
    const sync = () => runCli(['sync', '--quiet', '--api-url', sim!.url, '--db', db], { env: env() });

    const first = await sync();
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^anam-sync: warn: 6 record\(s\) the API lists failed validation/m);
    expect((await sync()).stderr).toBe('');

    const check = await runCli(['status', '--check', '--db', db]);
    expect(check.code).toBe(1);
    expectOneLine(check.stdout);
    expect(check.stdout).toMatch(/^all sessions: warning rejected-records: 6 record\(s\)/);
  });

  it('--log-format json gives the summary its numbers as fields, and each warning a stable code', async () => {
    sim = await startSimulator({ sessions: 120, seed: 52, invalidEvery: 40 });
    const db = join(dirs.make(), 'j.db');
    const result = await runCli(['sync', '--log-format', 'json', '--api-url', sim.url, '--db', db], { env: env() });
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = lines.find((line) => String(line.message).startsWith('sync succeeded'))!;
    expect(summary).toMatchObject({ level: 'info', status: 'succeeded', mode: 'full', inserted: 117, rejected: 3, pages: 2 });
    expect(lines.find((line) => line.level === 'warn')).toMatchObject({ code: 'rejected-records' });
  });
});

describe('retries', () => {
  it('a wait longer than a second gets one line at the default level, with status, attempt, wait and Retry-After', async () => {
    sim = await startSimulator({ sessions: 20, seed: 53, faultRate: 1, faultKinds: ['429'], retryAfterSeconds: 2 });
    const db = join(dirs.make(), 'r.db');
    const result = await runCli(['sync', '--max-retries', '1', '--api-url', sim.url, '--db', db], { env: env() });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n').filter((line) => /retrying/.test(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^anam-sync: GET \/v1\/sessions 429: retrying in [2-3]\.\d s \(attempt 1 of 2 failed, Retry-After 2\.0 s\)$/);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/still failing after 1 retries/);
  });
});

describe('the metrics file', () => {
  it('parses with a Prometheus parser, and its numbers equal status --json', async () => {
    sim = await startSimulator({ sessions: 400, seed: 54, invalidEvery: 80 });
    const db = join(dirs.make(), 'm.db');
    const metrics = join(dirs.make(), 'anam_sync.prom');
    const persona = sim.store.all().find((s) => s.personaId !== null)!.personaId!;
    expect((await runCli(['sync', '--quiet', '--api-url', sim.url, '--db', db, '--metrics-file', metrics], { env: env() })).code).toBe(0);
    // The environment variable works too, and a filtered scope gets its own series.
    const filtered = await runCli(['sync', '--quiet', '--api-url', sim.url, '--db', db, '--persona-id', persona], {
      env: env({ ANAM_SYNC_METRICS_FILE: metrics }),
    });
    expect(filtered.code).toBe(0);

    const families = parsePrometheusTextFormat(readFileSync(metrics, 'utf8'));
    const byName = new Map(families.map((family) => [family.name, family]));
    const value = (name: string, labels: Record<string, string>): number => {
      const family = byName.get(name);
      expect(family, name).toBeDefined();
      const metric = family!.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
      expect(metric, `${name} ${JSON.stringify(labels)}`).toBeDefined();
      return Number(metric!.value);
    };
    expect(byName.get('anam_sync_requests_total')?.type).toBe('COUNTER');
    expect(byName.get('anam_sync_sessions')?.help).toMatch(/live/);

    const status = JSON.parse((await runCli(['status', '--json', '--db', db])).stdout) as {
      scopes: Array<{ scope: string; lastRunAt: string; lastSuccessAt: string; lastRunDurationMs: number; requestsTotal: number; retriesTotal: number; sessions: Record<string, number>; rejectedRecords: number; warnings: Array<{ code: string }> }>;
    };
    expect(status.scopes.map((s) => s.scope)).toEqual(['', `personaId=${persona}`]);
    for (const scope of status.scopes) {
      const labels = { scope: scope.scope };
      expect(value('anam_sync_last_run_timestamp_seconds', labels)).toBe(Date.parse(scope.lastRunAt) / 1000);
      expect(value('anam_sync_last_success_timestamp_seconds', labels)).toBe(Date.parse(scope.lastSuccessAt) / 1000);
      expect(value('anam_sync_run_duration_seconds', labels)).toBe(scope.lastRunDurationMs / 1000);
      expect(value('anam_sync_requests_total', labels)).toBe(scope.requestsTotal);
      expect(value('anam_sync_retries_total', labels)).toBe(scope.retriesTotal);
      expect(value('anam_sync_rejected_records', labels)).toBe(scope.rejectedRecords);
      for (const state of ['live', 'open', 'deleted']) expect(value('anam_sync_sessions', { ...labels, state })).toBe(scope.sessions[state]);
      for (const warning of scope.warnings) expect(value('anam_sync_warnings', { ...labels, code: warning.code })).toBe(1);
    }
    expect(status.scopes[0]!.sessions.live).toBe(395);
    expect(status.scopes[0]!.warnings.map((w) => w.code)).toEqual(['rejected-records']);
  });

  it('is written after a failed run too, and a folder as --metrics-file is a usage error before any request', async () => {
    sim = await startSimulator({ sessions: 50, seed: 55 });
    const db = join(dirs.make(), 'f.db');
    const metrics = join(dirs.make(), 'm.prom');
    expect((await runCli(['sync', '--quiet', '--api-url', sim.url, '--db', db, '--metrics-file', metrics], { env: env() })).code).toBe(0);
    sim.setOptions({ faultRate: 1, faultKinds: ['500'] });
    const failed = await runCli(['sync', '--quiet', '--max-retries', '0', '--api-url', sim.url, '--db', db, '--metrics-file', metrics], { env: env() });
    expect(failed.code).toBe(1);
    const families = parsePrometheusTextFormat(readFileSync(metrics, 'utf8'));
    const lastRun = Number(families.find((f) => f.name === 'anam_sync_last_run_timestamp_seconds')!.metrics[0]!.value);
    const lastSuccess = Number(families.find((f) => f.name === 'anam_sync_last_success_timestamp_seconds')!.metrics[0]!.value);
    expect(lastRun).toBeGreaterThan(lastSuccess);

    sim.resetStats();
    const folder = await runCli(['sync', '--api-url', sim.url, '--db', db, '--metrics-file', dirs.make()], { env: env() });
    expect(folder.code).toBe(2);
    expectOneLine(folder.stderr);
    expect(folder.stderr).toMatch(/--metrics-file/);
    expect(sim.stats().requests).toBe(0);
  });
});

describe('status --check', () => {
  it('OK when fresh; 1 naming the scope when older than --max-age or when the last run failed; 2 for a bad --max-age', async () => {
    sim = await startSimulator({ sessions: 60, seed: 56 });
    const db = join(dirs.make(), 'c.db');
    const check = (...args: string[]) => runCli(['status', '--check', '--db', db, ...args]);

    const none = await check();
    expect(none.code).toBe(2); // no database yet
    expect((await syncJson(['--api-url', sim.url, '--db', db], { env: env() })).result.code).toBe(0);

    const ok = await check();
    expect(ok).toMatchObject({ code: 0, stdout: 'OK: 1 scope(s) synced within 24h, no open warnings\n' });

    await sleep(1100);
    const stale = await check('--max-age', '1s');
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/^all sessions: last successful sync [1-9]\d* s ago \(--max-age 1s\)\n$/);

    sim.setOptions({ faultRate: 1, faultKinds: ['503'] });
    expect((await syncJson(['--max-retries', '0', '--api-url', sim.url, '--db', db], { env: env() })).result.code).toBe(1);
    const failed = await check();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^all sessions: last run failed \(GET \/v1\/sessions still failing after 0 retries/);

    const bad = await check('--max-age', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-age must be a duration/);
  });

  it('a run whose process was killed shows as abandoned, not running, in status and --check', async () => {
    sim = await startSimulator({ sessions: 3000, seed: 57, latencyMs: 40 });
    const db = join(dirs.make(), 'k.db');
    const running = startCli(['sync', '--quiet', '--per-page', '20', '--api-url', sim.url, '--db', db], { env: env() });
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        if (query(db, `SELECT 1 FROM sync_runs WHERE pages > 0`).length > 0) break;
      } catch {
        // not created yet
      }
      if (Date.now() > until) throw new Error('the sync did not start');
      await sleep(25);
    }
    running.child.kill('SIGKILL');
    await running.done;

    const status = JSON.parse((await runCli(['status', '--json', '--db', db])).stdout) as { lastRuns: Array<{ status: string }>; scopes: Array<{ lastRunStatus: string }> };
    expect(status.lastRuns[0]!.status).toBe('abandoned');
    expect(status.scopes[0]!.lastRunStatus).toBe('abandoned');
    expect((await runCli(['status', '--db', db])).stdout).toMatch(/#1 \S+ abandoned full/);
    const check = await runCli(['status', '--check', '--db', db]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/all sessions: no successful sync yet; all sessions: last run abandoned/);
  });
});

describe('through an HTTP proxy', () => {
  /** A real HTTP(S) proxy (the `proxy` package) that records what it was asked and every byte it saw. */
  async function startProxy(): Promise<{ url: string; requests: string[]; bytes: () => string }> {
    const requests: string[] = [];
    const chunks: Buffer[] = [];
    const server = createProxy(createHttpServer());
    server.on('request', (req) => requests.push(`${req.method} ${req.url}`));
    server.on('connect', (req) => requests.push(`CONNECT ${req.url}`));
    server.on('connection', (socket: Socket) => socket.on('data', (chunk: Buffer) => chunks.push(chunk)));
    const port = await listen(server);
    return { url: `http://127.0.0.1:${port}`, requests, bytes: () => Buffer.concat(chunks).toString('latin1') };
  }

  it('an http API is reached through HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    sim = await startSimulator({ sessions: 150, seed: 58 });
    const proxy = await startProxy();
    const db = join(dirs.make(), 'p.db');
    const through = await syncJson(['--api-url', sim.url, '--db', db], { env: env({ HTTP_PROXY: proxy.url }) });
    expect(through.result.code, through.result.stderr).toBe(0);
    expect(through.summary).toMatchObject({ inserted: 150 });
    expect(proxy.requests.filter((r) => r.startsWith(`GET ${sim!.url}/v1/sessions?`)).length).toBe(2);

    proxy.requests.length = 0;
    const bypass = await syncJson(['--api-url', sim.url, '--db', db], { env: env({ http_proxy: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }) });
    expect(bypass.result.code).toBe(0);
    expect(proxy.requests).toEqual([]);
  });

  it('an https API is reached through a CONNECT tunnel: the proxy never sees the key', async () => {
    sim = await startSimulator({ sessions: 80, seed: 59 });
    const folder = dirs.make();
    const [keyPem, certPem] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPem, '-out', certPem, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    // An https front for the simulator, with a certificate made for this test.
    const front = createHttpsServer({ key: readFileSync(keyPem), cert: readFileSync(certPem) }, async (req, res) => {
      const upstream = await fetch(`${sim!.url}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } });
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(await upstream.text());
    });
    const port = await listen(front);
    const proxy = await startProxy();
    const db = join(folder, 's.db');
    writeFileSync(join(folder, 'key'), `${KEY}\n`, { mode: 0o600 });

    const { result, summary } = await syncJson(['--api-url', `https://localhost:${port}`, '--db', db, '--api-key-file', join(folder, 'key')], {
      env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certPem },
    });

    expect(result.code, result.stderr).toBe(0);
    expect(summary).toMatchObject({ inserted: 80 });
    expect(proxy.requests).toEqual([`CONNECT localhost:${port}`]);
    expect(proxy.bytes()).toContain(`CONNECT localhost:${port}`);
    expect(proxy.bytes()).not.toContain(KEY);
    expect(proxy.bytes()).not.toMatch(/authorization/i);
  });
});
