/**
 * The simulated API's `/v1` endpoints: `GET /v1/sessions`, `GET /v1/sessions/{id}` and its
 * `/transcript`, each a pure answer from a {@link SessionStore}, plus the bearer-key check and the
 * helpers that write a reply.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { transcriptOf } from './transcripts.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An error reply: `{ message }` with the status. */
export function problem(status, message) {
    return { status, body: { message } };
}
/** A positive query parameter up to `max`, its fallback when absent, or the 400 reply. */
export function queryInteger(params, name, fallback, max) {
    const raw = params.get(name);
    if (raw === null)
        return fallback;
    const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 1 && value <= max)) {
        const range = max === Infinity ? 'an integer >= 1' : `an integer from 1 to ${max}`;
        return problem(400, `${name} must be ${range}`);
    }
    return value;
}
function queryFilters(params) {
    const filters = {};
    for (const name of ['apiKeyId', 'personaId']) {
        const value = params.get(name);
        if (value === null)
            continue;
        if (!UUID.test(value))
            return problem(400, `${name} must be a UUID`);
        filters[name] = value;
    }
    const search = params.get('search');
    if (search !== null && search !== '')
        filters.search = search;
    return filters;
}
/** `GET /v1/sessions`: one page of the store's current list. */
function listSessions(store, order, params) {
    const page = queryInteger(params, 'page', 1, Infinity);
    if (typeof page !== 'number')
        return page;
    const perPage = queryInteger(params, 'perPage', 10, 100);
    if (typeof perPage !== 'number')
        return perPage;
    const filters = queryFilters(params);
    if ('status' in filters)
        return filters;
    const all = store.list(filters, order);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const body = {
        data: all.slice((page - 1) * perPage, page * perPage),
        meta: {
            total: all.length,
            lastPage,
            currentPage: page,
            perPage,
            prev: page > 1 ? page - 1 : null,
            next: page < lastPage ? page + 1 : null,
        },
    };
    return { status: 200, body };
}
/** `GET /v1/sessions/{id}`. */
function getSession(store, rawId) {
    let id;
    try {
        id = decodeURIComponent(rawId);
    }
    catch {
        return problem(400, 'id must be a UUID');
    }
    if (!UUID.test(id))
        return problem(400, 'id must be a UUID');
    const session = store.get(id);
    return session ? { status: 200, body: session } : problem(404, `Session ${id} not found`);
}
/** `GET /v1/sessions/{id}/transcript`: 404 while active, with zero data retention, or after 30 days. */
function getTranscript(store, rawId) {
    const found = getSession(store, rawId);
    if (found.status !== 200)
        return found.status === 404 ? problem(404, 'Session not found or no transcript available') : found;
    const transcript = transcriptOf(found.body, store.now());
    return transcript === null ? problem(404, 'Session not found or no transcript available') : { status: 200, body: transcript };
}
export function routeOf(pathname) {
    if (pathname === '/v1/sessions')
        return { kind: 'list' };
    const match = /^\/v1\/sessions\/([^/]+)(\/transcript)?$/.exec(pathname);
    if (!match)
        return { kind: 'unknown' };
    return { kind: match[2] === undefined ? 'get' : 'transcript', id: match[1] };
}
/** The reply of a route, read from the store now. */
export function answer(store, order, route, url) {
    if (route.kind === 'list')
        return listSessions(store, order, url.searchParams);
    if (route.kind === 'get')
        return getSession(store, route.id);
    if (route.kind === 'transcript')
        return getTranscript(store, route.id);
    return problem(404, `Cannot GET ${url.pathname}`);
}
/** Undefined when the request carries an acceptable bearer key, else the 401 message. */
export function authProblem(req, key) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match)
        return 'Missing or malformed Authorization header: expected "Bearer <API key>"';
    if (key === undefined)
        return undefined;
    // Compare digests so the comparison takes the same time whatever the length of the guess.
    const digest = (text) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(match[1]), digest(key)) ? undefined : 'Invalid API key';
}
/** Writes a whole response, unless the client has gone. */
export function send(res, status, body, contentType, headers = {}) {
    if (res.destroyed || res.writableEnded)
        return;
    res.writeHead(status, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        ...headers,
    });
    res.end(body);
}
/** Writes a reply as JSON. */
export function sendJson(res, reply, headers = {}) {
    send(res, reply.status, JSON.stringify(reply.body), 'application/json; charset=utf-8', headers);
}
//# sourceMappingURL=routes.js.map