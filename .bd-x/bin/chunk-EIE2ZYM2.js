import {
  integer,
  number,
  oneOf,
  optionalString
} from "./chunk-C6BDQT25.js";
import {
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/simulate/options.js
var FAULT_KINDS = ["429", "429-date", "500", "502", "503", "504", "reset", "truncated", "html"];
var LIST_ORDERS = ["newest", "oldest", "shuffled"];
var NUMBER_OPTIONS = {
  sessions: { flag: "--sessions", fallback: 250, min: 0, max: 1e6, whole: true },
  seed: { flag: "--seed", fallback: 1, min: 0, max: 2 ** 31 - 1, whole: true },
  port: { flag: "--port", fallback: 0, min: 0, max: 65535, whole: true },
  latencyMs: { flag: "--latency", fallback: 0, min: 0, max: 6e5, whole: false },
  createEvery: { flag: "--create-every", fallback: 0, min: 0, max: 1e6, whole: true },
  faultRate: { flag: "--fault-rate", fallback: 0, min: 0, max: 1, whole: false },
  retryAfterSeconds: { flag: "--retry-after", fallback: 1, min: 0, max: 3600, whole: true },
  rateLimit: { flag: "--rate-limit", fallback: 0, min: 0, max: 1e6, whole: false },
  stuckOpen: { flag: "--stuck-open", fallback: 0, min: 0, max: 1e6, whole: true },
  invalidEvery: { flag: "--invalid-every", fallback: 0, min: 0, max: 1e6, whole: true },
  days: { flag: "--days", fallback: 60, min: 1, max: 3660, whole: true }
};
function numberOption(name, value) {
  const { flag, fallback, min, max, whole } = NUMBER_OPTIONS[name];
  return (whole ? integer : number)(value, fallback, flag, min, max);
}
function keyOption(value) {
  const key = optionalString(value, "--key");
  if (key === void 0)
    return void 0;
  if (key.trim() === "")
    throw new UsageError("--key must not be empty");
  if (/\s/.test(key))
    throw new UsageError("--key must not contain spaces");
  return key;
}
function hostOption(value) {
  const host = optionalString(value, "--host") ?? "127.0.0.1";
  if (host.trim() === "")
    throw new UsageError("--host must not be empty");
  return host;
}
function faultKindsOption(value) {
  if (value === void 0)
    return FAULT_KINDS;
  const kinds = typeof value === "string" ? value.split(",").map((kind) => kind.trim()) : value;
  const takes = `--faults takes ${FAULT_KINDS.join(",")}`;
  if (!Array.isArray(kinds) || kinds.length === 0)
    throw new UsageError(`${takes}; give at least one`);
  for (const kind of kinds) {
    if (!FAULT_KINDS.includes(kind))
      throw new UsageError(`${takes}; ${JSON.stringify(kind)} is not one`);
  }
  return Object.freeze([...kinds]);
}
function orderOption(value) {
  return oneOf(value, "newest", "--order", LIST_ORDERS);
}
function settle(options) {
  return Object.freeze({
    key: keyOption(options.key),
    latencyMs: numberOption("latencyMs", options.latencyMs),
    order: orderOption(options.order),
    createEvery: numberOption("createEvery", options.createEvery),
    faultRate: numberOption("faultRate", options.faultRate),
    faultKinds: faultKindsOption(options.faultKinds),
    retryAfterSeconds: numberOption("retryAfterSeconds", options.retryAfterSeconds),
    rateLimit: numberOption("rateLimit", options.rateLimit)
  });
}
function runtimeOf(settings) {
  const { key, ...rest } = settings;
  return key === void 0 ? rest : { key, ...rest };
}
function listenOptions(options) {
  return { host: hostOption(options.host), port: numberOption("port", options.port) };
}
function simulatorOptionsFrom(flags) {
  const numbers = Object.fromEntries(Object.entries(NUMBER_OPTIONS).map(([name, { flag }]) => [name, numberOption(name, flags[flag.slice(2)])]));
  return {
    ...numbers,
    key: keyOption(flags.key),
    host: hostOption(flags.host),
    order: orderOption(flags.order),
    faultKinds: faultKindsOption(flags.faults)
  };
}

// dist/simulate/server.js
import { createServer } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

// dist/simulate/routes.js
import { createHash, timingSafeEqual } from "node:crypto";

// dist/simulate/random.js
function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = state + 1831565813 >>> 0;
    let t = state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (items) => items[Math.floor(next() * items.length)];
  const weighted = (choices) => {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0)
        return value;
    }
    return choices[choices.length - 1][0];
  };
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, chance: (p) => next() < p, pick, weighted, bytes };
}
function hash32(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  h ^= h >>> 16;
  return h >>> 0;
}
function randomUuid(rng) {
  const b = rng.bytes(16);
  b[6] = b[6] & 15 | 64;
  b[8] = b[8] & 63 | 128;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
var ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function randomText(rng, length, alphabet = ALPHANUMERIC) {
  return Array.from({ length }, () => alphabet[rng.int(0, alphabet.length - 1)]).join("");
}

// dist/simulate/transcripts.js
var TRANSCRIPT_RETENTION_MS = 30 * 864e5;
var USER_LINES = [
  "Hi! Can you help me with my order?",
  "What are your opening hours on Sunday?",
  "I would like to change my delivery address.",
  "\xBFHablas espa\xF1ol? Necesito ayuda con mi cuenta.",
  "Ich habe eine Frage zu meiner Rechnung.",
  "C\u2019est possible de parler \xE0 quelqu\u2019un ? \u{1F642}",
  "\u4E88\u7D04\u3092\u5909\u66F4\u3057\u305F\u3044\u3067\u3059\u3002",
  "hmm",
  "Wait, sorry \u2014 say that again?",
  "Thanks, that is all. \u{1F44D}"
];
var PERSONA_LINES = [
  "Hello, I am here to help. What can I do for you today?",
  "Of course. Could you give me your order number?",
  "We are open from 10:00 to 16:00 on Sundays.",
  "I have updated the address. Is there anything else?",
  "Claro, puedo ayudarte en espa\xF1ol.",
  "Nat\xFCrlich, worum geht es genau?",
  "Bien s\xFBr ! Je vous mets en relation. \u260E\uFE0F",
  "\u304B\u3057\u3053\u307E\u308A\u307E\u3057\u305F\u3002\u65E5\u4ED8\u3092\u6559\u3048\u3066\u304F\u3060\u3055\u3044\u3002",
  "Let me check that for you \u2014 one moment, please."
];
function missingTranscriptReason(session, now) {
  if (session.endTime === null)
    return "active";
  if (session.personaConfig.zeroDataRetention === true)
    return "zero-retention";
  const ended = Date.parse(session.endTime);
  if (!Number.isNaN(ended) && now - ended > TRANSCRIPT_RETENTION_MS)
    return "expired";
  return null;
}
function transcriptOf(session, now) {
  if (typeof session.id !== "string" || missingTranscriptReason(session, now) !== null)
    return null;
  const rng = createRandom(hash32(`transcript:${session.id}`));
  const enabled = !rng.chance(0.05);
  const messages = enabled ? conversation(rng, session) : [];
  const name = session.personaConfig.name;
  return {
    sessionId: session.id,
    personaName: typeof name === "string" ? name : null,
    startTime: session.startTime,
    endTime: session.endTime,
    durationMs: session.sessionLengthMs,
    totalMessages: messages.length,
    transcriptsEnabled: enabled,
    messages
  };
}
function conversation(rng, session) {
  const count = rng.weighted([[2, 1], [rng.int(3, 12), 5], [rng.int(13, 40), 3], [rng.int(41, 80), 1]]);
  const skipGreeting = session.personaConfig.skipGreeting === true;
  let at = Date.parse(session.startTime) + rng.int(500, 3e3);
  const messages = [];
  for (let position = 0; position < count; position++) {
    const role = position % 2 === 0 !== skipGreeting ? "persona" : "user";
    const long = rng.chance(0.03);
    const line = rng.pick(role === "user" ? USER_LINES : PERSONA_LINES);
    const text = long ? `${line} ${"Here is a longer explanation with details. ".repeat(rng.int(40, 120))}`.trim() : line;
    const speaking = Math.round((text.length / 15 + rng.next() * 2) * 10) / 10;
    const message = {
      role,
      message: text,
      timestamp: rng.chance(0.03) || Number.isNaN(at) ? null : new Date(at).toISOString(),
      speakingDurationSeconds: rng.chance(0.03) ? null : speaking
    };
    if (role === "persona")
      message.wasInterrupted = rng.chance(0.15);
    else if (rng.chance(0.2))
      message.wasInterrupted = false;
    messages.push(message);
    at += Math.round(speaking * 1e3) + rng.int(300, 4e3);
  }
  return messages;
}

// dist/simulate/routes.js
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function problem(status, message) {
  return { status, body: { message } };
}
function queryInteger(params, name, fallback, max) {
  const raw = params.get(name);
  if (raw === null)
    return fallback;
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) {
    const range = max === Infinity ? "an integer >= 1" : `an integer from 1 to ${max}`;
    return problem(400, `${name} must be ${range}`);
  }
  return value;
}
function queryFilters(params) {
  const filters = {};
  for (const name of ["apiKeyId", "personaId"]) {
    const value = params.get(name);
    if (value === null)
      continue;
    if (!UUID.test(value))
      return problem(400, `${name} must be a UUID`);
    filters[name] = value;
  }
  const search = params.get("search");
  if (search !== null && search !== "")
    filters.search = search;
  return filters;
}
function listSessions(store, order, params) {
  const page = queryInteger(params, "page", 1, Infinity);
  if (typeof page !== "number")
    return page;
  const perPage = queryInteger(params, "perPage", 10, 100);
  if (typeof perPage !== "number")
    return perPage;
  const filters = queryFilters(params);
  if ("status" in filters)
    return filters;
  const all = store.list(filters, order);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const body = {
    data: all.slice((page - 1) * perPage, page * perPage),
    meta: {
      total: all.length,
      lastPage,
      currentPage: page,
      perPage,
      prev: page > 1 ? page - 1 : null,
      next: page < lastPage ? page + 1 : null
    }
  };
  return { status: 200, body };
}
function getSession(store, rawId) {
  let id;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return problem(400, "id must be a UUID");
  }
  if (!UUID.test(id))
    return problem(400, "id must be a UUID");
  const session = store.get(id);
  return session ? { status: 200, body: session } : problem(404, `Session ${id} not found`);
}
function getTranscript(store, rawId) {
  const found = getSession(store, rawId);
  if (found.status !== 200)
    return found.status === 404 ? problem(404, "Session not found or no transcript available") : found;
  const transcript = transcriptOf(found.body, store.now());
  return transcript === null ? problem(404, "Session not found or no transcript available") : { status: 200, body: transcript };
}
function routeOf(pathname) {
  if (pathname === "/v1/sessions")
    return { kind: "list" };
  const match = /^\/v1\/sessions\/([^/]+)(\/transcript)?$/.exec(pathname);
  if (!match)
    return { kind: "unknown" };
  return { kind: match[2] === void 0 ? "get" : "transcript", id: match[1] };
}
function answer(store, order, route, url) {
  if (route.kind === "list")
    return listSessions(store, order, url.searchParams);
  if (route.kind === "get")
    return getSession(store, route.id);
  if (route.kind === "transcript")
    return getTranscript(store, route.id);
  return problem(404, `Cannot GET ${url.pathname}`);
}
function authProblem(req, key) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!match)
    return 'Missing or malformed Authorization header: expected "Bearer <API key>"';
  if (key === void 0)
    return void 0;
  const digest = (text) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(match[1]), digest(key)) ? void 0 : "Invalid API key";
}
function send(res, status, body, contentType, headers = {}) {
  if (res.destroyed || res.writableEnded)
    return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...headers
  });
  res.end(body);
}
function sendJson(res, reply, headers = {}) {
  send(res, reply.status, JSON.stringify(reply.body), "application/json; charset=utf-8", headers);
}

