#!/usr/bin/env node
/**
 * The command line: yargs wiring only. argv → command → exit code; every failure becomes one line
 * on stderr and the contract's exit code (a stack trace only with --verbose).
 */
import { readFileSync } from 'node:fs';
import yargs, { type Argv as Yargs } from 'yargs';
import { hideBin } from 'yargs/helpers';
import type { Argv, Env } from './config.js';
import { DEFAULTS } from './config.js';
import { ExitCode, SyncError, messageOf } from './errors.js';
import { EXPORT_TABLES } from './export/tables.js';
import { createLogger, type LogFormat } from './log.js';
import { explainParserError } from './parser-errors.js';
import type { CommandContext } from './commands/context.js';

type Handler = (context: CommandContext) => Promise<number>;

const COMMANDS = ['sync', 'status', 'export', 'report', 'migrate', 'simulate'];

const NO_COMMAND = `name a command: ${COMMANDS.join(', ')} (see --help)`;

const EXIT_CODES = `Exit codes:
  0        done
  1        the run failed (API still failing after retries, disk or database error)
  2        usage or configuration error (bad flag, no key, unusable database path)
  75       another sync holds this database; nothing was changed
  77       the API refused the key (401/403)
  130/143  stopped by SIGINT/SIGTERM after the page in hand; run recorded as interrupted`;

function common(y: Yargs): Yargs {
  return y
    .option('db', { type: 'string', requiresArg: true, describe: `SQLite database file [env ANAM_SYNC_DB] (default ${DEFAULTS.db})` })
    .option('log-format', { type: 'string', requiresArg: true, choices: ['text', 'json'], describe: 'log lines on stderr: text, or one JSON object per line' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'log errors and new warnings only (for cron mail)' })
    .option('verbose', { type: 'boolean', alias: 'v', describe: 'log every request, and stack traces on errors' })
    .conflicts('quiet', 'verbose');
}

function api(y: Yargs): Yargs {
  return y
    .option('api-url', { type: 'string', requiresArg: true, describe: `API base URL [env ANAM_API_URL] (default ${DEFAULTS.apiUrl})` })
    .option('api-key-file', { type: 'string', requiresArg: true, describe: 'read the API key from this file (else env ANAM_API_KEY)' })
    .option('allow-insecure-http', { type: 'boolean', describe: 'allow sending the key over plain http to a non-loopback host' });
}

/**
 * The version in our package.json, found from this file's own place (dist/cli.js or the bundle in
 * dist/bin/): yargs would look from the working folder or from above `node_modules`, which in a
 * global install is not our package.
 */
function packageVersion(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'anam-sync' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: look further up
    }
    if (dir.pathname === '/') return 'unknown';
  }
}

