/**
 * The simulated Anam API: `GET /v1/sessions`, `GET /v1/sessions/{id}` and its `/transcript` served from a
 * {@link SessionStore} over real HTTP, with seeded faults, latency and concurrent changes, plus
 * `/_simulator/*` control endpoints for tests and benchmarks running in other processes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { inspect } from 'node:util';
import type { ApiSession, SessionFilters, SessionListResponse } from '../api/types.js';
import { createTokenBucket, type TokenBucket } from './rate-limit.js';
import { openStuckSessions } from './stuck-open.js';
import { transcriptOf } from './transcripts.js';
import { createSessionStore, LIST_ORDERS, MAX_SESSIONS, type ListOrder, type SessionStore } from './data.js';
import { createRandom, type Random } from './random.js';

/** A failure the simulator can inject instead of a normal answer. */
export type FaultKind = '429' | '429-date' | '500' | '502' | '503' | '504' | 'reset' | 'truncated' | 'html';

/** Every fault kind, the default of `faultKinds`. */
export const FAULT_KINDS: readonly FaultKind[] = [
  '429',
  '429-date',
  '500',
  '502',
  '503',
  '504',
  'reset',
  'truncated',
  'html',
];

/** Options of {@link startSimulator}; all optional. */
export interface SimulatorOptions {
  /** Sessions generated when no `store` is given (default 250). */
  sessions?: number;
  /** Seed of the data and of the fault draws (default 1). */
  seed?: number;
  /** When set, only `Authorization: Bearer <key>` is accepted; otherwise any non-empty key. */
  key?: string;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free port). */
  port?: number;
  /** Delay added before every /v1 response, in ms (default 0). */
  latencyMs?: number;
  /** Order of list results (default 'newest'). */
  order?: ListOrder;
  /** K > 0: before serving every K-th /v1 request, a new session is created (default 0: never). */
  createEvery?: number;
  /** Probability (0..1) that a /v1 request gets a fault instead of its answer (default 0). */
  faultRate?: number;
  /** Faults to draw from (default all of {@link FAULT_KINDS}). */
  faultKinds?: readonly FaultKind[];
  /** Seconds announced in `Retry-After` of 429 faults (default 1). */
  retryAfterSeconds?: number;
  /**
   * Requests per second the API accepts (a token bucket holding one second's worth); beyond it
   * 429 with `Retry-After` (default 0: no limit).
   */
  rateLimit?: number;
  /**
   * Ended sessions older than two days served as still open, never closed upstream (default 0);
   * spread evenly over the history.
   */
  stuckOpen?: number;
  /** Every K-th generated record is broken (default 0: none); ignored when `store` is given. */
  invalidEvery?: number;
  /** Days the generated sessions are spread over (default 60); ignored when `store` is given. */
  days?: number;
  /** Serve this store instead of generating one. */
  store?: SessionStore;
}

/** The options {@link Simulator.setOptions} can change while the simulator runs. */
type RuntimeOptions = Pick<
  SimulatorOptions,
  'key' | 'latencyMs' | 'order' | 'createEvery' | 'faultRate' | 'faultKinds' | 'retryAfterSeconds' | 'rateLimit'
>;

/** Counters of /v1 traffic since start or the last reset. */
interface SimulatorStats {
  /** Every /v1 request that arrived. */
  requests: number;
  /** List requests served (authenticated, not faulted). */
  listRequests: number;
  /** Get-by-id requests served (authenticated, not faulted). */
  getRequests: number;
  /** Transcript requests served (authenticated, not faulted). */
  transcriptRequests: number;
  /** Requests answered with an injected fault. */
  faults: number;
  /** /v1 requests that arrived and whose response has not finished. */
  inFlight: number;
  /** The most /v1 requests in flight at once. */
  maxInFlight: number;
  /** Responses by status code; reset connections count as `reset`. */
  byStatus: Record<string, number>;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The store being served; tests may change it between requests. */
  readonly store: SessionStore;
  /** A copy of the counters. */
  stats(): SimulatorStats;
  /** Zeroes the counters (requests still in flight stay counted in `inFlight`). */
  resetStats(): void;
  /** Changes latency, faults, order, createEvery, key or retryAfterSeconds from now on. */
  setOptions(options: RuntimeOptions): void;
  /** Stops listening and ends every connection, keep-alive ones included. */
  close(): Promise<void>;
}

