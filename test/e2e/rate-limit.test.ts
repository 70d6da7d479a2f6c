/**
 * A sync against an API that limits requests per second (the simulator's token bucket): the run
 * slows down as a whole, so few requests are refused, and a `Retry-After` holds every request,
 * not only the one that got it. The requests are watched by a forwarding proxy on loopback that
 * notes when each one arrived and how it was answered.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulate/server.js';
import { query, syncJson, tempFolder } from '../helpers.js';

let folder: ReturnType<typeof tempFolder>;
let sim: Simulator;
let proxy: Server | undefined;

beforeEach(() => {
  folder = tempFolder();
});

afterEach(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await sim?.close();
  folder.cleanup();
});

interface Exchange {
  arrived: number;
  answered: number;
  status: number;
}

/** A proxy in front of `target` that records every exchange; resolves with its URL. */
async function recordingProxy(target: string, log: Exchange[]): Promise<string> {
  const upstream = new URL(target);
  proxy = createServer((req, res) => {
    const arrived = performance.now();
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res).on('finish', () => log.push({ arrived, answered: performance.now(), status: answer.statusCode ?? 0 }));
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

// 8 requests a second: even a loaded machine, where one request can take a quarter second, goes
// faster than that with eight in flight, so the limit is really met.
describe('against an API limited to 8 requests a second', () => {
  it('syncs everything with few 429s, every request waiting out a Retry-After', async () => {
    sim = await startSimulator({ sessions: 8000, seed: 41, rateLimit: 8 });
    const log: Exchange[] = [];
    const url = await recordingProxy(sim.url, log);
    const db = join(folder.path, 'sessions.db');

    const { result, summary } = await syncJson(['--api-url', url, '--db', db, '--concurrency', '8', '--per-page', '100'], {
      env: { ANAM_API_KEY: 'demo' },
      timeoutMs: 60_000,
    });

    expect(result.code).toBe(0);
    expect(summary).toMatchObject({ status: 'succeeded', inserted: 8000 });
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM sessions')[0]!.n).toBe(8000);
    const stats = sim.stats();
    const refused = stats.byStatus['429'] ?? 0;
    // Bursts at the start are refused: the run does not know the limit yet, and two rate-limit
    // events tell it the API's rate; its probes above that rate meet a few more. A client that
    // ignored the limit would see most of its requests refused; this one saw 10 to 35% in runs of
    // about 50 requests at 8 a second and 14% in one of about 90 (the share falls as a run grows:
    // the bench's 30k-session case measures the goal, 5%).
    expect(refused).toBeGreaterThan(0);
    expect(refused / stats.requests).toBeLessThanOrEqual(0.3);
    // After each 429 (Retry-After: 1), no request reached the API for the rest of that second,
    // bar those already on their way when it was answered (a quarter second allowed for them: the
    // CLI, this proxy and the simulator share two cores).
    const limited = log.filter((exchange) => exchange.status === 429);
    for (const refusal of limited) {
      const early = log.filter((e) => e.arrived > refusal.answered + 250 && e.arrived < refusal.answered + 900);
      expect(early, `requests within a second of the 429 answered at ${refusal.answered.toFixed(0)} ms`).toEqual([]);
    }
  }, 90_000);
});