// dist/simulate/control.js
var CONTROL_PREFIX = "/_simulator/";
var MAX_BODY_BYTES = 65536;
function pickRandom(rng, items, n) {
  const pool = [...items];
  const picked = [];
  while (picked.length < n && pool.length > 0) {
    picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
  }
  return picked;
}
function idsOf(sessions) {
  return sessions.flatMap((s) => s && typeof s.id === "string" ? [s.id] : []);
}
function changeStore(store, rng, action, n) {
  const withId = store.all().filter((s) => typeof s.id === "string");
  switch (action) {
    case "create":
      return idsOf(Array.from({ length: n }, () => store.create()));
    case "end": {
      const active = store.list({}, "oldest").filter((s) => s.endTime === null && typeof s.id === "string");
      return idsOf(active.slice(0, n).map((s) => store.end(s.id)));
    }
    case "edit": {
      const ended = withId.filter((s) => s.endTime !== null);
      return idsOf(pickRandom(rng, ended, n).map((s) => store.edit(s.id)));
    }
    default:
      return pickRandom(rng, withId, n).flatMap((s) => store.remove(s.id) ? [s.id] : []);
  }
}
async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      return null;
    chunks.push(chunk);
  }
  return { value: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") };
}
async function handleControl(target, req, res, url) {
  const action = url.pathname.slice(CONTROL_PREFIX.length);
  const expected = ["stats", "sessions"].includes(action) ? "GET" : "POST";
  const known = ["stats", "sessions", "reset-stats", "options", "create", "end", "edit", "delete", "advance"];
  if (!known.includes(action))
    return sendJson(res, problem(404, `Unknown control endpoint ${url.pathname}`));
  if (req.method !== expected) {
    return sendJson(res, problem(405, `Use ${expected} ${url.pathname}`), { allow: expected });
  }
  if (action === "stats")
    return sendJson(res, { status: 200, body: target.stats() });
  if (action === "sessions")
    return sendJson(res, { status: 200, body: target.store.all() });
  if (action === "reset-stats") {
    target.resetStats();
    return sendJson(res, { status: 200, body: target.stats() });
  }
  if (action === "options") {
    const body = await readJson(req);
    if (body === null)
      return sendJson(res, problem(413, `the body must be at most ${MAX_BODY_BYTES} bytes`));
    target.setOptions(body.value);
    return sendJson(res, { status: 200, body: target.options() });
  }
  if (action === "advance") {
    const days = queryInteger(url.searchParams, "days", 1, 3650);
    if (typeof days !== "number")
      return sendJson(res, days);
    target.store.advance(days * 864e5);
    return sendJson(res, { status: 200, body: { now: new Date(target.store.now()).toISOString() } });
  }
  const n = queryInteger(url.searchParams, "n", 1, 1e5);
  if (typeof n !== "number")
    return sendJson(res, n);
  sendJson(res, { status: 200, body: { ids: changeStore(target.store, target.rng, action, n) } });
}

