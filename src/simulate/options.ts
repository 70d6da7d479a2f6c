/**
 * The simulator's options: each with the `simulate` flag that sets it, its default and its limits,
 * written once. `simulate` reads its flags through {@link simulatorOptionsFrom}; `startSimulator`,
 * `setOptions` and `createSessionStore` check what they are given with the same checks, so a bad
 * value is the same {@link UsageError} naming the flag wherever it comes from.
 */
import { UsageError } from '../errors.js';
import { integer, isLoopback, number, oneOf, optionalString } from '../option-checks.js';
import type { SessionStore } from './data.js';

/** A failure the simulator can inject instead of a normal answer. */
export type FaultKind = '429' | '429-date' | '500' | '502' | '503' | '504' | 'reset' | 'truncated' | 'html';

/** Every fault kind, the default of `faultKinds`. */
const FAULT_KINDS: readonly FaultKind[] = ['429', '429-date', '500', '502', '503', '504', 'reset', 'truncated', 'html'];

/** How the list endpoint orders sessions: by createdAt, or a seeded permutation that is not sorted. */
export type ListOrder = 'newest' | 'oldest' | 'shuffled';

/** The orders the list endpoint understands. */
const LIST_ORDERS: readonly ListOrder[] = ['newest', 'oldest', 'shuffled'];

/** A numeric option: the flag that sets it, its default, its limits, and whether it is a whole number. */
interface NumberOption {
  readonly flag: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly whole: boolean;
}

/** The numeric options of {@link SimulatorOptions}; one entry per limit. */
const NUMBER_OPTIONS = {
  sessions: { flag: '--sessions', fallback: 250, min: 0, max: 1_000_000, whole: true },
  seed: { flag: '--seed', fallback: 1, min: 0, max: 2 ** 31 - 1, whole: true },
  port: { flag: '--port', fallback: 0, min: 0, max: 65_535, whole: true },
  latencyMs: { flag: '--latency', fallback: 0, min: 0, max: 600_000, whole: false },
  createEvery: { flag: '--create-every', fallback: 0, min: 0, max: 1_000_000, whole: true },
  faultRate: { flag: '--fault-rate', fallback: 0, min: 0, max: 1, whole: false },
  retryAfterSeconds: { flag: '--retry-after', fallback: 1, min: 0, max: 3600, whole: true },
  rateLimit: { flag: '--rate-limit', fallback: 0, min: 0, max: 1_000_000, whole: false },
  stuckOpen: { flag: '--stuck-open', fallback: 0, min: 0, max: 1_000_000, whole: true },
  invalidEvery: { flag: '--invalid-every', fallback: 0, min: 0, max: 1_000_000, whole: true },
  days: { flag: '--days', fallback: 60, min: 1, max: 3660, whole: true },
} as const satisfies Record<string, NumberOption>;

type NumberOptionName = keyof typeof NUMBER_OPTIONS;

/** Options of `startSimulator`; all optional. */
export interface SimulatorOptions {
  /** Sessions generated when no `store` is given (`--sessions`, default 250). */
  sessions?: number;
  /** Seed of the data and of the fault draws (`--seed`, default 1). */
  seed?: number;
  /** When set, only `Authorization: Bearer <key>` is accepted; otherwise any non-empty key. */
  key?: string;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free port). */
  port?: number;
  /** Delay added before every /v1 response, in ms (`--latency`, default 0). */
  latencyMs?: number;
  /** Order of list results (default 'newest'). */
  order?: ListOrder;
  /** K > 0: before serving every K-th /v1 request, a new session is created (default 0: never). */
  createEvery?: number;
  /** Probability (0..1) that a /v1 request gets a fault instead of its answer (default 0). */
  faultRate?: number;
  /** Faults to draw from (`--faults`, default all of {@link FAULT_KINDS}). */
  faultKinds?: readonly FaultKind[];
  /** Seconds announced in `Retry-After` of 429 faults (`--retry-after`, default 1). */
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

/** The options `setOptions` can change while the simulator runs. */
export type RuntimeOptions = Pick<
  SimulatorOptions,
  'key' | 'latencyMs' | 'order' | 'createEvery' | 'faultRate' | 'faultKinds' | 'retryAfterSeconds' | 'rateLimit'
