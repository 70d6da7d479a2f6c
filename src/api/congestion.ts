/**
 * One congestion window for every request of a run, so that a rate-limited API slows the whole
 * run down instead of each request retrying on its own, while a 429 that stands alone (a fault,
 * not a limit) costs only its own request a wait:
 *
 * - a 429 is the API **limiting our rate** when at least half of the last 8 answers within a
 *   second were 429s (two at least), or 5 of the last 32 within 5 s, or the API served nothing in
 *   the last second: a rate limit refuses many requests at once, since every request finds the
 *   bucket empty, or a steady share; a fault refuses one among successes;
 * - such a 429's `Retry-After` **pauses every request** (the caller is told, so that its own
 *   request retries when the pause ends, with the others, and not after a backoff on top: the
 *   API's bucket refills during the pause and would sit full while the run waited), the
 *   **window** (requests allowed in flight, 1..max) halves once per event and grows back by one
 *   for every window's worth of successes, up to `max` (`--concurrency`): it is applied to the
 *   run's request slots;
 * - at such an event the **API's rate** is read from when the run resumed after the last pause:
 *   the requests it served since, over the time since plus what the pause refilled (from when the
 *   bucket was found empty to the resume, at most a second's worth); its bucket was empty when
 *   this event began, and held that refill at the resume. Not counted from the event before: the
 *   bucket may have sat full while the run was still paused, and the rate would read low. Request
 *   starts are then spaced at 0.97 of that rate, which rises by 2% a second to find a limit that
 *   was lifted; a lone 429 while above the rate (the probe emptied the bucket) reads it again
 *   the same way over the longer stretch; forgotten 30 s after the last event (at a first event,
 *   the API's bucket is taken to have held a second's worth when the busy stretch began, at least
 *   a second before);
 * - any 429 after a busy second, while no pace holds, sets a first **pace** of 0.95 of what the
 *   API served in that second, held for a second after its `Retry-After` and then halving every
 *   second: a request window alone cannot keep a fast, near API under a limit counted in requests
 *   per second. Not learnt after an idle stretch (it says nothing about the API's rate), nor over
 *   a pace already holding (that rate was ours).
 *
 * Pure bookkeeping on instants given by the caller (milliseconds); the waiting is the client's.
 */
import { integer } from '../option-checks.js';

export interface CongestionOptions {
  /** The largest window: `--concurrency`. */
  max: number;
  /** Called with the new window whenever it changes. */
  onWindow?: (window: number) => void;
}

/** Longer than this without a request starting or ending, and no pause: the run was idle. */
const IDLE_GAP_MS = 250;

/** The first pace halves with every this many milliseconds without a 429. */
const PACE_HALF_LIFE_MS = 1000;

/**
 * A 429 is the API limiting our rate when 429s were at least `share` of the last `answers` answers
 * within `ms` (all the answers there are, when fewer), and at least `least` of them: a burst refused
 * at once, or refusals that keep coming at a steady share. (Or when the API served nothing in the
 * last second: nothing to tell it from.)
 */
const LIMIT_SCALES = [
  { answers: 8, ms: 1000, share: 1 / 2, least: 2 },
  { answers: 32, ms: 5000, share: 5 / 32, least: 5 },
] as const;
const KEPT_ANSWERS = 32;

/** Request starts are spaced at this share of the API's rate, which rises by `PROBE_GROWTH` a second. */
const RATE_MARGIN = 0.97;
const PROBE_GROWTH = 1.02;
/** Starts the client-side bucket lets through at once at the API's rate (a late one is caught up). */
const TOKENS = 2;
/** The API's rate is forgotten this long after the last rate-limit event. */
const RATE_MEMORY_MS = 30_000;