// dist/simulate/time-shapes.js
var RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
function parseMicros(text) {
  const match = RFC3339.exec(text);
  if (!match)
    return void 0;
  const [, local, fraction = "", zone] = match;
  const localMs = Date.parse(`${local}Z`);
  if (Number.isNaN(localMs))
    return void 0;
  const offset = zone === "Z" ? 0 : parseOffsetMinutes(zone);
  const micros = Number(fraction.padEnd(6, "0").slice(0, 6));
  return (localMs - offset * 6e4) * 1e3 + micros;
}
function parseOffsetMinutes(zone) {
  const sign = zone.startsWith("-") ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}
function detectShape(text) {
  const match = RFC3339.exec(text);
  if (!match)
    return { kind: "millis", offsetMinutes: 0 };
  const [, , fraction, zone] = match;
  if (zone !== "Z")
    return { kind: "offset", offsetMinutes: parseOffsetMinutes(zone) };
  if (fraction === void 0)
    return { kind: "seconds", offsetMinutes: 0 };
  return { kind: fraction.length > 3 ? "micros" : "millis", offsetMinutes: 0 };
}
function quantize(ms, shape) {
  return shape.kind === "seconds" ? Math.floor(ms / 1e3) * 1e3 : Math.floor(ms);
}
function formatTime(ms, shape, rng) {
  const iso = new Date(ms).toISOString();
  switch (shape.kind) {
    case "millis":
      return iso;
    case "seconds":
      return `${iso.slice(0, 19)}Z`;
    case "micros":
      return `${iso.slice(0, 23)}${String(rng.int(0, 999)).padStart(3, "0")}Z`;
    case "offset": {
      const local = new Date(ms + shape.offsetMinutes * 6e4).toISOString().slice(0, 23);
      const abs = Math.abs(shape.offsetMinutes);
      const hh = String(Math.floor(abs / 60)).padStart(2, "0");
      const mm = String(abs % 60).padStart(2, "0");
      return `${local}${shape.offsetMinutes < 0 ? "-" : "+"}${hh}:${mm}`;
    }
  }
}
function randomShape(rng) {
  const kind = rng.weighted([
    ["millis", 55],
    ["seconds", 15],
    ["offset", 15],
    ["micros", 15]
  ]);
  const offsetMinutes = kind === "offset" ? rng.pick([120, 60, 0, -300, 330, -420]) : 0;
  return { kind, offsetMinutes };
}

