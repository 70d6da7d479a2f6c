/**
 * The simulator's rate limit: a token bucket of `rate` tokens a second holding at most one
 * second's worth (at least one), one token per request. A request that finds no token is refused, with how long
 * until one is there (for `Retry-After`, in whole seconds as HTTP has them).
 */
/** A full bucket of `rate` tokens (requests per second, > 0), refilled continuously. */
export function createTokenBucket(rate, now) {
    const capacity = Math.max(1, rate);
    let tokens = capacity;
    let at = now;
    return {
        rate,
        take(time) {
            tokens = Math.min(capacity, tokens + ((time - at) / 1000) * rate);
            at = Math.max(at, time);
            if (tokens >= 1) {
                tokens -= 1;
                return null;
            }
            return Math.max(1, Math.ceil((1 - tokens) / rate));
        },
    };
}
//# sourceMappingURL=rate-limit.js.map