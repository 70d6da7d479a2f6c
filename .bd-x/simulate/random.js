/** Creates a {@link Random} from a seed (any number; its low 32 bits are used). */
export function createRandom(seed) {
    let state = seed >>> 0;
    const next = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (min, max) => min + Math.floor(next() * (max - min + 1));
    const pick = (items) => items[Math.floor(next() * items.length)];
    const weighted = (choices) => {
        const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
        let roll = next() * total;
        for (const [value, weight] of choices) {
            roll -= weight;
            if (roll < 0)
                return value;
        }
        return choices[choices.length - 1][0];
    };
    const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
    return { next, int, chance: (p) => next() < p, pick, weighted, bytes };
}
/** A 32-bit hash of a string (FNV-1a with a murmur finaliser), for seeded stable permutations. */
export function hash32(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
}
export function randomUuid(rng) {
    const b = rng.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = b.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomText(rng, length, alphabet = ALPHANUMERIC) {
    return Array.from({ length }, () => alphabet[rng.int(0, alphabet.length - 1)]).join('');
}
//# sourceMappingURL=random.js.map