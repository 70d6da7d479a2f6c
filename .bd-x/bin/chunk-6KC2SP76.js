import {
  PAGES_PER_TRANSACTION,
  abandonLeftoverRuns,
  addCounts,
  advanceBookmark,
  countLive,
  countRejected,
  finishRun,
  localWriter,
  readBookmark,
  saveCounters,
  scopeKey,
  startRun,
  threadWriter
} from "./chunk-IJNDUZVJ.js";
import {
  openWarningsOf,
  readScopeHealth,
  saveWarnings
} from "./chunk-K4KUVLML.js";
import {
  LOCK_HEARTBEAT_MS,
  LockLostError,
  acquireLock,
  attachRunToLock,
  fence
} from "./chunk-IUG6GPWO.js";
import "./chunk-UCKWP4CT.js";
import {
  canonicalTime,
  classifyOutput,
  writeOutput
} from "./chunk-WMS6IBNG.js";
import "./chunk-I6OMP3F5.js";
import {
  loggerFor
} from "./chunk-XVP3TTKF.js";
import "./chunk-BT734IXT.js";
import {
  syncConfig
} from "./chunk-36R3UL22.js";
import {
  integer
} from "./chunk-C6BDQT25.js";
import {
  asDatabaseError,
  openDatabase
} from "./chunk-2J63RUNB.js";
import {
  AuthError,
  ExitCode,
  InterruptedError,
  SyncError,
  messageOf
} from "./chunk-IEG2ED32.js";

// dist/metrics.js
var seconds = (iso) => iso === null ? null : Date.parse(iso) / 1e3;
var FAMILIES = [
  {
    name: "anam_sync_last_run_timestamp_seconds",
    type: "gauge",
    help: "When the last sync run of the scope ended (or started, if it never ended), as Unix time.",
    samples: (s) => [{ value: seconds(s.lastRunAt) }]
  },
  {
    name: "anam_sync_last_success_timestamp_seconds",
    type: "gauge",
    help: "When the last successful sync run of the scope ended, as Unix time.",
    samples: (s) => [{ value: seconds(s.lastSuccessAt) }]
  },
  {
    name: "anam_sync_run_duration_seconds",
    type: "gauge",
    help: "How long the last sync run of the scope took.",
    samples: (s) => [{ value: s.lastRunDurationMs === null ? null : s.lastRunDurationMs / 1e3 }]
  },
  {
    name: "anam_sync_sessions",
    type: "gauge",
    help: "Stored sessions of the scope: live (not deleted upstream), open (live, no end time yet), deleted.",
    samples: (s) => ["live", "open", "deleted"].map((state) => ({ labels: { state }, value: s.sessions[state] }))
  },
  {
    name: "anam_sync_requests_total",
    type: "counter",
    help: "API requests made by every sync run of the scope, retries included.",
    samples: (s) => [{ value: s.requestsTotal }]
  },
  {
    name: "anam_sync_retries_total",
    type: "counter",
    help: "API requests retried by every sync run of the scope.",
    samples: (s) => [{ value: s.retriesTotal }]
  },
  {
    name: "anam_sync_rejected_records",
    type: "gauge",
    help: "Records the API listed that failed validation (kept in rejected_records).",
    samples: (s) => [{ value: s.rejectedRecords }]
  },
  {
    name: "anam_sync_warnings",
    type: "gauge",
    help: "Warnings the last run of the scope left open, by code (1 while open; see anam-sync status).",
    samples: (s) => s.warnings.map((w) => ({ labels: { code: w.code }, value: 1 }))
  }
];
function escapeLabel(value) {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
function metricsText(scopes) {
  const lines = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const scope of scopes) {
      for (const sample of family.samples(scope)) {
        if (sample.value === null)
          continue;
        const labels = Object.entries({ scope: scope.scope, ...sample.labels }).map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(",");
        lines.push(`${family.name}{${labels}} ${sample.value}`);
      }
    }
  }
  return `${lines.join("\n")}
`;
}

// dist/progress.js
function createProgressBar(stream, enabled) {
  if (!enabled || !stream.isTTY)
    return { update() {
    }, done() {
    } };
  const started = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const now = performance.now();
      if (now - last < 100)
        return;
      last = now;
      const seconds2 = (now - started) / 1e3;
      const rate = progress.seen / Math.max(seconds2, 1e-3);
      const bounded = progress.phase === "full" || progress.phase === "transcripts";
      const pages = progress.lastPage !== null && bounded ? `${progress.pages}/${progress.lastPage}` : `${progress.pages}`;
      const remaining = progress.total !== null && bounded ? Math.max(0, progress.total - progress.seen) / Math.max(rate, 1) : null;
      const width = progress.lastPage && bounded ? Math.min(1, progress.pages / progress.lastPage) : 0;
      const bar = bounded ? `[${"#".repeat(Math.round(width * 20)).padEnd(20, ".")}] ` : "";
      const eta = remaining === null ? "" : ` ETA ${formatSeconds(remaining)}`;
      const what = progress.phase === "transcripts" ? `transcripts ${pages}` : `${progress.phase} pages ${pages}, ${progress.seen} sessions`;
      stream.write(`\r${bar}${what}, ${Math.round(rate)}/s${eta}\x1B[K`);
      shown = true;
    },
    done() {
      if (shown)
        stream.write("\r\x1B[K");
    }
  };
}
function formatSeconds(seconds2) {
  if (seconds2 < 60)
    return `${Math.ceil(seconds2)}s`;
  return `${Math.floor(seconds2 / 60)}m${String(Math.ceil(seconds2 % 60)).padStart(2, "0")}s`;
}

// dist/store/analyze.js
var ANALYZE_THRESHOLD = 1e3;
function analyzeIfLarge(db, changedRows, threshold = ANALYZE_THRESHOLD) {
  if (!Number.isFinite(changedRows) || changedRows < 0) {
    throw new RangeError(`changedRows must be a number >= 0, not ${changedRows}`);
  }
  const started = performance.now();
  const hasStats = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").get() !== void 0 && (db.prepare("SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'sessions'").pluck().get() ?? 0) > 0;
  const reason = !hasStats ? "no-statistics" : changedRows > threshold ? "large-change" : "small-change";
  if (reason === "small-change")
    db.pragma("optimize");
  else
    db.exec("ANALYZE");
  return { action: reason === "small-change" ? "optimize" : "analyze", reason, durationMs: performance.now() - started };
}

// node_modules/yocto-queue/index.js
var Node = class {
  value;
  next;
  constructor(value) {
    this.value = value;
  }
};
var Queue = class {
  #head;
  #tail;
  #size;
  constructor() {
    this.clear();
  }
  enqueue(value) {
    const node = new Node(value);
    if (this.#head) {
      this.#tail.next = node;
      this.#tail = node;
    } else {
      this.#head = node;
      this.#tail = node;
    }
    this.#size++;
  }
  dequeue() {
    const current = this.#head;
    if (!current) {
      return;
    }
    this.#head = this.#head.next;
    this.#size--;
    if (!this.#head) {
      this.#tail = void 0;
    }
    return current.value;
  }
  peek() {
    if (!this.#head) {
      return;
    }
    return this.#head.value;
  }
  clear() {
    this.#head = void 0;
    this.#tail = void 0;
    this.#size = 0;
  }
  get size() {
    return this.#size;
  }
  *[Symbol.iterator]() {
    let current = this.#head;
    while (current) {
      yield current.value;
      current = current.next;
    }
  }
  *drain() {
    while (this.#head) {
      yield this.dequeue();
    }
  }
};

// node_modules/p-limit/index.js
function pLimit(concurrency) {
  let rejectOnClear = false;
  if (typeof concurrency === "object") {
    ({ concurrency, rejectOnClear = false } = concurrency);
  }
  validateConcurrency(concurrency);
  if (typeof rejectOnClear !== "boolean") {
    throw new TypeError("Expected `rejectOnClear` to be a boolean");
  }
  const queue = new Queue();
  let activeCount = 0;
  const resumeNext = () => {
    if (activeCount < concurrency && queue.size > 0) {
      activeCount++;
      queue.dequeue().run();
    }
  };
  const next = () => {
    activeCount--;
    resumeNext();
  };
  const run = async (function_, resolve, arguments_) => {
    const result = (async () => function_(...arguments_))();
    resolve(result);
    try {
      await result;
    } catch {
    }
    next();
  };
  const enqueue = (function_, resolve, reject2, arguments_) => {
    const queueItem = { reject: reject2 };
    new Promise((internalResolve) => {
      queueItem.run = internalResolve;
      queue.enqueue(queueItem);
    }).then(run.bind(void 0, function_, resolve, arguments_));
    if (activeCount < concurrency) {
      resumeNext();
    }
  };
  const generator = (function_, ...arguments_) => new Promise((resolve, reject2) => {
    enqueue(function_, resolve, reject2, arguments_);
  });
  Object.defineProperties(generator, {
    activeCount: {
      get: () => activeCount
    },
    pendingCount: {
      get: () => queue.size
    },
    clearQueue: {
      value() {
        if (!rejectOnClear) {
          queue.clear();
          return;
        }
        const abortError = AbortSignal.abort().reason;
        while (queue.size > 0) {
          queue.dequeue().reject(abortError);
        }
      }
    },
    concurrency: {
      get: () => concurrency,
      set(newConcurrency) {
        validateConcurrency(newConcurrency);
        concurrency = newConcurrency;
        queueMicrotask(() => {
          while (activeCount < concurrency && queue.size > 0) {
            resumeNext();
          }
        });
      }
    },
    map: {
      async value(iterable, function_) {
        const promises = [];
        try {
          Array.from(iterable, (value, index) => {
            const promise = generator(function_, value, index);
            promises.push(promise);
            return promise;
          });
        } catch (error) {
          for (const promise of promises) {
            promise.catch(() => {
            });
          }
          throw error;
        }
        return Promise.all(promises);
      }
    }
  });
  return generator;
}
function validateConcurrency(concurrency) {
  if (!((Number.isInteger(concurrency) || concurrency === Number.POSITIVE_INFINITY) && concurrency > 0)) {
    throw new TypeError("Expected `concurrency` to be a number from 1 and up");
  }
}

// dist/api/client.js
import { setTimeout as sleep } from "node:timers/promises";

