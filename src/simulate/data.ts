/**
 * The simulator's store: a mutable set of generated sessions (generate.ts) that the server serves.
 *
 * Everything is derived from one seed: the same seed and options give the same records, byte for
 * byte. Time is virtual: the initial sessions sit in the 60 days (option `days`) before {@link BASE_INSTANT}, and every
 * later change (create, end, edit) advances a private clock, never `Date.now()`.
 */
import type { ApiSession, SessionFilters } from '../api/types.js';
import { number } from '../option-checks.js';

import { BASE_INSTANT, createCatalog, EXIT_STATUSES, generateInitial, generateSession, PLAIN_LABELS } from './generate.js';
import { numberOption, orderOption, type ListOrder } from './options.js';
import { createRandom, hash32 } from './random.js';
import { detectShape, formatTime, parseMicros, quantize, randomShape } from './time-shapes.js';

/** Options of {@link createSessionStore}. */
export interface SessionStoreOptions {
  /** How many sessions the store starts with (the limits of `simulate --sessions`). */
  sessions: number;
  /** Seed of every random choice (the limits of `--seed`). */
  seed: number;
  /** Every K-th generated record is broken (missing `id`, or `createdAt: "yesterday"`); 0 = none. */
  invalidEvery?: number;
  /** Days before {@link BASE_INSTANT} the initial sessions are spread over (1..3660, default 60). */
  days?: number;
}

/** A point-in-time copy of a store's sessions, for {@link SessionStore.restore}. */
interface StoreSnapshot {
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
  /** The store's clock (ms): just after the newest instant it has written; it only moves forward. */
  now(): number;
  /** Moves the clock forward by `ms` (time passes: transcripts expire). */
  advance(ms: number): void;
}

// The store

/** The options checked against the limits of their `simulate` flags, defaults filled in. */
function checkStoreOptions(options: SessionStoreOptions): Required<SessionStoreOptions> {
  return {
    sessions: numberOption('sessions', options.sessions),
    seed: numberOption('seed', options.seed),
    invalidEvery: numberOption('invalidEvery', options.invalidEvery),
    days: numberOption('days', options.days),
  };
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
    const inLabel = session.clientLabel?.toLowerCase().includes(needle) === true;
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
      if (!keys) {
        keys = [...records.keys()].sort(compare(records, order));
        keyOrders.set(order, keys);
      }
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
    now: () => clock,
    advance(ms) {
      clock += number(ms, 0, 'advance(ms)', 0, Infinity);
    },
  };
}
