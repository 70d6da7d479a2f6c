/**
 * The simulated Anam API over real HTTP: the `/v1` endpoints (routes.ts) with seeded faults
 * (faults.ts), latency, a rate limit and concurrent changes, plus the `/_simulator/*` control
 * endpoints (control.ts) for tests and benchmarks running in other processes. Options and their
 * limits are in options.ts.
 */
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../errors.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { createSessionStore } from './data.js';
import { drawFault, sendFault } from './faults.js';
import { listenOptions, numberOption, runtimeOf, settle } from './options.js';
import { createRandom } from './random.js';
import { createTokenBucket } from './rate-limit.js';
import { answer, authProblem, problem, routeOf, sendJson } from './routes.js';
import { openStuckSessions } from './stuck-open.js';
function storeFrom(options, seed) {
    if (options.store !== undefined) {
        if (typeof options.store?.list !== 'function')
            throw new UsageError('the `store` option must be a SessionStore');
        return options.store;
    }
    return createSessionStore({
        sessions: numberOption('sessions', options.sessions),
        seed,
        invalidEvery: numberOption('invalidEvery', options.invalidEvery),
        days: numberOption('days', options.days),
    });
}
function emptyStats() {
    return { requests: 0, listRequests: 0, getRequests: 0, transcriptRequests: 0, faults: 0, inFlight: 0, maxInFlight: 0, byStatus: {} };
}
/**
 * Starts a simulated Anam API on `host:port` and resolves once it listens.
 * Throws a {@link UsageError} naming the `simulate` flag when an option is invalid.
 */
export async function startSimulator(options = {}) {
    const seed = numberOption('seed', options.seed);
    const { host, port } = listenOptions(options);
    let settings = settle(options);
    const store = storeFrom(options, seed);
    openStuckSessions(store, numberOption('stuckOpen', options.stuckOpen));
    // Separate streams: whether faults are on must not change the data, nor the data the faults.
    const faultRng = createRandom(seed ^ 0x5eed_fa17);
    const controlRng = createRandom(seed ^ 0x0c0_7201);
    const aborter = new AbortController();
    let stats = emptyStats();
    let served = 0;
    let bucket = null;
    /** The bucket for the current rate limit: kept while the rate stays, full again when it changes. */
    const bucketFor = (rate) => {
        if (rate === 0) {
            bucket = null;
            return null;
        }
        if (bucket?.rate !== rate)
            bucket = createTokenBucket(rate, Date.now());
        return bucket;
    };
    const count = (status) => {
        stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    };
    async function handleApi(req, res, url) {
        // Settings are read once, so a setOptions() mid-request cannot mix two configurations.
        const current = settings;
        stats.requests++;
        stats.inFlight++;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        // `stats` is read at close time: after a reset, the new counters own the requests in flight.
        res.once('close', () => stats.inFlight--);
        if (current.latencyMs > 0)
            await delay(current.latencyMs, undefined, { signal: aborter.signal });
        if (res.destroyed)
            return;
        const limited = bucketFor(current.rateLimit)?.take(Date.now()) ?? null;
        if (limited !== null) {
            sendJson(res, problem(429, 'Rate limit exceeded'), { 'retry-after': String(limited) });
            return count('429');
        }
        const refusal = authProblem(req, current.key);
        if (refusal !== undefined) {
            sendJson(res, problem(401, refusal), { 'www-authenticate': 'Bearer' });
            return count('401');
        }
        if (req.method !== 'GET') {
            sendJson(res, problem(405, `Method ${req.method} not allowed`), { allow: 'GET' });
            return count('405');
        }
        const route = routeOf(url.pathname);
        const fault = drawFault(faultRng, current);
        if (fault !== undefined) {
            stats.faults++;
            return count(sendFault(res, fault, current, faultRng, () => answer(store, current.order, route, url)));
        }
        served++;
        if (current.createEvery > 0 && served % current.createEvery === 0)
            store.create();
        if (route.kind === 'list')
            stats.listRequests++;
        if (route.kind === 'get')
            stats.getRequests++;
        if (route.kind === 'transcript')
            stats.transcriptRequests++;
        const reply = answer(store, current.order, route, url);
        sendJson(res, reply);
        count(String(reply.status));
    }
    const control = {
        store,
        rng: controlRng,
        stats: () => simulator.stats(),
        resetStats: () => simulator.resetStats(),
        setOptions: (partial) => simulator.setOptions(partial),
        options: () => runtimeOf(settings),
    };
    const server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://simulator.invalid');
        const handling = url.pathname.startsWith('/v1/')
            ? handleApi(req, res, url)
            : url.pathname.startsWith(CONTROL_PREFIX)
                ? handleControl(control, req, res, url)
                : Promise.resolve(sendJson(res, problem(404, `Cannot ${req.method} ${url.pathname}`)));
        handling.catch((error) => {
            // An aborted latency wait means close() is under way; the socket is being destroyed anyway.
            if (aborter.signal.aborted)
                return;
            const message = error instanceof Error ? error.message : String(error);
            sendJson(res, problem(error instanceof SyntaxError || error instanceof UsageError ? 400 : 500, message));
        });
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const address = server.address();
    const printableHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const simulator = {
        url: `http://${printableHost}:${address.port}`,
        store,
        stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
        resetStats() {
            const inFlight = stats.inFlight;
            stats = { ...emptyStats(), inFlight, maxInFlight: inFlight };
        },
        setOptions(partial) {
            settings = settle({ ...runtimeOf(settings), ...partial });
        },
        close() {
            aborter.abort();
            return new Promise((resolve) => {
                if (!server.listening)
                    return resolve();
                server.close(() => resolve());
                server.closeAllConnections();
            });
        },
    };
    return simulator;
}
//# sourceMappingURL=server.js.map