/** Builds the parser. `run` receives the chosen command's handler once argv is parsed. */
export function buildParser(args: string[], run: (handler: () => Promise<Handler>, argv: Argv) => void): Yargs {
  return yargs(args)
    .scriptName('anam-sync')
    .usage('$0 <command> [options]\n\nCopies Anam AI session history into a local SQLite database and exports it.')
    .command(
      'sync',
      'bring the local database up to date with the API (incremental by default)',
      (y) =>
        api(common(y))
          .option('full', { type: 'boolean', describe: 're-read every page and confirm sessions that disappeared' })
          .option('concurrency', { type: 'string', requiresArg: true, describe: `requests in flight at most, 1..32 (default ${DEFAULTS.concurrency})` })
          .option('per-page', { type: 'string', requiresArg: true, describe: `sessions per list page, 1..100 (default ${DEFAULTS.perPage})` })
          .option('max-retries', { type: 'string', requiresArg: true, describe: `retries per request, 0..20 (default ${DEFAULTS.maxRetries})` })
          .option('timeout', { type: 'string', requiresArg: true, describe: `seconds per request (default ${DEFAULTS.timeoutSeconds})` })
          .option('full-every', { type: 'string', requiresArg: true, describe: `hours between automatic full reconciliations (default ${DEFAULTS.fullEveryHours})` })
          .option('persona-id', { type: 'string', requiresArg: true, describe: 'only sessions of this persona (UUID); its own bookmark' })
          .option('api-key-id', { type: 'string', requiresArg: true, describe: 'only sessions minted by this API key (UUID); its own bookmark' })
          .option('search', { type: 'string', requiresArg: true, describe: 'only sessions whose id or client label matches; its own bookmark' })
          .option('json', { type: 'boolean', describe: 'print one JSON summary object on stdout at the end' })
          .option('transcripts', {
            type: 'boolean',
            describe:
              'also keep the transcript of every ended session (one request per session without one; the database then holds conversations) [env ANAM_SYNC_TRANSCRIPTS=1]',
          })
          .option('metrics-file', {
            type: 'string',
            requiresArg: true,
            describe: 'after every run, write Prometheus text format here (for node_exporter\'s textfile collector) [env ANAM_SYNC_METRICS_FILE]',
          })
          .example('ANAM_API_KEY=... $0 sync', 'incremental sync into ./anam-sessions.db')
          .example('$0 sync --full --concurrency 8 --json', 'read every page, print a JSON summary')
          .example('$0 sync --api-key-file ~/.anam-key --db /var/lib/anam/sessions.db --quiet', 'from cron')
          .example('HTTPS_PROXY=http://proxy.corp:3128 $0 sync', 'through an HTTP proxy (NO_PROXY is honoured)')
          .example('$0 sync --transcripts', 'also copy transcripts, which Anam deletes after 30 days')
          .epilogue(EXIT_CODES),
      (argv) => run(async () => (await import('./commands/sync.js')).syncCommand, argv),
    )
    .command(
      'status',
      'sessions stored, open and deleted; last runs; bookmarks',
      (y) =>
        common(y)
          .option('json', { type: 'boolean', describe: 'print the status as one JSON object' })
          .option('check', {
            type: 'boolean',
            describe: 'health check: exit 0 with one OK line when every scope synced within --max-age and no warning is open, else exit 1 saying why',
          })
          .option('max-age', { type: 'string', requiresArg: true, describe: 'with --check: how old the last successful sync may be, e.g. 30m, 2h, 1d (default 24h)' })
          .example('$0 status', 'a readable summary')
          .example('$0 status --json | jq .sessions', 'for scripts'),
      (argv) => run(async () => (await import('./commands/status.js')).statusCommand, argv),
    )
    .command(
      'migrate',
      'create the database and apply migrations (sync and export --since-last do this first; status, report and export only read)',
      (y) => common(y).example('$0 migrate --db sessions.db', 'prepare a database file'),
      (argv) => run(async () => (await import('./commands/migrate.js')).migrateCommand, argv),
    )
    .command(
      'export',
      'write the sessions table (or a transcript table) as CSV, NDJSON or Parquet (stdout or a file written atomically)',
      (y) =>
        common(y)
          .option('format', { type: 'string', requiresArg: true, choices: ['csv', 'ndjson', 'parquet'], describe: 'output format (default csv)' })
          .option('out', { type: 'string', requiresArg: true, describe: 'file to write (atomically); - or absent for stdout' })
          .option('exclude-deleted', { type: 'boolean', describe: 'leave out sessions deleted upstream (kept by default as tombstones)' })
          .option('updated-since', { type: 'string', requiresArg: true, describe: 'only rows whose updated_at is at or after this ISO time' })
          .option('started-from', { type: 'string', requiresArg: true, describe: 'only sessions whose start_time is at or after this ISO time' })
          .option('started-to', { type: 'string', requiresArg: true, describe: 'only sessions whose start_time is before this ISO time; a date alone includes that whole UTC day' })
          .option('since-last', { type: 'string', requiresArg: true, describe: 'only rows changed since the last complete export under this name' })
          .option('excel-safe', { type: 'boolean', describe: 'CSV: neutralise cells starting with = + - @ (changes data; off by default)' })
          .option('schema', { type: 'string', requiresArg: true, describe: 'also write the column list with logical types and nullability (JSON) to this file' })
          .option('table', {
            type: 'string',
            requiresArg: true,
            choices: EXPORT_TABLES,
            describe: 'table to export (default sessions); transcripts and transcript_messages are filled by sync --transcripts',
          })
          .option('dataset', { type: 'string', requiresArg: true, describe: 'write a Hive-partitioned Parquet dataset into this folder instead of one file' })
          .option('partition-by', { type: 'string', requiresArg: true, describe: 'dataset folders per UTC day or month of start_time: day or month (default day)' })
          .option('skip-empty', { type: 'boolean', describe: 'write nothing (no file, no header) when no row matches, e.g. nothing new since --since-last' })
          .example('$0 export --format csv --out sessions.csv', 'the whole table as CSV')
          .example('$0 export --format ndjson --since-last warehouse --out delta.ndjson', 'only what changed since the last run of this export')
          .example('$0 export --format parquet --out sessions.parquet', 'a typed Parquet file')
          .example('$0 export --table transcript_messages --format parquet --out messages.parquet', 'every stored message, typed')
          .example('$0 export --dataset /data/anam --since-last lake', 'a partitioned dataset, rewriting only the changed days'),
      (argv) => run(async () => (await import('./commands/export.js')).exportCommand, argv),
    )
    .command(
      'report',
      'sessions per day, durations, exit statuses, top personas and models',
      (y) =>
        common(y)
          .option('from', { type: 'string', requiresArg: true, describe: 'only sessions started at or after this date/time (ISO)' })
          .option('to', { type: 'string', requiresArg: true, describe: 'only sessions started before this date-time (ISO); a date alone includes that whole UTC day' })
          .option('persona-id', { type: 'string', requiresArg: true, describe: 'only sessions of this persona (UUID)' })
          .option('json', { type: 'boolean', describe: 'print the report as one JSON object' })
          .option('html', { type: 'string', requiresArg: true, describe: 'write a self-contained HTML page with charts to this file' })
          .example('$0 report', 'tables in the terminal')
          .example('$0 report --from 2026-10-01 --html report.html', 'a page to open in a browser'),
      (argv) => run(async () => (await import('./commands/report.js')).reportCommand, argv),
    )
    .command(
      'simulate',
      'serve a simulated Anam API on loopback (no key needed; for trying the tool, tests and benchmarks)',
      (y) =>
        y
          .option('port', { type: 'string', requiresArg: true, describe: 'port to listen on; 0 picks a free one (default 0)' })
          .option('host', { type: 'string', requiresArg: true, describe: 'loopback interface to listen on: 127.0.0.1 (default), ::1 or localhost' })
          .option('sessions', { type: 'string', requiresArg: true, describe: 'sessions to generate (default 250)' })
          .option('seed', { type: 'string', requiresArg: true, describe: 'seed of the generated data and faults (default 1)' })
          .option('key', { type: 'string', requiresArg: true, describe: 'accept only this API key (default: any non-empty key)' })
          .option('latency', { type: 'string', requiresArg: true, describe: 'ms added to every response (default 0)' })
          .option('order', { type: 'string', requiresArg: true, describe: 'list order: newest, oldest or shuffled (default newest)' })
          .option('create-every', { type: 'string', requiresArg: true, describe: 'create a new session before every K-th request (default 0: never)' })
          .option('fault-rate', { type: 'string', requiresArg: true, describe: 'share of requests answered with a fault, 0..1 (default 0)' })
          .option('faults', { type: 'string', requiresArg: true, describe: 'fault kinds, comma-separated: 429,429-date,500,502,503,504,reset,truncated,html (default all)' })
          .option('retry-after', { type: 'string', requiresArg: true, describe: 'seconds announced by 429 faults (default 1)' })
          .option('rate-limit', { type: 'string', requiresArg: true, describe: 'requests per second accepted, beyond it 429 with Retry-After (default 0: no limit)' })
          .option('stuck-open', { type: 'string', requiresArg: true, describe: 'serve N ended sessions older than two days as never closed (default 0)' })
          .option('invalid-every', { type: 'string', requiresArg: true, describe: 'break every K-th generated record (default 0: none)' })
          .option('days', { type: 'string', requiresArg: true, describe: 'days the generated sessions are spread over (default 60)' })
          .example('$0 simulate --port 8080', 'then: ANAM_API_KEY=demo anam-sync sync --api-url http://127.0.0.1:8080')
          .example('$0 simulate --sessions 2500 --fault-rate 0.15', 'a larger, unreliable API'),
      (argv) => run(async () => (await import('./commands/simulate.js')).simulateCommand, argv),
    )
    .demandCommand(1, NO_COMMAND)
    .strict()
    // A flag given twice takes its last value, as in most command-line tools.
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .epilogue(EXIT_CODES)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false);
}

