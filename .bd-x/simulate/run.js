import { startSimulator } from './server.js';
/**
 * Starts a simulator, writes exactly one line `http://HOST:PORT\n` to `out` once it listens
 * (scripts read this line to find it), and resolves with the running simulator.
 */
export async function runSimulate(options, out) {
    const simulator = await startSimulator(options);
    try {
        await new Promise((resolve, reject) => {
            out.write(`${simulator.url}\n`, (error) => (error ? reject(error) : resolve()));
        });
    }
    catch (error) {
        await simulator.close();
        throw error;
    }
    return simulator;
}
//# sourceMappingURL=run.js.map