/**
 * Settings: flag, then environment, then default, each validated once with an error that names the
 * flag (exit 2). The rest of the tool receives frozen objects and never reads `process.env`.
 */
import { readFileSync, statSync } from 'node:fs';
import type { SessionFilters } from './api/types.js';
import { UsageError } from './errors.js';
import { integer, isLoopback, number, optionalString } from './option-checks.js';
import type { LogFormat } from './log.js';

/** The environment variables the contract names. */
export interface Env {
  ANAM_API_URL?: string;
  ANAM_API_KEY?: string;
  ANAM_SYNC_DB?: string;
  ANAM_SYNC_METRICS_FILE?: string;
  ANAM_SYNC_TRANSCRIPTS?: string;
  HTTPS_PROXY?: string;
  https_proxy?: string;
  HTTP_PROXY?: string;
  http_proxy?: string;
  NO_PROXY?: string;
  no_proxy?: string;
}

export const DEFAULTS = Object.freeze({
  apiUrl: 'https://api.anam.ai',
  db: './anam-sessions.db',
  concurrency: 4,
  perPage: 100,
  maxRetries: 5,
  timeoutSeconds: 30,
  fullEveryHours: 24,
  logFormat: 'text' as LogFormat,
});

/** Options every command takes. */
export interface CommonConfig {
  db: string;
  logFormat: LogFormat;
  quiet: boolean;
  verbose: boolean;
}

/** Everything `sync` needs. */
export interface SyncConfig extends CommonConfig {
  apiUrl: string;
  apiKey: string;
  full: boolean;
  concurrency: number;
  perPage: number;
  maxRetries: number;
  timeoutMs: number;
  fullEveryHours: number;
  filters: SessionFilters;
  json: boolean;
  /** The HTTP proxy for the API's URL (from the environment), or null: straight to the host. */
  proxyUrl: string | null;
  /** `--metrics-file` (ANAM_SYNC_METRICS_FILE): Prometheus text after every run, or null. */
  metricsFile: string | null;
  /** `--transcripts` (ANAM_SYNC_TRANSCRIPTS=1): also keep the transcripts of ended sessions. */
  transcripts: boolean;
}

/** Raw values as the argument parser hands them over. */
export type Argv = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Settles --db, --log-format, --quiet, --verbose. */
export function commonConfig(argv: Argv, env: Env): CommonConfig {
  const db = stringSetting(argv.db, env.ANAM_SYNC_DB, DEFAULTS.db, '--db (ANAM_SYNC_DB)');
  const logFormat = argv['log-format'] ?? DEFAULTS.logFormat;
  if (logFormat !== 'text' && logFormat !== 'json') throw new UsageError(`--log-format must be text or json, not ${JSON.stringify(logFormat)}`);
  const quiet = argv.quiet === true;
  const verbose = argv.verbose === true;
  if (quiet && verbose) throw new UsageError('--quiet and --verbose cannot be used together');
  return { db, logFormat, quiet, verbose };
}

/** Non-fatal advice about the settings, as a coded warning (see the sync's warnings). */
export interface ConfigWarning {
  code: string;
  message: string;
}

