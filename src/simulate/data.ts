/**
 * Deterministic, realistic Anam session records and a mutable store that serves them.
 *
 * Everything is derived from one seed: the same seed and options give the same records, byte for
 * byte. Time is virtual: the initial sessions sit in the 60 days (option `days`) before {@link BASE_INSTANT}, and every
 * later change (create, end, edit) advances a private clock, never `Date.now()`.
 */
import type { ApiSession, SessionFilters } from '../api/types.js';

/** The fixed instant the generated history ends at. */
export const BASE_INSTANT = Date.UTC(2026, 9, 1, 0, 0, 0);

/** How `list()` orders sessions: by createdAt, or a seeded permutation that is not sorted. */
export type ListOrder = 'newest' | 'oldest' | 'shuffled';

/** The orders `list()` understands. */
export const LIST_ORDERS: readonly ListOrder[] = ['newest', 'oldest', 'shuffled'];

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** How many sessions the store starts with (0..1,000,000). */
  sessions: number;
  /** Seed of every random choice; any safe integer. */
  seed: number;
  /** Every K-th generated record is broken (missing `id`, or `createdAt: "yesterday"`); 0 = none. */
  invalidEvery?: number;
  /** Days before {@link BASE_INSTANT} the initial sessions are spread over (1..3660, default 60). */
  days?: number;
}

/** A point-in-time copy of a store's sessions, for {@link SessionStore.restore}. */
export interface StoreSnapshot {
  /** The wire objects, in the store's insertion order. */
  readonly sessions: readonly ApiSession[];
}

/** A mutable set of sessions, each kept as the exact JSON object the API sends. */
export interface SessionStore {
  /** The seed the store was created with. */
  readonly seed: number;
  /** Live sessions matching `filters`, in `order` (see {@link ListOrder}). */
  list(filters?: SessionFilters, order?: ListOrder): ApiSession[];
  /** One live session by id. */
  get(id: string): ApiSession | undefined;
  /** Adds an active session created strictly after every existing one. */
  create(): ApiSession;
  /** Ends an active session; undefined when the id is unknown or the session already ended. */
  end(id: string): ApiSession | undefined;
  /** Changes the client label or metadata and bumps `updatedAt`; undefined when the id is unknown. */
  edit(id: string): ApiSession | undefined;
  /** Deletes a session; false when the id is unknown. */
  remove(id: string): boolean;
  /** A copy of the current sessions (the records are frozen, so sharing them is safe). */
  snapshot(): StoreSnapshot;
  /** Serves the sessions of a snapshot again; the virtual clock keeps moving forward. */
  restore(snapshot: StoreSnapshot): void;
  /** Every live session, in insertion order (oldest generated first). */
  all(): ApiSession[];
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** A seeded pseudo-random source (mulberry32): the same seed yields the same sequence. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One value of `[value, weight]` pairs, with probability proportional to its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** `n` random bytes. */
  bytes(n: number): Buffer;
}

/** Creates a {@link Random} from a seed (any number; its low 32 bits are used). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const weighted = <T>(choices: readonly (readonly [T, number])[]): T => {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (choices[choices.length - 1] as readonly [T, number])[0];
  };
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, chance: (p) => next() < p, pick, weighted, bytes };
}

/** A 32-bit hash of a string (FNV-1a with a murmur finaliser), for seeded stable permutations. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function randomUuid(rng: Random): string {
  const b = rng.bytes(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(rng: Random, length: number, alphabet = ALPHANUMERIC): string {
  return Array.from({ length }, () => alphabet[rng.int(0, alphabet.length - 1)]).join('');
}

// ---------------------------------------------------------------------------------------------
// RFC 3339 time shapes

/** How one session writes its timestamps; every shape is RFC 3339 and only the instant matters. */
export interface TimeShape {
  kind: 'millis' | 'seconds' | 'offset' | 'micros';
  /** Minutes east of UTC, for the `offset` kind. */
  offsetMinutes: number;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Microseconds since the epoch of an RFC 3339 timestamp, or undefined when it is not one. */
export function parseMicros(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, local, fraction = '', zone] = match;
  const localMs = Date.parse(`${local}Z`);
  if (Number.isNaN(localMs)) return undefined;
  const offset = zone === 'Z' ? 0 : parseOffsetMinutes(zone as string);
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  return (localMs - offset * 60_000) * 1000 + micros;
}

function parseOffsetMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

/** The shape a timestamp is written in (`millis` when it is not RFC 3339). */
export function detectShape(text: string): TimeShape {
  const match = RFC3339.exec(text);
  if (!match) return { kind: 'millis', offsetMinutes: 0 };
  const [, , fraction, zone] = match;
  if (zone !== 'Z') return { kind: 'offset', offsetMinutes: parseOffsetMinutes(zone as string) };
  if (fraction === undefined) return { kind: 'seconds', offsetMinutes: 0 };
  return { kind: fraction.length > 3 ? 'micros' : 'millis', offsetMinutes: 0 };
}

/** Drops what a shape cannot write (the milliseconds of the `seconds` shape). */
function quantize(ms: number, shape: TimeShape): number {
  return shape.kind === 'seconds' ? Math.floor(ms / 1000) * 1000 : Math.floor(ms);
}

/** Writes an instant (whole ms) in a shape; the `micros` shape adds three random sub-ms digits. */
function formatTime(ms: number, shape: TimeShape, rng: Random): string {
  const iso = new Date(ms).toISOString();
  switch (shape.kind) {
    case 'millis':
      return iso;
    case 'seconds':
      return `${iso.slice(0, 19)}Z`;
    case 'micros':
      return `${iso.slice(0, 23)}${String(rng.int(0, 999)).padStart(3, '0')}Z`;
    case 'offset': {
      const local = new Date(ms + shape.offsetMinutes * 60_000).toISOString().slice(0, 23);
      const abs = Math.abs(shape.offsetMinutes);
      const hh = String(Math.floor(abs / 60)).padStart(2, '0');
      const mm = String(abs % 60).padStart(2, '0');
      return `${local}${shape.offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
    }
  }
}

function randomShape(rng: Random): TimeShape {
  const kind = rng.weighted<TimeShape['kind']>([
    ['millis', 55],
    ['seconds', 15],
    ['offset', 15],
    ['micros', 15],
  ]);
  const offsetMinutes = kind === 'offset' ? rng.pick([120, 60, 0, -300, 330, -420]) : 0;
  return { kind, offsetMinutes };
}

// ---------------------------------------------------------------------------------------------
// The catalogue a data set draws from

/** Plain client labels. */
export const PLAIN_LABELS: readonly string[] = [
  'web-widget',
  'kiosk-3',
  'anam-lab-chat',
  'mobile-app',
  'support-bot',
  'demo-site',
  'onboarding-flow',
  'sales-kiosk-1',
];

/** Client labels that break naive CSV, JSON or spreadsheet handling; each appears in a default data set. */
export const HARD_LABELS: readonly string[] = [
  'Ünïcødé 😀, "quoted"\r\nline2',
  'checkout, step 2',
  'say "hello"',
  'multi\nline',
  'carriage\rreturn',
  '=HYPERLINK("http://evil.example","click")',
  '+SUM(A1:A2)',
  '-2+3',
  '@cmd',
  '日本語のラベル',
  ' padded label ',
];

/** Exit statuses of ended sessions, with their weights. */
export const EXIT_STATUSES: readonly (readonly [string, number])[] = [
  ['NORMAL_EXIT', 55],
  ['CLOSED_BY_ENGINE', 25],
  ['ERROR', 12],
  ['TIMEOUT', 8],
];

const PERSONA_NAMES = ['Cara', 'Leo', 'Mia', 'Noah', 'Ava', 'Finn'];
const MODELS = [
  { modelName: 'gpt-4o', format: 'openai', url: 'https://api.openai.com/v1' },
  { modelName: 'claude-sonnet-4', format: 'anthropic', url: 'https://api.anthropic.com/v1' },
  { modelName: 'llama-3.3-70b', format: 'groq', url: 'https://api.groq.com/openai/v1' },
];
const LANGUAGES = ['en', 'en', 'en', 'de', 'fr', 'es', 'ja'];
const PROMPTS = [
  'You are a helpful assistant.',
  'You are a friendly receptionist. Keep answers short.',
  'You are a patient language tutor who corrects mistakes gently.',
  'You answer questions about our product catalogue, and nothing else.',
];
const USER_AGENTS = [
  'Mozilla/5.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'anam-python-sdk/1.4.0 python-httpx/0.27',
];
const SDKS = [
  { sdk: 'js-sdk', versions: ['3.2.0', '3.3.1', '3.4.0'] },
  { sdk: 'react-sdk', versions: ['1.0.4', '1.1.0'] },
  { sdk: 'python-sdk', versions: ['1.4.0'] },
];
const ENGINE_VERSIONS = ['v5.1.0', 'v5.1.2', 'v5.2.3', 'v5.3.0'];

interface Persona {
  id: string;
  name: string;
  config: Record<string, unknown>;
}

interface Catalog {
  organizationId: string;
  otherOrganizationId: string;
  apiKeyIds: string[];
  personas: Persona[];
}

function createCatalog(rng: Random): Catalog {
  const organizationId = randomUuid(rng);
  return {
    organizationId,
    otherOrganizationId: randomText(rng, 21, `${ALPHANUMERIC}_-`),
    apiKeyIds: [randomUuid(rng), randomUuid(rng), randomUuid(rng)],
    personas: PERSONA_NAMES.map((name) => {
      const id = randomUuid(rng);
      return { id, name, config: personaConfig(rng, name, 'custom', organizationId) };
    }),
  };
}

function personaConfig(
  rng: Random,
  name: string,
  type: string,
  organizationId: string,
): Record<string, unknown> {
  const model = rng.pick(MODELS);
  const elevenLabs = rng.chance(0.7);
  return {
    type,
    name,
    metadata: { client: rng.pick(['js-sdk', 'react-sdk', 'python-sdk']) },
    llmConfig: {
      id: randomUuid(rng),
      modelName: model.modelName,
      format: model.format,
      urls: [{ url: model.url, region: 'default' }],
      maxTokens: rng.pick([1024, 2048, 4096]),
      temperature: rng.int(2, 10) / 10,
      metadata: {},
      secret_iv: rng.bytes(12).toString('base64'),
      encrypted_secret: rng.bytes(48).toString('base64'),
      createdByOrganizationId: rng.chance(0.5) ? null : organizationId,
    },
    systemPrompt: rng.pick(PROMPTS),
    personality: '',
    languageCode: rng.pick(LANGUAGES),
    skipGreeting: rng.chance(0.2),
    zeroDataRetention: rng.chance(0.1),
    ttsProvider: elevenLabs ? 'ELEVENLABS' : 'CARTESIA',
    ttsProviderVoiceId: randomText(rng, 20),
    ttsProviderModelId: elevenLabs ? 'eleven_flash_v2_5' : 'sonic-2',
    ttsProviderOptions: {},
    avatarEngineKey: `${name.toLowerCase()}_home`,
    avatarVersion: `${name.toLowerCase()}-3`,
    disableBrains: false,
    fillerPhrases: [],
    useFillerPhrases: false,
    enableAudioPassthrough: false,
    voiceDetectionOptions: {},
    voiceGenerationOptions: {},
    maxSessionLengthSeconds: rng.pick([1800, 3600, 1000000]),
    fps: 25,
  };
}

// ---------------------------------------------------------------------------------------------
// One session

/** What decides one generated session besides the random stream. */
interface SessionPlan {
  /** Generation sequence number; rare features are scheduled on it so small data sets have them. */
  index: number;
  createdMs: number;
  shape: TimeShape;
  active: boolean;
  /** Old enough to have a null `updatedAt`. */
  old: boolean;
  /** Exact createdAt text, when the session shares its predecessor's createdAt. */
  createdAtText?: string;
  invalidEvery: number;
}

function generateSession(rng: Random, catalog: Catalog, plan: SessionPlan): ApiSession {
  const { shape, index } = plan;
  const id = randomUuid(rng);
  const persona = rng.chance(0.2) ? undefined : rng.pick(catalog.personas);
  const createdMs = quantize(plan.createdMs, shape);
  const startMs = quantize(createdMs + rng.int(0, 1500), shape);
  const ending = plan.active ? undefined : endSession(rng, shape, startMs);
  const startTime = formatTime(startMs, shape, rng);
  const updatedAt = chooseUpdatedAt(rng, plan, startTime, ending?.endMs);
  const ephemeralName = rng.pick(PERSONA_NAMES);
  const session: ApiSession = {
    id,
    personaId: persona?.id ?? null,
    clientLabel: chooseLabel(rng, index),
    startTime,
    endTime: ending ? formatTime(ending.endMs, shape, rng) : null,
    sessionLengthMs: ending ? ending.endMs - startMs : null,
    exitStatus: ending?.exitStatus ?? null,
    ...engineFields(rng, createdMs),
    clientMetadata: clientMetadata(rng, index),
    personaConfig:
      persona?.config ?? personaConfig(rng, ephemeralName, 'ephemeral', catalog.organizationId),
    apiKeyId: rng.chance(0.05) ? null : rng.pick(catalog.apiKeyIds),
    organizationId: rng.chance(0.04) ? catalog.otherOrganizationId : catalog.organizationId,
    createdAt: plan.createdAtText ?? formatTime(createdMs, shape, rng),
    updatedAt,
  };
  if (index % 25 === 7) session.region = rng.pick(['eu-west-1', 'us-east-1']);
  return breakIfScheduled(session, plan);
}

function endSession(
  rng: Random,
  shape: TimeShape,
  startMs: number,
): { endMs: number; exitStatus: string } {
  const exitStatus = rng.weighted(EXIT_STATUSES);
  const lengthMs =
    exitStatus === 'TIMEOUT'
      ? 1_800_000 + rng.int(0, 4000)
      : exitStatus === 'ERROR'
        ? rng.int(400, 60_000)
        : Math.round(15_000 * Math.exp(rng.next() * 4.7));
  // The end is quantized like every other timestamp, so sessionLengthMs is exactly end - start.
  return { endMs: quantize(startMs + lengthMs, shape), exitStatus };
}

function chooseUpdatedAt(
  rng: Random,
  plan: SessionPlan,
  startTime: string,
  endMs: number | undefined,
): string | null {
  if (plan.old && plan.index % 6 === 1) return null;
  // An active session was last updated when it started; the same text keeps the micro digits equal.
  if (endMs === undefined) return startTime;
  return formatTime(quantize(endMs + rng.int(0, 3000), plan.shape), plan.shape, rng);
}

function chooseLabel(rng: Random, index: number): string | null {
  if (index % 7 === 2) return HARD_LABELS[Math.floor(index / 7) % HARD_LABELS.length] as string;
  if (rng.chance(0.1)) return null;
  return rng.pick(PLAIN_LABELS);
}

function engineFields(
  rng: Random,
  createdMs: number,
): Pick<ApiSession, 'engineHost' | 'engineProtocol' | 'engineVersion'> {
  if (rng.chance(0.02)) return { engineHost: null, engineProtocol: null, engineVersion: null };
  const region = rng.pick(['eu', 'us']);
  const pod = `anam-engine-${rng.bytes(5).toString('hex')}-${randomText(rng, 5).toLowerCase()}`;
  // Newer sessions run newer engines, as after a rollout.
  const age = Math.max(0, Math.min(0.999, (BASE_INSTANT - createdMs) / (60 * 86_400_000)));
  const version = ENGINE_VERSIONS[ENGINE_VERSIONS.length - 1 - Math.floor(age * ENGINE_VERSIONS.length)];
  return {
    engineHost: `connect-${region}.anam.ai/v1/webrtc/engines/${pod}`,
    engineProtocol: 'https',
    engineVersion: version ?? 'v5.1.0',
  };
}

function clientMetadata(rng: Random, index: number): Record<string, unknown> {
  const sdk = rng.pick(SDKS);
  const metadata: Record<string, unknown> = {
    userAgent: rng.pick(USER_AGENTS),
    sdk: sdk.sdk,
    sdkVersion: rng.pick(sdk.versions),
  };
  if (rng.chance(0.3)) metadata.page = rng.pick(['/', '/pricing', '/help/contact', '/demo?ref=ad']);
  if (rng.chance(0.2)) metadata.tags = ['beta', rng.pick(['vip', 'trial', 'internal'])];
  // Secret-looking values a careless integrator put in the metadata, for redaction tests.
  if (index % 20 === 5) {
    metadata.authToken = `eyJhbGciOiJIUzI1NiJ9.${rng.bytes(24).toString('base64url')}.${rng.bytes(32).toString('base64url')}`;
  } else if (index % 20 === 15) {
    metadata.login = { username: `user${rng.int(1, 999)}`, password: `hunter2-${randomText(rng, 8)}` };
  } else if (index % 20 === 10) {
    metadata.integration = { name: 'crm', api_key: `sk-live-${randomText(rng, 32)}` };
  }
  return metadata;
}

/** Breaks every K-th record (1-based), alternating a missing id and an unparseable createdAt. */
function breakIfScheduled(session: ApiSession, plan: SessionPlan): ApiSession {
  const k = plan.invalidEvery;
  if (k <= 0 || (plan.index + 1) % k !== 0) return session;
  const nth = (plan.index + 1) / k;
  if (nth % 2 === 1) {
    const { id: _dropped, ...rest } = session;
    return rest as ApiSession;
  }
  return { ...session, createdAt: 'yesterday' };
}

// ---------------------------------------------------------------------------------------------
// The store

const DAY_MS = 86_400_000;
const MAX_SESSIONS = 1_000_000;

function checkStoreOptions(options: SessionStoreOptions): Required<SessionStoreOptions> {
  const { sessions, seed, invalidEvery = 0, days = 60 } = options;
  if (!Number.isInteger(sessions) || sessions < 0 || sessions > MAX_SESSIONS) {
    throw new RangeError(`Expected \`sessions\` to be an integer from 0 to ${MAX_SESSIONS}, got ${sessions}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Expected \`seed\` to be an integer, got ${seed}`);
  }
  if (!Number.isInteger(invalidEvery) || invalidEvery < 0) {
    throw new RangeError(`Expected \`invalidEvery\` to be an integer >= 0, got ${invalidEvery}`);
  }
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new RangeError(`Expected \`days\` to be an integer from 1 to 3660, got ${days}`);
  }
  return { sessions, seed, invalidEvery, days };
}