// dist/simulate/generate.js
var BASE_INSTANT = Date.UTC(2026, 9, 1, 0, 0, 0);
var DAY_MS = 864e5;
var PLAIN_LABELS = [
  "web-widget",
  "kiosk-3",
  "anam-lab-chat",
  "mobile-app",
  "support-bot",
  "demo-site",
  "onboarding-flow",
  "sales-kiosk-1"
];
var HARD_LABELS = [
  '\xDCn\xEFc\xF8d\xE9 \u{1F600}, "quoted"\r\nline2',
  "checkout, step 2",
  'say "hello"',
  "multi\nline",
  "carriage\rreturn",
  '=HYPERLINK("http://evil.example","click")',
  "+SUM(A1:A2)",
  "-2+3",
  "@cmd",
  "\u65E5\u672C\u8A9E\u306E\u30E9\u30D9\u30EB",
  " padded label "
];
var EXIT_STATUSES = [
  ["NORMAL_EXIT", 55],
  ["CLOSED_BY_ENGINE", 25],
  ["ERROR", 12],
  ["TIMEOUT", 8]
];
var PERSONA_NAMES = ["Cara", "Leo", "Mia", "Noah", "Ava", "Finn"];
var MODELS = [
  { modelName: "gpt-4o", format: "openai", url: "https://api.openai.com/v1" },
  { modelName: "claude-sonnet-4", format: "anthropic", url: "https://api.anthropic.com/v1" },
  { modelName: "llama-3.3-70b", format: "groq", url: "https://api.groq.com/openai/v1" }
];
var LANGUAGES = ["en", "en", "en", "de", "fr", "es", "ja"];
var PROMPTS = [
  "You are a helpful assistant.",
  "You are a friendly receptionist. Keep answers short.",
  "You are a patient language tutor who corrects mistakes gently.",
  "You answer questions about our product catalogue, and nothing else."
];
var USER_AGENTS = [
  "Mozilla/5.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "anam-python-sdk/1.4.0 python-httpx/0.27"
];
var SDKS = [
  { sdk: "js-sdk", versions: ["3.2.0", "3.3.1", "3.4.0"] },
  { sdk: "react-sdk", versions: ["1.0.4", "1.1.0"] },
  { sdk: "python-sdk", versions: ["1.4.0"] }
];
var ENGINE_VERSIONS = ["v5.1.0", "v5.1.2", "v5.2.3", "v5.3.0"];
function createCatalog(rng) {
  const organizationId = randomUuid(rng);
  return {
    organizationId,
    otherOrganizationId: randomText(rng, 21, `${ALPHANUMERIC}_-`),
    apiKeyIds: [randomUuid(rng), randomUuid(rng), randomUuid(rng)],
    personas: PERSONA_NAMES.map((name) => {
      const id = randomUuid(rng);
      return { id, name, config: personaConfig(rng, name, "custom", organizationId) };
    })
  };
}
function personaConfig(rng, name, type, organizationId) {
  const model = rng.pick(MODELS);
  const elevenLabs = rng.chance(0.7);
  return {
    type,
    name,
    metadata: { client: rng.pick(["js-sdk", "react-sdk", "python-sdk"]) },
    llmConfig: {
      id: randomUuid(rng),
      modelName: model.modelName,
      format: model.format,
      urls: [{ url: model.url, region: "default" }],
      maxTokens: rng.pick([1024, 2048, 4096]),
      temperature: rng.int(2, 10) / 10,
      metadata: {},
      secret_iv: rng.bytes(12).toString("base64"),
      encrypted_secret: rng.bytes(48).toString("base64"),
      createdByOrganizationId: rng.chance(0.5) ? null : organizationId
    },
    systemPrompt: rng.pick(PROMPTS),
    personality: "",
    languageCode: rng.pick(LANGUAGES),
    skipGreeting: rng.chance(0.2),
    zeroDataRetention: rng.chance(0.1),
    ttsProvider: elevenLabs ? "ELEVENLABS" : "CARTESIA",
    ttsProviderVoiceId: randomText(rng, 20),
    ttsProviderModelId: elevenLabs ? "eleven_flash_v2_5" : "sonic-2",
    ttsProviderOptions: {},
    avatarEngineKey: `${name.toLowerCase()}_home`,
    avatarVersion: `${name.toLowerCase()}-3`,
    disableBrains: false,
    fillerPhrases: [],
    useFillerPhrases: false,
    enableAudioPassthrough: false,
    voiceDetectionOptions: {},
    voiceGenerationOptions: {},
    maxSessionLengthSeconds: rng.pick([1800, 3600, 1e6]),
    fps: 25
  };
}
function generateSession(rng, catalog, plan) {
  const { shape, index } = plan;
  const id = randomUuid(rng);
  const persona = rng.chance(0.2) ? void 0 : rng.pick(catalog.personas);
  const createdMs = quantize(plan.createdMs, shape);
  const startMs = quantize(createdMs + rng.int(0, 1500), shape);
  const ending = plan.active ? void 0 : endSession(rng, shape, startMs);
  const startTime = formatTime(startMs, shape, rng);
  const updatedAt = chooseUpdatedAt(rng, plan, startTime, ending?.endMs);
  const ephemeralName = rng.pick(PERSONA_NAMES);
  const session = {
    id,
    personaId: persona?.id ?? null,
    clientLabel: chooseLabel(rng, index),
    startTime,
    endTime: ending ? formatTime(ending.endMs, shape, rng) : null,
    sessionLengthMs: ending ? ending.endMs - startMs : null,
    exitStatus: ending?.exitStatus ?? null,
    ...engineFields(rng, createdMs),
    clientMetadata: clientMetadata(rng, index),
    personaConfig: persona?.config ?? personaConfig(rng, ephemeralName, "ephemeral", catalog.organizationId),
    apiKeyId: rng.chance(0.05) ? null : rng.pick(catalog.apiKeyIds),
    organizationId: rng.chance(0.04) ? catalog.otherOrganizationId : catalog.organizationId,
    createdAt: plan.createdAtText ?? formatTime(createdMs, shape, rng),
    updatedAt
  };
  if (index % 25 === 7)
    session.region = rng.pick(["eu-west-1", "us-east-1"]);
  return breakIfScheduled(session, plan);
}
function endSession(rng, shape, startMs) {
  const exitStatus = rng.weighted(EXIT_STATUSES);
  const lengthMs = exitStatus === "TIMEOUT" ? 18e5 + rng.int(0, 4e3) : exitStatus === "ERROR" ? rng.int(400, 6e4) : Math.round(15e3 * Math.exp(rng.next() * 4.7));
  return { endMs: quantize(startMs + lengthMs, shape), exitStatus };
}
function chooseUpdatedAt(rng, plan, startTime, endMs) {
  if (plan.old && plan.index % 6 === 1)
    return null;
  if (endMs === void 0)
    return startTime;
  return formatTime(quantize(endMs + rng.int(0, 3e3), plan.shape), plan.shape, rng);
}
function chooseLabel(rng, index) {
  if (index % 7 === 2)
    return HARD_LABELS[Math.floor(index / 7) % HARD_LABELS.length];
  if (rng.chance(0.1))
    return null;
  return rng.pick(PLAIN_LABELS);
}
function engineFields(rng, createdMs) {
  if (rng.chance(0.02))
    return { engineHost: null, engineProtocol: null, engineVersion: null };
  const region = rng.pick(["eu", "us"]);
  const pod = `anam-engine-${rng.bytes(5).toString("hex")}-${randomText(rng, 5).toLowerCase()}`;
  const age = Math.max(0, Math.min(0.999, (BASE_INSTANT - createdMs) / (60 * 864e5)));
  const version = ENGINE_VERSIONS[ENGINE_VERSIONS.length - 1 - Math.floor(age * ENGINE_VERSIONS.length)];
  return {
    engineHost: `connect-${region}.anam.ai/v1/webrtc/engines/${pod}`,
    engineProtocol: "https",
    engineVersion: version ?? "v5.1.0"
  };
}
function clientMetadata(rng, index) {
  const sdk = rng.pick(SDKS);
  const metadata = {
    userAgent: rng.pick(USER_AGENTS),
    sdk: sdk.sdk,
    sdkVersion: rng.pick(sdk.versions)
  };
  if (rng.chance(0.3))
    metadata.page = rng.pick(["/", "/pricing", "/help/contact", "/demo?ref=ad"]);
  if (rng.chance(0.2))
    metadata.tags = ["beta", rng.pick(["vip", "trial", "internal"])];
  if (index % 20 === 5) {
    metadata.authToken = `eyJhbGciOiJIUzI1NiJ9.${rng.bytes(24).toString("base64url")}.${rng.bytes(32).toString("base64url")}`;
  } else if (index % 20 === 15) {
    metadata.login = { username: `user${rng.int(1, 999)}`, password: `hunter2-${randomText(rng, 8)}` };
  } else if (index % 20 === 10) {
    metadata.integration = { name: "crm", api_key: `sk-live-${randomText(rng, 32)}` };
  }
  return metadata;
}
function breakIfScheduled(session, plan) {
  const k = plan.invalidEvery;
  if (k <= 0 || (plan.index + 1) % k !== 0)
    return session;
  const nth = (plan.index + 1) / k;
  if (nth % 2 === 1) {
    const { id: _dropped, ...rest } = session;
    return rest;
  }
  return { ...session, createdAt: "yesterday" };
}
function initialCreationTimes(rng, count, days) {
  const from = BASE_INSTANT - days * DAY_MS;
  const span = days * DAY_MS - 10 * 6e4;
  return Array.from({ length: count }, () => from + Math.floor(rng.next() * span)).sort((a, b) => a - b);
}
function generateInitial(rng, catalog, count, invalidEvery, days) {
  const times = initialCreationTimes(rng, count, days);
  const activeFrom = count - (count > 0 ? Math.min(40, Math.max(1, Math.round(count * 0.03))) : 0);
  const sessions = [];
  let previous;
  for (let index = 0; index < count; index++) {
    const tie = previous !== void 0 && index % 40 === 20 ? previous : void 0;
    const plan = {
      index,
      createdMs: tie ? parseMicros(tie.createdAt) / 1e3 : times[index],
      shape: tie?.shape ?? randomShape(rng),
      active: index >= activeFrom,
      old: index < count * 0.3,
      invalidEvery
    };
    if (tie)
      plan.createdAtText = tie.createdAt;
    const session = generateSession(rng, catalog, plan);
    sessions.push(session);
    const createdAt = session.createdAt;
    previous = parseMicros(String(createdAt)) === void 0 ? void 0 : { shape: plan.shape, createdAt };
  }
  return sessions;
}

