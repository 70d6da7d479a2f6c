/**
 * `anam-sync simulate`: serves the simulated Anam API on loopback until SIGINT/SIGTERM.
 * Prints `http://127.0.0.1:PORT` on stdout when ready.
 */
import { UsageError } from '../errors.js';
import { simulatorOptionsFrom } from '../simulate/options.js';
import { runSimulate } from '../simulate/run.js';
/** A port that cannot be had is the user's to change (exit 2); other failures stay as they are. */
function listenError(error, host, port) {
    const code = error.code;
    if (code === 'EADDRINUSE')
        return new UsageError(`--port ${port} is already in use on ${host}; choose another port, or 0 for a free one`, { cause: error });
    if (code === 'EACCES')
        return new UsageError(`--port ${port} on ${host} needs privileges this user lacks; choose a port above 1023, or 0 for a free one`, { cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        return new UsageError(`--host ${host} is not an address of this machine`, { cause: error });
    return error;
}
export async function simulateCommand({ argv, stdout, stderr }) {
    const options = simulatorOptionsFrom(argv);
    const simulator = await runSimulate(options, stdout).catch((error) => {
        throw listenError(error, options.host, options.port);
    });
    const signal = await new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await simulator.close();
    stderr.write(`anam-sync: simulator stopped (${signal})\n`);
    return 0;
}
//# sourceMappingURL=simulate.js.map