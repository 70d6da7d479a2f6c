// The transcript backfill case, called from bench/run.mjs with its helpers: `sync --transcripts`
// of every ended session behind 100 ms of latency at --concurrency 8, against the bare transcript
// reader (bench/transcript-reader.mjs) asking for the same transcripts at the same concurrency.
// BENCH_TRANSCRIPT_SESSIONS sets the size (default 5,000).
import { copyFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';

const SESSIONS = Number(process.env.BENCH_TRANSCRIPT_SESSIONS ?? 5000);

/**
 * The simulator's counters, on a connection of its own: the runs in between block this process
 * (spawnSync), and a kept-alive connection would have been closed by the server meanwhile.
 */
function simulatorStats(url) {
  return new Promise((resolve, reject) => {
    get(`${url}/_simulator/stats`, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

export async function transcriptCases({ simulator, run, repeat, sync, freshDb, record, fmt, root }) {
  const reader = join(root, 'bench/transcript-reader.mjs');
  const sim = await simulator(['--sessions', String(SESSIONS), '--seed', '1', '--latency', '100']);
  try {
    // The sessions are stored first, untimed: the case is the backfill a first `--transcripts` run
    // makes on a database that already holds them.
    const sessionsOnly = freshDb('transcripts-base');
    sync(sim.url, sessionsOnly, ['--concurrency', '8']);
    const repeats = Number(process.env.BENCH_REPEAT ?? 3);
    const requestsOf = async (measure) => {
      const before = (await simulatorStats(sim.url)).transcriptRequests;
      const result = measure();
      return { ...result, requests: Math.round(((await simulatorStats(sim.url)).transcriptRequests - before) / repeats) };
    };
    const floor = await requestsOf(() => repeat(() => run(process.execPath, [reader, sim.url, '8'])));
    const backfill = await requestsOf(() =>
      repeat((i) => {
        const db = freshDb(`transcripts-${i}`);
        copyFileSync(sessionsOnly, db);
        return sync(sim.url, db, ['--transcripts', '--concurrency', '8']);
      }),
    );
    const rate = (requests, ms) => `${((requests / ms) * 1000).toFixed(0)}/s`;
    const asked = floor.requests === backfill.requests ? `${floor.requests} requests a run` : `${backfill.requests} requests a run against ${floor.requests}`;
    record(
      'transcripts',
      `transcript backfill, ${SESSIONS.toLocaleString('en-US')} sessions at 100 ms latency, --concurrency 8, vs the bare transcript reader (${asked}; ${rate(backfill.requests, backfill.ms)} against ${rate(floor.requests, floor.ms)})`,
      fmt(backfill.ms),
      fmt(floor.ms),
      floor.ms / backfill.ms,
      '>= 0.85',
      floor.ms / backfill.ms >= 0.85,
    );
  } finally {
    sim.stop();
  }
}
