// `npm run bench`: measures the built CLI against baselines run on this machine in the same run,
// and prints a table of medians and ratios. The simulated API runs as its own process, so its CPU
// is not the client's. Not part of `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

import { costCases, rateLimitCase } from './costs.mjs';
import { transcriptCases } from './transcripts.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/bin/cli.js');
const preload = join(root, 'bench/rss-preload.mjs');
const reader = join(root, 'bench/reader.mjs');
const work = mkdtempSync(join(tmpdir(), 'anam-sync-bench-'));
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
/**
 * BENCH_ONLY=transcripts runs that case alone (its size: BENCH_TRANSCRIPT_SESSIONS); BENCH_ONLY=dataset
 * the dataset cases alone (sync, single-file Parquet, full and incremental dataset exports);
 * BENCH_ONLY=ratelimit the rate-limit case alone, BENCH_REPEAT times (medians); BENCH_ONLY=wan the wan
 * case alone.
 */
const ONLY = process.env.BENCH_ONLY ?? null;
const COLUMNS =
  'id, persona_id, client_label, start_time, end_time, session_length_ms, exit_status, engine_host, engine_protocol, ' +
  'engine_version, client_metadata, persona_config, api_key_id, organization_id, created_at, updated_at, ' +
  'first_synced_at, last_synced_at, deleted_at';

