const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
/** Microseconds since the epoch of an RFC 3339 timestamp, or undefined when it is not one. */
export function parseMicros(text) {
    const match = RFC3339.exec(text);
    if (!match)
        return undefined;
    const [, local, fraction = '', zone] = match;
    const localMs = Date.parse(`${local}Z`);
    if (Number.isNaN(localMs))
        return undefined;
    const offset = zone === 'Z' ? 0 : parseOffsetMinutes(zone);
    const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
    return (localMs - offset * 60_000) * 1000 + micros;
}
function parseOffsetMinutes(zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}
/** The shape a timestamp is written in (`millis` when it is not RFC 3339). */
export function detectShape(text) {
    const match = RFC3339.exec(text);
    if (!match)
        return { kind: 'millis', offsetMinutes: 0 };
    const [, , fraction, zone] = match;
    if (zone !== 'Z')
        return { kind: 'offset', offsetMinutes: parseOffsetMinutes(zone) };
    if (fraction === undefined)
        return { kind: 'seconds', offsetMinutes: 0 };
    return { kind: fraction.length > 3 ? 'micros' : 'millis', offsetMinutes: 0 };
}
/** Drops what a shape cannot write (the milliseconds of the `seconds` shape). */
export function quantize(ms, shape) {
    return shape.kind === 'seconds' ? Math.floor(ms / 1000) * 1000 : Math.floor(ms);
}
/** Writes an instant (whole ms) in a shape; the `micros` shape adds three random sub-ms digits. */
export function formatTime(ms, shape, rng) {
    const iso = new Date(ms).toISOString();
    switch (shape.kind) {
        case 'millis':
            return iso;
        case 'seconds':
            return `${iso.slice(0, 19)}Z`;
        case 'micros':
            return `${iso.slice(0, 23)}${String(rng.int(0, 999)).padStart(3, '0')}Z`;
        case 'offset': {
            const local = new Date(ms + shape.offsetMinutes * 60_000).toISOString().slice(0, 23);
            const abs = Math.abs(shape.offsetMinutes);
            const hh = String(Math.floor(abs / 60)).padStart(2, '0');
            const mm = String(abs % 60).padStart(2, '0');
            return `${local}${shape.offsetMinutes < 0 ? '-' : '+'}${hh}:${mm}`;
        }
    }
}
export function randomShape(rng) {
    const kind = rng.weighted([
        ['millis', 55],
        ['seconds', 15],
        ['offset', 15],
        ['micros', 15],
    ]);
    const offsetMinutes = kind === 'offset' ? rng.pick([120, 60, 0, -300, 330, -420]) : 0;
    return { kind, offsetMinutes };
}
//# sourceMappingURL=time-shapes.js.map