/** Creation instants of the initial sessions, ascending, spread over the `days` days before the base. */
function initialCreationTimes(rng: Random, count: number, days: number): number[] {
  const from = BASE_INSTANT - days * DAY_MS;
  const span = days * DAY_MS - 10 * 60_000;
  return Array.from({ length: count }, () => from + Math.floor(rng.next() * span)).sort((a, b) => a - b);
}

function generateInitial(
  rng: Random,
  catalog: Catalog,
  count: number,
  invalidEvery: number,
  days: number,
): ApiSession[] {
  const times = initialCreationTimes(rng, count, days);
  // The newest ~3% are still running, at most 40: live calls are minutes long, so even a large
  // organisation has few of them open at any moment.
  const activeFrom = count - (count > 0 ? Math.min(40, Math.max(1, Math.round(count * 0.03))) : 0);
  const sessions: ApiSession[] = [];
  let previous: { shape: TimeShape; createdAt: string } | undefined;
  for (let index = 0; index < count; index++) {
    // Every 40th session shares its predecessor's createdAt exactly: ties the order must break.
    const tie = previous !== undefined && index % 40 === 20 ? previous : undefined;
    const plan: SessionPlan = {
      index,
      createdMs: tie ? (parseMicros(tie.createdAt) as number) / 1000 : (times[index] as number),
      shape: tie?.shape ?? randomShape(rng),
      active: index >= activeFrom,
      old: index < count * 0.3,
      invalidEvery,
    };
    if (tie) plan.createdAtText = tie.createdAt;
    const session = generateSession(rng, catalog, plan);
    sessions.push(session);
    const createdAt = session.createdAt;
    previous = parseMicros(String(createdAt)) === undefined ? undefined : { shape: plan.shape, createdAt };
  }
  return sessions;
}

