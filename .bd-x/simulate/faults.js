import { problem, send, sendJson } from './routes.js';
const PROXY_PAGE = (status) => `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n` +
    '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
/** The fault this request gets, or undefined for a normal answer. */
export function drawFault(rng, settings) {
    if (settings.faultRate <= 0 || rng.next() >= settings.faultRate)
        return undefined;
    return rng.pick(settings.faultKinds);
}
/** Answers with a fault; returns the status to count (`reset` when there is none). */
export function sendFault(res, kind, settings, rng, realAnswer) {
    const seconds = settings.retryAfterSeconds;
    switch (kind) {
        case '429':
            sendJson(res, problem(429, 'Too many requests'), { 'retry-after': String(seconds) });
            return '429';
        case '429-date': {
            // HTTP dates have whole seconds; round up so the wait is never shorter than announced.
            const at = new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000);
            sendJson(res, problem(429, 'Too many requests'), { 'retry-after': at.toUTCString() });
            return '429';
        }
        case '500':
        case '503':
            sendJson(res, problem(Number(kind), kind === '500' ? 'Internal server error' : 'Service unavailable'));
            return kind;
        case '502':
        case '504':
            send(res, Number(kind), kind === '502' ? 'Bad Gateway' : 'upstream request timeout', 'text/plain');
            return kind;
        case 'reset':
            res.socket?.destroy();
            return 'reset';
        case 'truncated': {
            const body = Buffer.from(JSON.stringify(realAnswer().body));
            // No Content-Length: the response is chunked and ends cleanly, only the JSON is cut.
            res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
            res.end(body.subarray(0, Math.floor(body.length / 2)));
            return '200';
        }
        case 'html': {
            const status = rng.chance(0.5) ? 502 : 200;
            send(res, status, PROXY_PAGE(status === 502 ? '502 Bad Gateway' : 'Service temporarily unavailable'), 'text/html');
            return String(status);
        }
    }
}
//# sourceMappingURL=faults.js.map