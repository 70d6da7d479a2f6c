/**
 * `anam-sync simulate`: starts the simulated API and announces where it listens.
 * The CLI keeps the process alive and calls `close()` on SIGINT/SIGTERM.
 */
import type { SimulatorOptions } from './options.js';
import { startSimulator, type Simulator } from './server.js';

/**
 * Starts a simulator, writes exactly one line `http://HOST:PORT\n` to `out` once it listens
 * (scripts read this line to find it), and resolves with the running simulator.
 */
export async function runSimulate(options: SimulatorOptions, out: NodeJS.WritableStream): Promise<Simulator> {
  const simulator = await startSimulator(options);
  try {
    await new Promise<void>((resolve, reject) => {
      out.write(`${simulator.url}\n`, (error) => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    await simulator.close();
    throw error;
  }
  return simulator;
}