/**
 * After a command's handler, yargs formats that command's whole help text and keeps it, in case
 * the program shows it later; ours never does (a usage error prints one line, and `--help` formats
 * the help when asked). The formatting (text widths, wrapping) costs most for `export`, whose help
 * is the longest: about 70 ms, measured with `farm-bench` (an `export --dataset --since-last` with
 * nothing new took 0.47 s with the skip and 0.54 s without, medians of 11), an eighth of an
 * incremental dataset export; for an idle sync it was within the noise. yargs offers no option for it, only its internal methods, hence the guarded access:
 * if a later yargs moves the method, nothing is skipped and nothing breaks.
 */
function skipHelpCaching(parser: Yargs): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (parser as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** Runs the CLI on `args`; resolves to the exit code. */
export async function main(args: string[], env: Env = process.env): Promise<number> {
  // SQLite reads `file:` URIs only when told so before it starts; a read-only open of a WAL
  // database on read-only media needs one (`?immutable=1`). The database path handed to SQLite is
  // always absolute, so no --db is ever taken for a URI.
  process.env.SQLITE_USE_URI = '1';
  let chosen: { handler: () => Promise<Handler>; argv: Argv } | undefined;
  let usageError: string | undefined;
  // The chosen command's flags, for a "did you mean": yargs knows them only while it fails.
  let flags: string[] = [];
  const parser = buildParser(args, (handler, argv) => {
    chosen = { handler, argv };
  });
  skipHelpCaching(parser);
  parser.fail((message, error) => {
    usageError = message ?? messageOf(error);
    flags = Object.keys((parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
  });
  try {
    await parser.parseAsync();
  } catch (error) {
    usageError ??= messageOf(error);
  }
  if (usageError !== undefined) {
    const message = explainParserError(usageError, { args, commands: COMMANDS, flags, noCommand: NO_COMMAND });
    const format = logFormatOf(args);
    createLogger({ format, level: 'error' }).error(message, format === 'json' ? { exitCode: ExitCode.usage } : {});
    return ExitCode.usage;
  }
  if (chosen === undefined) return ExitCode.ok; // --help or --version was printed
  // --quiet wins: a stack trace is never printed under it (and both together are refused anyway).
  const verbose = chosen.argv.verbose === true && chosen.argv.quiet !== true;
  try {
    const handler = await chosen.handler();
    return await handler({ argv: chosen.argv, env, stdout: process.stdout, stderr: process.stderr });
  } catch (error) {
    const code = error instanceof SyncError ? error.exitCode : ExitCode.failed;
    const message = error instanceof SyncError ? error.message : `unexpected failure: ${messageOf(error)}`;
    const format = chosen.argv['log-format'] === 'json' ? 'json' : 'text';
    const stack = verbose && error instanceof Error ? error.stack : undefined;
    createLogger({ format, level: 'error' }).error(message, format === 'json' ? { exitCode: code, stack } : {});
    if (format === 'text' && stack) process.stderr.write(`${stack}\n`);
    return code;
  }
}

/** The --log-format the words ask for, read without the parser (which just failed on them). */
function logFormatOf(args: string[]): LogFormat {
  let format: LogFormat = 'text';
  args.forEach((arg, i) => {
    const value = arg === '--log-format' ? args[i + 1] : arg.startsWith('--log-format=') ? arg.slice('--log-format='.length) : undefined;
    if (value === 'json' || value === 'text') format = value;
  });
  return format;
}

const code = await main(hideBin(process.argv));
// The work is done and the database closed: exit now rather than when the HTTP client lets its
// kept-alive connection go, which takes tens of milliseconds, a fifth of an idle sync. What the
// output streams still buffer (pipes are asynchronous on some systems) is flushed first.
await Promise.all(
  [process.stdout, process.stderr]
    .filter((stream) => !stream.destroyed && !stream.writableEnded)
    .map((stream) => new Promise((resolve) => stream.write('', resolve))),
);
process.exit(code);
