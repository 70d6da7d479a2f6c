/**
 * `anam-sync simulate`: serves the simulated Anam API on loopback until SIGINT/SIGTERM.
 * Prints `http://127.0.0.1:PORT` on stdout when ready.
 */
import { UsageError } from '../errors.js';
import { integer, number } from '../option-checks.js';
import { LIST_ORDERS, MAX_SESSIONS, type ListOrder } from '../simulate/data.js';
import { runSimulate } from '../simulate/run.js';
import { FAULT_KINDS, type FaultKind } from '../simulate/server.js';
import type { CommandContext } from './context.js';

/** A port that cannot be had is the user's to change (exit 2); other failures stay as they are. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`--port ${port} is already in use on ${host}; choose another port, or 0 for a free one`, { cause: error });
  if (code === 'EACCES') return new UsageError(`--port ${port} on ${host} needs privileges this user lacks; choose a port above 1023, or 0 for a free one`, { cause: error });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new UsageError(`--host ${host} is not an address of this machine`, { cause: error });
  return error;
}

export async function simulateCommand({ argv, stdout, stderr }: CommandContext): Promise<number> {
  const order = (argv.order ?? 'newest') as ListOrder;
  if (!LIST_ORDERS.includes(order)) throw new UsageError(`--order must be one of ${LIST_ORDERS.join(', ')}, not ${JSON.stringify(order)}`);
  const faults = argv.faults === undefined ? [...FAULT_KINDS] : String(argv.faults).split(',').map((kind) => kind.trim());
  for (const kind of faults) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new UsageError(`--faults takes ${FAULT_KINDS.join(',')}; ${JSON.stringify(kind)} is not one`);
  }
  const key = argv.key === undefined ? undefined : String(argv.key);
  if (key !== undefined && key.trim() === '') throw new UsageError('--key must not be empty');
  const host = String(argv.host ?? '127.0.0.1');
  const port = integer(argv.port, 0, '--port', 0, 65535);
  const simulator = await runSimulate(
    {
      sessions: integer(argv.sessions, 250, '--sessions', 0, MAX_SESSIONS),
      seed: integer(argv.seed, 1, '--seed', 0, 2 ** 31 - 1),
      key,
      host,
      port,
      latencyMs: number(argv.latency, 0, '--latency', 0, 600_000),
      order,
      createEvery: integer(argv['create-every'], 0, '--create-every', 0, 1_000_000),
      faultRate: number(argv['fault-rate'], 0, '--fault-rate', 0, 1),
      faultKinds: faults as FaultKind[],
      retryAfterSeconds: integer(argv['retry-after'], 1, '--retry-after', 0, 3600),
      rateLimit: number(argv['rate-limit'], 0, '--rate-limit', 0, 1_000_000),
      invalidEvery: integer(argv['invalid-every'], 0, '--invalid-every', 0, 1_000_000),
      days: integer(argv.days, 60, '--days', 1, 3660),
      stuckOpen: integer(argv['stuck-open'], 0, '--stuck-open', 0, 1_000_000),
    },
    stdout,
  ).catch((error: unknown) => {
    throw listenError(error, host, port);
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await simulator.close();
  stderr.write(`anam-sync: simulator stopped (${signal})\n`);
  return 0;
}
