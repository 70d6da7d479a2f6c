/**
 * The HTTP client of the Anam API: one request with bearer auth and a timeout, every failure
 * classified once (retriable, authentication, not found, fatal), and p-retry around it with
 * exponential backoff, jitter and `Retry-After`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import type { SessionFilters, SessionListResponse } from './types.js';
import { AuthError, SyncError } from '../errors.js';
import type { CongestionWindow } from './congestion.js';
import { httpGet } from './http.js';

/** How a failed request is treated: retried, fatal for the key, an absent session, or fatal. */
export type FailureKind = 'retriable' | 'auth' | 'not-found' | 'fatal';

/**
 * A failed request, classified. `retryAfterMs` is what the server asked us to wait, if anything;
 * `pausedRun`, whether that 429 paused every request of the run (the API limiting its rate).
 */
export class ApiRequestError extends Error {
  readonly pausedRun: boolean;

  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly status: number | null,
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown; pausedRun?: boolean },
  ) {
    super(message, options);
    this.name = 'ApiRequestError';
    this.pausedRun = options?.pausedRun ?? false;
  }
}

/** What the client reports about each attempt (for `--verbose`): never the key. */
interface RequestEvent {
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
  attempt: number;
  error?: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; later ones double, with up to 100% added jitter. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** The longest `Retry-After` honoured; longer requests wait this long. */
  maxRetryAfterMs?: number;
  /** Aborts requests in flight and waits between retries (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  onRequest?: (event: RequestEvent) => void;
  onRetry?: (event: RetryEvent) => void;
  /** An HTTP proxy for every request (from HTTPS_PROXY / HTTP_PROXY / NO_PROXY), or null. */
  proxyUrl?: string | null;
  /**
   * Shared by every request of a run: each attempt waits for its pause and pace first, and tells
   * it how the attempt went (a 429 slows every request down, successes speed them up again).
   */
  congestion?: CongestionWindow;
}

/** A wait before a retry (for the log: one line per wait longer than a second). */
interface RetryEvent {
  path: string;
  /** The status that failed, or null for a network failure. */
  status: number | null;
  /** The attempt that failed (1 = the first) and how many the request may make in all. */
  attempt: number;
  attempts: number;
  /** The whole wait: what the server asked for (capped), plus the jittered backoff. */
  waitMs: number;
  /** What `Retry-After` asked for, or null. */
  retryAfterMs: number | null;
  error: string;
}

/** Counters of one client: every attempt is a request, every attempt after the first a retry. */
export interface ClientStats {
  requests: number;
  retries: number;
  /** Requests that succeeded on their last or second-to-last allowed attempt. */
  nearlyExhausted: number;
}

/** The status classes of the contract: 429 and 5xx gateway errors are retried, 401/403 end the run. */
export function classifyStatus(status: number): FailureKind | null {
  if (status >= 200 && status < 300) return null;
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504) {
    return 'retriable';
  }
  return 'fatal';
}

/**
 * Reads a `Retry-After` header, in seconds or as an HTTP date, as milliseconds to wait from `now`.
 * Returns null when absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms) always names its year.
  if (!/\b\d{4}\b/.test(text) || !/[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  // An HTTP date has whole seconds: the server means "not before the end of that second".
  return Math.max(0, date + 1000 - now);
}

/** Classifies what a request threw: timeouts and socket failures are retried, our own abort is not. */
export function classifyThrown(error: unknown, host: string, timeoutMs: number): ApiRequestError {
  if (error instanceof ApiRequestError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError') {
    return new ApiRequestError(`no answer from ${host} within ${timeoutMs / 1000} s`, 'retriable', null, null, { cause: error });
  }
  if (name === 'AbortError') return new ApiRequestError('request aborted', 'fatal', null, null, { cause: error });
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code ?? (error as { code?: string } | null)?.code;
  const detail = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  // A certificate the client cannot trust does not get better by retrying.
  if (code !== undefined && /CERT|TLS|SSL|UNABLE_TO_VERIFY|INVALID_CA|HOSTNAME_MISMATCH/.test(code)) {
    return new ApiRequestError(`cannot reach ${host}: TLS certificate problem (${code})`, 'fatal', null, null, { cause: error });
  }
  // A URL this client cannot use stays unusable, and so does an answer too large to read; any other failure of the socket, the HTTP framing
  // or the compression (a reset, a refused connection, a cut-off or garbled body) may heal.
  const retriable = code !== 'ERR_INVALID_PROTOCOL' && code !== 'ERR_INVALID_URL' && code !== 'ERR_BODY_TOO_LARGE';
  return new ApiRequestError(`cannot reach ${host}: ${detail}`, retriable ? 'retriable' : 'fatal', null, null, { cause: error });
}

/**
 * The shape of a list response: `data` an array, `meta` an object. Its numbers are checked by the
 * sync (plan.ts `checkPage`), which can name the field and the page; a body without this shape (a
 * proxy's JSON error page, say) is retried like any other body that is not the API's.
 */
