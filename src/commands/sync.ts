/**
 * `anam-sync sync`: settle the config and send page 1's request; then, while it is on the network,
 * load the rest (sync-store.ts: open the database, take the lock, run, print the summary).
 */
import { syncConfig, type ConfigWarning } from '../config.js';
import { classifyOutput } from '../output-file.js';
import { createProgressBar } from '../progress.js';
import { prepareSync } from '../sync/prepare.js';
import { jsonOnly, loggerFor, type CommandContext } from './context.js';

export async function syncCommand({ argv, env, stdout, stderr }: CommandContext): Promise<number> {
  const warnings: ConfigWarning[] = [];
  const config = syncConfig(argv, env, (warning) => warnings.push(warning));
  const log = loggerFor(config, stderr);
  // A bad --metrics-file is a usage error before any request, not a surprise after the run.
  if (config.metricsFile !== null) classifyOutput(config.metricsFile, '--metrics-file');

  const stop = new AbortController();
  const progress = createProgressBar(stderr, !config.quiet && config.logFormat === 'text');
  // Page 1 is requested now: its round trip overlaps opening the database and taking the lock.
  const prepared = prepareSync({
    api: {
      baseUrl: config.apiUrl,
      apiKey: config.apiKey,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      proxyUrl: config.proxyUrl,
      onRequest: (event) =>
        log.debug(`${event.method} ${event.path} ${event.status ?? '-'} ${Math.round(event.durationMs)} ms`, {
          attempt: event.attempt,
          error: event.error,
        }),
      // A wait a person would notice gets a line at the default level; shorter ones only count.
      onRetry: (event) => {
        if (event.waitMs <= 1000) return;
        const asked = event.retryAfterMs === null ? '' : `, Retry-After ${(event.retryAfterMs / 1000).toFixed(1)} s`;
        log.info(
          `GET ${event.path} ${event.status ?? event.error}: retrying in ${(event.waitMs / 1000).toFixed(1)} s ` +
            `(attempt ${event.attempt} of ${event.attempts} failed${asked})`,
          jsonOnly(config, { status: event.status, attempt: event.attempt, waitMs: event.waitMs, retryAfterMs: event.retryAfterMs ?? undefined }),
        );
      },
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
    onProgress: (p) => progress.update(p),
  });
  // The store's modules (better-sqlite3, drizzle's schema, the sync's stages) load now, while page 1
  // is on the network, instead of before its request left: timed in the process at 100 ms of
  // latency, page 1 leaves 15 to 25 ms sooner (see the README's wan case).
  let store: typeof import('./sync-store.js');
  try {
    store = await import('./sync-store.js');
  } catch (error) {
    prepared.cancel();
    throw error;
  }
  return store.syncOnDatabase({ config, log, stop, progress, prepared, stdout });
}
