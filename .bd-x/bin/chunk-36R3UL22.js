import {
  integer,
  number,
  optionalString
} from "./chunk-C6BDQT25.js";
import {
  UsageError
} from "./chunk-IEG2ED32.js";

// dist/config.js
import { readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
var DEFAULTS = Object.freeze({
  apiUrl: "https://api.anam.ai",
  db: "./anam-sessions.db",
  concurrency: 4,
  perPage: 100,
  maxRetries: 5,
  timeoutSeconds: 30,
  fullEveryHours: 24,
  logFormat: "text"
});
var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function commonConfig(argv, env) {
  const db = stringSetting(argv.db, env.ANAM_SYNC_DB, DEFAULTS.db, "--db (ANAM_SYNC_DB)");
  const logFormat = argv["log-format"] ?? DEFAULTS.logFormat;
  if (logFormat !== "text" && logFormat !== "json")
    throw new UsageError(`--log-format must be text or json, not ${JSON.stringify(logFormat)}`);
  const quiet = argv.quiet === true;
  const verbose = argv.verbose === true;
  if (quiet && verbose)
    throw new UsageError("--quiet and --verbose cannot be used together");
  return { db, logFormat, quiet, verbose };
}
function syncConfig(argv, env, warn = () => {
}) {
  const common = commonConfig(argv, env);
  const apiUrl = apiUrlSetting(argv, env);
  const config = {
    ...common,
    apiUrl,
    apiKey: apiKeySetting(argv, env, warn),
    full: argv.full === true,
    concurrency: integer(argv.concurrency, DEFAULTS.concurrency, "--concurrency", 1, 32),
    perPage: integer(argv["per-page"], DEFAULTS.perPage, "--per-page", 1, 100),
    maxRetries: integer(argv["max-retries"], DEFAULTS.maxRetries, "--max-retries", 0, 20),
    timeoutMs: Math.round(number(argv.timeout, DEFAULTS.timeoutSeconds, "--timeout", 0.1, 600) * 1e3),
    fullEveryHours: number(argv["full-every"], DEFAULTS.fullEveryHours, "--full-every", 0, 24 * 365),
    filters: filters(argv),
    json: argv.json === true,
    proxyUrl: proxyFor(new URL(apiUrl), env, argv["allow-insecure-http"] === true),
    metricsFile: stringSetting(argv["metrics-file"], env.ANAM_SYNC_METRICS_FILE, "", "--metrics-file (ANAM_SYNC_METRICS_FILE)") || null,
    transcripts: argv.transcripts === true || booleanEnv(env.ANAM_SYNC_TRANSCRIPTS, "ANAM_SYNC_TRANSCRIPTS")
  };
  return Object.freeze(config);
}
function booleanEnv(value, name) {
  const text = (value ?? "").trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text))
    return true;
  if (["", "0", "false", "no", "off"].includes(text))
    return false;
  throw new UsageError(`${name} must be 1 or 0 (true or false), not ${JSON.stringify(value)}`);
}
function proxyFor(target, env, allowInsecure) {
  const https = target.protocol === "https:";
  const name = https ? "HTTPS_PROXY" : "HTTP_PROXY";
  const raw = (https ? env.https_proxy ?? env.HTTPS_PROXY : env.http_proxy ?? env.HTTP_PROXY)?.trim();
  if (raw === void 0 || raw === "")
    return null;
  if (bypassesProxy(target, env.no_proxy ?? env.NO_PROXY ?? ""))
    return null;
  let proxy;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new UsageError(`${name} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (proxy.protocol !== "http:" && proxy.protocol !== "https:") {
    throw new UsageError(`${name} must be an http:// or https:// proxy, not ${proxy.protocol.replace(":", "")}`);
  }
  if (!https && !isLoopback(proxy.hostname) && !allowInsecure) {
    throw new UsageError(`${name} ${proxy.origin} would see the key in clear (the API URL is plain http); use an https API URL, list the host in NO_PROXY, or pass --allow-insecure-http`);
  }
  return proxy.href;
}
function bypassesProxy(target, noProxy) {
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (entry === "*")
      return true;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = bracketed === null && entry.split(":").length > 2 ? [entry, entry, void 0] : /^([^:]*)(?::(\d+))?$/.exec(entry);
    const match = bracketed ?? plain;
    if (match === null)
      continue;
    const name = match[1].toLowerCase().replace(/^\*?\./, "");
    if (match[2] !== void 0 && match[2] !== port)
      continue;
    if (host === name || host.endsWith(`.${name}`))
      return true;
  }
  return false;
}
function durationSetting(value, fallback, flag) {
  const text = value === void 0 ? fallback : optionalString(value, flag);
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text ?? "");
  const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
  if (match === null || Number(match[1]) <= 0) {
    throw new UsageError(`${flag} must be a duration such as 30m, 2h or 1d, not ${JSON.stringify(text)}`);
  }
  return { ms: Number(match[1]) * unit[match[2]], text };
}
function filters(argv) {
  const out = {};
  const personaId = optionalString(argv["persona-id"], "--persona-id");
  const apiKeyId = optionalString(argv["api-key-id"], "--api-key-id");
  const search = optionalString(argv.search, "--search");
  if (personaId !== void 0) {
    if (!UUID.test(personaId))
      throw new UsageError(`--persona-id must be a UUID, not ${JSON.stringify(personaId)}`);
    out.personaId = personaId.toLowerCase();
  }
  if (apiKeyId !== void 0) {
    if (!UUID.test(apiKeyId))
      throw new UsageError(`--api-key-id must be a UUID, not ${JSON.stringify(apiKeyId)}`);
    out.apiKeyId = apiKeyId.toLowerCase();
  }
  if (search !== void 0) {
    if (search.trim() === "")
      throw new UsageError("--search must not be empty");
    out.search = search;
  }
  return Object.freeze(out);
}
function apiUrlSetting(argv, env) {
  const text = stringSetting(argv["api-url"], env.ANAM_API_URL, DEFAULTS.apiUrl, "--api-url (ANAM_API_URL)");
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--api-url (ANAM_API_URL) is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`--api-url (ANAM_API_URL) must be http or https, not ${url.protocol.replace(":", "")}`);
  }
  if (url.username || url.password)
    throw new UsageError("--api-url (ANAM_API_URL) must not contain credentials; use ANAM_API_KEY");
  if (url.search || url.hash)
    throw new UsageError("--api-url (ANAM_API_URL) must not have a query or fragment");
  const version = /\/(v\d+)\/*$/i.exec(url.pathname);
  if (version !== null) {
    const base = `${url.origin}${url.pathname.slice(0, version.index)}`;
    throw new UsageError(`--api-url (ANAM_API_URL) ${text} ends in the version path /${version[1]}; anam-sync adds /v1 itself: give ${base}`);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && argv["allow-insecure-http"] !== true) {
    throw new UsageError(`--api-url (ANAM_API_URL) ${url.origin} is plain http: the key would cross the network unencrypted; use https, or pass --allow-insecure-http`);
  }
  return url.href.replace(/\/+$/, "");
}
function isLoopback(hostname) {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost"))
    return true;
  if (isIP(host) === 4)
    return host.startsWith("127.");
  if (isIP(host) === 6)
    return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}
function apiKeySetting(argv, env, warn) {
  const file = optionalString(argv["api-key-file"], "--api-key-file");
  if (file !== void 0) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(`--api-key-file ${file} cannot be read: ${error.code ?? error.message}`);
    }
    const key2 = text.replace(/^\uFEFF/, "").replace(/[\r\n]+$/, "");
    if (key2.trim() === "")
      throw new UsageError(`--api-key-file ${file} is empty`);
    if (/[\r\n]/.test(key2))
      throw new UsageError(`--api-key-file ${file} holds more than one line; it must hold only the key`);
    checkKeyCharacters(key2, `--api-key-file ${file}`);
    if ((statSync(file).mode & 63) !== 0) {
      warn({ code: "key-file-readable", message: `--api-key-file ${file} can be read by other users; chmod 600 it` });
    }
    return key2;
  }
  const key = env.ANAM_API_KEY;
  if (key === void 0 || key.trim() === "") {
    throw new UsageError("no API key: set ANAM_API_KEY or pass --api-key-file PATH");
  }
  checkKeyCharacters(key.trim(), "ANAM_API_KEY");
  return key.trim();
}
function checkKeyCharacters(key, source) {
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError(`${source} holds characters an API key cannot have (spaces, control or non-ASCII characters)`);
  }
}
function stringSetting(flag, envValue, fallback, name) {
  if (flag !== void 0) {
    if (typeof flag !== "string" || flag.trim() === "")
      throw new UsageError(`${name} must not be empty`);
    return flag;
  }
  if (envValue !== void 0 && envValue.trim() !== "")
    return envValue;
  return fallback;
}

export {
  DEFAULTS,
  commonConfig,
  syncConfig,
  durationSetting,
  filters
};
//# sourceMappingURL=chunk-36R3UL22.js.map