>;

/** The runtime options, checked, with their defaults filled in. */
export interface Settings {
  readonly key: string | undefined;
  readonly latencyMs: number;
  readonly order: ListOrder;
  readonly createEvery: number;
  readonly faultRate: number;
  readonly faultKinds: readonly FaultKind[];
  readonly retryAfterSeconds: number;
  readonly rateLimit: number;
}

/** A numeric option checked against its flag's limits, or its default when absent. */
export function numberOption(name: NumberOptionName, value: unknown): number {
  const { flag, fallback, min, max, whole } = NUMBER_OPTIONS[name];
  return (whole ? integer : number)(value, fallback, flag, min, max);
}

/** The accepted key: absent, or text without spaces. */
function keyOption(value: unknown): string | undefined {
  const key = optionalString(value, '--key');
  if (key === undefined) return undefined;
  if (key.trim() === '') throw new UsageError('--key must not be empty');
  if (/\s/.test(key)) throw new UsageError('--key must not contain spaces');
  return key;
}

/** The interface to listen on: a loopback one, as the contract says (it takes any key and serves made-up sessions). */
function hostOption(value: unknown): string {
  const host = optionalString(value, '--host') ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  if (!isLoopback(host)) throw new UsageError(`--host must be a loopback interface (127.0.0.1, ::1 or localhost), not ${JSON.stringify(host)}`);
  return host;
}

/** Fault kinds: a list, or the `--faults` text with commas between them. */
function faultKindsOption(value: unknown): readonly FaultKind[] {
  if (value === undefined) return FAULT_KINDS;
  const kinds = typeof value === 'string' ? value.split(',').map((kind) => kind.trim()) : value;
  const takes = `--faults takes ${FAULT_KINDS.join(',')}`;
  if (!Array.isArray(kinds) || kinds.length === 0) throw new UsageError(`${takes}; give at least one`);
  for (const kind of kinds as unknown[]) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new UsageError(`${takes}; ${JSON.stringify(kind)} is not one`);
  }
  return Object.freeze([...(kinds as FaultKind[])]);
}

/** The list order. */
export function orderOption(value: unknown): ListOrder {
  return oneOf(value, 'newest', '--order', LIST_ORDERS);
}

/** Checks the runtime options and fills in their defaults; throws a UsageError naming the flag. */
export function settle(options: RuntimeOptions): Settings {
  return Object.freeze({
    key: keyOption(options.key),
    latencyMs: numberOption('latencyMs', options.latencyMs),
    order: orderOption(options.order),
    createEvery: numberOption('createEvery', options.createEvery),
    faultRate: numberOption('faultRate', options.faultRate),
    faultKinds: faultKindsOption(options.faultKinds),
    retryAfterSeconds: numberOption('retryAfterSeconds', options.retryAfterSeconds),
    rateLimit: numberOption('rateLimit', options.rateLimit),
  });
}

/** The runtime options that settings came from, as `setOptions` and the options endpoint take them. */
export function runtimeOf(settings: Settings): RuntimeOptions {
  const { key, ...rest } = settings;
  return key === undefined ? rest : { key, ...rest };
}

/** Where to listen, checked. */
export function listenOptions(options: SimulatorOptions): { host: string; port: number } {
  return { host: hostOption(options.host), port: numberOption('port', options.port) };
}

/**
 * The options of `anam-sync simulate` from its flags (as the argument parser hands them over),
 * each checked: the same checks `startSimulator` makes, with the same messages.
 */
export function simulatorOptionsFrom(flags: Record<string, unknown>): SimulatorOptions & { host: string; port: number } {
  const numbers = Object.fromEntries(
    Object.entries(NUMBER_OPTIONS).map(([name, { flag }]) => [name, numberOption(name as NumberOptionName, flags[flag.slice(2)])]),
  ) as Record<NumberOptionName, number>;
  return {
    ...numbers,
    key: keyOption(flags.key),
    host: hostOption(flags.host),
    order: orderOption(flags.order),
    faultKinds: faultKindsOption(flags.faults),
  };
}