/** Settles every option of `sync`. `warn` receives non-fatal advice (a key file others can read). */
export function syncConfig(argv: Argv, env: Env, warn: (warning: ConfigWarning) => void = () => {}): SyncConfig {
  const common = commonConfig(argv, env);
  const apiUrl = apiUrlSetting(argv, env);
  const config: SyncConfig = {
    ...common,
    apiUrl,
    apiKey: apiKeySetting(argv, env, warn),
    full: argv.full === true,
    concurrency: integer(argv.concurrency, DEFAULTS.concurrency, '--concurrency', 1, 32),
    perPage: integer(argv['per-page'], DEFAULTS.perPage, '--per-page', 1, 100),
    maxRetries: integer(argv['max-retries'], DEFAULTS.maxRetries, '--max-retries', 0, 20),
    timeoutMs: Math.round(number(argv.timeout, DEFAULTS.timeoutSeconds, '--timeout', 0.1, 600) * 1000),
    fullEveryHours: number(argv['full-every'], DEFAULTS.fullEveryHours, '--full-every', 0, 24 * 365),
    filters: filters(argv),
    json: argv.json === true,
    proxyUrl: proxyFor(new URL(apiUrl), env, argv['allow-insecure-http'] === true),
    metricsFile: stringSetting(argv['metrics-file'], env.ANAM_SYNC_METRICS_FILE, '', '--metrics-file (ANAM_SYNC_METRICS_FILE)') || null,
    transcripts: argv.transcripts === true || booleanEnv(env.ANAM_SYNC_TRANSCRIPTS, 'ANAM_SYNC_TRANSCRIPTS'),
  };
  return Object.freeze(config);
}

/** An on/off environment variable: 1/true/yes/on or 0/false/no/off (or empty), anything else is a usage error. */
function booleanEnv(value: string | undefined, name: string): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(text)) return false;
  throw new UsageError(`${name} must be 1 or 0 (true or false), not ${JSON.stringify(value)}`);
}

/**
 * The proxy for requests to `target`, as curl and most tools read the environment: HTTPS_PROXY for
 * https URLs, HTTP_PROXY for http ones (either case, lower case first), unless NO_PROXY lists the
 * host (comma- or space-separated; `*` for every host; an entry matches the host itself and its
 * subdomains, a leading `.` or `*.` allowed, `:port` optional). A proxy URL without a scheme is
 * read as http://. The key reaches an https target only through a CONNECT tunnel; an http target
 * through a proxy that is not on loopback would show it in clear, so that needs --allow-insecure-http.
 */
export function proxyFor(target: URL, env: Env, allowInsecure: boolean): string | null {
  const https = target.protocol === 'https:';
  const name = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const raw = (https ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY))?.trim();
  if (raw === undefined || raw === '') return null;
  if (bypassesProxy(target, env.no_proxy ?? env.NO_PROXY ?? '')) return null;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError(`${name} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new UsageError(`${name} must be an http:// or https:// proxy, not ${proxy.protocol.replace(':', '')}`);
  }
  if (!https && !isLoopback(proxy.hostname) && !allowInsecure) {
    throw new UsageError(
      `${name} ${proxy.origin} would see the key in clear (the API URL is plain http); use an https API URL, list the host in NO_PROXY, or pass --allow-insecure-http`,
    );
  }
  return proxy.href;
}

