import { number } from '../option-checks.js';
import { BASE_INSTANT, createCatalog, EXIT_STATUSES, generateInitial, generateSession, PLAIN_LABELS } from './generate.js';
import { numberOption, orderOption } from './options.js';
import { createRandom, hash32 } from './random.js';
import { detectShape, formatTime, parseMicros, quantize, randomShape } from './time-shapes.js';
// The store
/** The options checked against the limits of their `simulate` flags, defaults filled in. */
function checkStoreOptions(options) {
    return {
        sessions: numberOption('sessions', options.sessions),
        seed: numberOption('seed', options.seed),
        invalidEvery: numberOption('invalidEvery', options.invalidEvery),
        days: numberOption('days', options.days),
    };
}
/** The newest instant (ms) written anywhere in a set of sessions. */
function latestInstant(sessions) {
    let latest = BASE_INSTANT;
    for (const s of sessions) {
        for (const value of [s.createdAt, s.startTime, s.endTime, s.updatedAt]) {
            const micros = typeof value === 'string' ? parseMicros(value) : undefined;
            if (micros !== undefined)
                latest = Math.max(latest, Math.ceil(micros / 1000));
        }
    }
    return latest;
}
function deepFreeze(value) {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value))
            deepFreeze(child);
    }
    return value;
}
/** The instant a session sorts by: createdAt, or startTime when createdAt is broken. */
function sortMicros(session) {
    return parseMicros(String(session.createdAt)) ?? parseMicros(String(session.startTime)) ?? 0;
}
function matches(session, filters) {
    if (filters.personaId !== undefined && session.personaId !== filters.personaId)
        return false;
    if (filters.apiKeyId !== undefined && session.apiKeyId !== filters.apiKeyId)
        return false;
    if (filters.search !== undefined && filters.search !== '') {
        const needle = filters.search.toLowerCase();
        const inId = typeof session.id === 'string' && session.id.toLowerCase().includes(needle);
        const inLabel = session.clientLabel?.toLowerCase().includes(needle) === true;
        if (!inId && !inLabel)
            return false;
    }
    return true;
}
function isFiltering(filters) {
    return filters.personaId !== undefined || filters.apiKeyId !== undefined || Boolean(filters.search);
}
/**
 * Sorted views of a store's records. Pages of a large store are served from here, so a request
 * costs a slice, not a sort: key orders are kept up to date by insertion and removal, and only the
 * arrays of records are rebuilt after a change.
 */