export class CongestionWindow {
  readonly max: number;
  readonly #onWindow: ((window: number) => void) | undefined;
  #window: number;
  /** Successes since the window last grew. */
  #credit = 0;
  /** Every request waits until then (none yet: a first instant of 0 is no pause's end). */
  #pausedUntil = -Infinity;
  /** Least time between two request starts, ms, as learnt at `#paceAt` (0: no pace). */
  #paceMs = 0;
  #paceAt = 0;
  #lastStart = -Infinity;
  /** When the last 429 began an event, and the last rate-limit event (answers to requests started before it are the same event). */
  #since: number | null = null;
  #limitSince: number | null = null;
  /** When the request whose 429 began the last event started: the API's bucket was empty then. */
  #emptiedAt = 0;
  /** The API's rate, requests a second (0: unknown), and since when the probe above it grows. */
  #rate = 0;
  #probeFrom = 0;
  /** Starts allowed now at the API's rate (a client-side bucket, so a late start is caught up), as of `#tokensAt`. */
  #tokens = 1;
  #tokensAt = 0;
  /**
   * When the run resumed after the last rate-limit event's pause, what the API's bucket is taken
   * to have refilled by then (ms of its rate: the pause since the bucket was found empty, at most a
   * second's worth), and the successes answered since.
   */
  #resumeAt = 0;
  #refilledMs = 0;
  #servedSinceResume = 0;
  /** When recent successes came (within the longest window a rate is read over). */
  #successes: number[] = [];
  /** The last answers: when, and whether 429. */
  #answers: Array<{ at: number; refused: boolean }> = [];
  /** Since when requests have followed each other without an idle gap, and the last sign of one. */
  #busySince = -Infinity;
  #lastActivity = -Infinity;
  /** 429 events (pauses or shrinks), for the report. */
  events = 0;

  constructor(options: CongestionOptions) {
    const { max, onWindow } = options;
    this.max = integer(max, max, '--concurrency', 1, Infinity);
    this.#window = max;
    this.#onWindow = onWindow;
  }

  /** Requests allowed in flight now. */
  get window(): number {
    return this.#window;
  }

  /** The first pace at `now`: the least time between two request starts, ms. */
  paceAt(now: number): number {
    const pace = this.#paceMs * 0.5 ** (Math.max(0, now - this.#paceAt) / PACE_HALF_LIFE_MS);
    return pace < 1 ? 0 : pace;
  }