interface Settings {
  key: string | undefined;
  latencyMs: number;
  order: ListOrder;
  createEvery: number;
  faultRate: number;
  faultKinds: readonly FaultKind[];
  retryAfterSeconds: number;
  rateLimit: number;
}

// ---------------------------------------------------------------------------------------------
// Options

function fail(name: string, expected: string, value: unknown): never {
  throw new TypeError(`Expected \`${name}\` to be ${expected}, got ${inspect(value)}`);
}

function integerOption(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function numberOption(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(name, max === Infinity ? `a number >= ${min}` : `a number from ${min} to ${max}`, value);
  }
  return value;
}

function settle(options: RuntimeOptions): Settings {
  const {
    key,
    latencyMs = 0,
    order = 'newest',
    createEvery = 0,
    faultRate = 0,
    faultKinds = FAULT_KINDS,
    retryAfterSeconds = 1,
    rateLimit = 0,
  } = options;
  if (key !== undefined && (typeof key !== 'string' || key.trim() === '' || /\s/.test(key))) {
    fail('key', 'a non-empty string without spaces', key);
  }
  if (!LIST_ORDERS.includes(order)) fail('order', `one of ${LIST_ORDERS.join(', ')}`, order);
  if (
    !Array.isArray(faultKinds) ||
    faultKinds.length === 0 ||
    !faultKinds.every((kind) => FAULT_KINDS.includes(kind))
  ) {
    fail('faultKinds', `a non-empty list of ${FAULT_KINDS.join(', ')}`, faultKinds);
  }
  return Object.freeze({
    key,
    latencyMs: numberOption('latencyMs', latencyMs, 0, Infinity),
    order,
    createEvery: integerOption('createEvery', createEvery, 0),
    faultRate: numberOption('faultRate', faultRate, 0, 1),
    faultKinds: Object.freeze([...faultKinds]),
    retryAfterSeconds: integerOption('retryAfterSeconds', retryAfterSeconds, 0),
    rateLimit: numberOption('rateLimit', rateLimit, 0, 1_000_000),
  });
}

function runtimeOf(settings: Settings): RuntimeOptions {
  const { key, ...rest } = settings;
  return key === undefined ? rest : { key, ...rest };
}

