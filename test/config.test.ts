import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commonConfig, DEFAULTS, durationSetting, proxyFor, syncConfig, type Argv, type Env } from '../src/config.js';
import { UsageError } from '../src/errors.js';
import { tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const ENV: Env = { ANAM_API_KEY: 'sk-env-key' };

/** The error syncConfig throws for these flags; fails the test when it throws none or another kind. */
function usageError(argv: Argv, env: Env = ENV): UsageError {
  try {
    syncConfig(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
}

function keyFile(content: string, mode = 0o600): string {
  const path = join(temp.make(), 'key');
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('syncConfig defaults', () => {
  it('uses the documented defaults when no flag or environment variable is set', () => {
    const config = syncConfig({}, ENV);
    expect(config).toMatchObject({
      apiUrl: 'https://api.anam.ai',
      db: './anam-sessions.db',
      apiKey: 'sk-env-key',
      full: false,
      concurrency: 4,
      perPage: 100,
      maxRetries: 5,
      timeoutMs: 30_000,
      filters: {},
      json: false,
    });
    expect(DEFAULTS.apiUrl).toBe('https://api.anam.ai');
  });

  it('returns a frozen config', () => {
    const config = syncConfig({}, ENV);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.filters)).toBe(true);
  });

  it('reads numbers given as text, as the argument parser hands them over', () => {
    expect(syncConfig({ concurrency: '32', 'per-page': '1', 'max-retries': '0', timeout: '2.5' }, ENV)).toMatchObject({
      concurrency: 32,
      perPage: 1,
      maxRetries: 0,
      timeoutMs: 2_500,
    });
  });
});

describe('syncConfig flag validation', () => {
  it('refuses a concurrency of 0, 33, 1.5 or abc, naming --concurrency', () => {
    for (const value of ['0', '33', '1.5', 'abc', '', '-1']) {
      expect(usageError({ concurrency: value }).message, value).toContain('--concurrency');
    }
  });

  it('refuses a page size of 0 or 101, naming --per-page', () => {
    for (const value of ['0', '101', '50.5', 'ten']) {
      expect(usageError({ 'per-page': value }).message, value).toContain('--per-page');
    }
  });

  it('refuses negative or fractional retries, naming --max-retries', () => {
    for (const value of ['-1', '1.5', 'many', '21']) {
      expect(usageError({ 'max-retries': value }).message, value).toContain('--max-retries');
    }
  });

  it('refuses a timeout of 0 or less, naming --timeout', () => {
    for (const value of ['0', '-5', 'never', 'Infinity']) {
      expect(usageError({ timeout: value }).message, value).toContain('--timeout');
    }
  });

  it('refuses a persona id or api key id that is not a UUID, naming the flag', () => {
    expect(usageError({ 'persona-id': 'cara' }).message).toContain('--persona-id');
    expect(usageError({ 'persona-id': '6f1c3b0e-2a4d-4f8e-8d1b-5e9f7a3c2d1' }).message).toContain('--persona-id');
    expect(usageError({ 'api-key-id': '12345' }).message).toContain('--api-key-id');
  });

  it('keeps valid filters, persona and api key ids in lower case', () => {
    const config = syncConfig(
      { 'persona-id': '6F1C3B0E-2A4D-4F8E-8D1B-5E9F7A3C2D10', 'api-key-id': '9a8b7c6d-1111-4222-8333-444455556666', search: 'kiosk' },
      ENV,
    );
    expect(config.filters).toEqual({
      personaId: '6f1c3b0e-2a4d-4f8e-8d1b-5e9f7a3c2d10',
      apiKeyId: '9a8b7c6d-1111-4222-8333-444455556666',
      search: 'kiosk',
    });
  });

  it('refuses an empty or blank search, naming --search', () => {
    expect(usageError({ search: '' }).message).toContain('--search');
    expect(usageError({ search: '   ' }).message).toContain('--search');
  });

  it('refuses an api url that is not a URL, naming --api-url', () => {
    expect(usageError({ 'api-url': 'api.anam.ai' }).message).toContain('--api-url');
    expect(usageError({ 'api-url': 'not a url' }).message).toContain('--api-url');
  });

  it('refuses an api url that is not http or https', () => {
    const error = usageError({ 'api-url': 'ftp://api.anam.ai' });
    expect(error.message).toContain('--api-url');
    expect(error.message).toContain('ftp');
  });

  it('refuses plain http to a host that is not loopback unless --allow-insecure-http is given', () => {
    for (const url of ['http://api.anam.ai', 'http://10.0.0.8:8080', 'http://[2001:db8::1]']) {
      const error = usageError({ 'api-url': url });
      expect(error.message, url).toContain('--allow-insecure-http');
    }
    expect(syncConfig({ 'api-url': 'http://api.anam.ai', 'allow-insecure-http': true }, ENV).apiUrl).toBe('http://api.anam.ai');
  });

  it('allows plain http to loopback hosts', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.5.0.1', 'http://localhost:3000', 'http://[::1]:8080']) {
      expect(syncConfig({ 'api-url': url }, ENV).apiUrl, url).toBe(url);
    }
  });

  it('refuses an api url carrying credentials, without repeating them', () => {
    const error = usageError({ 'api-url': 'https://user:hunter2@api.anam.ai' });
    expect(error.message).toContain('--api-url');
    expect(error.message).toMatch(/credentials/);
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses an empty --db', () => {
    expect(usageError({ db: '' }).message).toContain('--db');
  });
});