/** The newest instant (ms) written anywhere in a set of sessions. */
function latestInstant(sessions: Iterable<ApiSession>): number {
  let latest = BASE_INSTANT;
  for (const s of sessions) {
    for (const value of [s.createdAt, s.startTime, s.endTime, s.updatedAt]) {
      const micros = typeof value === 'string' ? parseMicros(value) : undefined;
      if (micros !== undefined) latest = Math.max(latest, Math.ceil(micros / 1000));
    }
  }
  return latest;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The instant a session sorts by: createdAt, or startTime when createdAt is broken. */
function sortMicros(session: ApiSession): number {
  return parseMicros(String(session.createdAt)) ?? parseMicros(String(session.startTime)) ?? 0;
}

function matches(session: ApiSession, filters: SessionFilters): boolean {
  if (filters.personaId !== undefined && session.personaId !== filters.personaId) return false;
  if (filters.apiKeyId !== undefined && session.apiKeyId !== filters.apiKeyId) return false;
  if (filters.search !== undefined && filters.search !== '') {
    const needle = filters.search.toLowerCase();
    const inId = typeof session.id === 'string' && session.id.toLowerCase().includes(needle);
    const inLabel = session.clientLabel !== null && session.clientLabel.toLowerCase().includes(needle);
    if (!inId && !inLabel) return false;
  }
  return true;
}

function isFiltering(filters: SessionFilters): boolean {
  return filters.personaId !== undefined || filters.apiKeyId !== undefined || Boolean(filters.search);
}

/**
 * Sorted views of a store's records. Pages of a large store are served from here, so a request
 * costs a slice, not a sort: key orders are kept up to date by insertion and removal, and only the
 * arrays of records are rebuilt after a change.
 */
function createOrderCache(seed: number): {
  view(records: Map<string, ApiSession>, order: ListOrder): readonly ApiSession[];
  added(records: Map<string, ApiSession>, key: string): void;
  removed(key: string): void;
  changedValues(): void;
  reset(): void;
} {
  const keyOrders = new Map<ListOrder, string[]>();
  const views = new Map<ListOrder, ApiSession[]>();
  const compare = (records: Map<string, ApiSession>, order: ListOrder) => {
    const ranks = new Map<string, number>();
    const rank = (key: string): number => {
      let value = ranks.get(key);
      if (value === undefined) {
        value = order === 'shuffled' ? hash32(`${seed}:${key}`) : sortMicros(records.get(key) as ApiSession);
        ranks.set(key, value);
      }
      return value;
    };
    const ascending = (a: string, b: string): number => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
    return order === 'newest' ? (a: string, b: string) => ascending(b, a) : ascending;
  };
  return {
    view(records, order) {
      let view = views.get(order);
      if (view) return view;
      let keys = keyOrders.get(order);
      if (!keys) keyOrders.set(order, (keys = [...records.keys()].sort(compare(records, order))));
      view = keys.map((key) => records.get(key) as ApiSession);
      views.set(order, view);
      return view;
    },
    added(records, key) {
      for (const [order, keys] of keyOrders) {
        const cmp = compare(records, order);
        let [low, high] = [0, keys.length];
        while (low < high) {
          const mid = (low + high) >>> 1;
          if (cmp(keys[mid] as string, key) < 0) low = mid + 1;
          else high = mid;
        }
        keys.splice(low, 0, key);
      }
      views.clear();
    },
    removed(key) {
      for (const keys of keyOrders.values()) {
        const at = keys.indexOf(key);
        if (at >= 0) keys.splice(at, 1);
      }
      views.clear();
    },
    changedValues: () => views.clear(),
    reset() {
      keyOrders.clear();
      views.clear();
    },
  };
}

/**
 * Creates a store of `sessions` generated sessions. Records are frozen; every change replaces a
 * record with a new frozen object, so a snapshot can share them.
 */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { sessions: count, seed, invalidEvery, days } = checkStoreOptions(options);
  const rng = createRandom(seed);
  const catalog = createCatalog(rng);
  // Keyed by id; records without an id (broken on purpose) get a private key.
  let records = new Map<string, ApiSession>();
  let generated = 0;
  let anonymous = 0;
  const keyOf = (session: ApiSession): string =>
    typeof session.id === 'string' ? session.id : `#no-id-${anonymous++}`;
  const load = (sessions: Iterable<ApiSession>): void => {
    records = new Map();
    for (const s of sessions) records.set(keyOf(s), deepFreeze(s));
  };
  load(generateInitial(rng, catalog, count, invalidEvery, days));
  generated = count;
  let clock = Math.ceil(latestInstant(records.values()) / 1000) * 1000;
  // Steps of at least one second keep a new createdAt after every existing one in every shape.
  const tick = (): number => (clock += rng.int(1000, 30_000));

  const orders = createOrderCache(seed);
  const replace = (key: string, session: ApiSession): ApiSession => {
    records.set(key, deepFreeze(session));
    orders.changedValues();
    return session;
  };

  return {
    seed,
    list(filters = {}, order = 'newest') {
      if (!LIST_ORDERS.includes(order)) throw new RangeError(`Unknown order: ${String(order)}`);
      const view = orders.view(records, order);
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
        invalidEvery,
      });
      clock = Math.max(clock, latestInstant([session]));
      const key = keyOf(session);
      records.set(key, deepFreeze(session));
      orders.added(records, key);
      return session;
    },
    end(id) {
      const current = records.get(id);
      if (!current || current.endTime !== null) return undefined;
      const shape = detectShape(current.startTime);
      const startMs = Math.floor((parseMicros(current.startTime) ?? 0) / 1000);
      const endMs = quantize(tick(), shape);
      const endTime = formatTime(endMs, shape, rng);
      return replace(id, {
        ...current,
        endTime,
        sessionLengthMs: endMs - startMs,
        exitStatus: rng.weighted(EXIT_STATUSES),
        updatedAt: endTime,
      });
    },
    edit(id) {
      const current = records.get(id);
      if (!current) return undefined;
      const shape = detectShape(current.startTime);
      const updatedAt = formatTime(quantize(tick(), shape), shape, rng);
      if (rng.chance(0.5)) {
        const labels = PLAIN_LABELS.filter((label) => label !== current.clientLabel);
        return replace(id, { ...current, clientLabel: `${rng.pick(labels)}-v2`, updatedAt });
      }
      const revision = Number(current.clientMetadata.revision ?? 0) + 1;
      const clientMetadata = { ...current.clientMetadata, revision, note: `edited ${revision}x` };
      return replace(id, { ...current, clientMetadata, updatedAt });
    },
    remove(id) {
      const removed = records.delete(id);
      if (removed) orders.removed(id);
      return removed;
    },
    snapshot: () => ({ sessions: [...records.values()] }),
    restore(snapshot) {
      load(snapshot.sessions.map((s) => (Object.isFrozen(s) ? s : structuredClone(s))));
      clock = Math.max(clock, Math.ceil(latestInstant(records.values()) / 1000) * 1000);
      orders.reset();
    },
    all: () => [...records.values()],
  };
}