  /** The API's rate as learnt (requests a second; 0: none), and the rate requests start at, at `now`. */
  rateAt(now: number): { api: number; ours: number } {
    if (this.#rate === 0 || this.#limitSince === null || now - this.#limitSince > RATE_MEMORY_MS) return { api: 0, ours: 0 };
    return { api: this.#rate, ours: this.#rate * RATE_MARGIN * PROBE_GROWTH ** (Math.max(0, now - this.#probeFrom) / 1000) };
  }

  /** How long a request about to start at `now` must wait first (a pause, or the pace); 0: go. */
  delayBefore(now: number): number {
    const { ours } = this.rateAt(now);
    const tokens = this.#tokensNow(now, ours);
    const paced = tokens >= 1 ? 0 : ((1 - tokens) * 1000) / ours;
    return Math.max(0, this.#pausedUntil - now, this.#lastStart + this.paceAt(now) - now, paced);
  }

  /** A request starts at `now` (after {@link delayBefore} said 0). */
  started(now: number): void {
    const { ours } = this.rateAt(now);
    if (ours > 0) {
      this.#tokens = this.#tokensNow(now, ours) - 1;
      this.#tokensAt = now;
    }
    this.#lastStart = now;
    this.#active(now);
  }

  /** The client-side bucket at `now`: refilled at `ours` a second, holding at most `TOKENS`. */
  #tokensNow(now: number, ours: number): number {
    if (ours <= 0) return TOKENS;
    return Math.min(TOKENS, this.#tokens + (Math.max(0, now - this.#tokensAt) * ours) / 1000);
  }

  /** The API served a request at `now` (any answer but a 429): the window grows by one per window's worth. */
  succeeded(now: number): void {
    this.#active(now);
    this.#answered(now, false);
    if (now > this.#resumeAt) this.#servedSinceResume++;
    this.#successes.push(now);
    if (this.#successes.length > 4096) this.#successes.splice(0, 2048);
    if (this.#window >= this.max) return;
    if (++this.#credit >= this.#window) {
      this.#credit = 0;
      this.#setWindow(this.#window + 1);
    }
  }

  /**
   * A request started at `startedAt` was answered 429 at `now`, asking for `retryAfterMs` (or
   * null). When the answers around it say the API is limiting our rate, every request waits out
   * the pause, and once per event the window halves and the API's rate is read; a lone 429 is
   * left to its own request's retry. Returns whether this 429 pauses every request.
   */
  rateLimited(now: number, startedAt: number, retryAfterMs: number | null): boolean {
    this.#active(now);
    this.#answered(now, true);
    const wait = retryAfterMs ?? 0;
    const limit = this.#limiting(now);
    // The API's bucket was found empty by the request whose 429 began this event (timed by its
    // start, as the successes it is set against are, so the time requests take cancels out).
    const emptiedAt = this.#since !== null && startedAt <= this.#since ? this.#emptiedAt : startedAt;
    const paced = this.paceAt(now) > 0 || this.rateAt(now).ours > 0;
    const newLimit = limit && !(this.#limitSince !== null && startedAt <= this.#limitSince);
    if (newLimit) {
      this.#rate = this.#rateRead(now, emptiedAt) ?? this.#rate;
      this.#limitSince = now;
    }
    if (limit) {
      this.#pausedUntil = Math.max(this.#pausedUntil, now + wait);
      // A later 429 of the event that lengthens the pause moves the resume.
      if (newLimit || this.#pausedUntil > this.#resumeAt) {
        this.#resumeAt = Math.max(now, this.#pausedUntil);
        this.#refilledMs = Math.min(1000, this.#resumeAt - emptiedAt);
        this.#servedSinceResume = 0;
      }
    }
    if (newLimit) {
      this.#probeFrom = this.#pausedUntil;
      this.#tokens = 1;
      this.#tokensAt = this.#pausedUntil;
      this.#credit = 0;
      this.#setWindow(Math.max(1, Math.floor(this.#window / 2)));
    } else if (!limit && this.#rate > 0 && this.rateAt(now).ours >= this.#rate) {
      // A probe above the API's rate emptied its bucket: read the rate again over the whole
      // stretch (or take the rate reached), and start again just under it.
      this.#rate = this.#rateRead(now, emptiedAt) ?? this.rateAt(now).ours;
      this.#probeFrom = now + wait;
    }
    if (this.#since !== null && startedAt <= this.#since) return limit;
    this.events++;
    this.#since = now;
    this.#emptiedAt = startedAt;
    if (paced && !limit) return limit;
    // What the API let through over the last second (or Retry-After) is its rate: the pauses count,
    // its bucket refills meanwhile. Start a little under it.
    const span = Math.max(1000, wait);
    if (this.#busySince <= now - span) {
      const served = this.#servedWithin(now, span);
      if (served > 0) {
        this.#paceMs = span / (served * 0.95);
        // Held whole for the first second after the pause, when the API counts again.
        this.#paceAt = Math.max(this.#pausedUntil, now + wait);
      }
    }
    return limit;
  }

  /**
   * The API's rate, requests a second, read at `now` from a 429 that found its bucket empty at
   * `emptiedAt`; null when the answers say nothing of it. When the run resumed after a pause, the
   * bucket held what it refilled during the pause (see `#refilledMs`): what the API served since
   * is that and its rate. Counted from the resume, not from the event before: the bucket may have
   * sat full while the run was still paused. Without a pause, the bucket is taken to have held a
   * second's worth (as is common) when the busy stretch began, at least a second ago.
   */
  #rateRead(now: number, emptiedAt: number): number | null {
    if (this.#limitSince !== null && this.#busySince <= this.#resumeAt && emptiedAt > this.#resumeAt) {
      return (this.#servedSinceResume * 1000) / (emptiedAt - this.#resumeAt + this.#refilledMs);
    }
    if (this.#busySince <= now - 1000) {
      return (this.#servedWithin(now, now - this.#busySince) * 1000) / (now - this.#busySince + 1000);
    }
    return null;
  }

  /** Successes answered within `span` ms before `now`. */
  #servedWithin(now: number, span: number): number {
    return this.#successes.filter((at) => at > now - span).length;
  }

  /** Whether the recent answers say the API is limiting our rate (see the module comment). */
  #limiting(now: number): boolean {
    if (this.#servedWithin(now, 1000) === 0) return true;
    return LIMIT_SCALES.some(({ answers, ms, share, least }) => {
      const recent = this.#answers.slice(-answers).filter((answer) => answer.at > now - ms);
      const refused = recent.filter((answer) => answer.refused).length;
      return refused >= least && refused >= recent.length * share;
    });
  }

  #answered(now: number, refused: boolean): void {
    this.#answers.push({ at: now, refused });
    if (this.#answers.length > KEPT_ANSWERS) this.#answers.shift();
  }

  /** Notes activity at `now`; a gap with nothing in flight and no pause starts a new busy stretch. */
  #active(now: number): void {
    if (now - Math.max(this.#lastActivity, this.#pausedUntil) > IDLE_GAP_MS) this.#busySince = now;
    this.#lastActivity = now;
  }

  #setWindow(window: number): void {
    if (window === this.#window) return;
    this.#window = window;
    this.#onWindow?.(window);
  }
}