function isListResponse(body: unknown): body is SessionListResponse {
  if (!isObject(body)) return false;
  const { data, meta } = body as Partial<SessionListResponse>;
  return Array.isArray(data) && isObject(meta);
}

function isObject(body: unknown): body is Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body);
}

/** The Anam API, as this tool reads it. */
export class ApiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, nearlyExhausted: 0 };
  readonly #options: Required<Omit<ApiClientOptions, 'signal' | 'onRequest' | 'onRetry' | 'congestion'>> &
    Pick<ApiClientOptions, 'signal' | 'onRequest' | 'onRetry' | 'congestion'>;
  readonly #host: string;

  constructor(options: ApiClientOptions) {
    this.#options = Object.freeze({
      minBackoffMs: 250,
      maxBackoffMs: 15_000,
      maxRetryAfterMs: 120_000,
      proxyUrl: null,
      ...options,
    });
    this.#host = new URL(options.baseUrl).host;
  }

  /** One page of `GET /v1/sessions`, retried until it is a well-formed list or the retries run out. */
  async listSessions(page: number, perPage: number, filters: SessionFilters = {}): Promise<SessionListResponse> {
    const query = new URLSearchParams({ page: String(page), perPage: String(perPage) });
    if (filters.search !== undefined) query.set('search', filters.search);
    if (filters.apiKeyId !== undefined) query.set('apiKeyId', filters.apiKeyId);
    if (filters.personaId !== undefined) query.set('personaId', filters.personaId);
    // The shape is checked inside the retried attempt: a well-formed body of the wrong shape (a
    // proxy's JSON error page, say) is retried like any other body that is not the API's.
    const body = await this.#getJson(`/v1/sessions?${query}`, isListResponse, 'the list response is not the JSON the API documents');
    return body as SessionListResponse;
  }

  /** `GET /v1/sessions/{id}`: the record, or null when the API answers 404. */
  async getSession(id: string): Promise<Record<string, unknown> | null> {
    try {
      const body = await this.#getJson(`/v1/sessions/${encodeURIComponent(id)}`, isObject, 'the answer is not a session object');
      return body as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ApiRequestError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  /**
   * `GET /v1/sessions/{id}/transcript`: the answer as sent (validated by api/transcript.ts), or null
   * when the API answers 404 ("session not found or no transcript available").
   */
  async getTranscript(id: string): Promise<Record<string, unknown> | null> {
    try {
      const body = await this.#getJson(`/v1/sessions/${encodeURIComponent(id)}/transcript`, isObject, 'the answer is not a transcript object');
      return body as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ApiRequestError && error.kind === 'not-found') return null;
      throw error;
    }
  }

  /** GETs a path with retries; resolves to parsed JSON or throws a SyncError for the user. */
  async #getJson(path: string, accept: (body: unknown) => boolean, unexpected: string): Promise<unknown> {
    const { maxRetries, minBackoffMs, maxBackoffMs, maxRetryAfterMs, signal, onRetry } = this.#options;
    let attempts = 0;
    try {
      const body = await pRetry(
        (attempt) => {
          attempts = attempt;
          return this.#attempt(path, attempt, accept, unexpected);
        },
        {
          retries: maxRetries,
          // The waits are ours (below), so that the log can say how long each one is: p-retry's own
          // delay is zero.
          minTimeout: 0,
          maxTimeout: 0,
          signal,
          // Runs only when a retry will follow: the server's wait first, then a jittered exponential
          // backoff on top, so jitter can only lengthen what the server asked for.
          shouldRetry: async ({ error, attemptNumber }) => {
            this.stats.retries++;
            const failure = error instanceof ApiRequestError ? error : null;
            const asked = failure?.retryAfterMs ?? null;
            // A request whose 429 paused the whole run retries when the pause ends, with the others
            // (the run's pace spaces them): a backoff on top would leave the API's refilled bucket
            // unused while the run's slots sit waiting. Refused again, it backs off as any retry.
            const resumes = failure?.pausedRun === true && asked !== null && attemptNumber === 1;
            const backoff = resumes ? 0 : Math.min(maxBackoffMs, Math.round(minBackoffMs * 2 ** (attemptNumber - 1) * (1 + Math.random())));
            const waitMs = Math.min(asked ?? 0, maxRetryAfterMs) + backoff;
            onRetry?.({
              path: path.split('?')[0]!,
              status: failure?.status ?? null,
              attempt: attemptNumber,
              attempts: maxRetries + 1,
              waitMs,
              retryAfterMs: asked,
              error: error.message,
            });
            await sleep(waitMs, undefined, { signal });
            return true;
          },
        },
      );
      if (attempts > 1 && attempts >= maxRetries) this.stats.nearlyExhausted++;
      return body;
    } catch (error) {
      throw this.#toSyncError(error, path);
    }
  }

  async #attempt(path: string, attempt: number, accept: (body: unknown) => boolean, unexpected: string): Promise<unknown> {
    const { baseUrl, apiKey, timeoutMs, signal, onRequest, congestion } = this.#options;
    let started = performance.now();
    this.stats.requests++;
    let status: number | null = null;
    let failure: ApiRequestError | undefined;
    let startedAt = 0;
    try {
      if (congestion !== undefined) {
        // A pause asked for by a 429 to any request, or the pace learnt from them, holds this one too.
        for (let wait = congestion.delayBefore(Date.now()); wait > 0; wait = congestion.delayBefore(Date.now())) {
          await sleep(wait, undefined, { signal });
        }
        startedAt = Date.now();
        congestion.started(startedAt);
        started = performance.now();
      }
      const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
      const response = await httpGet(url, {
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
        timeoutMs,
        signal,
        proxyUrl: this.#options.proxyUrl,
      });
      status = response.status;
      const text = response.text;
      const kind = classifyStatus(status);
      const retryAfterMs = kind === null ? null : parseRetryAfter(response.header('retry-after'));
      // Any answer but a 429 is the API serving us (a 404 or a 500 says nothing about our rate).
      let pausedRun = false;
      if (status === 429) {
        pausedRun = congestion?.rateLimited(Date.now(), startedAt, retryAfterMs === null ? null : Math.min(retryAfterMs, this.#options.maxRetryAfterMs)) ?? false;
      } else congestion?.succeeded(Date.now());
      if (kind !== null) {
        throw new ApiRequestError(
          `${this.#host} answered ${status}${redirectHint(status, response.header('location'), url)}${serverMessage(text, apiKey)}`,
          kind,
          status,
          retryAfterMs,
          { pausedRun },
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        const type = response.header('content-type') ?? 'no content type';
        throw new ApiRequestError(`${this.#host} sent a body that is not JSON (${type}, ${text.length} bytes)`, 'retriable', status);
      }
      if (!accept(body)) throw new ApiRequestError(`${this.#host}: ${unexpected}`, 'retriable', status);
      return body;
    } catch (thrown) {
      // Our own abort (a signal) is final; a timeout or socket failure is the network's and retried.
      failure = signal?.aborted
        ? new ApiRequestError('request aborted', 'fatal', status, null, { cause: thrown })
        : classifyThrown(thrown, this.#host, timeoutMs);
      // Whatever threw may have quoted the request's headers: the key never leaves in a message.
      if (failure.message.includes(apiKey)) {
        failure = new ApiRequestError(failure.message.split(apiKey).join('[REDACTED]'), failure.kind, failure.status, failure.retryAfterMs, {
          pausedRun: failure.pausedRun,
        });
      }
      throw failure.kind === 'retriable' ? failure : new AbortError(failure);
    } finally {
      onRequest?.({ method: 'GET', path, status, durationMs: performance.now() - started, attempt, error: failure?.message });
    }
  }

  #toSyncError(error: unknown, path: string): unknown {
    if (!(error instanceof ApiRequestError)) return error;
    const what = `GET ${path.split('?')[0]}`;
    if (error.kind === 'auth') {
      return new AuthError(`the API refused the key (${error.status}): check ANAM_API_KEY or --api-key-file`, { cause: error });
    }
    if (error.kind === 'not-found') return error;
    if (error.kind === 'retriable') {
      return new SyncError(`${what} still failing after ${this.#options.maxRetries} retries: ${error.message}`, 1, { cause: error });
    }
    return new SyncError(`${what} failed: ${error.message}`, 1, { cause: error });
  }
}

/**
 * Redirects are not followed (the key would go wherever the server points): the error says where
 * to, as the base URL to give `--api-url` (the part before `/v1/`).
 */
function redirectHint(status: number, location: string | null, requested: URL): string {
  if (status < 300 || status >= 400 || location === null) return '';
  let target: URL;
  try {
    target = new URL(location, requested);
  } catch {
    return '';
  }
  const base = `${target.origin}${target.pathname.split('/v1/')[0]!.replace(/\/+$/, '')}`;
  return ` (a redirect to ${base.slice(0, 200)}: set that address as --api-url)`;
}

/**
 * The server's own explanation from a JSON error body (`message` or `error`), if it sent one. A
 * server may echo the key it was sent ("invalid key sk-..."): the key is cut out before the text
 * can reach stderr or a log.
 */
function serverMessage(text: string, apiKey: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = body.message ?? body.error;
    const clean = (said: string): string => `: ${(apiKey === '' ? said : said.replaceAll(apiKey, '[REDACTED]')).slice(0, 300)}`;
    if (typeof message === 'string' && message !== '') return clean(message);
    if (Array.isArray(message)) return clean(message.join('; '));
  } catch {
    // not JSON: the status says enough
  }
  return '';
}
