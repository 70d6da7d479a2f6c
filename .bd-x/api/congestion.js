/**
 * One congestion window for every request of a run, so that a rate-limited API slows the whole
 * run down instead of each request retrying on its own:
 *
 * - the **window** (requests allowed in flight, 1..max) halves on a 429 and grows back by one for
 *   every window's worth of successes, up to `max` (`--concurrency`): it is applied to the run's
 *   request slots (p-limit's settable `concurrency`);
 * - a `Retry-After` **pauses every request**, not only the one that got it;
 * - a **pace** (the least time between two request starts) is learnt from how many requests the
 *   API served in the second (or the `Retry-After`) before a 429, pauses included: a request window
 *   alone cannot keep a fast, near API under a limit counted in requests per second. It is learnt
 *   only when the run was busy all that time (an idle stretch between stages says nothing about
 *   the API's rate), and from a second after the pause it halves with every second without a 429: a limit that was lifted, or
 *   429s that had nothing to do with our rate, stop costing time, and the API is probed now and then.
 *
 * Pure bookkeeping on instants given by the caller (milliseconds); the waiting is the client's.
 */
import { integer } from '../option-checks.js';
/** Longer than this without a request starting or ending, and no pause: the run was idle. */
const IDLE_GAP_MS = 250;
/** The pace halves with every this many milliseconds without a 429. */
const PACE_HALF_LIFE_MS = 1000;
/** A 429 answered while the window was already reduced for this pause counts once. */
export class CongestionWindow {
    max;
    #onWindow;
    #window;
    /** Successes since the window last grew. */
    #credit = 0;
    #pausedUntil = 0;
    /** Least time between two request starts, ms, as learnt at `#paceAt` (0: no pace). */
    #paceMs = 0;
    #paceAt = 0;
    #lastStart = -Infinity;
    /** When the last 429 event began (answers to requests started before it are the same event). */
    #since = null;
    /** When recent successes came (within the longest window a rate is read over). */
    #successes = [];
    /** Since when requests have followed each other without an idle gap, and the last sign of one. */
    #busySince = -Infinity;
    #lastActivity = -Infinity;
    /** 429 events (pauses or shrinks), for the report. */
    events = 0;
    constructor(options) {
        const { max, onWindow } = options;
        this.max = integer(max, max, '--concurrency', 1, Infinity);
        this.#window = max;
        this.#onWindow = onWindow;
    }
    /** Requests allowed in flight now. */
    get window() {
        return this.#window;
    }
    /** The least time between two request starts at `now`, ms. */
    paceAt(now) {
        const pace = this.#paceMs * 0.5 ** (Math.max(0, now - this.#paceAt) / PACE_HALF_LIFE_MS);
        return pace < 1 ? 0 : pace;
    }
    /** How long a request about to start at `now` must wait first (a pause, or the pace); 0: go. */
    delayBefore(now) {
        return Math.max(0, this.#pausedUntil - now, this.#lastStart + this.paceAt(now) - now);
    }
    /** A request starts at `now` (after {@link delayBefore} said 0). */
    started(now) {
        this.#lastStart = now;
        this.#active(now);
    }
    /** The API served a request at `now` (any answer but a 429): the window grows by one per window's worth. */
    succeeded(now) {
        this.#active(now);
        this.#successes.push(now);
        if (this.#successes.length > 4096)
            this.#successes.splice(0, 2048);
        if (this.#window >= this.max)
            return;
        if (++this.#credit >= this.#window) {
            this.#credit = 0;
            this.#setWindow(this.#window + 1);
        }
    }
    /**
     * A request started at `startedAt` was answered 429 at `now`, asking for `retryAfterMs` (or
     * null). Every request waits out the pause; the window halves and the pace is set from what the
     * API served since the last 429, once per event: answers to requests that were already on their
     * way when the event began are the same event.
     */
    rateLimited(now, startedAt, retryAfterMs) {
        this.#active(now);
        this.#pausedUntil = Math.max(this.#pausedUntil, now + (retryAfterMs ?? 0));
        if (this.#since !== null && startedAt <= this.#since)
            return;
        this.events++;
        // What the API let through over the last second (or Retry-After) is its rate: the pauses count,
        // its bucket refills meanwhile. Start a little under it.
        const span = Math.max(1000, retryAfterMs ?? 0);
        if (this.#busySince <= now - span) {
            const served = this.#successes.filter((at) => at > now - span).length;
            if (served > 0) {
                this.#paceMs = span / (served * 0.95);
                // Held whole for the first second after the pause, when the API counts again.
                this.#paceAt = this.#pausedUntil;
            }
        }
        this.#since = now;
        this.#credit = 0;
        this.#setWindow(Math.max(1, Math.floor(this.#window / 2)));
    }
    /** Notes activity at `now`; a gap with nothing in flight and no pause starts a new busy stretch. */
    #active(now) {
        if (now - Math.max(this.#lastActivity, this.#pausedUntil) > IDLE_GAP_MS)
            this.#busySince = now;
        this.#lastActivity = now;
    }
    #setWindow(window) {
        if (window === this.#window)
            return;
        this.#window = window;
        this.#onWindow?.(window);
    }
}
//# sourceMappingURL=congestion.js.map