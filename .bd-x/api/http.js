/**
 * One HTTP GET over node:http or node:https: the whole body as text (decompressed), within a time
 * limit, abortable, on kept-alive connections.
 *
 * Why not `fetch`: Node loads its HTTP client (undici) on the first call, about 20 ms, and undici's
 * WebAssembly parser is still being optimised in the background when the process exits, which then
 * waits for it, about 50 ms more. Together that was a third of an incremental sync with nothing new.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
/**
 * The largest body read (decompressed). A page of 100 sessions is about 250 KB; anything near this
 * is not an answer of the API, and reading it whole would let a server decide our memory.
 */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
// One pool of kept-alive connections per protocol for the whole process: pages reuse connections.
// node:https (and TLS with it) loads only for an https URL: a few milliseconds of every other run.
const plain = { module: http, agent: new http.Agent({ keepAlive: true }) };
let secure;
/** Agents through a proxy, by proxy URL and target protocol; loaded only when a proxy is set. */
const proxied = new Map();
function transportFor(protocol) {
    if (protocol === 'http:')
        return plain;
    if (protocol !== 'https:')
        return null;
    if (secure === undefined) {
        const module = createRequire(import.meta.url)('node:https');
        secure = { module, agent: new module.Agent({ keepAlive: true }) };
    }
    return secure;
}
/**
 * The agent for `protocol` through the HTTP proxy at `proxyUrl`: an https target goes through a
 * CONNECT tunnel (the proxy sees the host name, never the request, its headers or the key), an
 * http target as a request to the proxy. Both from TooTallNate's agents, loaded on first use.
 */
function proxyAgent(protocol, proxyUrl) {
    const key = `${protocol} ${proxyUrl}`;
    let agent = proxied.get(key);
    if (agent === undefined) {
        agent =
            protocol === 'https:'
                ? import('https-proxy-agent').then(({ HttpsProxyAgent }) => new HttpsProxyAgent(proxyUrl, { keepAlive: true }))
                : import('http-proxy-agent').then(({ HttpProxyAgent }) => new HttpProxyAgent(proxyUrl, { keepAlive: true }));
        proxied.set(key, agent);
    }
    return agent;
}
/**
 * GETs `url`. Rejects with a `TimeoutError` or `AbortError` (DOMException names, as `fetch` uses),
 * or with the socket's error (its `code`: ECONNRESET, ECONNREFUSED, a TLS certificate code...). A
 * body cut off before its end rejects with ECONNRESET.
 */
export async function httpGet(url, options) {
    let transport = transportFor(url.protocol);
    if (transport === null) {
        throw Object.assign(new TypeError(`unsupported protocol ${url.protocol} (use http or https)`), { code: 'ERR_INVALID_PROTOCOL' });
    }
    if (options.proxyUrl)
        transport = { module: transport.module, agent: await proxyAgent(url.protocol, options.proxyUrl) };
    return request(url, transport, options);
}
function request(url, transport, options) {
    if (options.signal?.aborted)
        return Promise.reject(new DOMException('the request was aborted', 'AbortError'));
    // A signal of its own that follows the caller's: requests in flight at once would otherwise each add
    // a listener to one shared signal, and Node warns on stderr from the eleventh.
    const signal = options.signal === undefined ? undefined : AbortSignal.any([options.signal]);
    return new Promise((resolve, reject) => {
        let request;
        let settled = false;
        const settle = (outcome) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            outcome();
        };
        const fail = (error) => settle(() => {
            request?.destroy();
            reject(error);
        });
        const onAbort = () => fail(new DOMException('the request was aborted', 'AbortError'));
        const timer = setTimeout(() => fail(new DOMException(`no answer within ${options.timeoutMs} ms`, 'TimeoutError')), options.timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
            request = transport.module.get(url, { agent: transport.agent, headers: { 'accept-encoding': 'gzip, deflate, br', ...options.headers } }, (response) => {
                const body = decoded(response, fail);
                const chunks = [];
                let bytes = 0;
                body.on('data', (chunk) => {
                    bytes += chunk.length;
                    if (bytes > MAX_BODY_BYTES) {
                        fail(Object.assign(new Error(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`), { code: 'ERR_BODY_TOO_LARGE' }));
                        return;
                    }
                    chunks.push(chunk);
                });
                body.on('end', () => {
                    // A connection closed before Content-Length (or the last chunk) came in is not an answer.
                    if (!response.complete)
                        return fail(truncated());
                    const text = Buffer.concat(chunks).toString('utf8');
                    settle(() => resolve({
                        status: response.statusCode ?? 0,
                        header: (name) => {
                            const value = response.headers[name];
                            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
                        },
                        text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
                    }));
                });
                response.on('close', () => {
                    if (!response.complete)
                        fail(truncated());
                });
            });
        }
        catch (error) {
            // Refused before anything was sent (a header value Node will not send, say).
            fail(error);
            return;
        }
        request.on('error', fail);
    });
}
/** The response body with its Content-Encoding undone; a decoding error fails the request. */
function decoded(response, fail) {
    const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    // Lenient at the end, as browsers and fetch are: a body whose last block was not flushed, or an
    // empty one (a 204, an error page), still reads as what arrived.
    const decoder = encoding === 'gzip' || encoding === 'x-gzip'
        ? createGunzip({ finishFlush: constants.Z_SYNC_FLUSH })
        : encoding === 'deflate'
            ? createInflate({ finishFlush: constants.Z_SYNC_FLUSH })
            : encoding === 'br'
                ? createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH })
                : null;
    response.on('error', fail);
    if (decoder === null)
        return response;
    decoder.on('error', fail);
    return response.pipe(decoder);
}
function truncated() {
    return Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' });
}
//# sourceMappingURL=http.js.map