// node_modules/is-network-error/index.js
var objectToString = Object.prototype.toString;
var isError = (value) => objectToString.call(value) === "[object Error]";
var errorMessages = /* @__PURE__ */ new Set([
  "network error",
  // Chrome
  "NetworkError when attempting to fetch resource.",
  // Firefox
  "The Internet connection appears to be offline.",
  // Safari 16
  "Network request failed",
  // `cross-fetch`
  "fetch failed",
  // Undici (Node.js)
  "terminated",
  // Undici (Node.js)
  " A network error occurred.",
  // Bun (WebKit)
  "Network connection lost"
  // Cloudflare Workers (fetch)
]);
function isNetworkError(error) {
  const isValid = error && isError(error) && error.name === "TypeError" && typeof error.message === "string";
  if (!isValid) {
    return false;
  }
  const { message, stack } = error;
  if (message === "Load failed" || message.startsWith("Load failed (") && message.endsWith(")")) {
    return stack === void 0 || "__sentry_captured__" in error;
  }
  if (message.startsWith("error sending request for url")) {
    return true;
  }
  if (message === "Failed to fetch" || message.startsWith("Failed to fetch (") && message.endsWith(")")) {
    return true;
  }
  return errorMessages.has(message);
}

// node_modules/p-retry/index.js
function validateRetries(retries) {
  if (typeof retries === "number") {
    if (retries < 0) {
      throw new TypeError("Expected `retries` to be a non-negative number.");
    }
    if (Number.isNaN(retries)) {
      throw new TypeError("Expected `retries` to be a valid number or Infinity, got NaN.");
    }
  } else if (retries !== void 0) {
    throw new TypeError("Expected `retries` to be a number or Infinity.");
  }
}
function validateNumberOption(name, value, { min = 0, allowInfinity = false } = {}) {
  if (value === void 0) {
    return;
  }
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number${allowInfinity ? " or Infinity" : ""}.`);
  }
  if (!allowInfinity && !Number.isFinite(value)) {
    throw new TypeError(`Expected \`${name}\` to be a finite number.`);
  }
  if (value < min) {
    throw new TypeError(`Expected \`${name}\` to be \u2265 ${min}.`);
  }
}
var AbortError = class extends Error {
  constructor(message) {
    super();
    if (message instanceof Error) {
      this.originalError = message;
      ({ message } = message);
    } else {
      this.originalError = new Error(message);
      this.originalError.stack = this.stack;
    }
    this.name = "AbortError";
    this.message = message;
  }
};
function calculateDelay(retriesConsumed, options) {
  const attempt = Math.max(1, retriesConsumed + 1);
  const random = options.randomize ? Math.random() + 1 : 1;
  let timeout = Math.round(random * options.minTimeout * options.factor ** (attempt - 1));
  timeout = Math.min(timeout, options.maxTimeout);
  return timeout;
}
function calculateRemainingTime(start, max) {
  if (!Number.isFinite(max)) {
    return max;
  }
  return max - (performance.now() - start);
}
async function onAttemptFailure({ error, attemptNumber, retriesConsumed, startTime, options }) {
  const normalizedError = error instanceof Error ? error : new TypeError(`Non-error was thrown: "${error}". You should only throw errors.`);
  if (normalizedError instanceof AbortError) {
    throw normalizedError.originalError;
  }
  const retriesLeft = Number.isFinite(options.retries) ? Math.max(0, options.retries - retriesConsumed) : options.retries;
  const maxRetryTime = options.maxRetryTime ?? Number.POSITIVE_INFINITY;
  const context = Object.freeze({
    error: normalizedError,
    attemptNumber,
    retriesLeft,
    retriesConsumed
  });
  await options.onFailedAttempt(context);
  if (calculateRemainingTime(startTime, maxRetryTime) <= 0) {
    throw normalizedError;
  }
  const consumeRetry = await options.shouldConsumeRetry(context);
  const remainingTime = calculateRemainingTime(startTime, maxRetryTime);
  if (remainingTime <= 0 || retriesLeft <= 0) {
    throw normalizedError;
  }
  if (normalizedError instanceof TypeError && !isNetworkError(normalizedError)) {
    if (consumeRetry) {
      throw normalizedError;
    }
    options.signal?.throwIfAborted();
    return false;
  }
  if (!await options.shouldRetry(context)) {
    throw normalizedError;
  }
  if (!consumeRetry) {
    options.signal?.throwIfAborted();
    return false;
  }
  const delayTime = calculateDelay(retriesConsumed, options);
  const finalDelay = Math.min(delayTime, remainingTime);
  options.signal?.throwIfAborted();
  if (finalDelay > 0) {
    await new Promise((resolve, reject2) => {
      const onAbort = () => {
        clearTimeout(timeoutToken);
        options.signal?.removeEventListener("abort", onAbort);
        reject2(options.signal.reason);
      };
      const timeoutToken = setTimeout(() => {
        options.signal?.removeEventListener("abort", onAbort);
        resolve();
      }, finalDelay);
      if (options.unref) {
        timeoutToken.unref?.();
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
  options.signal?.throwIfAborted();
  return true;
}
async function pRetry(input, options = {}) {
  options = { ...options };
  validateRetries(options.retries);
  if (Object.hasOwn(options, "forever")) {
    throw new Error("The `forever` option is no longer supported. For many use-cases, you can set `retries: Infinity` instead.");
  }
  options.retries ??= 10;
  options.factor ??= 2;
  options.minTimeout ??= 1e3;
  options.maxTimeout ??= Number.POSITIVE_INFINITY;
  options.maxRetryTime ??= Number.POSITIVE_INFINITY;
  options.randomize ??= false;
  options.onFailedAttempt ??= () => {
  };
  options.shouldRetry ??= () => true;
  options.shouldConsumeRetry ??= () => true;
  validateNumberOption("factor", options.factor, { min: 0, allowInfinity: false });
  validateNumberOption("minTimeout", options.minTimeout, { min: 0, allowInfinity: false });
  validateNumberOption("maxTimeout", options.maxTimeout, { min: 0, allowInfinity: true });
  validateNumberOption("maxRetryTime", options.maxRetryTime, { min: 0, allowInfinity: true });
  if (!(options.factor > 0)) {
    options.factor = 1;
  }
  options.signal?.throwIfAborted();
  let attemptNumber = 0;
  let retriesConsumed = 0;
  const startTime = performance.now();
  while (Number.isFinite(options.retries) ? retriesConsumed <= options.retries : true) {
    attemptNumber++;
    try {
      options.signal?.throwIfAborted();
      const result = await input(attemptNumber);
      options.signal?.throwIfAborted();
      return result;
    } catch (error) {
      if (await onAttemptFailure({
        error,
        attemptNumber,
        retriesConsumed,
        startTime,
        options
      })) {
        retriesConsumed++;
      }
    }
  }
  throw new Error("Retry attempts exhausted without throwing an error.");
}

// dist/api/http.js
import http from "node:http";
import { createRequire } from "node:module";
import { constants, createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
var MAX_BODY_BYTES = 64 * 1024 * 1024;
var plain = { module: http, agent: new http.Agent({ keepAlive: true }) };
var secure;
var proxied = /* @__PURE__ */ new Map();
function transportFor(protocol) {
  if (protocol === "http:")
    return plain;
  if (protocol !== "https:")
    return null;
  if (secure === void 0) {
    const module = createRequire(import.meta.url)("node:https");
    secure = { module, agent: new module.Agent({ keepAlive: true }) };
  }
  return secure;
}
function proxyAgent(protocol, proxyUrl) {
  const key = `${protocol} ${proxyUrl}`;
  let agent = proxied.get(key);
  if (agent === void 0) {
    agent = protocol === "https:" ? import("https-proxy-agent").then(({ HttpsProxyAgent }) => new HttpsProxyAgent(proxyUrl, { keepAlive: true })) : import("http-proxy-agent").then(({ HttpProxyAgent }) => new HttpProxyAgent(proxyUrl, { keepAlive: true }));
    proxied.set(key, agent);
  }
  return agent;
}
async function httpGet(url, options) {
  let transport = transportFor(url.protocol);
  if (transport === null) {
    throw Object.assign(new TypeError(`unsupported protocol ${url.protocol} (use http or https)`), { code: "ERR_INVALID_PROTOCOL" });
  }
  if (options.proxyUrl)
    transport = { module: transport.module, agent: await proxyAgent(url.protocol, options.proxyUrl) };
  return request(url, transport, options);
}
function request(url, transport, options) {
  if (options.signal?.aborted)
    return Promise.reject(new DOMException("the request was aborted", "AbortError"));
  const signal = options.signal === void 0 ? void 0 : AbortSignal.any([options.signal]);
  return new Promise((resolve, reject2) => {
    let request2;
    let settled = false;
    const settle = (outcome) => {
      if (settled)
        return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const fail = (error) => settle(() => {
      request2?.destroy();
      reject2(error);
    });
    const onAbort = () => fail(new DOMException("the request was aborted", "AbortError"));
    const timer = setTimeout(() => fail(new DOMException(`no answer within ${options.timeoutMs} ms`, "TimeoutError")), options.timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      request2 = transport.module.get(url, { agent: transport.agent, headers: { "accept-encoding": "gzip, deflate, br", ...options.headers } }, (response) => {
        const body = decoded(response, fail);
        const chunks = [];
        let bytes = 0;
        body.on("data", (chunk) => {
          bytes += chunk.length;
          if (bytes > MAX_BODY_BYTES) {
            fail(Object.assign(new Error(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`), { code: "ERR_BODY_TOO_LARGE" }));
            return;
          }
          chunks.push(chunk);
        });
        body.on("end", () => {
          if (!response.complete)
            return fail(truncated());
          const text = Buffer.concat(chunks).toString("utf8");
          settle(() => resolve({
            status: response.statusCode ?? 0,
            header: (name) => {
              const value = response.headers[name];
              return value === void 0 ? null : Array.isArray(value) ? value.join(", ") : value;
            },
            text: text.charCodeAt(0) === 65279 ? text.slice(1) : text
          }));
        });
        response.on("close", () => {
          if (!response.complete)
            fail(truncated());
        });
      });
    } catch (error) {
      fail(error);
      return;
    }
    request2.on("error", fail);
  });
}
function decoded(response, fail) {
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  const decoder = encoding === "gzip" || encoding === "x-gzip" ? createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }) : encoding === "deflate" ? createInflate({ finishFlush: constants.Z_SYNC_FLUSH }) : encoding === "br" ? createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH }) : null;
  response.on("error", fail);
  if (decoder === null)
    return response;
  decoder.on("error", fail);
  return response.pipe(decoder);
}
function truncated() {
  return Object.assign(new Error("the connection closed before the whole answer arrived"), { code: "ECONNRESET" });
}

// dist/api/client.js
var ApiRequestError = class extends Error {
  kind;
  status;
  retryAfterMs;
  constructor(message, kind, status, retryAfterMs = null, options) {
    super(message, options);
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.name = "ApiRequestError";
  }
};
function classifyStatus(status) {
  if (status >= 200 && status < 300)
    return null;
  if (status === 401 || status === 403)
    return "auth";
  if (status === 404)
    return "not-found";
  if (status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504) {
    return "retriable";
  }
  return "fatal";
}
function parseRetryAfter(header, now = Date.now()) {
  if (header === null)
    return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text))
    return Math.round(Number(text) * 1e3);
  if (!/\b\d{4}\b/.test(text) || !/[A-Za-z]{3}/.test(text))
    return null;
  const date = Date.parse(text);
  if (Number.isNaN(date))
    return null;
  return Math.max(0, date + 1e3 - now);
}
function classifyThrown(error, host, timeoutMs) {
  if (error instanceof ApiRequestError)
    return error;
  const name = error?.name;
  if (name === "TimeoutError") {
    return new ApiRequestError(`no answer from ${host} within ${timeoutMs / 1e3} s`, "retriable", null, null, { cause: error });
  }
  if (name === "AbortError")
    return new ApiRequestError("request aborted", "fatal", null, null, { cause: error });
  const cause = error?.cause;
  const code = cause?.code ?? error?.code;
  const detail = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  if (code !== void 0 && /CERT|TLS|SSL|UNABLE_TO_VERIFY|INVALID_CA|HOSTNAME_MISMATCH/.test(code)) {
    return new ApiRequestError(`cannot reach ${host}: TLS certificate problem (${code})`, "fatal", null, null, { cause: error });
  }
  const retriable = code !== "ERR_INVALID_PROTOCOL" && code !== "ERR_INVALID_URL" && code !== "ERR_BODY_TOO_LARGE";
  return new ApiRequestError(`cannot reach ${host}: ${detail}`, retriable ? "retriable" : "fatal", null, null, { cause: error });
}
function isListResponse(body) {
  if (!isObject(body))
    return false;
  const { data, meta } = body;
  return Array.isArray(data) && isObject(meta);
}
function isObject(body) {
  return body !== null && typeof body === "object" && !Array.isArray(body);
}
var ApiClient = class {
  stats = { requests: 0, retries: 0, nearlyExhausted: 0 };
  #options;
  #host;
  constructor(options) {
    this.#options = Object.freeze({
      minBackoffMs: 250,
      maxBackoffMs: 15e3,
      maxRetryAfterMs: 12e4,
      proxyUrl: null,
      ...options
    });
    this.#host = new URL(options.baseUrl).host;
  }
  /** One page of `GET /v1/sessions`, retried until it is a well-formed list or the retries run out. */
  async listSessions(page, perPage, filters = {}) {
    const query = new URLSearchParams({ page: String(page), perPage: String(perPage) });
    if (filters.search !== void 0)
      query.set("search", filters.search);
    if (filters.apiKeyId !== void 0)
      query.set("apiKeyId", filters.apiKeyId);
    if (filters.personaId !== void 0)
      query.set("personaId", filters.personaId);
    const body = await this.#getJson(`/v1/sessions?${query}`, isListResponse, "the list response is not the JSON the API documents");
    return body;
  }
  /** `GET /v1/sessions/{id}`: the record, or null when the API answers 404. */
  async getSession(id) {
    try {
      const body = await this.#getJson(`/v1/sessions/${encodeURIComponent(id)}`, isObject, "the answer is not a session object");
      return body;
    } catch (error) {
      if (error instanceof ApiRequestError && error.kind === "not-found")
        return null;
      throw error;
    }
  }
  /**
   * `GET /v1/sessions/{id}/transcript`: the answer as sent (validated by api/transcript.ts), or null
   * when the API answers 404 ("session not found or no transcript available").
   */
  async getTranscript(id) {
    try {
      const body = await this.#getJson(`/v1/sessions/${encodeURIComponent(id)}/transcript`, isObject, "the answer is not a transcript object");
      return body;
    } catch (error) {
      if (error instanceof ApiRequestError && error.kind === "not-found")
        return null;
      throw error;
    }
  }
  /** GETs a path with retries; resolves to parsed JSON or throws a SyncError for the user. */
  async #getJson(path, accept, unexpected) {
    const { maxRetries, minBackoffMs, maxBackoffMs, maxRetryAfterMs, signal, onRetry } = this.#options;
    let attempts = 0;
    try {
      const body = await pRetry((attempt) => {
        attempts = attempt;
        return this.#attempt(path, attempt, accept, unexpected);
      }, {
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
          const backoff = Math.min(maxBackoffMs, Math.round(minBackoffMs * 2 ** (attemptNumber - 1) * (1 + Math.random())));
          const waitMs = Math.min(asked ?? 0, maxRetryAfterMs) + backoff;
          onRetry?.({
            path: path.split("?")[0],
            status: failure?.status ?? null,
            attempt: attemptNumber,
            attempts: maxRetries + 1,
            waitMs,
            retryAfterMs: asked,
            error: error.message
          });
          await sleep(waitMs, void 0, { signal });
          return true;
        }
      });
      if (attempts > 1 && attempts >= maxRetries)
        this.stats.nearlyExhausted++;
      return body;
    } catch (error) {
      throw this.#toSyncError(error, path);
    }
  }
  async #attempt(path, attempt, accept, unexpected) {
    const { baseUrl, apiKey, timeoutMs, signal, onRequest, congestion } = this.#options;
    let started = performance.now();
    this.stats.requests++;
    let status = null;
    let failure;
    let startedAt = 0;
    try {
      if (congestion !== void 0) {
        for (let wait = congestion.delayBefore(Date.now()); wait > 0; wait = congestion.delayBefore(Date.now())) {
          await sleep(wait, void 0, { signal });
        }
        startedAt = Date.now();
        congestion.started(startedAt);
        started = performance.now();
      }
      const url = new URL(`${baseUrl.replace(/\/+$/, "")}${path}`);
      const response = await httpGet(url, {
        headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" },
        timeoutMs,
        signal,
        proxyUrl: this.#options.proxyUrl
      });
      status = response.status;
      const text = response.text;
      const kind = classifyStatus(status);
      const retryAfterMs = kind === null ? null : parseRetryAfter(response.header("retry-after"));
      if (status === 429)
        congestion?.rateLimited(Date.now(), startedAt, retryAfterMs === null ? null : Math.min(retryAfterMs, this.#options.maxRetryAfterMs));
      else
        congestion?.succeeded(Date.now());
      if (kind !== null) {
        throw new ApiRequestError(`${this.#host} answered ${status}${redirectHint(status, response.header("location"), url)}${serverMessage(text, apiKey)}`, kind, status, retryAfterMs);
      }
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        const type = response.header("content-type") ?? "no content type";
        throw new ApiRequestError(`${this.#host} sent a body that is not JSON (${type}, ${text.length} bytes)`, "retriable", status);
      }
      if (!accept(body))
        throw new ApiRequestError(`${this.#host}: ${unexpected}`, "retriable", status);
      return body;
    } catch (thrown) {
      failure = signal?.aborted ? new ApiRequestError("request aborted", "fatal", status, null, { cause: thrown }) : classifyThrown(thrown, this.#host, timeoutMs);
      if (failure.message.includes(apiKey)) {
        failure = new ApiRequestError(failure.message.split(apiKey).join("[REDACTED]"), failure.kind, failure.status, failure.retryAfterMs);
      }
      throw failure.kind === "retriable" ? failure : new AbortError(failure);
    } finally {
      onRequest?.({ method: "GET", path, status, durationMs: performance.now() - started, attempt, error: failure?.message });
    }
  }
  #toSyncError(error, path) {
    if (!(error instanceof ApiRequestError))
      return error;
    const what = `GET ${path.split("?")[0]}`;
    if (error.kind === "auth") {
      return new AuthError(`the API refused the key (${error.status}): check ANAM_API_KEY or --api-key-file`, { cause: error });
    }
    if (error.kind === "not-found")
      return error;
    if (error.kind === "retriable") {
      return new SyncError(`${what} still failing after ${this.#options.maxRetries} retries: ${error.message}`, 1, { cause: error });
    }
    return new SyncError(`${what} failed: ${error.message}`, 1, { cause: error });
  }
};
function redirectHint(status, location, requested) {
  if (status < 300 || status >= 400 || location === null)
    return "";
  let target;
  try {
    target = new URL(location, requested);
  } catch {
    return "";
  }
  const base = `${target.origin}${target.pathname.split("/v1/")[0].replace(/\/+$/, "")}`;
  return ` (a redirect to ${base.slice(0, 200)}: set that address as --api-url)`;
}
function serverMessage(text, apiKey) {
  try {
    const body = JSON.parse(text);
    const message = body.message ?? body.error;
    const clean = (said) => `: ${(apiKey === "" ? said : said.replaceAll(apiKey, "[REDACTED]")).slice(0, 300)}`;
    if (typeof message === "string" && message !== "")
      return clean(message);
    if (Array.isArray(message))
      return clean(message.join("; "));
  } catch {
  }
  return "";
}

// dist/api/congestion.js
var IDLE_GAP_MS = 250;
var PACE_HALF_LIFE_MS = 1e3;
var CongestionWindow = class {
  max;
  #onWindow;
  #window;
  /** Successes since the window last grew. */
  #credit = 0;
  #pausedUntil = 0;
  /** Least time between two request starts, ms, as learnt at `#paceAt` (0: no pace). */
  #paceMs = 0;
  #paceAt = 0;
  #lastStart = -Infinity;
  /** When the last 429 event began (answers to requests started before it are the same event). */
  #since = null;
  /** When recent successes came (within the longest window a rate is read over). */
  #successes = [];
  /** Since when requests have followed each other without an idle gap, and the last sign of one. */
  #busySince = -Infinity;
  #lastActivity = -Infinity;
  /** 429 events (pauses or shrinks), for the report. */
  events = 0;
  constructor(options) {
    const { max, onWindow } = options;
    this.max = integer(max, max, "--concurrency", 1, Infinity);
    this.#window = max;
    this.#onWindow = onWindow;
  }
  /** Requests allowed in flight now. */
  get window() {
    return this.#window;
  }
  /** The least time between two request starts at `now`, ms. */
  paceAt(now) {
    const pace = this.#paceMs * 0.5 ** (Math.max(0, now - this.#paceAt) / PACE_HALF_LIFE_MS);
    return pace < 1 ? 0 : pace;
  }
  /** How long a request about to start at `now` must wait first (a pause, or the pace); 0: go. */
  delayBefore(now) {
    return Math.max(0, this.#pausedUntil - now, this.#lastStart + this.paceAt(now) - now);
  }
  /** A request starts at `now` (after {@link delayBefore} said 0). */
  started(now) {
    this.#lastStart = now;
    this.#active(now);
  }
  /** The API served a request at `now` (any answer but a 429): the window grows by one per window's worth. */
  succeeded(now) {
    this.#active(now);
    this.#successes.push(now);
    if (this.#successes.length > 4096)
      this.#successes.splice(0, 2048);
    if (this.#window >= this.max)
      return;
    if (++this.#credit >= this.#window) {
      this.#credit = 0;
      this.#setWindow(this.#window + 1);
    }
  }
  /**
   * A request started at `startedAt` was answered 429 at `now`, asking for `retryAfterMs` (or
   * null). Every request waits out the pause; the window halves and the pace is set from what the
   * API served since the last 429, once per event: answers to requests that were already on their
   * way when the event began are the same event.
   */
  rateLimited(now, startedAt, retryAfterMs) {
    this.#active(now);
    this.#pausedUntil = Math.max(this.#pausedUntil, now + (retryAfterMs ?? 0));
    if (this.#since !== null && startedAt <= this.#since)
      return;
    this.events++;
    const span = Math.max(1e3, retryAfterMs ?? 0);
    if (this.#busySince <= now - span) {
      const served = this.#successes.filter((at) => at > now - span).length;
      if (served > 0) {
        this.#paceMs = span / (served * 0.95);
        this.#paceAt = this.#pausedUntil;
      }
    }
    this.#since = now;
    this.#credit = 0;
    this.#setWindow(Math.max(1, Math.floor(this.#window / 2)));
  }
  /** Notes activity at `now`; a gap with nothing in flight and no pause starts a new busy stretch. */
  #active(now) {
    if (now - Math.max(this.#lastActivity, this.#pausedUntil) > IDLE_GAP_MS)
      this.#busySince = now;
    this.#lastActivity = now;
  }
  #setWindow(window) {
    if (window === this.#window)
      return;
    this.#window = window;
    this.#onWindow?.(window);
  }
};

// dist/api/session.js
var SECRET_KEY = /secret|password|token|api[-_]?key/i;
var REDACTED = "[REDACTED]";
var secretKeys = /* @__PURE__ */ new Map();
function isSecretKey(key) {
  let secret = secretKeys.get(key);
  if (secret === void 0) {
    secret = SECRET_KEY.test(key);
    if (secretKeys.size < 1e4)
      secretKeys.set(key, secret);
  }
  return secret;
}
var NOTHING = /* @__PURE__ */ new Set();
function redactedJson(value, spared = NOTHING, underSecret = false) {
  if (underSecret && typeof value === "string")
    return REDACTED_JSON;
  if (!underSecret && !hasSecretKey(value, spared))
    return JSON.stringify(value) ?? "null";
  const secretHolders = /* @__PURE__ */ new WeakSet();
  const root = value;
  if (underSecret && value !== null && typeof value === "object")
    secretHolders.add(value);
  return JSON.stringify(value, function(key, inner) {
    if (this === root && spared.has(key))
      return inner;
    if (!isSecretKey(key) && !secretHolders.has(this))
      return inner;
    if (typeof inner === "string")
      return REDACTED;
    if (inner !== null && typeof inner === "object")
      secretHolders.add(inner);
    return inner;
  }) ?? "null";
}
function hasSecretKey(value, spared = NOTHING) {
  if (value === null || typeof value !== "object")
    return false;
  if (Array.isArray(value)) {
    for (const item of value)
      if (hasSecretKey(item))
        return true;
    return false;
  }
  for (const key of Object.keys(value)) {
    if (isSecretKey(key) && !spared.has(key) || hasSecretKey(value[key]))
      return true;
  }
  return false;
}
var TIME_FIELDS = ["startTime", "endTime", "createdAt", "updatedAt"];
var STRING_FIELDS = [
  "personaId",
  "clientLabel",
  "exitStatus",
  "engineHost",
  "engineProtocol",
  "engineVersion",
  "apiKeyId",
  "organizationId"
];
var OBJECT_FIELDS = ["clientMetadata", "personaConfig"];
var FIELD_ORDER = [
  "id",
  "personaId",
  "clientLabel",
  "startTime",
  "endTime",
  "sessionLengthMs",
  "exitStatus",
  "engineHost",
  "engineProtocol",
  "engineVersion",
  "clientMetadata",
  "personaConfig",
  "apiKeyId",
  "organizationId",
  "createdAt",
  "updatedAt"
];
var KNOWN_FIELDS = new Set(FIELD_ORDER);
function parseSession(input) {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return reject("record is not a JSON object", null, input);
  }
  const raw = input;
  const id = raw.id;
  if (typeof id !== "string" || id.trim() === "" || id.length > 200) {
    return reject("missing or invalid id", null, raw);
  }
  let startTime = null;
  let endTime = null;
  let createdAt = null;
  let updatedAt = null;
  for (const field of TIME_FIELDS) {
    const value = raw[field];
    if (value === void 0 || value === null) {
      if (field === "createdAt")
        return reject("missing createdAt", id, raw);
      continue;
    }
    const canonical = typeof value === "string" ? canonicalTime(value) : null;
    if (canonical === null)
      return reject(`${field} is not an RFC 3339 date-time: ${JSON.stringify(value)}`, id, raw);
    if (field === "startTime")
      startTime = canonical;
    else if (field === "endTime")
      endTime = canonical;
    else if (field === "createdAt")
      createdAt = canonical;
    else
      updatedAt = canonical;
  }
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (value !== void 0 && value !== null && typeof value !== "string") {
      return reject(`${field} is not a string: ${JSON.stringify(value)}`, id, raw);
    }
  }
  const length = raw.sessionLengthMs;
  if (length !== void 0 && length !== null && !Number.isSafeInteger(length)) {
    return reject(`sessionLengthMs is not an integer: ${JSON.stringify(length)}`, id, raw);
  }
  let clientMetadata = null;
  let personaConfig = null;
  for (const field of OBJECT_FIELDS) {
    const value = raw[field];
    if (value === void 0 || value === null)
      continue;
    if (typeof value !== "object" || Array.isArray(value))
      return reject(`${field} is not an object`, id, raw);
    if (field === "clientMetadata")
      clientMetadata = redactedJson(value);
    else
      personaConfig = redactedJson(value);
  }
  let json = "{";
  let fromRow = true;
  const add = (key, text) => {
    json += `${json.length === 1 ? "" : ","}${jsonKey(key)}:${text}`;
  };
  for (const key of FIELD_ORDER) {
    const value = raw[key];
    if (value === void 0) {
      fromRow = false;
      continue;
    }
    let text;
    if (key === "startTime" && startTime !== null)
      text = quoted(startTime);
    else if (key === "endTime" && endTime !== null)
      text = quoted(endTime);
    else if (key === "createdAt")
      text = quoted(createdAt);
    else if (key === "updatedAt" && updatedAt !== null)
      text = quoted(updatedAt);
    else if (key === "clientMetadata" && clientMetadata !== null)
      text = clientMetadata;
    else if (key === "personaConfig" && personaConfig !== null)
      text = personaConfig;
    else
      text = JSON.stringify(value);
    add(key, text);
  }
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value === void 0 || KNOWN_FIELDS.has(key))
      continue;
    fromRow = false;
    add(key, redactedJson(value, void 0, isSecretKey(key)));
  }
  json += "}";
  return {
    ok: true,
    json,
    fromRow,
    row: {
      id,
      personaId: raw.personaId ?? null,
      clientLabel: raw.clientLabel ?? null,
      startTime,
      endTime,
      sessionLengthMs: length ?? null,
      exitStatus: raw.exitStatus ?? null,
      engineHost: raw.engineHost ?? null,
      engineProtocol: raw.engineProtocol ?? null,
      engineVersion: raw.engineVersion ?? null,
      clientMetadata,
      personaConfig,
      apiKeyId: raw.apiKeyId ?? null,
      organizationId: raw.organizationId ?? null,
      createdAt,
      updatedAt
    }
  };
}
var REDACTED_JSON = JSON.stringify(REDACTED);
function quoted(time) {
  return `"${time}"`;
}
var jsonKeys = /* @__PURE__ */ new Map();
function jsonKey(key) {
  let text = jsonKeys.get(key);
  if (text === void 0) {
    text = JSON.stringify(key);
    if (jsonKeys.size < 1e4)
      jsonKeys.set(key, text);
  }
  return text;
}
function reject(reason, id, raw) {
  return { ok: false, reason, id, raw: redactRecord(raw) };
}
function redactRecord(raw) {
  return redactedJson(raw, raw !== null && typeof raw === "object" && !Array.isArray(raw) ? KNOWN_FIELDS : void 0);
}

// dist/sync/plan.js
var HEAD_OVERLAP_MS = 6e4;
var MIN_DRIFT_PAGES = 5;
var DRIFT_FRACTION = 0.1;
var SCANS_PER_RUN = 4;
function fullScanReason(bookmark, now, options) {
  if (options.forced)
    return "--full was given";
  if (bookmark === null || bookmark.lastCompleteAt === null)
    return "first sync of this scope";
  if (bookmark.lastFullSyncAt === null)
    return "no complete full sync yet";
  const ageMs = now.getTime() - Date.parse(bookmark.lastFullSyncAt);
  if (ageMs > options.fullEveryHours * 36e5) {
    return `last full sync is ${(ageMs / 36e5).toFixed(1)} h old (--full-every ${options.fullEveryHours})`;
  }
  return null;
}
function headThreshold(newestCreatedAt, overlapMs = HEAD_OVERLAP_MS) {
  return new Date(Date.parse(newestCreatedAt) - overlapMs).toISOString();
}
function isNewestFirst(createdAts) {
  for (let i = 1; i < createdAts.length; i++) {
    if (createdAts[i] > createdAts[i - 1])
      return false;
  }
  return true;
}
function headScanContinues(received, createdAts, perPage, threshold) {
  if (received < perPage)
    return false;
  const oldest = createdAts[createdAts.length - 1];
  return oldest === void 0 || oldest > threshold;
}
var ApiInconsistencyError = class extends SyncError {
};
function pageCeiling(total, perPage) {
  const needed = Math.max(1, Math.ceil(total / perPage));
  return needed + Math.max(MIN_DRIFT_PAGES, Math.ceil(needed * DRIFT_FRACTION));
}
function nonNegativeInteger(value) {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
function checkPage(asked, perPage, body) {
  const { meta, data } = body;
  for (const field of ["total", "lastPage"]) {
    if (!nonNegativeInteger(meta[field])) {
      throw new ApiInconsistencyError(`the API's list response for page ${asked} has meta.${field} = ${JSON.stringify(meta[field]) ?? "undefined"}, not a count; the run stopped (nothing of that page was stored)`);
    }
  }
  const problems = [];
  const needed = Math.ceil(meta.total / perPage);
  const metaSaysLast = meta.lastPage <= asked || meta.next === null;
  let last = data.length === 0 || data.length < perPage || metaSaysLast && meta.lastPage >= needed;
  if (meta.currentPage !== void 0 && meta.currentPage !== asked) {
    problems.push({
      code: "page-mismatch",
      message: `page ${asked} was answered as page ${JSON.stringify(meta.currentPage)} (meta.currentPage): taken as the end of the list`
    });
    last = true;
  }
  if (data.length > perPage) {
    problems.push({ code: "page-overfull", message: `page ${asked} holds ${data.length} records, more than perPage ${perPage}: all were stored` });
  }
  if (asked === 1 && meta.lastPage < needed) {
    problems.push({
      code: "last-page-too-small",
      message: `meta.lastPage ${meta.lastPage} cannot hold meta.total ${meta.total} at ${perPage} per page: reading on while pages are full`
    });
  }
  if (asked === 1 && meta.lastPage > pageCeiling(meta.total, perPage)) {
    problems.push({
      code: "last-page-too-large",
      message: `meta.lastPage ${meta.lastPage} is more than meta.total ${meta.total} needs at ${perPage} per page: reading at most ${pageCeiling(meta.total, perPage)} pages`
    });
  }
  return { last, reportedLastPage: meta.lastPage, total: meta.total, problems };
}
function pageFingerprint(ids) {
  return [...ids].sort().join("\n");
}
var PagePlan = class {
  #ceiling;
  #window;
  /** The last page the answers so far allow reading. */
  #limit;
  /** The first page whose answer said the list ends there. */
  #stopAt = Number.POSITIVE_INFINITY;
  #nextPage = 2;
  #unanswered = /* @__PURE__ */ new Set();
  #fingerprints = /* @__PURE__ */ new Map();
  #cutByCeiling = false;
  /**
   * Page 1 has been read and checked. `window` is how many pages may be requested ahead of the
   * lowest unanswered one (1: one page at a time, the head scan).
   */
  constructor(first, perPage, window, firstIds) {
    this.#ceiling = pageCeiling(first.total, perPage);
    this.#window = Math.max(1, window);
    this.#limit = this.#allowed(first.reportedLastPage, first.total, perPage);
    if (firstIds.length > 0)
      this.#fingerprints.set(pageFingerprint(firstIds), 1);
    this.#settle(1, first.last, first.reportedLastPage);
  }
  /** The most pages this scan will read. */
  get ceiling() {
    return this.#ceiling;
  }
  /** True once the ceiling, not the API, ended the scan. */
  get cutByCeiling() {
    return this.#cutByCeiling;
  }
  /** The next page to request now, or null (nothing more, or the window is full). */
  take() {
    const page = this.#nextPage;
    if (page > this.#limit || page >= this.#stopAt)
      return null;
    const lowest = this.#unanswered.size === 0 ? page : Math.min(...this.#unanswered);
    if (page - lowest >= this.#window)
      return null;
    this.#nextPage++;
    this.#unanswered.add(page);
    return page;
  }
  /** True when no page is out and none is left to take. */
  get done() {
    return this.#unanswered.size === 0 && (this.#nextPage > this.#limit || this.#nextPage >= this.#stopAt);
  }
  /**
   * Judges the answer to `page`, checked by {@link checkPage}: a page listing the same ids as an
   * earlier page of this scan is a repeat (the API clamps or loops), and ends the scan.
   */
  answer(page, verdict, ids) {
    this.#unanswered.delete(page);
    let repeat = false;
    const problems = [...verdict.problems];
    if (ids.length > 0) {
      const fingerprint = pageFingerprint(ids);
      const earlier = this.#fingerprints.get(fingerprint);
      if (earlier !== void 0) {
        repeat = true;
        problems.push({ code: "page-repeated", message: `page ${page} lists the same sessions as page ${earlier}: taken as the end of the list` });
      } else {
        this.#fingerprints.set(fingerprint, page);
      }
    }
    this.#settle(page, verdict.last || repeat, verdict.reportedLastPage);
    return { ...verdict, repeat, problems };
  }
  /** A failed request gives its page back (the run stops anyway; this keeps `done` true). */
  abandon(page) {
    this.#unanswered.delete(page);
  }
  #allowed(reportedLastPage, total, perPage) {
    return Math.min(Math.max(1, reportedLastPage, Math.ceil(total / perPage)), this.#ceiling);
  }
  #settle(page, last, reportedLastPage) {
    if (last) {
      this.#stopAt = Math.min(this.#stopAt, page + 1);
      return;
    }
    if (reportedLastPage > this.#limit)
      this.#limit = Math.min(reportedLastPage, this.#ceiling);
    if (page >= this.#limit) {
      if (page >= this.#ceiling)
        this.#cutByCeiling = true;
      else
        this.#limit = page + 1;
    }
  }
};
function nextRepair(state) {
  if (state.gap === 0)
    return "none";
  if (!state.fullRepairDone && state.knownResidual === state.gap)
    return "accept";
  if (state.gap > 0 && state.newestFirst && !state.headReread)
    return "head";
  if (!state.fullRepairDone)
    return "full";
  return "residual";
}

// dist/sync/context.js
var RunContext = class {
  options;
  scope;
  client;
  /**
   * Request slots: at most `concurrency` requests on the network, fewer while the congestion
   * window is reduced (every stage's requests go through these slots and this client).
   */
  limit;
  /** One congestion window for the run's every request (see api/congestion.ts). */
  congestion;
  stop = new AbortController();
  clock;
  counters = {
    requests: 0,
    retries: 0,
    pages: 0,
    seen: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    stale: 0,
    rejected: 0,
    deleted: 0
  };
  notes = [];
  #warnings = /* @__PURE__ */ new Map();
  /** The scope's warnings left open by its last run (code to message). */
  previousWarnings = /* @__PURE__ */ new Map();
  writer;
  runId = 0;
  startedAt = "";
  phase = "head";
  mode = "incremental";
  /** The API's count in the last list response, for progress. */
  apiTotal = null;
  #lastPage = null;
  /** List requests this run may make at most (set from page 1's count); null until then. */
  #listCeiling = null;
  #listRequests = 0;
  /** Page 1, requested as the run was prepared; taken by the first read of page 1. */
  #firstPage;
  #countersSavedAt = 0;
  constructor(options, scope) {
    this.options = options;
    this.scope = scope;
    this.clock = options.clock ?? (() => /* @__PURE__ */ new Date());
    options.signal?.addEventListener("abort", () => this.stop.abort(options.signal?.reason), { once: true });
    this.limit = pLimit(options.concurrency);
    this.congestion = new CongestionWindow({ max: options.concurrency, onWindow: (window) => this.limit.concurrency = window });
    this.client = new ApiClient({ ...options.api, signal: this.stop.signal, congestion: this.congestion });
    this.#firstPage = this.#request(1);
    this.#firstPage.catch(() => {
    });
  }
  /** The list requests this run may make at most, and how many it made. */
  get listRequests() {
    return { made: this.#listRequests, ceiling: this.#listCeiling };
  }
  /** Sets the run's ceiling of list requests (once, from the first page 1 of the run). */
  setListCeiling(ceiling) {
    this.#listCeiling ??= ceiling;
  }
  /**
   * Fetches list page `page`, checks its `meta`, lets `judge` (the scan's plan) call it a repeat,
   * and stores it unless it is one, after `beforeWrite` if given.
   */
  async readPage(page, judge = (checked) => ({ ...checked, repeat: false }), beforeWrite) {
    this.throwIfStopped();
    const prefetched = page === 1 ? this.#firstPage : null;
    if (prefetched !== null)
      this.#firstPage = null;
    const body = await (prefetched ?? this.#request(page));
    const ids = body.data.flatMap((record) => {
      const id = record?.id;
      return typeof id === "string" ? [id] : [];
    });
    const verdict = judge(checkPage(page, this.options.perPage, body), ids);
    for (const problem of verdict.problems)
      this.warn(problem);
    if (new Set(ids).size < ids.length) {
      this.warn({ code: "duplicate-ids", message: `page ${page} lists a session more than once: each is stored once` });
    }
    this.apiTotal = verdict.total;
    this.#lastPage = Math.max(this.#lastPage ?? 0, verdict.reportedLastPage);
    await beforeWrite?.();
    const createdAts = verdict.repeat ? [] : await this.#store(body);
    this.counters.pages++;
    await this.progress();
    return { verdict, ids, received: body.data.length, createdAts };
  }
  /** Writes records (a page, or a looked-up session with scope '') and counts what they did. */
  async write(records, scope) {
    const counts = await this.writer.writePage(records, this.runId, this.clock().toISOString(), scope);
    addCounts(this.counters, counts);
    return counts;
  }
  /**
   * Notes a warning, logged at warn level (also under --quiet) when it is new or changed since the
   * scope's last run, at info level while it stays the same; the report carries it either way.
   * The same code again in this run only counts (its first message stays).
   */
  warn(problem) {
    const seen = this.#warnings.get(problem.code);
    if (seen !== void 0) {
      seen.count++;
      return;
    }
    this.#warnings.set(problem.code, { code: problem.code, message: problem.message, count: 1 });
    if (this.previousWarnings.get(problem.code) === problem.message) {
      this.options.log.info(`${problem.message} (as in the last run)`, { code: problem.code });
    } else {
      this.options.log.warn(problem.message, { code: problem.code });
    }
  }
  /** The warnings so far. */
  get warnings() {
    return [...this.#warnings.values()].map((warning) => ({ ...warning }));
  }
  /** Something the run did beyond the plain path, worth a line at info level. */
  note(note) {
    this.notes.push(note);
    this.options.log.info(note);
  }
  throwIfStopped() {
    if (this.stop.signal.aborted)
      throw this.stop.signal.reason ?? new Error("stopped");
  }
  /**
   * For tasks run side by side: the first failure stops the run at once (no new requests, those in
   * flight aborted) and is rethrown once every task has settled, so nothing is written after the
   * run is recorded.
   */
  firstFailure() {
    let first = null;
    return {
      note: (error) => {
        first ??= { error };
        this.stop.abort(error);
      },
      rethrow: () => {
        if (first !== null)
          throw first.error;
      },
      failed: () => first !== null
    };
  }
  /** Copies the client's counters into the run's. */
  takeClientStats() {
    this.counters.requests = this.client.stats.requests;
    this.counters.retries = this.client.stats.retries;
  }
  /** Reports progress, and saves the counters through the writer at most once a second. */
  async progress() {
    if (Date.now() - this.#countersSavedAt > 1e3) {
      this.#countersSavedAt = Date.now();
      this.takeClientStats();
      await this.writer.saveCounters(this.runId, { ...this.counters }, this.mode);
    }
    this.options.onProgress?.({
      phase: this.phase,
      pages: this.counters.pages,
      lastPage: this.#lastPage,
      seen: this.counters.seen,
      total: this.apiTotal
    });
  }
  /** Reports the transcripts stage's progress: `done` of `total` candidates so far. */
  transcriptProgress(done, total) {
    this.options.onProgress?.({ phase: "transcripts", pages: done, lastPage: total, seen: done, total });
  }
  /** Aborts what is in flight (when the run cannot start: the lock is held, the database is unusable). */
  cancel() {
    this.stop.abort(new Error("cancelled"));
  }
  /** One list request through the request slots, counted against the run's ceiling. */
  #request(page) {
    return this.limit(() => {
      this.throwIfStopped();
      if (this.#listCeiling !== null && this.#listRequests >= this.#listCeiling) {
        throw new ApiInconsistencyError(`stopped after ${this.#listRequests} list requests, the most this run may make for the sessions the API reported; the API kept listing pages (see the warnings)`);
      }
      this.#listRequests++;
      return this.client.listSessions(page, this.options.perPage, this.options.filters);
    });
  }
  /** Validates a page's records and writes them in one transaction; returns their createdAt. */
  async #store(body) {
    const parsed = body.data.map(parseSession);
    await this.write(parsed, this.scope);
    this.counters.seen += body.data.length;
    const createdAts = [];
    for (const record of parsed)
      if (record.ok)
        createdAts.push(record.row.createdAt);
    return createdAts;
  }
};

// dist/sync/lookups.js
function openReference(listed, now) {
  const clock = now.toISOString();
  let newest = null;
  for (const createdAt of listed)
    if (createdAt !== null && (newest === null || createdAt > newest))
      newest = createdAt;
  return newest !== null && newest < clock ? newest : clock;
}
async function lookUp(run, openAt) {
  run.phase = "lookups";
  const onlyOpen = openAt !== null;
  const ids = await run.writer.unseenLiveIds(run.scope, run.startedAt, openAt);
  const result = { lookups: 0, mismatched: 0 };
  if (ids.length === 0)
    return result;
  run.options.log.info(`looking up ${ids.length} ${onlyOpen ? "open" : "unlisted"} sessions by id`);
  const failure = run.firstFailure();
  await Promise.all(ids.map((id) => run.limit(async () => {
    run.throwIfStopped();
    const record = await run.client.getSession(id);
    result.lookups++;
    if (record === null) {
      if (await run.writer.markDeleted(id, run.clock().toISOString()))
        run.counters.deleted++;
    } else if (record.id !== id) {
      result.mismatched++;
      run.warn({
        code: "lookup-mismatch",
        message: `GET /v1/sessions/${id} answered with session ${JSON.stringify(record.id)?.slice(0, 80)}: not stored, the session is left as it was`
      });
    } else {
      run.counters.seen++;
      await run.write([parseSession(record)], "");
    }
  }).catch(failure.note)));
  failure.rethrow();
  return result;
}

// dist/sync/scan.js
var ScanTally = class {
  apiTotal = 0;
  newest = null;
  newestFirst = true;
  pages = 0;
  add(read) {
    this.apiTotal = read.verdict.total;
    this.pages++;
    if (!isNewestFirst(read.createdAts))
      this.newestFirst = false;
    for (const createdAt of read.createdAts)
      if (this.newest === null || createdAt > this.newest)
        this.newest = createdAt;
  }
  result() {
    return { apiTotal: this.apiTotal, newest: this.newest, newestFirst: this.newestFirst, pages: this.pages };
  }
};
function firstPageRead(run, read) {
  run.setListCeiling(SCANS_PER_RUN * pageCeiling(read.verdict.total, run.options.perPage));
}
async function headScan(run, threshold) {
  run.phase = "head";
  const tally = new ScanTally();
  const first = await run.readPage(1);
  firstPageRead(run, first);
  tally.add(first);
  const plan = new PagePlan(first.verdict, run.options.perPage, 1, first.ids);
  let read = first;
  while (tally.newestFirst && holdsNewer(read, run.options.perPage, threshold)) {
    const page = plan.take();
    if (page === null)
      break;
    read = await run.readPage(page, (checked, ids) => plan.answer(page, checked, ids));
    tally.add(read);
  }
  if (plan.cutByCeiling)
    warnCeiling(run, plan.ceiling);
  return tally.result();
}
function holdsNewer(read, perPage, threshold) {
  return !read.verdict.last && !read.verdict.repeat && headScanContinues(read.received, read.createdAts, perPage, threshold);
}
async function fullScan(run, lockToken, dbPath, threaded) {
  run.phase = "full";
  run.mode = "full";
  const tally = new ScanTally();
  const thread = threaded ? null : threadWriter(dbPath, lockToken);
  thread?.catch(() => {
  });
  let switched = false;
  let first;
  try {
    first = await run.readPage(1, void 0, async () => {
      if (thread !== null) {
        await run.writer.close();
        run.writer = await thread;
        switched = true;
      }
      await run.writer.resetSeen();
    });
  } catch (error) {
    if (thread !== null && !switched)
      void thread.then((writer) => writer.close(), () => {
      });
    throw error;
  }
  firstPageRead(run, first);
  tally.add(first);
  const window = run.options.concurrency * 2 + PAGES_PER_TRANSACTION;
  const plan = new PagePlan(first.verdict, run.options.perPage, window, first.ids);
  const failure = run.firstFailure();
  const pending = /* @__PURE__ */ new Set();
  const pump = () => {
    while (pending.size < window && !failure.failed()) {
      const page = plan.take();
      if (page === null)
        return;
      const task = run.readPage(page, (checked, ids) => plan.answer(page, checked, ids)).then((read) => tally.add(read), (error) => {
        plan.abandon(page);
        failure.note(error);
      }).finally(() => {
        pending.delete(task);
        pump();
      });
      pending.add(task);
    }
  };
  pump();
  while (pending.size > 0)
    await Promise.all(pending);
  failure.rethrow();
  if (plan.cutByCeiling)
    warnCeiling(run, plan.ceiling);
  return tally.result();
}
function warnCeiling(run, ceiling) {
  run.warn({
    code: "ceiling",
    message: `the API still listed full pages at page ${ceiling}, the most its count (${run.apiTotal ?? "?"} sessions) allows with drift: the scan stopped there`
  });
}

// dist/api/transcript.js
function optionalTime(value, field) {
  if (value === void 0 || value === null)
    return null;
  const time = typeof value === "string" ? canonicalTime(value) : null;
  return time ?? new Error(`${field} is not an RFC 3339 date-time`);
}
function optionalNumber(value, field, integer2) {
  if (value === void 0 || value === null)
    return null;
  if (typeof value !== "number" || !Number.isFinite(value) || integer2 && !Number.isSafeInteger(value)) {
    return new Error(`${field} is not ${integer2 ? "an integer" : "a number"}`);
  }
  return value;
}
function parseTranscript(input, sessionId) {
  if (input === null || typeof input !== "object" || Array.isArray(input))
    return { ok: false, reason: "the answer is not a JSON object" };
  const body = input;
  if (body.sessionId !== sessionId) {
    return { ok: false, reason: `the answer is about session ${JSON.stringify(body.sessionId)?.slice(0, 80)}, not ${sessionId}` };
  }
  if (!Array.isArray(body.messages))
    return { ok: false, reason: "messages is not an array" };
  const startTime = optionalTime(body.startTime, "startTime");
  const endTime = optionalTime(body.endTime, "endTime");
  const durationMs = optionalNumber(body.durationMs, "durationMs", true);
  const totalMessages = optionalNumber(body.totalMessages, "totalMessages", true);
  for (const value of [startTime, endTime, durationMs, totalMessages])
    if (value instanceof Error)
      return { ok: false, reason: value.message };
  if (body.personaName !== void 0 && body.personaName !== null && typeof body.personaName !== "string") {
    return { ok: false, reason: "personaName is not a string" };
  }
  const counts = { messages: 0, user: 0, persona: 0, interruptions: 0, userSpeakingSeconds: 0, personaSpeakingSeconds: 0 };
  const messages = [];
  for (const [position, item] of body.messages.entries()) {
    const where = `messages[${position}]`;
    if (item === null || typeof item !== "object" || Array.isArray(item))
      return { ok: false, reason: `${where} is not an object` };
    const m = item;
    if (m.role !== "user" && m.role !== "persona")
      return { ok: false, reason: `${where}.role is ${JSON.stringify(m.role)}, not user or persona` };
    if (typeof m.message !== "string")
      return { ok: false, reason: `${where}.message is not a string` };
    const timestamp = optionalTime(m.timestamp, `${where}.timestamp`);
    const speaking = optionalNumber(m.speakingDurationSeconds, `${where}.speakingDurationSeconds`, false);
    if (timestamp instanceof Error)
      return { ok: false, reason: timestamp.message };
    if (speaking instanceof Error)
      return { ok: false, reason: speaking.message };
    if (m.wasInterrupted !== void 0 && m.wasInterrupted !== null && typeof m.wasInterrupted !== "boolean") {
      return { ok: false, reason: `${where}.wasInterrupted is not a boolean` };
    }
    const interrupted = typeof m.wasInterrupted === "boolean" ? m.wasInterrupted : null;
    messages.push({ position, role: m.role, message: m.message, timestamp, speakingDurationSeconds: speaking, interrupted });
    counts.messages++;
    if (m.role === "user") {
      counts.user++;
      counts.userSpeakingSeconds += speaking ?? 0;
    } else {
      counts.persona++;
      counts.personaSpeakingSeconds += speaking ?? 0;
    }
    if (interrupted === true)
      counts.interruptions++;
  }
  return {
    ok: true,
    transcript: {
      sessionId,
      personaName: body.personaName ?? null,
      startTime,
      endTime,
      durationMs,
      totalMessages,
      transcriptsEnabled: body.transcriptsEnabled !== false,
      messages,
      counts,
      raw: redactedJson(body)
    }
  };
}

// dist/store/transcripts.js
var TRANSCRIPT_ATTEMPTS = 3;
var TRANSCRIPT_RETENTION_MS = 30 * 864e5;
function memberOf(scope) {
  if (scope === "")
    return { sql: "1", params: [] };
  return { sql: "s.id IN (SELECT id FROM scope_members WHERE scope = ?)", params: [scope] };
}
function transcriptCandidates(db, scope, afterId, limit) {
  const where = memberOf(scope);
  const rows = db.prepare(`SELECT s.id, s.updated_at AS updatedAt, s.end_time AS endTime,
         json_extract(s.persona_config, '$.zeroDataRetention') IS 1 AS zeroRetention, t.status
       FROM sessions s LEFT JOIN transcripts t ON t.session_id = s.id
       WHERE s.id > ? AND s.deleted_at IS NULL AND s.end_time IS NOT NULL AND ${where.sql}
         AND (t.session_id IS NULL
              OR (t.status IN ('missing', 'invalid') AND t.attempts < ?)
              OR (t.status IN ('stored', 'disabled') AND coalesce(s.updated_at, '') > coalesce(t.session_updated_at, '')))
       ORDER BY s.id LIMIT ?`).all(afterId, ...where.params, TRANSCRIPT_ATTEMPTS, limit);
  return rows.map((row) => ({ ...row, zeroRetention: row.zeroRetention === 1 }));
}
function expiringWithoutTranscript(db, scope, now, marginMs) {
  const where = memberOf(scope);
  const limit = new Date(now.getTime() - TRANSCRIPT_RETENTION_MS).toISOString();
  const soon = new Date(now.getTime() - TRANSCRIPT_RETENTION_MS + marginMs).toISOString();
  return db.prepare(`SELECT count(*) FROM sessions s LEFT JOIN transcripts t ON t.session_id = s.id
       WHERE s.deleted_at IS NULL AND s.end_time > ? AND s.end_time <= ? AND ${where.sql}
         AND (t.status IS NULL OR t.status IN ('missing', 'invalid'))`).pluck().get(limit, soon, ...where.params);
}
var TranscriptWriter = class {
  #store;
  #missing;
  constructor(db, lockToken) {
    const checkFence = fence(db, lockToken);
    const removeMessages = db.prepare("DELETE FROM transcript_messages WHERE session_id = ?");
    const insertMessage = db.prepare(`INSERT INTO transcript_messages (session_id, position, role, message, timestamp, speaking_duration_seconds, interrupted)
       VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const upsert = db.prepare(`INSERT INTO transcripts (session_id, persona_name, start_time, end_time, duration_ms, total_messages, transcripts_enabled,
         status, reason, attempts, session_updated_at, fetched_at, checked_at, message_count, user_messages, persona_messages,
         interruptions, user_speaking_seconds, persona_speaking_seconds, raw)
       VALUES (@sessionId, @personaName, @startTime, @endTime, @durationMs, @totalMessages, @enabled, @status, NULL, 0,
         @sessionUpdatedAt, @now, @now, @messages, @user, @persona, @interruptions, @userSpeaking, @personaSpeaking, @raw)
       ON CONFLICT (session_id) DO UPDATE SET persona_name = excluded.persona_name, start_time = excluded.start_time,
         end_time = excluded.end_time, duration_ms = excluded.duration_ms, total_messages = excluded.total_messages,
         transcripts_enabled = excluded.transcripts_enabled, status = excluded.status, reason = NULL, attempts = 0,
         session_updated_at = excluded.session_updated_at, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at,
         message_count = excluded.message_count, user_messages = excluded.user_messages, persona_messages = excluded.persona_messages,
         interruptions = excluded.interruptions, user_speaking_seconds = excluded.user_speaking_seconds,
         persona_speaking_seconds = excluded.persona_speaking_seconds, raw = excluded.raw`);
    const missing = db.prepare(`INSERT INTO transcripts (session_id, status, reason, attempts, session_updated_at, checked_at)
       VALUES (@id, @status, @reason, @attempts, @sessionUpdatedAt, @now)
       ON CONFLICT (session_id) DO UPDATE SET
         status = CASE WHEN status IN ('stored', 'disabled') THEN status ELSE excluded.status END,
         reason = CASE WHEN status IN ('stored', 'disabled') THEN reason ELSE excluded.reason END,
         attempts = CASE WHEN status IN ('stored', 'disabled') THEN attempts ELSE attempts + excluded.attempts END,
         session_updated_at = excluded.session_updated_at, checked_at = excluded.checked_at`);
    this.#store = db.transaction((transcript, sessionUpdatedAt, now) => {
      checkFence();
      removeMessages.run(transcript.sessionId);
      for (const m of transcript.messages) {
        insertMessage.run(transcript.sessionId, m.position, m.role, m.message, m.timestamp, m.speakingDurationSeconds, m.interrupted === null ? null : m.interrupted ? 1 : 0);
      }
      const c = transcript.counts;
      upsert.run({
        sessionId: transcript.sessionId,
        personaName: transcript.personaName,
        startTime: transcript.startTime,
        endTime: transcript.endTime,
        durationMs: transcript.durationMs,
        totalMessages: transcript.totalMessages,
        enabled: transcript.transcriptsEnabled ? 1 : 0,
        status: transcript.transcriptsEnabled ? "stored" : "disabled",
        sessionUpdatedAt,
        now,
        messages: c.messages,
        user: c.user,
        persona: c.persona,
        interruptions: c.interruptions,
        userSpeaking: c.userSpeakingSeconds,
        personaSpeaking: c.personaSpeakingSeconds,
        raw: transcript.raw
      });
    });
    this.#missing = db.transaction((id, status, reason, sessionUpdatedAt, now) => {
      checkFence();
      const attempts = status === "missing" || status === "invalid" ? 1 : 0;
      missing.run({ id, status, reason, attempts, sessionUpdatedAt, now });
    });
  }
  /** Stores a transcript whole (its messages replace any stored before), in one transaction. */
  store(transcript, sessionUpdatedAt, now) {
    this.#store(transcript, sessionUpdatedAt, now);
  }
  /** Records why a session has no transcript; a stored one is kept. */
  recordMissing(id, status, reason, sessionUpdatedAt, now) {
    this.#missing(id, status, reason, sessionUpdatedAt, now);
  }
};

// dist/sync/transcripts.js
var BATCH = 500;
var EXPIRY_MARGIN_MS = 3 * 864e5;
async function fetchTranscripts(run, db, lockToken) {
  run.phase = "transcripts";
  const writer = new TranscriptWriter(db, lockToken);
  const counts = { requests: 0, stored: 0, expired: 0, missing: 0, invalid: 0, zeroRetention: 0 };
  const failure = run.firstFailure();
  const pending = /* @__PURE__ */ new Set();
  let after = "";
  let total = 0;
  const handle = async (candidate) => {
    const now = () => run.clock().toISOString();
    if (candidate.zeroRetention) {
      writer.recordMissing(candidate.id, "zero-retention", "the persona has zero data retention: Anam keeps no transcript", candidate.updatedAt, now());
      counts.zeroRetention++;
      return;
    }
    const body = await run.limit(() => {
      run.throwIfStopped();
      counts.requests++;
      return run.client.getTranscript(candidate.id);
    });
    if (body === null) {
      const endedMs = Date.parse(candidate.endTime);
      const expired = candidate.status === null && run.clock().getTime() - endedMs > TRANSCRIPT_RETENTION_MS;
      if (expired) {
        writer.recordMissing(candidate.id, "expired", "no transcript: the session ended more than 30 days before it was first asked", candidate.updatedAt, now());
        counts.expired++;
      } else {
        writer.recordMissing(candidate.id, "missing", "the API answered 404 for an ended session", candidate.updatedAt, now());
        counts.missing++;
      }
    } else {
      const parsed = parseTranscript(body, candidate.id);
      if (parsed.ok) {
        writer.store(parsed.transcript, candidate.updatedAt, now());
        counts.stored++;
      } else {
        writer.recordMissing(candidate.id, "invalid", parsed.reason, candidate.updatedAt, now());
        run.warn({ code: "transcript-invalid", message: `GET /v1/sessions/${candidate.id}/transcript: ${parsed.reason}; not stored` });
        counts.invalid++;
      }
    }
    run.counters.seen++;
  };
  for (; ; ) {
    const batch = transcriptCandidates(db, run.scope, after, BATCH);
    if (batch.length === 0)
      break;
    after = batch[batch.length - 1].id;
    total += batch.length;
    for (const candidate of batch) {
      const task = handle(candidate).then(() => run.transcriptProgress(counts.stored + counts.expired + counts.missing + counts.invalid + counts.zeroRetention, total)).catch(failure.note).finally(() => pending.delete(task));
      pending.add(task);
    }
    while (pending.size > BATCH / 2 && !failure.failed())
      await Promise.race(pending);
    if (failure.failed())
      break;
  }
  await Promise.all(pending);
  failure.rethrow();
  const expiring = expiringWithoutTranscript(db, run.scope, run.clock(), EXPIRY_MARGIN_MS);
  if (expiring > 0) {
    run.warn({
      code: "transcripts-expiring",
      message: `${expiring} ended session(s) reach Anam's 30-day transcript limit within 3 days and have no transcript stored yet`
    });
  }
  return counts;
}

// dist/sync/run.js
function prepareSync(options) {
  const run = new RunContext(options, scopeKey(options.filters));
  return { run: (db, lockToken = null) => execute(run, db, lockToken), cancel: () => run.cancel() };
}
async function execute(run, db, lockToken) {
  const { filters, log } = run.options;
  run.writer = localWriter(db, lockToken);
  const started = run.clock();
  const bookmark = readBookmark(db, run.scope);
  run.previousWarnings = openWarningsOf(db, run.scope);
  for (const warning of run.options.warnings ?? [])
    run.warn(warning);
  const found = {
    apiTotal: null,
    newest: null,
    newestFirst: true,
    lookups: 0,
    fullScanReason: fullScanReason(bookmark, started, { forced: run.options.full, fullEveryHours: run.options.fullEveryHours }),
    fullScanDone: false,
    fullRepairDone: false,
    headReread: false,
    threaded: false,
    residual: null,
    transcripts: null
  };
  run.mode = found.fullScanReason === null ? "incremental" : "full";
  run.startedAt = started.toISOString();
  run.runId = startRun(db, run.mode, filters, run.startedAt);
  if (lockToken !== null)
    attachRunToLock(db, lockToken, run.runId);
  const absorb = (scan) => {
    found.apiTotal = scan.apiTotal;
    if (scan.newest !== null && (found.newest === null || scan.newest > found.newest))
      found.newest = scan.newest;
    found.newestFirst &&= scan.newestFirst;
  };
  const readNewest = async (threshold) => {
    absorb(await headScan(run, threshold));
    found.headReread = true;
  };
  const readAll = async () => {
    log.info(`full sync: ${found.fullScanReason}`);
    absorb(await fullScan(run, lockToken, db.name, found.threaded));
    found.threaded = true;
    found.lookups += (await lookUp(run, null)).lookups;
    if (run.scope !== "")
      await run.writer.pruneMembers(run.scope, run.runId);
    found.fullScanDone = true;
    found.headReread = false;
  };
  try {
    if (found.fullScanReason === null && bookmark !== null) {
      const head = await headScan(run, bookmark.newestCreatedAt === null ? "" : headThreshold(bookmark.newestCreatedAt));
      absorb(head);
      if (!head.newestFirst) {
        found.fullScanReason = "the API does not list sessions newest first";
        run.note(`${found.fullScanReason}: reading every page instead`);
      }
    }
    if (found.fullScanReason !== null)
      await readAll();
    else
      found.lookups += (await lookUp(run, openReference([found.newest, bookmark?.newestCreatedAt ?? null], run.clock()))).lookups;
    const rejectedSince = () => found.fullScanDone ? run.runId : bookmark?.lastFullRunId ?? run.runId;
    const gap = () => found.apiTotal === null ? 0 : found.apiTotal - countLive(db, run.scope) - countRejected(db, run.scope, rejectedSince());
    const knownResidual = bookmark?.countResidual ?? null;
    for (; ; ) {
      const difference = gap();
      const step = nextRepair({ gap: difference, knownResidual, ...found });
      if (step === "none")
        break;
      if (step === "accept" || step === "residual") {
        found.residual = difference;
        run.warn(residualWarning(difference));
        break;
      }
      run.note(`the API lists ${found.apiTotal} sessions, ${(found.apiTotal ?? 0) - difference} stored: ${step === "head" ? "re-reading the newest pages" : "reading every page"}`);
      if (step === "head") {
        if (found.newest === null)
          found.headReread = true;
        else
          await readNewest(headThreshold(found.newest, HEAD_OVERLAP_MS));
      } else {
        found.fullScanReason ??= "repair: the counts differed";
        await readAll();
        found.fullRepairDone = true;
      }
    }
    const rejected = countRejected(db, run.scope, rejectedSince());
    if (rejected > 0)
      run.warn(rejectedWarning(rejected));
    if (run.counters.stale > 0) {
      run.warn({
        code: "stale-versions",
        message: "the API served versions older than the stored ones (a lagging copy?): they were kept in session_versions, the rows were not rolled back"
      });
    }
    if (run.client.stats.nearlyExhausted > 0) {
      run.warn({
        code: "retries-nearly-exhausted",
        message: `requests succeeded only on their last allowed attempts (--max-retries ${run.options.api.maxRetries}): the API is failing often`
      });
    }
    const finished = run.clock();
    advanceBookmark(db, filters, {
      newestCreatedAt: found.newest,
      completeAt: finished.toISOString(),
      fullSync: found.fullScanDone,
      runId: run.runId,
      residual: found.residual
    });
    await run.writer.close();
    if (run.options.transcripts === true)
      found.transcripts = await fetchTranscripts(run, db, lockToken);
    return { report: finish(run, db, found, "succeeded", started, run.clock()), error: null };
  } catch (error) {
    await run.writer.close().catch(() => {
    });
    const stopReason = run.options.signal?.aborted ? run.options.signal.reason : void 0;
    const thrown = typeof stopReason === "string" ? new InterruptedError(stopReason) : stopReason instanceof SyncError ? stopReason : toSyncError(asDatabaseError(error, db.name));
    try {
      const status = thrown instanceof InterruptedError ? "interrupted" : "failed";
      return { report: finish(run, db, found, status, started, run.clock(), thrown.message), error: thrown };
    } catch {
      throw thrown;
    }
  }
}
function residualWarning(residual) {
  const how = residual > 0 ? `${residual} more sessions than its pages list` : `${-residual} fewer sessions than its pages list`;
  return {
    code: "count-residual",
    message: `after a full scan the API still counts ${how}; later runs accept this difference while it stays the same, and the scheduled full scan (--full-every) checks again`
  };
}
function rejectedWarning(count) {
  return {
    code: "rejected-records",
    message: `${count} record(s) the API lists failed validation and are kept in the rejected_records table, not in sessions`
  };
}
function finish(run, db, found, status, started, finished, error) {
  const durationMs = finished.getTime() - started.getTime();
  run.takeClientStats();
  saveCounters(db, run.runId, run.counters, run.mode);
  const warnings = run.warnings;
  const notes = [...run.notes, ...warnings.map((warning) => `warning: ${warning.message}`)];
  finishRun(db, run.runId, { status, finishedAt: finished.toISOString(), durationMs, error, notes });
  saveWarnings(db, run.scope, run.runId, finished.toISOString(), warnings, status === "succeeded");
  const { made, ceiling } = run.listRequests;
  return {
    runId: run.runId,
    status,
    mode: run.mode,
    ...run.counters,
    durationMs,
    scope: run.scope,
    fullScanReason: found.fullScanReason,
    apiTotal: found.apiTotal,
    storedLive: countLive(db, run.scope),
    residual: found.residual,
    lookups: found.lookups,
    listRequests: made,
    listCeiling: ceiling,
    notes: [...run.notes],
    warnings,
    transcripts: found.transcripts,
    ...error === void 0 ? {} : { error }
  };
}
function toSyncError(error) {
  return error instanceof SyncError ? error : new SyncError(`sync failed: ${messageOf(error)}`, 1, { cause: error });
}

// dist/commands/sync.js
async function syncCommand({ argv, env, stdout, stderr }) {
  const warnings = [];
  const config = syncConfig(argv, env, (warning) => warnings.push(warning));
  const log = loggerFor(config, stderr);
  const jsonFields = (fields) => config.logFormat === "json" ? fields : void 0;
  if (config.metricsFile !== null)
    classifyOutput(config.metricsFile, "--metrics-file");
  const stop = new AbortController();
  const progress = createProgressBar(stderr, !config.quiet && config.logFormat === "text");
  const prepared = prepareSync({
    api: {
      baseUrl: config.apiUrl,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      proxyUrl: config.proxyUrl,
      onRequest: (event) => log.debug(`${event.method} ${event.path} ${event.status ?? "-"} ${Math.round(event.durationMs)} ms`, {
        attempt: event.attempt,
        error: event.error
      }),
      // A wait a person would notice gets a line at the default level; shorter ones only count.
      onRetry: (event) => {
        if (event.waitMs <= 1e3)
          return;
        const asked = event.retryAfterMs === null ? "" : `, Retry-After ${(event.retryAfterMs / 1e3).toFixed(1)} s`;
        log.info(`GET ${event.path} ${event.status ?? event.error}: retrying in ${(event.waitMs / 1e3).toFixed(1)} s (attempt ${event.attempt} of ${event.attempts} failed${asked})`, jsonFields({ status: event.status, attempt: event.attempt, waitMs: event.waitMs, retryAfterMs: event.retryAfterMs ?? void 0 }));
      }
    },
    warnings,
    filters: config.filters,
    perPage: config.perPage,
    concurrency: config.concurrency,
    full: config.full,
    fullEveryHours: config.fullEveryHours,
    transcripts: config.transcripts,
    signal: stop.signal,
    log,
    onProgress: (p) => progress.update(p)
  });
  for (let turn = 0; turn < 2; turn++)
    await new Promise((resolve) => setImmediate(resolve));
  let db;
  try {
    db = openDatabase(config.db);
  } catch (error) {
    prepared.cancel();
    throw error;
  }
  const onSignal = (signal) => {
    if (stop.signal.aborted) {
      log.warn(`${signal} again: exiting at once`);
      process.exit(signal === "SIGINT" ? ExitCode.sigint : ExitCode.sigterm);
    }
    log.warn(`${signal}: finishing the page in hand, then stopping (send it again to exit at once)`);
    stop.abort(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let heartbeat;
  let lock;
  try {
    lock = acquireLock(db, /* @__PURE__ */ new Date());
    const held = lock;
    heartbeat = setInterval(() => {
      try {
        if (!held.heartbeat((/* @__PURE__ */ new Date()).toISOString()))
          stop.abort(new LockLostError());
      } catch (error2) {
        log.warn(`could not renew the sync lock: ${messageOf(asDatabaseError(error2, config.db))}`);
      }
    }, LOCK_HEARTBEAT_MS);
    heartbeat.unref();
    const abandoned = abandonLeftoverRuns(db, (/* @__PURE__ */ new Date()).toISOString());
    if (abandoned > 0)
      log.warn(`marked ${abandoned} run(s) left running by a killed process as abandoned`);
    let outcome;
    try {
      outcome = await prepared.run(db, lock.token);
    } finally {
      progress.done();
    }
    const { report, error } = outcome;
    if (config.json)
      stdout.write(`${JSON.stringify(report)}
`);
    if (error instanceof InterruptedError) {
      log.warn(messageOf(error));
      return error.exitCode;
    }
    if (error !== null)
      throw error;
    log.info(summaryLine(report), jsonFields(summaryFields(report)));
    try {
      const analyzed = analyzeIfLarge(db, report.inserted + report.updated + report.deleted);
      if (analyzed.action === "analyze")
        log.debug(`planner statistics refreshed in ${Math.round(analyzed.durationMs)} ms`);
    } catch (error2) {
      log.warn(`could not refresh the planner statistics: ${messageOf(asDatabaseError(error2, config.db))}`);
    }
    return ExitCode.ok;
  } catch (error) {
    throw asDatabaseError(error, config.db);
  } finally {
    if (config.metricsFile !== null)
      await writeMetrics(db, config.metricsFile, log);
    prepared.cancel();
    clearInterval(heartbeat);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    try {
      lock?.release();
    } catch (error) {
      log.warn(`could not release the sync lock: ${messageOf(asDatabaseError(error, config.db))}`);
    }
    db.close();
  }
}
function summaryFields(report) {
  const { notes: _notes, warnings: _warnings, ...fields } = report;
  return fields;
}
async function writeMetrics(db, path, log) {
  try {
    await writeOutput(path, "--metrics-file", metricsText(readScopeHealth(db)), { mode: 420 });
  } catch (error) {
    log.warn(`could not write the metrics file ${path}: ${messageOf(asDatabaseError(error, path))}`);
  }
}
function summaryLine(report) {
  return `sync ${report.status} (${report.mode}): ${report.seen} seen in ${report.pages} pages, ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.stale} stale, ${report.rejected} rejected, ${report.deleted} deleted; ${report.requests} requests, ${report.retries} retries, ${(report.durationMs / 1e3).toFixed(1)} s`;
}
export {
  summaryLine,
  syncCommand
};
//# sourceMappingURL=chunk-6KC2SP76.js.map