describe('where each setting comes from', () => {
  it('takes --api-url over ANAM_API_URL over the default', () => {
    expect(syncConfig({}, ENV).apiUrl).toBe('https://api.anam.ai');
    expect(syncConfig({}, { ...ENV, ANAM_API_URL: 'https://env.example' }).apiUrl).toBe('https://env.example');
    expect(syncConfig({ 'api-url': 'https://flag.example' }, { ...ENV, ANAM_API_URL: 'https://env.example' }).apiUrl).toBe(
      'https://flag.example',
    );
  });

  it('validates an api url from ANAM_API_URL like the flag', () => {
    expect(usageError({}, { ...ENV, ANAM_API_URL: 'http://api.anam.ai' }).message).toContain('ANAM_API_URL');
  });

  it('drops a trailing slash from the api url', () => {
    expect(syncConfig({ 'api-url': 'https://api.anam.ai/' }, ENV).apiUrl).toBe('https://api.anam.ai');
  });

  it('takes --db over ANAM_SYNC_DB over the default', () => {
    expect(commonConfig({}, {}).db).toBe('./anam-sessions.db');
    expect(commonConfig({}, { ANAM_SYNC_DB: '/var/lib/anam/env.db' }).db).toBe('/var/lib/anam/env.db');
    expect(commonConfig({ db: 'flag.db' }, { ANAM_SYNC_DB: '/var/lib/anam/env.db' }).db).toBe('flag.db');
    expect(syncConfig({ db: 'flag.db' }, { ...ENV, ANAM_SYNC_DB: 'env.db' }).db).toBe('flag.db');
  });

  it('takes the key from ANAM_API_KEY', () => {
    expect(syncConfig({}, { ANAM_API_KEY: 'sk-live-123' }).apiKey).toBe('sk-live-123');
  });

  it('refuses to run without a key, naming ANAM_API_KEY', () => {
    expect(usageError({}, {}).message).toContain('ANAM_API_KEY');
    expect(usageError({}, { ANAM_API_KEY: '' }).message).toContain('ANAM_API_KEY');
    expect(usageError({}, { ANAM_API_KEY: '  ' }).message).toContain('ANAM_API_KEY');
  });

  it('reads the key from --api-key-file, trimming the trailing newline, before ANAM_API_KEY', () => {
    const path = keyFile('sk-file-key\n');
    expect(syncConfig({ 'api-key-file': path }, ENV).apiKey).toBe('sk-file-key');
    expect(syncConfig({ 'api-key-file': keyFile('sk-file-key\r\n') }, {}).apiKey).toBe('sk-file-key');
  });

  it('ignores a byte-order mark an editor put before the key', () => {
    expect(syncConfig({ 'api-key-file': keyFile('\uFEFFsk-file-key\n') }, {}).apiKey).toBe('sk-file-key');
  });

  it('refuses a key no HTTP header can carry, without showing it', () => {
    for (const key of ['sk-has\u0000nul', 'sk-has space', 'sk-ünïcode']) {
      const fromFile = usageError({ 'api-key-file': keyFile(`${key}\n`) }, {});
      expect(fromFile.message).toMatch(/characters an API key cannot have/);
      expect(fromFile.message).not.toContain(key);
      const fromEnv = usageError({}, { ANAM_API_KEY: key });
      expect(fromEnv.message).toMatch(/ANAM_API_KEY holds characters/);
      expect(fromEnv.message).not.toContain(key);
    }
  });

  it('warns when other users can read the key file, without failing', () => {
    const warnings: string[] = [];
    const path = keyFile('sk-file-key\n', 0o644);
    expect(syncConfig({ 'api-key-file': path }, {}, (warning) => warnings.push(warning.message)).apiKey).toBe('sk-file-key');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).not.toContain('sk-file-key');
  });

  it('reads a duration with its unit, and refuses one without', () => {
    expect(durationSetting('90s', '24h', '--max-age').ms).toBe(90_000);
    expect(durationSetting(undefined, '24h', '--max-age')).toEqual({ ms: 86_400_000, text: '24h' });
    expect(durationSetting('1.5d', '24h', '--max-age').ms).toBe(129_600_000);
    for (const bad of ['24', '0h', '-1h', 'soon', '2 weeks']) {
      expect(() => durationSetting(bad, '24h', '--max-age')).toThrow(/--max-age must be a duration such as 30m, 2h or 1d/);
    }
  });

  it('warns when the group can read the key file', () => {
    const warnings: string[] = [];
    syncConfig({ 'api-key-file': keyFile('k\n', 0o640) }, {}, (warning) => warnings.push(warning.message));
    expect(warnings).toHaveLength(1);
  });

  it('does not warn about a key file only its owner can read', () => {
    const warnings: string[] = [];
    syncConfig({ 'api-key-file': keyFile('k\n', 0o600) }, {}, (warning) => warnings.push(warning.message));
    expect(warnings).toEqual([]);
  });

  it('refuses an empty key file, naming the file', () => {
    for (const content of ['', '\n', '   \n']) {
      const path = keyFile(content);
      const error = usageError({ 'api-key-file': path }, ENV);
      expect(error.message).toContain('--api-key-file');
      expect(error.message).toContain(path);
    }
  });

  it('refuses a key file that cannot be read, naming the file', () => {
    const path = join(temp.make(), 'absent-key');
    const error = usageError({ 'api-key-file': path }, ENV);
    expect(error.message).toContain('--api-key-file');
    expect(error.message).toContain(path);
  });

  it('never puts the key from a file with several lines into the error', () => {
    const error = usageError({ 'api-key-file': keyFile('sk-first-line\nsk-second-line\n') });
    expect(error.message).not.toContain('sk-first-line');
    expect(error.message).not.toContain('sk-second-line');
  });
});

