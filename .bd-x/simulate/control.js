import { problem, queryInteger, sendJson } from './routes.js';
/** Where every control path starts. */
export const CONTROL_PREFIX = '/_simulator/';
/** The largest JSON body the options endpoint reads. */
const MAX_BODY_BYTES = 65_536;
function pickRandom(rng, items, n) {
    const pool = [...items];
    const picked = [];
    while (picked.length < n && pool.length > 0) {
        picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
    }
    return picked;
}
function idsOf(sessions) {
    return sessions.flatMap((s) => (s && typeof s.id === 'string' ? [s.id] : []));
}
/** Applies `POST /_simulator/{create,end,edit,delete}?n=N`; returns the affected ids. */
function changeStore(store, rng, action, n) {
    const withId = store.all().filter((s) => typeof s.id === 'string');
    switch (action) {
        case 'create':
            return idsOf(Array.from({ length: n }, () => store.create()));
        case 'end': {
            // The longest-running sessions end first, as they would in life.
            const active = store.list({}, 'oldest').filter((s) => s.endTime === null && typeof s.id === 'string');
            return idsOf(active.slice(0, n).map((s) => store.end(s.id)));
        }
        case 'edit': {
            const ended = withId.filter((s) => s.endTime !== null);
            return idsOf(pickRandom(rng, ended, n).map((s) => store.edit(s.id)));
        }
        default:
            return pickRandom(rng, withId, n).flatMap((s) => (store.remove(s.id) ? [s.id] : []));
    }
}
/** The request's JSON body (`{}` when empty), or null when it is larger than {@link MAX_BODY_BYTES}. */
async function readJson(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES)
            return null;
        chunks.push(chunk);
    }
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
}
/** Answers one request under {@link CONTROL_PREFIX}. */
export async function handleControl(target, req, res, url) {
    const action = url.pathname.slice(CONTROL_PREFIX.length);
    const expected = ['stats', 'sessions'].includes(action) ? 'GET' : 'POST';
    const known = ['stats', 'sessions', 'reset-stats', 'options', 'create', 'end', 'edit', 'delete', 'advance'];
    if (!known.includes(action))
        return sendJson(res, problem(404, `Unknown control endpoint ${url.pathname}`));
    if (req.method !== expected) {
        return sendJson(res, problem(405, `Use ${expected} ${url.pathname}`), { allow: expected });
    }
    if (action === 'stats')
        return sendJson(res, { status: 200, body: target.stats() });
    if (action === 'sessions')
        return sendJson(res, { status: 200, body: target.store.all() });
    if (action === 'reset-stats') {
        target.resetStats();
        return sendJson(res, { status: 200, body: target.stats() });
    }
    if (action === 'options') {
        const body = await readJson(req);
        if (body === null)
            return sendJson(res, problem(413, `the body must be at most ${MAX_BODY_BYTES} bytes`));
        target.setOptions(body.value);
        return sendJson(res, { status: 200, body: target.options() });
    }
    if (action === 'advance') {
        // Time passes: `days` days later, transcripts that ended more than 30 days before are gone.
        const days = queryInteger(url.searchParams, 'days', 1, 3650);
        if (typeof days !== 'number')
            return sendJson(res, days);
        target.store.advance(days * 86_400_000);
        return sendJson(res, { status: 200, body: { now: new Date(target.store.now()).toISOString() } });
    }
    const n = queryInteger(url.searchParams, 'n', 1, 100_000);
    if (typeof n !== 'number')
        return sendJson(res, n);
    sendJson(res, { status: 200, body: { ids: changeStore(target.store, target.rng, action, n) } });
}
//# sourceMappingURL=control.js.map