// dist/simulate/data.js
function checkStoreOptions(options) {
  return {
    sessions: numberOption("sessions", options.sessions),
    seed: numberOption("seed", options.seed),
    invalidEvery: numberOption("invalidEvery", options.invalidEvery),
    days: numberOption("days", options.days)
  };
}
function latestInstant(sessions) {
  let latest = BASE_INSTANT;
  for (const s of sessions) {
    for (const value of [s.createdAt, s.startTime, s.endTime, s.updatedAt]) {
      const micros = typeof value === "string" ? parseMicros(value) : void 0;
      if (micros !== void 0)
        latest = Math.max(latest, Math.ceil(micros / 1e3));
    }
  }
  return latest;
}
function deepFreeze(value) {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value))
      deepFreeze(child);
  }
  return value;
}
function sortMicros(session) {
  return parseMicros(String(session.createdAt)) ?? parseMicros(String(session.startTime)) ?? 0;
}
function matches(session, filters) {
  if (filters.personaId !== void 0 && session.personaId !== filters.personaId)
    return false;
  if (filters.apiKeyId !== void 0 && session.apiKeyId !== filters.apiKeyId)
    return false;
  if (filters.search !== void 0 && filters.search !== "") {
    const needle = filters.search.toLowerCase();
    const inId = typeof session.id === "string" && session.id.toLowerCase().includes(needle);
    const inLabel = session.clientLabel?.toLowerCase().includes(needle) === true;
    if (!inId && !inLabel)
      return false;
  }
  return true;
}
function isFiltering(filters) {
  return filters.personaId !== void 0 || filters.apiKeyId !== void 0 || Boolean(filters.search);
}
function createOrderCache(seed) {
  const keyOrders = /* @__PURE__ */ new Map();
  const views = /* @__PURE__ */ new Map();
  const compare = (records, order) => {
    const ranks = /* @__PURE__ */ new Map();
    const rank = (key) => {
      let value = ranks.get(key);
      if (value === void 0) {
        value = order === "shuffled" ? hash32(`${seed}:${key}`) : sortMicros(records.get(key));
        ranks.set(key, value);
      }
      return value;
    };
    const ascending = (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
    return order === "newest" ? (a, b) => ascending(b, a) : ascending;
  };
  return {
    view(records, order) {
      let view = views.get(order);
      if (view)
        return view;
      let keys = keyOrders.get(order);
      if (!keys) {
        keys = [...records.keys()].sort(compare(records, order));
        keyOrders.set(order, keys);
      }
      view = keys.map((key) => records.get(key));
      views.set(order, view);
      return view;
    },
    added(records, key) {
      for (const [order, keys] of keyOrders) {
        const cmp = compare(records, order);
        let [low, high] = [0, keys.length];
        while (low < high) {
          const mid = low + high >>> 1;
          if (cmp(keys[mid], key) < 0)
            low = mid + 1;
          else
            high = mid;
        }
        keys.splice(low, 0, key);
      }
      views.clear();
    },
    removed(key) {
      for (const keys of keyOrders.values()) {
        const at = keys.indexOf(key);
        if (at >= 0)
          keys.splice(at, 1);
      }
      views.clear();
    },
    changedValues: () => views.clear(),
    reset() {
      keyOrders.clear();
      views.clear();
    }
  };
}
function createSessionStore(options) {
  const { sessions: count, seed, invalidEvery, days } = checkStoreOptions(options);
  const rng = createRandom(seed);
  const catalog = createCatalog(rng);
  let records = /* @__PURE__ */ new Map();
  let generated = 0;
  let anonymous = 0;
  const keyOf = (session) => typeof session.id === "string" ? session.id : `#no-id-${anonymous++}`;
  const load = (sessions) => {
    records = /* @__PURE__ */ new Map();
    for (const s of sessions)
      records.set(keyOf(s), deepFreeze(s));
  };
  load(generateInitial(rng, catalog, count, invalidEvery, days));
  generated = count;
  let clock = Math.ceil(latestInstant(records.values()) / 1e3) * 1e3;
  const tick = () => clock += rng.int(1e3, 3e4);
  const orders = createOrderCache(seed);
  const replace = (key, session) => {
    records.set(key, deepFreeze(session));
    orders.changedValues();
    return session;
  };
  return {
    seed,
    list(filters = {}, order = "newest") {
      const view = orders.view(records, orderOption(order));
      return isFiltering(filters) ? view.filter((s) => matches(s, filters)) : [...view];
    },
    get: (id) => records.get(id),
    create() {
      const createdMs = tick();
      const session = generateSession(rng, catalog, {
        index: generated++,
        createdMs,
        shape: randomShape(rng),
        active: true,
        old: false,
        invalidEvery
      });
      clock = Math.max(clock, latestInstant([session]));
      const key = keyOf(session);
      records.set(key, deepFreeze(session));
      orders.added(records, key);
      return session;
    },
    end(id) {
      const current = records.get(id);
      if (!current || current.endTime !== null)
        return void 0;
      const shape = detectShape(current.startTime);
      const startMs = Math.floor((parseMicros(current.startTime) ?? 0) / 1e3);
      const endMs = quantize(tick(), shape);
      const endTime = formatTime(endMs, shape, rng);
      return replace(id, {
        ...current,
        endTime,
        sessionLengthMs: endMs - startMs,
        exitStatus: rng.weighted(EXIT_STATUSES),
        updatedAt: endTime
      });
    },
    edit(id) {
      const current = records.get(id);
      if (!current)
        return void 0;
      const shape = detectShape(current.startTime);
      const updatedAt = formatTime(quantize(tick(), shape), shape, rng);
      if (rng.chance(0.5)) {
        const labels = PLAIN_LABELS.filter((label) => label !== current.clientLabel);
        return replace(id, { ...current, clientLabel: `${rng.pick(labels)}-v2`, updatedAt });
      }
      const revision = Number(current.clientMetadata.revision ?? 0) + 1;
      const clientMetadata2 = { ...current.clientMetadata, revision, note: `edited ${revision}x` };
      return replace(id, { ...current, clientMetadata: clientMetadata2, updatedAt });
    },
    remove(id) {
      const removed = records.delete(id);
      if (removed)
        orders.removed(id);
      return removed;
    },
    snapshot: () => ({ sessions: [...records.values()] }),
    restore(snapshot) {
      load(snapshot.sessions.map((s) => Object.isFrozen(s) ? s : structuredClone(s)));
      clock = Math.max(clock, Math.ceil(latestInstant(records.values()) / 1e3) * 1e3);
      orders.reset();
    },
    all: () => [...records.values()],
    now: () => clock,
    advance(ms) {
      clock += number(ms, 0, "advance(ms)", 0, Infinity);
    }
  };
}

// dist/simulate/faults.js
var PROXY_PAGE = (status) => `<html>\r
<head><title>${status}</title></head>\r
<body>\r
<center><h1>${status}</h1></center>\r
<hr><center>nginx</center>\r
</body>\r
</html>\r
`;
function drawFault(rng, settings) {
  if (settings.faultRate <= 0 || rng.next() >= settings.faultRate)
    return void 0;
  return rng.pick(settings.faultKinds);
}
function sendFault(res, kind, settings, rng, realAnswer) {
  const seconds = settings.retryAfterSeconds;
  switch (kind) {
    case "429":
      sendJson(res, problem(429, "Too many requests"), { "retry-after": String(seconds) });
      return "429";
    case "429-date": {
      const at = new Date(Math.ceil((Date.now() + seconds * 1e3) / 1e3) * 1e3);
      sendJson(res, problem(429, "Too many requests"), { "retry-after": at.toUTCString() });
      return "429";
    }
    case "500":
    case "503":
      sendJson(res, problem(Number(kind), kind === "500" ? "Internal server error" : "Service unavailable"));
      return kind;
    case "502":
    case "504":
      send(res, Number(kind), kind === "502" ? "Bad Gateway" : "upstream request timeout", "text/plain");
      return kind;
    case "reset":
      res.socket?.destroy();
      return "reset";
    case "truncated": {
      const body = Buffer.from(JSON.stringify(realAnswer().body));
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(body.subarray(0, Math.floor(body.length / 2)));
      return "200";
    }
    case "html": {
      const status = rng.chance(0.5) ? 502 : 200;
      send(res, status, PROXY_PAGE(status === 502 ? "502 Bad Gateway" : "Service temporarily unavailable"), "text/html");
      return String(status);
    }
  }
}

// dist/simulate/rate-limit.js
function createTokenBucket(rate, now) {
  const capacity = Math.max(1, rate);
  let tokens = capacity;
  let at = now;
  return {
    rate,
    take(time) {
      tokens = Math.min(capacity, tokens + (time - at) / 1e3 * rate);
      at = Math.max(at, time);
      if (tokens >= 1) {
        tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - tokens) / rate));
    }
  };
}

