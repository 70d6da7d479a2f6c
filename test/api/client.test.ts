import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, classifyStatus, classifyThrown, parseRetryAfter, type ApiClientOptions } from '../../src/api/client.js';
import { AuthError, ExitCode, SyncError } from '../../src/errors.js';

const KEY = 'sk-test-do-not-print-4f1b9c';

/** A list body as the API documents it. */
const PAGE = JSON.stringify({
  data: [],
  meta: { total: 0, lastPage: 1, currentPage: 1, perPage: 10, prev: null, next: null },
});

/** One request as the test server saw it. */
interface Arrival {
  at: number;
  url: string;
  authorization: string | undefined;
}

interface TestServer {
  url: string;
  arrivals: Arrival[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A real HTTP server on 127.0.0.1 and a free port; `handler` answers the n-th request (0-based). */
async function serve(handler: Handler): Promise<TestServer> {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    arrivals.push({ at: performance.now(), url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res, arrivals.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: TestServer = {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  servers.push(handle);
  return handle;
}

function json(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** A client with tiny backoff, so any wait the tests measure comes from the server's Retry-After. */
function client(url: string, options: Partial<ApiClientOptions> = {}): ApiClient {
  return new ApiClient({ baseUrl: url, apiKey: KEY, timeoutMs: 5_000, maxRetries: 3, minBackoffMs: 1, maxBackoffMs: 5, ...options });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
}

describe('classifyStatus', () => {
  it('treats 2xx as success', () => {
    for (const status of [200, 201, 204, 299]) expect(classifyStatus(status)).toBeNull();
  });

  it('treats 401 and 403 as a refused key', () => {
    expect(classifyStatus(401)).toBe('auth');
    expect(classifyStatus(403)).toBe('auth');
  });

  it('treats 404 as an absent session', () => {
    expect(classifyStatus(404)).toBe('not-found');
  });

  it('retries 408, 429 and the 5xx a gateway sends', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(classifyStatus(status), String(status)).toBe('retriable');
  });

  it('gives up at once on other 4xx and on 5xx that will not heal', () => {
    for (const status of [400, 405, 409, 410, 422, 501, 505]) expect(classifyStatus(status), String(status)).toBe('fatal');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-04-20T09:00:00.000Z');

  it('reads whole and fractional seconds as milliseconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 2.5 ', now)).toBe(2_500);
  });

  it('reads an HTTP date as the time left until it, never less', () => {
    const wait = parseRetryAfter('Mon, 20 Apr 2026 09:01:00 GMT', now) as number;
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThanOrEqual(61_000);
  });

  it('reads an HTTP date in the past as no wait', () => {
    expect(parseRetryAfter('Mon, 20 Apr 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(0);
  });

  it('returns null for an absent or unreadable header', () => {
    for (const header of [null, '', 'soon', 'tomorrow', '5s', '1,000', '-5', 'abc 5']) {
      expect(parseRetryAfter(header, now), String(header)).toBeNull();
    }
  });
});

describe('classifyThrown', () => {
  const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

  it('retries socket failures but not a certificate the client cannot trust', () => {
    expect(classifyThrown(fetchFailed('ECONNRESET'), 'api.example', 1000).kind).toBe('retriable');
    const tls = classifyThrown(fetchFailed('CERT_HAS_EXPIRED'), 'api.example', 1000);
    expect(tls.kind).toBe('fatal');
    expect(tls.message).toMatch(/TLS certificate problem \(CERT_HAS_EXPIRED\)/);
    expect(classifyThrown(fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT'), 'api.example', 1000).kind).toBe('fatal');
  });

  it('reads the code of a socket error itself, as node:http throws it', () => {
    const socketError = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyThrown(socketError('ECONNREFUSED'), 'api.example', 1000).kind).toBe('retriable');
    expect(classifyThrown(socketError('HPE_INVALID_CONSTANT'), 'api.example', 1000).kind).toBe('retriable');
    expect(classifyThrown(socketError('Z_DATA_ERROR'), 'api.example', 1000).kind).toBe('retriable');
    expect(classifyThrown(socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'api.example', 1000).kind).toBe('fatal');
    expect(classifyThrown(socketError('ERR_TLS_CERT_ALTNAME_INVALID'), 'api.example', 1000).kind).toBe('fatal');
  });
});

describe('ApiClient', () => {
  it('sends the key as a bearer token and asks for the page it was told', async () => {
    const server = await serve((_req, res) => json(res, 200, PAGE));
    await client(server.url).listSessions(3, 50, { personaId: '6f1c3b0e-2a4d-4f8e-8d1b-5e9f7a3c2d10' });
    expect(server.arrivals).toHaveLength(1);
    expect(server.arrivals[0]?.authorization).toBe(`Bearer ${KEY}`);
    const url = new URL(server.arrivals[0]?.url ?? '', server.url);
    expect(url.pathname).toBe('/v1/sessions');
    expect(Object.fromEntries(url.searchParams)).toEqual({ page: '3', perPage: '50', personaId: '6f1c3b0e-2a4d-4f8e-8d1b-5e9f7a3c2d10' });
  });

  it('waits at least the Retry-After seconds of a 429 before asking again', async () => {
    const server = await serve((_req, res, n) =>
      n === 0 ? json(res, 429, '{"message":"Too many requests"}', { 'retry-after': '1' }) : json(res, 200, PAGE),
    );
    const api = client(server.url);
    await api.listSessions(1, 10);
    const [first, second] = server.arrivals;
    expect(server.arrivals).toHaveLength(2);
    // A few ms of slack for timer granularity; without Retry-After the gap would be about 2 ms.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(995);
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('tells each wait before a retry (status, attempt, the whole wait, Retry-After), and counts a success on the last attempts', async () => {
    const server = await serve((_req, res, n) =>
      n < 3 ? json(res, 429, '{"message":"slow down"}', { 'retry-after': n === 0 ? '0.2' : '0' }) : json(res, 200, PAGE),
    );
    const events: Array<{ status: number | null; attempt: number; attempts: number; waitMs: number; retryAfterMs: number | null }> = [];
    const api = client(server.url, { onRetry: (event) => events.push(event) });
    await api.listSessions(1, 10);
    expect(events.map(({ status, attempt, attempts, retryAfterMs }) => ({ status, attempt, attempts, retryAfterMs }))).toEqual([
      { status: 429, attempt: 1, attempts: 4, retryAfterMs: 200 },
      { status: 429, attempt: 2, attempts: 4, retryAfterMs: 0 },
      { status: 429, attempt: 3, attempts: 4, retryAfterMs: 0 },
    ]);
    expect(events[0]!.waitMs).toBeGreaterThanOrEqual(200);
    // Four attempts of four allowed: it nearly ran out.
    expect(api.stats).toEqual({ requests: 4, retries: 3, nearlyExhausted: 1 });
    const easy = client((await serve((_req, res) => json(res, 200, PAGE))).url);
    await easy.listSessions(1, 10);
    expect(easy.stats.nearlyExhausted).toBe(0);
  });

  it('waits until the HTTP date of a 429 before asking again', async () => {
    let until = 0;
    const server = await serve((_req, res, n) => {
      if (n > 0) return json(res, 200, PAGE);
      // A whole second at least one second ahead: HTTP dates cannot say anything finer.
      until = Math.ceil(Date.now() / 1000) * 1000 + 1000;
      json(res, 429, '{"message":"Too many requests"}', { 'retry-after': new Date(until).toUTCString() });
    });
    await client(server.url).listSessions(1, 10);
    expect(server.arrivals).toHaveLength(2);
    const firstAt = Date.now() - (performance.now() - (server.arrivals[0]?.at ?? 0));
    const secondAt = firstAt + ((server.arrivals[1]?.at ?? 0) - (server.arrivals[0]?.at ?? 0));
    // Wall clock and monotonic clock may disagree by a few ms; the date is what must be honoured.
    expect(secondAt).toBeGreaterThanOrEqual(until - 20);
  });

  it('stops at the first 401 with an AuthError that exits 77, after exactly one request', async () => {
    const server = await serve((_req, res) => json(res, 401, '{"message":"Invalid API key"}'));
    const api = client(server.url, { maxRetries: 5 });
    const error = await failure(api.listSessions(1, 10));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(ExitCode.auth);
    expect(server.arrivals).toHaveLength(1);
    expect(api.stats.retries).toBe(0);
  });

  it('treats 403 like 401', async () => {
    const server = await serve((_req, res) => json(res, 403, '{"message":"Forbidden"}'));
    expect(await failure(client(server.url).listSessions(1, 10))).toBeInstanceOf(AuthError);
    expect(server.arrivals).toHaveLength(1);
  });

  it('fails a 400 at once with the server message in the error', async () => {
    const server = await serve((_req, res) => json(res, 400, '{"message":"bad perPage"}'));
    const api = client(server.url, { maxRetries: 5 });
    const error = await failure(api.listSessions(1, 10));
    expect(error).toBeInstanceOf(SyncError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as SyncError).exitCode).toBe(ExitCode.failed);
    expect(error.message).toContain('bad perPage');
    expect(error.message).toContain('400');
    expect(server.arrivals).toHaveLength(1);
    expect(api.stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it('retries a body cut off in the middle of the JSON, counting the retry', async () => {
    const server = await serve((_req, res, n) => {
      if (n > 0) return json(res, 200, PAGE);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(PAGE.slice(0, Math.floor(PAGE.length / 2)));
    });
    const api = client(server.url);
    expect((await api.listSessions(1, 10)).meta.total).toBe(0);
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('retries an HTML page from a proxy, with status 200 or 502', async () => {
    const server = await serve((_req, res, n) => {
      if (n === 2) return json(res, 200, PAGE);
      res.writeHead(n === 0 ? 200 : 502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const api = client(server.url);
    await api.listSessions(1, 10);
    expect(api.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it('retries JSON that is not a list response', async () => {
    const server = await serve((_req, res, n) => json(res, 200, n === 0 ? '{"data":"nope"}' : PAGE));
    const api = client(server.url);
    await api.listSessions(1, 10);
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('reads gzip, deflate and brotli bodies, and asks for them', async () => {
    const encodings = ['gzip', 'deflate', 'br'] as const;
    const server = await serve((req, res, n) => {
      const encoding = encodings[n]!;
      expect(req.headers['accept-encoding']).toMatch(new RegExp(encoding));
      const body = encoding === 'gzip' ? gzipSync(PAGE) : encoding === 'deflate' ? deflateSync(PAGE) : brotliCompressSync(PAGE);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': body.length });
      res.end(body);
    });
    const api = client(server.url);
    for (let i = 0; i < encodings.length; i++) expect((await api.listSessions(1, 10)).meta.lastPage).toBe(1);
    expect(api.stats).toMatchObject({ requests: 3, retries: 0 });
  });

  it('retries a compressed body that does not decompress', async () => {
    const server = await serve((_req, res, n) => {
      if (n > 0) return json(res, 200, PAGE);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('this is not gzip');
    });
    const api = client(server.url);
    await api.listSessions(1, 10);
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('keeps one connection for requests made one after another', async () => {
    const ports = new Set<number>();
    const server = await serve((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      json(res, 200, PAGE);
    });
    const api = client(server.url);
    for (let i = 0; i < 5; i++) await api.listSessions(i + 1, 10);
    expect(server.arrivals).toHaveLength(5);
    expect(ports.size).toBe(1);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('(needs openssl) gives up at once on a certificate it cannot trust, saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anam-sync-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      let arrivals = 0;
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
        arrivals++;
        json(res, 200, PAGE);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const api = client(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
        const error = await failure(api.listSessions(1, 10));
        expect(error).toBeInstanceOf(SyncError);
        expect(error.message).toMatch(/TLS certificate problem \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
        expect(api.stats).toMatchObject({ requests: 1, retries: 0 });
        expect(arrivals).toBe(0);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not follow a redirect (the key would go along): it fails at once, naming the base URL to use', async () => {
    const server = await serve((req, res, n) => {
      const to = n === 0 ? 'https://api.example/anam/v1/sessions?page=1&perPage=10' : `/moved${req.url}`;
      res.writeHead(n === 0 ? 301 : 308, { location: to });
      res.end();
    });
    const api = client(server.url);
    const absolute = await failure(api.listSessions(1, 10));
    expect(absolute).toBeInstanceOf(SyncError);
    expect(absolute.message).toMatch(/answered 301 \(a redirect to https:\/\/api\.example\/anam: set that address as --api-url\)/);
    const relative = await failure(api.listSessions(1, 10));
    expect(relative.message).toContain(`answered 308 (a redirect to ${server.url}/moved: set that address as --api-url)`);
    expect(server.arrivals).toHaveLength(2);
  });

  it('reads an empty compressed error body as the status it came with', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401, { 'content-encoding': 'gzip', 'content-length': 0 });
      res.end();
    });
    const error = await failure(client(server.url).listSessions(1, 10));
    expect(error).toBeInstanceOf(AuthError);
  });

  it('retries a connection the server resets', async () => {
    const server = await serve((req, res, n) => (n === 0 ? req.socket.destroy() : json(res, 200, PAGE)));
    const api = client(server.url);
    await api.listSessions(1, 10);
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('gives up on a server that never answers after its timeouts and retries, saying so', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const api = client(server.url, { timeoutMs: 150, maxRetries: 2 });
    const started = performance.now();
    const error = await failure(api.listSessions(1, 10));
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 150 - 10);
    expect(error).toBeInstanceOf(SyncError);
    expect(error.message).toMatch(/still failing after 2 retries/);
    expect(error.message).toMatch(/no answer/);
    expect(server.arrivals).toHaveLength(3);
    expect(api.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it('retries a request that timed out and uses the answer that follows', async () => {
    const server = await serve((_req, res, n) => {
      if (n > 0) json(res, 200, PAGE);
    });
    const api = client(server.url, { timeoutMs: 150 });
    await api.listSessions(1, 10);
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('fails with the last error once the retries run out', async () => {
    const server = await serve((_req, res) => json(res, 503, '{"message":"Service unavailable"}'));
    const api = client(server.url, { maxRetries: 2 });
    const error = await failure(api.listSessions(1, 10));
    expect(error.message).toContain('503');
    expect(server.arrivals).toHaveLength(3);
    expect(api.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it('answers null for a session the API does not know', async () => {
    const server = await serve((_req, res) => json(res, 404, '{"message":"Session not found"}'));
    expect(await client(server.url).getSession('3f0c2a9e-6b1d-4c1e-9a43-0f6f6a2b7c11')).toBeNull();
    expect(server.arrivals).toHaveLength(1);
  });

  it('retries a session lookup whose JSON is not a session object', async () => {
    const server = await serve((_req, res, n) => json(res, 200, n === 0 ? '[]' : '{"id":"s1"}'));
    const api = client(server.url);
    expect(await api.getSession('s1')).toEqual({ id: 's1' });
    expect(api.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('never puts the key in an error message, even when the server echoes it', async () => {
    const answers: Handler[] = [
      (_req, res) => json(res, 401, JSON.stringify({ message: `Invalid API key ${KEY}` })),
      (_req, res) => json(res, 400, JSON.stringify({ message: `key ${KEY} may not list sessions` })),
      (_req, res) => json(res, 500, JSON.stringify({ error: `upstream rejected Bearer ${KEY}` })),
      (req) => req.socket.destroy(),
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html>${KEY}</html>`);
      },
    ];
    for (const answer of answers) {
      const server = await serve(answer);
      const error = await failure(client(server.url, { maxRetries: 1 }).listSessions(1, 10));
      expect(error.message).not.toContain(KEY);
      expect(String(error.stack)).not.toContain(KEY);
    }
  });
});