function createOrderCache(seed) {
    const keyOrders = new Map();
    const views = new Map();
    const compare = (records, order) => {
        const ranks = new Map();
        const rank = (key) => {
            let value = ranks.get(key);
            if (value === undefined) {
                value = order === 'shuffled' ? hash32(`${seed}:${key}`) : sortMicros(records.get(key));
                ranks.set(key, value);
            }
            return value;
        };
        const ascending = (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
        return order === 'newest' ? (a, b) => ascending(b, a) : ascending;
    };
    return {
        view(records, order) {
            let view = views.get(order);
            if (view)
                return view;
            let keys = keyOrders.get(order);
            if (!keys) {
                keys = [...records.keys()].sort(compare(records, order));
                keyOrders.set(order, keys);
            }
            view = keys.map((key) => records.get(key));
            views.set(order, view);
            return view;
        },
        added(records, key) {
            for (const [order, keys] of keyOrders) {
                const cmp = compare(records, order);
                let [low, high] = [0, keys.length];
                while (low < high) {
                    const mid = (low + high) >>> 1;
                    if (cmp(keys[mid], key) < 0)
                        low = mid + 1;
                    else
                        high = mid;
                }
                keys.splice(low, 0, key);
            }
            views.clear();
        },
        removed(key) {
            for (const keys of keyOrders.values()) {
                const at = keys.indexOf(key);
                if (at >= 0)
                    keys.splice(at, 1);
            }
            views.clear();
        },
        changedValues: () => views.clear(),
        reset() {
            keyOrders.clear();
            views.clear();
        },
    };
}
/**
 * Creates a store of `sessions` generated sessions. Records are frozen; every change replaces a
 * record with a new frozen object, so a snapshot can share them.
 */
export function createSessionStore(options) {
    const { sessions: count, seed, invalidEvery, days } = checkStoreOptions(options);
    const rng = createRandom(seed);
    const catalog = createCatalog(rng);
    // Keyed by id; records without an id (broken on purpose) get a private key.
    let records = new Map();
    let generated = 0;
    let anonymous = 0;
    const keyOf = (session) => typeof session.id === 'string' ? session.id : `#no-id-${anonymous++}`;
    const load = (sessions) => {
        records = new Map();
        for (const s of sessions)
            records.set(keyOf(s), deepFreeze(s));
    };
    load(generateInitial(rng, catalog, count, invalidEvery, days));
    generated = count;
    let clock = Math.ceil(latestInstant(records.values()) / 1000) * 1000;
    // Steps of at least one second keep a new createdAt after every existing one in every shape.
    const tick = () => (clock += rng.int(1000, 30_000));
    const orders = createOrderCache(seed);
    const replace = (key, session) => {
        records.set(key, deepFreeze(session));
        orders.changedValues();
        return session;
    };
    return {
        seed,
        list(filters = {}, order = 'newest') {
            const view = orders.view(records, orderOption(order));
            return isFiltering(filters) ? view.filter((s) => matches(s, filters)) : [...view];
        },
        get: (id) => records.get(id),
        create() {
            const createdMs = tick();
            const session = generateSession(rng, catalog, {
                index: generated++,
                createdMs,
                shape: randomShape(rng),
                active: true,
                old: false,
                invalidEvery,
            });
            clock = Math.max(clock, latestInstant([session]));
            const key = keyOf(session);
            records.set(key, deepFreeze(session));
            orders.added(records, key);
            return session;
        },
        end(id) {
            const current = records.get(id);
            if (!current || current.endTime !== null)
                return undefined;
            const shape = detectShape(current.startTime);
            const startMs = Math.floor((parseMicros(current.startTime) ?? 0) / 1000);
            const endMs = quantize(tick(), shape);
            const endTime = formatTime(endMs, shape, rng);
            return replace(id, {
                ...current,
                endTime,
                sessionLengthMs: endMs - startMs,
                exitStatus: rng.weighted(EXIT_STATUSES),
                updatedAt: endTime,
            });
        },
        edit(id) {
            const current = records.get(id);
            if (!current)
                return undefined;
            const shape = detectShape(current.startTime);
            const updatedAt = formatTime(quantize(tick(), shape), shape, rng);
            if (rng.chance(0.5)) {
                const labels = PLAIN_LABELS.filter((label) => label !== current.clientLabel);
                return replace(id, { ...current, clientLabel: `${rng.pick(labels)}-v2`, updatedAt });
            }
            const revision = Number(current.clientMetadata.revision ?? 0) + 1;
            const clientMetadata = { ...current.clientMetadata, revision, note: `edited ${revision}x` };
            return replace(id, { ...current, clientMetadata, updatedAt });
        },
        remove(id) {
            const removed = records.delete(id);
            if (removed)
                orders.removed(id);
            return removed;
        },
        snapshot: () => ({ sessions: [...records.values()] }),
        restore(snapshot) {
            load(snapshot.sessions.map((s) => (Object.isFrozen(s) ? s : structuredClone(s))));
            clock = Math.max(clock, Math.ceil(latestInstant(records.values()) / 1000) * 1000);
            orders.reset();
        },
        all: () => [...records.values()],
        now: () => clock,
        advance(ms) {
            clock += number(ms, 0, 'advance(ms)', 0, Infinity);
        },
    };
}
//# sourceMappingURL=data.js.map