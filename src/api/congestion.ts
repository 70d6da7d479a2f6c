/**
 * One congestion window for every request of a run, so that a rate-limited API slows the whole
 * run down instead of each request retrying on its own:
 *
 * - the **window** (requests allowed in flight, 1..max) halves on a 429 and grows back by one for
 *   every window's worth of successes, up to `max` (`--concurrency`): it is applied to the run's
 *   request slots (p-limit's settable `concurrency`);
 * - a `Retry-After` **pauses every request**, not only the one that got it;
 * - a **pace** (the least time between two request starts) is learnt from how many requests the
 *   API served between two 429s: a request window alone cannot keep a fast, near API under a limit
 *   counted in requests per second. Successes shorten the pace again by 0.5% each, so a limit that
 *   was lifted stops costing time, and the API is probed now and then.
 *
 * Pure bookkeeping on instants given by the caller (milliseconds); the waiting is the client's.
 */

export interface CongestionOptions {
  /** The largest window: `--concurrency`. */
  max: number;
  /** Called with the new window whenever it changes. */
  onWindow?: (window: number) => void;
}

/** Each success shortens the pace by this factor: about twice the rate after 140 successes. */
const EASE = 0.995;

/** A 429 answered while the window was already reduced for this pause counts once. */
export class CongestionWindow {
  readonly max: number;
  readonly #onWindow: ((window: number) => void) | undefined;
  #window: number;
  /** Successes since the window last grew. */
  #credit = 0;
  #pausedUntil = 0;
  /** Least time between two request starts, ms (0: no pace). */
  #paceMs = 0;
  #lastStart = -Infinity;
  /** Since the last 429 event: when it was, and the successes after it. */
  #since: number | null = null;
  #served = 0;
  /** 429 events (pauses or shrinks), for the report. */
  events = 0;

  constructor(options: CongestionOptions) {
    const { max, onWindow } = options;
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`Expected \`max\` to be an integer >= 1, got ${max}`);
    this.max = max;
    this.#window = max;
    this.#onWindow = onWindow;
  }

  /** Requests allowed in flight now. */
  get window(): number {
    return this.#window;
  }

  /** The least time between two request starts now, ms. */
  get paceMs(): number {
    return this.#paceMs;
  }

  /** How long a request about to start at `now` must wait first (a pause, or the pace); 0: go. */
  delayBefore(now: number): number {
    return Math.max(0, this.#pausedUntil - now, this.#lastStart + this.#paceMs - now);
  }

  /** A request starts at `now` (after {@link delayBefore} said 0). */
  started(now: number): void {
    this.#lastStart = now;
  }

  /** A request succeeded: the window grows by one per window's worth of successes; the pace eases. */
  succeeded(): void {
    this.#served++;
    this.#paceMs *= EASE;
    if (this.#paceMs < 1) this.#paceMs = 0;
    if (this.#window >= this.max) return;
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
  rateLimited(now: number, startedAt: number, retryAfterMs: number | null): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, now + (retryAfterMs ?? 0));
    if (this.#since !== null && startedAt <= this.#since) return;
    this.events++;
    if (this.#since !== null && this.#served > 0) {
      // What the API let through since the last event is its rate; start a little under it.
      const rate = this.#served / Math.max(1, now - this.#since);
      this.#paceMs = Math.max(this.#paceMs, 1 / (rate * 0.95));
    }
    // The pause counts as time the API was serving: its bucket refills meanwhile.
    this.#since = now;
    this.#served = 0;
    this.#credit = 0;
    this.#setWindow(Math.max(1, Math.floor(this.#window / 2)));
  }

  #setWindow(window: number): void {
    if (window === this.#window) return;
    this.#window = window;
    this.#onWindow?.(window);
  }
}