/** Starts `anam-sync simulate ARGS` and resolves with its URL once it prints it. */
function simulator(args) {
  const child = spawn(process.execPath, [cli, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ url: line.trim(), stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
}

/**
 * The environment of every timed command. NODE_EXTRA_CA_CERTS makes each Node process read and
 * parse that certificate bundle as it starts, before any code of ours runs: about 90 ms per
 * process on the machine the README's figures come from (a bundle of some 140 certificates), more
 * than an incremental export's own work. No timed command uses TLS (every request is plain HTTP on
 * loopback), so it is left out for all of them alike, ours and the Node baselines; the table's
 * first row says what it costs here. BENCH_KEEP_ENV=1 keeps the environment as it is.
 */
const KEEP_ENV = process.env.BENCH_KEEP_ENV === '1';
const baseEnv = { ...process.env };
if (!KEEP_ENV) delete baseEnv.NODE_EXTRA_CA_CERTS;

/** Runs a command to completion; returns wall time (ms) and, for node commands, peak RSS (MiB). */
function run(command, args, { env = {}, stdout = 'ignore', keepEnv = KEEP_ENV } = {}) {
  const rssFile = join(work, `rss-${Math.random().toString(36).slice(2)}`);
  const isNode = command === process.execPath;
  const started = performance.now();
  const result = spawnSync(command, isNode ? ['--import', preload, ...args] : args, {
    env: { ...(keepEnv ? process.env : baseEnv), ...env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', stdout, 'pipe'],
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : null;
  rmSync(rssFile, { force: true });
  return { ms, rss, stdout: result.stdout };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Runs `fn` REPEAT times (given the run's index) and returns the medians. */
function repeat(fn) {
  return inTurns(fn)[0];
}

/**
 * Runs each of `fns` REPEAT times, taken in turns (one of each at a time, the first of a round
 * changing from round to round), and returns their medians in the same order. A case and its
 * baseline taken one after another would see the machine's drift between them: its speed moves by
 * a third from one hour to the next.
 */
function inTurns(...fns) {
  const results = fns.map(() => []);
  for (let i = 0; i < REPEAT; i++) {
    for (let j = 0; j < fns.length; j++) {
      const k = (i + j) % fns.length;
      results[k].push(fns[k](i));
    }
  }
  return results.map((list) => ({ ms: median(list.map((r) => r.ms)), rss: median(list.map((r) => r.rss ?? 0)) }));
}

function sync(url, db, args = []) {
  return run(process.execPath, [cli, 'sync', '--api-url', url, '--db', db, '--quiet', ...args], { env: { ANAM_API_KEY: 'bench' } });
}

function freshDb(name) {
  const db = join(work, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  return db;
}

const rows = [];
/** One row of the table; `met` null: a figure shown for comparison, with no goal. */
function record(name, what, ours, baseline, ratio, goal, met) {
  rows.push({ name, what, ours, baseline, ratio, goal, met });
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

try {
  console.error(`benchmarking in ${work} (${REPEAT} runs per case, medians)`);

  // start: what the environment adds to every Node process, before any code runs.
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) {
    const bare = (keepEnv) => () => run(process.execPath, ['-e', '0'], { keepEnv });
    const [withCerts, without] = inTurns(bare(true), bare(false));
    record('start', `a bare Node start with this environment's NODE_EXTRA_CA_CERTS vs without (timed commands run ${KEEP_ENV ? 'with' : 'without'} it)`,
      fmt(withCerts.ms), fmt(without.ms), withCerts.ms / without.ms, '-', null);
  }

  if (ONLY === null) {
    // sync: 50k sessions, the CLI vs a bare page reader at the same concurrency.
    const big = await simulator(['--sessions', '50000', '--seed', '1']);
    const [floor, full] = inTurns(
      () => run(process.execPath, [reader, big.url, '4', '100']),
      () => sync(big.url, freshDb('sync50k'), ['--concurrency', '4']),
    );
    // The bare reader stores nothing: no goal (the floor for a sync is the minimal storer, costs.mjs).
    record('sync', 'full sync of 50k sessions vs a bare page reader (fetch + JSON.parse), concurrency 4',
      fmt(full.ms), fmt(floor.ms), floor.ms / full.ms, '-', null);

    // idle: an incremental sync with nothing new on the synced 50k database.
    const db50k = freshDb('idle50k');
    sync(big.url, db50k, ['--concurrency', '4']);
    const idle = repeat(() => sync(big.url, db50k));
    record('idle', 'incremental sync with nothing new vs the full sync of 50k', fmt(idle.ms), fmt(full.ms),
      idle.ms / full.ms, '<= 0.05', idle.ms / full.ms <= 0.05);

    // export: CSV of the 50k rows vs the sqlite3 command line (or a minimal better-sqlite3 loop).
    const csv = join(work, 'out.csv');
    const sqlite3 = spawnSync('sqlite3', ['-version']).status === 0;
    const baseline = sqlite3
      ? repeat(() => {
          // Into a file, as the export writes one: no pipe through this process.
          const fd = openSync(join(work, 'sqlite3.csv'), 'w');
          try {
            return run('sqlite3', ['-csv', '-header', db50k, `SELECT ${COLUMNS} FROM sessions`], { stdout: fd });
          } finally {
            closeSync(fd);
          }
        })
      : repeat(() => run(process.execPath, ['-e', `
          const db = new (require(${JSON.stringify(join(root, 'node_modules/better-sqlite3'))}))(${JSON.stringify(db50k)}, { readonly: true });
          let n = 0; for (const row of db.prepare('SELECT ${COLUMNS} FROM sessions').raw().iterate()) n += row.length;`]));
    const exported = repeat(() => run(process.execPath, [cli, 'export', '--db', db50k, '--format', 'csv', '--out', csv]));
    // No goal at 50k, where start-up weighs: the export's goal is at the large size (costs.mjs).
    record('export', `CSV export of 50k rows vs ${sqlite3 ? 'sqlite3 -csv' : 'a minimal better-sqlite3 loop'}`,
      fmt(exported.ms), fmt(baseline.ms), baseline.ms / exported.ms, '-', null);
    big.stop();

    // memory: peak RSS of a full sync of 50k vs 10k sessions; the export's peak.
    const small = await simulator(['--sessions', '10000', '--seed', '1']);
    const small10k = repeat(() => sync(small.url, freshDb('sync10k'), ['--concurrency', '4']));
    small.stop();
    record('memory', 'peak RSS, full sync of 50k vs 10k sessions', `${full.rss.toFixed(0)} MiB`, `${small10k.rss.toFixed(0)} MiB`,
      full.rss / small10k.rss, '<= 1.30', full.rss / small10k.rss <= 1.3);
    record('memory', 'peak RSS, CSV export of 50k rows', `${exported.rss.toFixed(0)} MiB`, '150 MiB',
      exported.rss / 150, '< 1.00', exported.rss < 150);

    await wanCase();

    await costCases({ simulator, run, repeat, inTurns, median, sync, freshDb, record, fmt, root, cli });
  }
  if (ONLY === null || ONLY === 'dataset') await datasetCases();
  if (ONLY === 'wan') await wanCase();
  if (ONLY === 'ratelimit') await rateLimitCase({ simulator, sync, freshDb, record, fmt, runs: REPEAT });
  if (ONLY === null || ONLY === 'transcripts') await transcriptCases({ simulator, run, repeat, sync, freshDb, record, fmt, root });
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** wan: 3k sessions behind 100 ms of latency, concurrency 8: requests must really overlap. */
async function wanCase() {
  const wan = await simulator(['--sessions', '3000', '--seed', '1', '--latency', '100']);
  const [wanFloor, wanSync] = inTurns(
    () => run(process.execPath, [reader, wan.url, '8', '100']),
    () => sync(wan.url, freshDb('wan'), ['--concurrency', '8']),
  );
  wan.stop();
  record('wan', 'full sync of 3k sessions at 100 ms latency vs the bare reader, concurrency 8',
    fmt(wanSync.ms), fmt(wanFloor.ms), wanFloor.ms / wanSync.ms, '>= 0.90', wanFloor.ms / wanSync.ms >= 0.9);
}

/**
 * dataset: 50k sessions over a year as a partitioned dataset (365 folders, every one rewritten) vs
 * the single-file Parquet export of the same rows; then an incremental export after 100 new
 * sessions (copies of the newest ones, stamped as a sync would) vs that full one.
 */
async function datasetCases() {
  const year = await simulator(['--sessions', '50000', '--seed', '1', '--days', '365']);
  const dbYear = freshDb('year50k');
  sync(year.url, dbYear, ['--concurrency', '4']);
  year.stop();
  const lake = join(work, 'lake');
  const [single, dataset] = inTurns(
    () => run(process.execPath, [cli, 'export', '--db', dbYear, '--format', 'parquet', '--out', join(work, 'year.parquet')]),
    () => run(process.execPath, [cli, 'export', '--db', dbYear, '--dataset', lake, '--quiet']),
  );
  record('dataset', 'dataset export of 50k sessions over a year (365 partitions) vs single-file Parquet', fmt(dataset.ms), fmt(single.ms),
    dataset.ms / single.ms, '<= 1.50', dataset.ms / single.ms <= 1.5);
  run(process.execPath, [cli, 'export', '--db', dbYear, '--dataset', lake, '--since-last', 'bench', '--quiet']);
  let batch = 0;
  const incremental = repeat(() => {
    addSessions(dbYear, 100, `bench${batch++}`);
    return run(process.execPath, [cli, 'export', '--db', dbYear, '--dataset', lake, '--since-last', 'bench', '--quiet']);
  });
  record('dataset', 'incremental dataset export after 100 new sessions vs the full dataset export', fmt(incremental.ms), fmt(dataset.ms),
    incremental.ms / dataset.ms, '<= 0.10', incremental.ms / dataset.ms <= 0.1);
  record('memory', 'peak RSS, dataset export vs single-file Parquet export of 50k', `${dataset.rss.toFixed(0)} MiB`, `${single.rss.toFixed(0)} MiB`,
    dataset.rss / single.rss, '<= 1.00', dataset.rss <= single.rss);
}

/** Adds `count` sessions as a sync would store new ones: copies of the newest, new ids, stamped now. */
function addSessions(path, count, tag) {
  const db = new Database(path);
  try {
    const now = new Date().toISOString();
    const copied = COLUMNS.split(', ').map((c) => (c === 'id' ? `'${tag}-' || id` : ['first_synced_at', 'last_synced_at'].includes(c) ? `'${now}'` : c));
    db.prepare(`INSERT INTO sessions (${COLUMNS}) SELECT ${copied.join(', ')} FROM sessions WHERE id NOT LIKE 'bench%' ORDER BY start_time DESC LIMIT ?`).run(count);
  } finally {
    db.close();
  }
}

const table = [
  '| case | what | anam-sync | baseline | ratio | goal | met |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.what} | ${r.ours} | ${r.baseline} | ${r.ratio.toFixed(2)} | ${r.goal} | ${r.met === null ? '-' : r.met ? 'yes' : 'NO'} |`),
];
console.log(table.join('\n'));
mkdirSync(join(root, 'bench/out'), { recursive: true });
writeFileSync(join(root, 'bench/out/latest.md'), `${table.join('\n')}\n`);
process.exitCode = rows.every((r) => r.met !== false) ? 0 : 1;