function storeFrom(options: SimulatorOptions, seed: number): SessionStore {
  if (options.store !== undefined) {
    if (typeof options.store?.list !== 'function') fail('store', 'a SessionStore', options.store);
    return options.store;
  }
  return createSessionStore({
    sessions: integerOption('sessions', options.sessions ?? 250, 0, MAX_SESSIONS),
    seed,
    invalidEvery: integerOption('invalidEvery', options.invalidEvery ?? 0, 0),
    days: integerOption('days', options.days ?? 60, 1, 3660),
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

/** What a route answers: a status and a JSON body. */
interface Reply {
  status: number;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function problem(status: number, message: string): Reply {
  return { status, body: { message } };
}

function queryInteger(params: URLSearchParams, name: string, fallback: number, max: number): number | Reply {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) {
    const range = max === Infinity ? 'an integer >= 1' : `an integer from 1 to ${max}`;
    return problem(400, `${name} must be ${range}`);
  }
  return value;
}

function queryFilters(params: URLSearchParams): SessionFilters | Reply {
  const filters: SessionFilters = {};
  for (const name of ['apiKeyId', 'personaId'] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (!UUID.test(value)) return problem(400, `${name} must be a UUID`);
    filters[name] = value;
  }
  const search = params.get('search');
  if (search !== null && search !== '') filters.search = search;
  return filters;
}

/** `GET /v1/sessions`: one page of the store's current list. */
function listSessions(store: SessionStore, order: ListOrder, params: URLSearchParams): Reply {
  const page = queryInteger(params, 'page', 1, Infinity);
  if (typeof page !== 'number') return page;
  const perPage = queryInteger(params, 'perPage', 10, 100);
  if (typeof perPage !== 'number') return perPage;
  const filters = queryFilters(params);
  if ('status' in filters) return filters;
  const all = store.list(filters, order);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const body: SessionListResponse = {
    data: all.slice((page - 1) * perPage, page * perPage),
    meta: {
      total: all.length,
      lastPage,
      currentPage: page,
      perPage,
      prev: page > 1 ? page - 1 : null,
      next: page < lastPage ? page + 1 : null,
    },
  };
  return { status: 200, body };
}

/** `GET /v1/sessions/{id}`. */
function getSession(store: SessionStore, rawId: string): Reply {
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return problem(400, 'id must be a UUID');
  }
  if (!UUID.test(id)) return problem(400, 'id must be a UUID');
  const session = store.get(id);
  return session ? { status: 200, body: session } : problem(404, `Session ${id} not found`);
}

/** `GET /v1/sessions/{id}/transcript`: 404 while active, with zero data retention, or after 30 days. */
function getTranscript(store: SessionStore, rawId: string): Reply {
  const found = getSession(store, rawId);
  if (found.status !== 200) return found.status === 404 ? problem(404, 'Session not found or no transcript available') : found;
  const transcript = transcriptOf(found.body as ApiSession, store.now());
  return transcript === null ? problem(404, 'Session not found or no transcript available') : { status: 200, body: transcript };
}

type Route = { kind: 'list' } | { kind: 'get'; id: string } | { kind: 'transcript'; id: string } | { kind: 'unknown' };

function routeOf(pathname: string): Route {
  if (pathname === '/v1/sessions') return { kind: 'list' };
  const match = /^\/v1\/sessions\/([^/]+)(\/transcript)?$/.exec(pathname);
  if (!match) return { kind: 'unknown' };
  return { kind: match[2] === undefined ? 'get' : 'transcript', id: match[1] as string };
}

function answer(store: SessionStore, order: ListOrder, route: Route, url: URL): Reply {
  if (route.kind === 'list') return listSessions(store, order, url.searchParams);
  if (route.kind === 'get') return getSession(store, route.id);
  if (route.kind === 'transcript') return getTranscript(store, route.id);
  return problem(404, `Cannot GET ${url.pathname}`);
}

/** Undefined when the request carries an acceptable bearer key, else the 401 message. */
function authProblem(req: IncomingMessage, key: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return 'Missing or malformed Authorization header: expected "Bearer <API key>"';
  if (key === undefined) return undefined;
  // Compare digests so the comparison takes the same time whatever the length of the guess.
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(match[1] as string), digest(key)) ? undefined : 'Invalid API key';
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  send(res, reply.status, JSON.stringify(reply.body), 'application/json; charset=utf-8', headers);
}

// ---------------------------------------------------------------------------------------------
// Faults

const PROXY_PAGE = (status: string): string =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n` +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function drawFault(rng: Random, settings: Settings): FaultKind | undefined {
  if (settings.faultRate <= 0 || rng.next() >= settings.faultRate) return undefined;
  return rng.pick(settings.faultKinds);
}

/** Answers with a fault; returns the status to count (`reset` when there is none). */
function sendFault(
  res: ServerResponse,
  kind: FaultKind,
  settings: Settings,
  rng: Random,
  realAnswer: () => Reply,
): string {
  const seconds = settings.retryAfterSeconds;
  switch (kind) {
    case '429':
      sendJson(res, problem(429, 'Too many requests'), { 'retry-after': String(seconds) });
      return '429';
    case '429-date': {
      // HTTP dates have whole seconds; round up so the wait is never shorter than announced.
      const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
      sendJson(res, problem(429, 'Too many requests'), { 'retry-after': at.toUTCString() });
      return '429';
    }
    case '500':
    case '503':
      sendJson(res, problem(Number(kind), kind === '500' ? 'Internal server error' : 'Service unavailable'));
      return kind;
    case '502':
    case '504':
      send(res, Number(kind), kind === '502' ? 'Bad Gateway' : 'upstream request timeout', 'text/plain');
      return kind;
    case 'reset':
      res.socket?.destroy();
      return 'reset';
    case 'truncated': {
      const body = Buffer.from(JSON.stringify(realAnswer().body));
      // No Content-Length: the response is chunked and ends cleanly, only the JSON is cut.
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body.subarray(0, Math.floor(body.length / 2)));
      return '200';
    }
    case 'html': {
      const status = rng.chance(0.5) ? 502 : 200;
      send(res, status, PROXY_PAGE(status === 502 ? '502 Bad Gateway' : 'Service temporarily unavailable'), 'text/html');
      return String(status);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Control endpoints

const CONTROL_PREFIX = '/_simulator/';

function pickRandom<T>(rng: Random, items: T[], n: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < n && pool.length > 0) {
    picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as T);
  }
  return picked;
}

function idsOf(sessions: (ApiSession | undefined)[]): string[] {
  return sessions.flatMap((s) => (s && typeof s.id === 'string' ? [s.id] : []));
}

/** Applies `POST /_simulator/{create,end,edit,delete}?n=N`; returns the affected ids. */
function changeStore(store: SessionStore, rng: Random, action: string, n: number): string[] {
  const withId = store.all().filter((s) => typeof s.id === 'string');
  switch (action) {
    case 'create':
      return idsOf(Array.from({ length: n }, () => store.create()));
    case 'end': {
      // The longest-running sessions end first, as they would in life.
      const active = store.list({}, 'oldest').filter((s) => s.endTime === null && typeof s.id === 'string');
      return idsOf(active.slice(0, n).map((s) => store.end(s.id)));
    }
    case 'edit': {
      const ended = withId.filter((s) => s.endTime !== null);
      return idsOf(pickRandom(rng, ended, n).map((s) => store.edit(s.id)));
    }
    default:
      return pickRandom(rng, withId, n).flatMap((s) => (store.remove(s.id) ? [s.id] : []));
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new RangeError('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

// ---------------------------------------------------------------------------------------------
// The simulator

function emptyStats(): SimulatorStats {
  return { requests: 0, listRequests: 0, getRequests: 0, transcriptRequests: 0, faults: 0, inFlight: 0, maxInFlight: 0, byStatus: {} };
}

/**
 * Starts a simulated Anam API on `host:port` and resolves once it listens.
 * Throws a TypeError naming the option when an option is invalid.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) fail('seed', 'an integer', seed);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') fail('host', 'a non-empty string', host);
  const port = integerOption('port', options.port ?? 0, 0, 65_535);
  let settings = settle(options);
  const store = storeFrom(options, seed);
  openStuckSessions(store, integerOption('stuckOpen', options.stuckOpen ?? 0, 0, 1_000_000));
  // Separate streams: whether faults are on must not change the data, nor the data the faults.
  const faultRng = createRandom(seed ^ 0x5eed_fa17);
  const controlRng = createRandom(seed ^ 0x0c0_7201);
  const aborter = new AbortController();
  let stats = emptyStats();
  let served = 0;
  let bucket: TokenBucket | null = null;
  /** The bucket for the current rate limit: kept while the rate stays, full again when it changes. */
  const bucketFor = (rate: number): TokenBucket | null => {
    if (rate === 0) {
      bucket = null;
      return null;
    }
    if (bucket?.rate !== rate) bucket = createTokenBucket(rate, Date.now());
    return bucket;
  };

  const count = (status: string): void => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Settings are read once, so a setOptions() mid-request cannot mix two configurations.
    const current = settings;
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    // `stats` is read at close time: after a reset, the new counters own the requests in flight.
    res.once('close', () => stats.inFlight--);
    if (current.latencyMs > 0) await delay(current.latencyMs, undefined, { signal: aborter.signal });
    if (res.destroyed) return;

    const limited = bucketFor(current.rateLimit)?.take(Date.now()) ?? null;
    if (limited !== null) {
      sendJson(res, problem(429, 'Rate limit exceeded'), { 'retry-after': String(limited) });
      return count('429');
    }
    const refusal = authProblem(req, current.key);
    if (refusal !== undefined) {
      sendJson(res, problem(401, refusal), { 'www-authenticate': 'Bearer' });
      return count('401');
    }
    if (req.method !== 'GET') {
      sendJson(res, problem(405, `Method ${req.method} not allowed`), { allow: 'GET' });
      return count('405');
    }
    const route = routeOf(url.pathname);
    const fault = drawFault(faultRng, current);
    if (fault !== undefined) {
      stats.faults++;
      return count(sendFault(res, fault, current, faultRng, () => answer(store, current.order, route, url)));
    }
    served++;
    if (current.createEvery > 0 && served % current.createEvery === 0) store.create();
    if (route.kind === 'list') stats.listRequests++;
    if (route.kind === 'get') stats.getRequests++;
    if (route.kind === 'transcript') stats.transcriptRequests++;
    const reply = answer(store, current.order, route, url);
    sendJson(res, reply);
    count(String(reply.status));
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const action = url.pathname.slice(CONTROL_PREFIX.length);
    const expected = ['stats', 'sessions'].includes(action) ? 'GET' : 'POST';
    const known = ['stats', 'sessions', 'reset-stats', 'options', 'create', 'end', 'edit', 'delete', 'advance'];
    if (!known.includes(action)) return sendJson(res, problem(404, `Unknown control endpoint ${url.pathname}`));
    if (req.method !== expected) {
      return sendJson(res, problem(405, `Use ${expected} ${url.pathname}`), { allow: expected });
    }
    if (action === 'stats') return sendJson(res, { status: 200, body: simulator.stats() });
    if (action === 'sessions') return sendJson(res, { status: 200, body: store.all() });
    if (action === 'reset-stats') {
      simulator.resetStats();
      return sendJson(res, { status: 200, body: simulator.stats() });
    }
    if (action === 'options') {
      simulator.setOptions((await readJson(req)) as RuntimeOptions);
      return sendJson(res, { status: 200, body: runtimeOf(settings) });
    }
    if (action === 'advance') {
      // Time passes: `days` days later, transcripts that ended more than 30 days before are gone.
      const days = queryInteger(url.searchParams, 'days', 1, 3650);
      if (typeof days !== 'number') return sendJson(res, days);
      store.advance(days * 86_400_000);
      return sendJson(res, { status: 200, body: { now: new Date(store.now()).toISOString() } });
    }
    const n = queryInteger(url.searchParams, 'n', 1, 100_000);
    if (typeof n !== 'number') return sendJson(res, n);
    sendJson(res, { status: 200, body: { ids: changeStore(store, controlRng, action, n) } });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const handling = url.pathname.startsWith('/v1/')
      ? handleApi(req, res, url)
      : url.pathname.startsWith(CONTROL_PREFIX)
        ? handleControl(req, res, url)
        : Promise.resolve(sendJson(res, problem(404, `Cannot ${req.method} ${url.pathname}`)));
    handling.catch((error: unknown) => {
      // An aborted latency wait means close() is under way; the socket is being destroyed anyway.
      if (aborter.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, problem(error instanceof SyntaxError || error instanceof TypeError ? 400 : 500, message));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const printableHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const simulator: Simulator = {
    url: `http://${printableHost}:${address.port}`,
    store,
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    resetStats() {
      const inFlight = stats.inFlight;
      stats = { ...emptyStats(), inFlight, maxInFlight: inFlight };
    },
    setOptions(partial) {
      settings = settle({ ...runtimeOf(settings), ...partial });
    },
    close() {
      aborter.abort();
      return new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return simulator;
}