function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return true;
    // `[::1]:8080`, `::1` (an IPv6 address has colons of its own), `host:8080`, `host`.
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = bracketed === null && entry.split(':').length > 2 ? [entry, entry, undefined] : /^([^:]*)(?::(\d+))?$/.exec(entry);
    const match = bracketed ?? plain;
    if (match === null) continue;
    const name = match[1]!.toLowerCase().replace(/^\*?\./, '');
    if (match[2] !== undefined && match[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/**
 * A duration flag: a number with a unit, `s`, `m`, `h` or `d` (`90s`, `30m`, `2h`, `1.5d`). Returns
 * milliseconds and the text as given, for messages.
 */
export function durationSetting(value: unknown, fallback: string, flag: string): { ms: number; text: string } {
  const text = value === undefined ? fallback : optionalString(value, flag);
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text ?? '');
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  if (match === null || Number(match[1]) <= 0) {
    throw new UsageError(`${flag} must be a duration such as 30m, 2h or 1d, not ${JSON.stringify(text)}`);
  }
  return { ms: Number(match[1]) * unit[match[2] as keyof typeof unit], text: text! };
}

/** --persona-id and --api-key-id must be UUIDs; --search must not be empty. */
export function filters(argv: Argv): SessionFilters {
  const out: SessionFilters = {};
  const personaId = optionalString(argv['persona-id'], '--persona-id');
  const apiKeyId = optionalString(argv['api-key-id'], '--api-key-id');
  const search = optionalString(argv.search, '--search');
  if (personaId !== undefined) {
    if (!UUID.test(personaId)) throw new UsageError(`--persona-id must be a UUID, not ${JSON.stringify(personaId)}`);
    out.personaId = personaId.toLowerCase();
  }
  if (apiKeyId !== undefined) {
    if (!UUID.test(apiKeyId)) throw new UsageError(`--api-key-id must be a UUID, not ${JSON.stringify(apiKeyId)}`);
    out.apiKeyId = apiKeyId.toLowerCase();
  }
  if (search !== undefined) {
    if (search.trim() === '') throw new UsageError('--search must not be empty');
    out.search = search;
  }
  return Object.freeze(out);
}

function apiUrlSetting(argv: Argv, env: Env): string {
  const text = stringSetting(argv['api-url'], env.ANAM_API_URL, DEFAULTS.apiUrl, '--api-url (ANAM_API_URL)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--api-url (ANAM_API_URL) is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--api-url (ANAM_API_URL) must be http or https, not ${url.protocol.replace(':', '')}`);
  }
  if (url.username || url.password) throw new UsageError('--api-url (ANAM_API_URL) must not contain credentials; use ANAM_API_KEY');
  if (url.search || url.hash) throw new UsageError('--api-url (ANAM_API_URL) must not have a query or fragment');
  const version = /\/(v\d+)\/*$/i.exec(url.pathname);
  if (version !== null) {
    // Requests add /v1/... themselves: http://host/v1 would ask for /v1/v1/sessions and get 404s.
    const base = `${url.origin}${url.pathname.slice(0, version.index)}`;
    throw new UsageError(`--api-url (ANAM_API_URL) ${text} ends in the version path /${version[1]}; anam-sync adds /v1 itself: give ${base}`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && argv['allow-insecure-http'] !== true) {
    throw new UsageError(
      `--api-url (ANAM_API_URL) ${url.origin} is plain http: the key would cross the network unencrypted; use https, or pass --allow-insecure-http`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function apiKeySetting(argv: Argv, env: Env, warn: (warning: ConfigWarning) => void): string {
  const file = optionalString(argv['api-key-file'], '--api-key-file');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--api-key-file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    // A byte-order mark (some editors write one) is not part of the key.
    const key = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
    if (key.trim() === '') throw new UsageError(`--api-key-file ${file} is empty`);
    if (/[\r\n]/.test(key)) throw new UsageError(`--api-key-file ${file} holds more than one line; it must hold only the key`);
    checkKeyCharacters(key, `--api-key-file ${file}`);
    if ((statSync(file).mode & 0o077) !== 0) {
      warn({ code: 'key-file-readable', message: `--api-key-file ${file} can be read by other users; chmod 600 it` });
    }
    return key;
  }
  const key = env.ANAM_API_KEY;
  if (key === undefined || key.trim() === '') {
    throw new UsageError('no API key: set ANAM_API_KEY or pass --api-key-file PATH');
  }
  checkKeyCharacters(key.trim(), 'ANAM_API_KEY');
  return key.trim();
}

/**
 * A key is printable ASCII without spaces; anything else could not go into an HTTP header, and the
 * error from trying would print the key. The message never shows it.
 */
function checkKeyCharacters(key: string, source: string): void {
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError(`${source} holds characters an API key cannot have (spaces, control or non-ASCII characters)`);
  }
}

function stringSetting(flag: unknown, envValue: string | undefined, fallback: string, name: string): string {
  if (flag !== undefined) {
    if (typeof flag !== 'string' || flag.trim() === '') throw new UsageError(`${name} must not be empty`);
    return flag;
  }
  if (envValue !== undefined && envValue.trim() !== '') return envValue;
  return fallback;
}