// dist/simulate/stuck-open.js
var MIN_AGE_MS = 2 * 864e5;
function openStuckSessions(store, count) {
  if (count === 0)
    return [];
  const sessions = store.list({}, "newest");
  const newest = Date.parse(sessions[0]?.createdAt ?? "");
  const old = sessions.filter((s) => s.endTime !== null && newest - Date.parse(s.createdAt) >= MIN_AGE_MS);
  const step = old.length / Math.min(count, old.length);
  const ids = new Set(Array.from({ length: Math.min(count, old.length) }, (_, i) => old[Math.floor(i * step)].id));
  store.restore({
    sessions: store.snapshot().sessions.map((s) => ids.has(s.id) ? { ...s, endTime: null, sessionLengthMs: null, exitStatus: null, updatedAt: s.startTime } : s)
  });
  return [...ids];
}

// dist/simulate/server.js
function storeFrom(options, seed) {
  if (options.store !== void 0) {
    if (typeof options.store?.list !== "function")
      throw new UsageError("the `store` option must be a SessionStore");
    return options.store;
  }
  return createSessionStore({
    sessions: numberOption("sessions", options.sessions),
    seed,
    invalidEvery: numberOption("invalidEvery", options.invalidEvery),
    days: numberOption("days", options.days)
  });
}
function emptyStats() {
  return { requests: 0, listRequests: 0, getRequests: 0, transcriptRequests: 0, faults: 0, inFlight: 0, maxInFlight: 0, byStatus: {} };
}
async function startSimulator(options = {}) {
  const seed = numberOption("seed", options.seed);
  const { host, port } = listenOptions(options);
  let settings = settle(options);
  const store = storeFrom(options, seed);
  openStuckSessions(store, numberOption("stuckOpen", options.stuckOpen));
  const faultRng = createRandom(seed ^ 1592654359);
  const controlRng = createRandom(seed ^ 12612097);
  const aborter = new AbortController();
  let stats = emptyStats();
  let served = 0;
  let bucket = null;
  const bucketFor = (rate) => {
    if (rate === 0) {
      bucket = null;
      return null;
    }
    if (bucket?.rate !== rate)
      bucket = createTokenBucket(rate, Date.now());
    return bucket;
  };
  const count = (status) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };
  async function handleApi(req, res, url) {
    const current = settings;
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.once("close", () => stats.inFlight--);
    if (current.latencyMs > 0)
      await delay(current.latencyMs, void 0, { signal: aborter.signal });
    if (res.destroyed)
      return;
    const limited = bucketFor(current.rateLimit)?.take(Date.now()) ?? null;
    if (limited !== null) {
      sendJson(res, problem(429, "Rate limit exceeded"), { "retry-after": String(limited) });
      return count("429");
    }
    const refusal = authProblem(req, current.key);
    if (refusal !== void 0) {
      sendJson(res, problem(401, refusal), { "www-authenticate": "Bearer" });
      return count("401");
    }
    if (req.method !== "GET") {
      sendJson(res, problem(405, `Method ${req.method} not allowed`), { allow: "GET" });
      return count("405");
    }
    const route = routeOf(url.pathname);
    const fault = drawFault(faultRng, current);
    if (fault !== void 0) {
      stats.faults++;
      return count(sendFault(res, fault, current, faultRng, () => answer(store, current.order, route, url)));
    }
    served++;
    if (current.createEvery > 0 && served % current.createEvery === 0)
      store.create();
    if (route.kind === "list")
      stats.listRequests++;
    if (route.kind === "get")
      stats.getRequests++;
    if (route.kind === "transcript")
      stats.transcriptRequests++;
    const reply = answer(store, current.order, route, url);
    sendJson(res, reply);
    count(String(reply.status));
  }
  const control = {
    store,
    rng: controlRng,
    stats: () => simulator.stats(),
    resetStats: () => simulator.resetStats(),
    setOptions: (partial) => simulator.setOptions(partial),
    options: () => runtimeOf(settings)
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator.invalid");
    const handling = url.pathname.startsWith("/v1/") ? handleApi(req, res, url) : url.pathname.startsWith(CONTROL_PREFIX) ? handleControl(control, req, res, url) : Promise.resolve(sendJson(res, problem(404, `Cannot ${req.method} ${url.pathname}`)));
    handling.catch((error) => {
      if (aborter.signal.aborted)
        return;
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, problem(error instanceof SyntaxError || error instanceof UsageError ? 400 : 500, message));
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const printableHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const simulator = {
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
      return new Promise((resolve) => {
        if (!server.listening)
          return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  };
  return simulator;
}

// dist/simulate/run.js
async function runSimulate(options, out) {
  const simulator = await startSimulator(options);
  try {
    await new Promise((resolve, reject) => {
      out.write(`${simulator.url}
`, (error) => error ? reject(error) : resolve());
    });
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return simulator;
}

// dist/commands/simulate.js
function listenError(error, host, port) {
  const code = error.code;
  if (code === "EADDRINUSE")
    return new UsageError(`--port ${port} is already in use on ${host}; choose another port, or 0 for a free one`, { cause: error });
  if (code === "EACCES")
    return new UsageError(`--port ${port} on ${host} needs privileges this user lacks; choose a port above 1023, or 0 for a free one`, { cause: error });
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return new UsageError(`--host ${host} is not an address of this machine`, { cause: error });
  return error;
}
async function simulateCommand({ argv, stdout, stderr }) {
  const options = simulatorOptionsFrom(argv);
  const simulator = await runSimulate(options, stdout).catch((error) => {
    throw listenError(error, options.host, options.port);
  });
  const signal = await new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  await simulator.close();
  stderr.write(`anam-sync: simulator stopped (${signal})
`);
  return 0;
}
export {
  simulateCommand
};
//# sourceMappingURL=chunk-EIE2ZYM2.js.map