describe('proxyFor', () => {
  const https = new URL('https://api.anam.ai');
  const http = new URL('http://127.0.0.1:8080');

  it('takes HTTPS_PROXY for https and HTTP_PROXY for http, lower case first, http:// when no scheme is given', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://proxy.corp:3128' }, false)).toBe('http://proxy.corp:3128/');
    expect(proxyFor(https, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, false)).toBe('http://lower:1/');
    expect(proxyFor(https, { HTTPS_PROXY: 'proxy.corp:3128' }, false)).toBe('http://proxy.corp:3128/');
    expect(proxyFor(https, { HTTP_PROXY: 'http://proxy.corp:3128' }, false)).toBeNull();
    expect(proxyFor(http, { HTTP_PROXY: 'http://127.0.0.1:3128' }, false)).toBe('http://127.0.0.1:3128/');
    expect(proxyFor(https, {}, false)).toBeNull();
  });

  it('goes straight to hosts NO_PROXY lists: exact, subdomains, wildcard, with or without port', () => {
    const env = (NO_PROXY: string): Env => ({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY });
    for (const list of ['api.anam.ai', 'anam.ai', '.anam.ai', '*.anam.ai', 'other, anam.ai', 'api.anam.ai:443', '*']) {
      expect(proxyFor(https, env(list), false), list).toBeNull();
    }
    for (const list of ['nam.ai', 'api.anam.ai:8443', 'example.com', '']) {
      expect(proxyFor(https, env(list), false), list).toBe('http://proxy:3128/');
    }
    expect(proxyFor(new URL('http://[::1]:9/'), { HTTP_PROXY: 'http://127.0.0.1:1', no_proxy: '::1' }, false)).toBeNull();
  });

  it('refuses a proxy that would see the key in clear, or is no http(s) URL', () => {
    expect(() => proxyFor(http, { HTTP_PROXY: 'http://proxy.corp:3128' }, false)).toThrow(/would see the key in clear/);
    expect(proxyFor(http, { HTTP_PROXY: 'http://proxy.corp:3128' }, true)).toBe('http://proxy.corp:3128/');
    expect(() => proxyFor(https, { HTTPS_PROXY: 'socks5://proxy:1080' }, false)).toThrow(/must be an http:\/\/ or https:\/\/ proxy/);
  });
});
