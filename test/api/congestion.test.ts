import { describe, expect, it } from 'vitest';
import { CongestionWindow } from '../../src/api/congestion.js';
import { UsageError } from '../../src/errors.js';
import { createTokenBucket } from '../../src/simulate/rate-limit.js';

describe('CongestionWindow', () => {
  it('starts at the largest window, without a pause or a pace', () => {
    const window = new CongestionWindow({ max: 8 });
    expect(window.window).toBe(8);
    expect(window.delayBefore(0)).toBe(0);
    expect(window.paceAt(5010)).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('rejects max %s with the usage error of --concurrency', (max) => {
    expect(() => new CongestionWindow({ max })).toThrow(UsageError);
    expect(() => new CongestionWindow({ max })).toThrow(/^--concurrency must be a (whole )?number of at least 1, not /);
  });

  it('halves on a 429, down to 1 and not below', () => {
    const seen: number[] = [];
    const window = new CongestionWindow({ max: 8, onWindow: (w) => seen.push(w) });
    for (let event = 1; event <= 5; event++) window.rateLimited(event * 1000, event * 1000 - 1, null);
    expect(seen).toEqual([4, 2, 1]);
    expect(window.window).toBe(1);
  });

  it('pauses every request until the Retry-After has passed', () => {
    const window = new CongestionWindow({ max: 4 });
    window.started(100);
    window.rateLimited(110, 100, 2000);
    expect(window.delayBefore(110)).toBe(2000);
    expect(window.delayBefore(1110)).toBe(1000);
    expect(window.delayBefore(2110)).toBe(0);
  });

  it('counts the 429s of requests already on their way as one event', () => {
    const window = new CongestionWindow({ max: 8 });
    window.rateLimited(100, 90, 1000);
    window.rateLimited(101, 95, 1000);
    window.rateLimited(102, 99, 1000);
    expect(window.window).toBe(4);
    expect(window.events).toBe(1);
    // A request started after the event began is a new one.
    window.rateLimited(1200, 1150, 1000);
    expect(window.window).toBe(2);
    expect(window.events).toBe(2);
  });

  it('grows back by one per window of successes, up to the largest window', () => {
    const window = new CongestionWindow({ max: 4 });
    window.rateLimited(10, 0, null);
    window.rateLimited(20, 15, null);
    expect(window.window).toBe(1);
    window.succeeded(0);
    expect(window.window).toBe(2);
    window.succeeded(0);
    expect(window.window).toBe(2);
    window.succeeded(0);
    expect(window.window).toBe(3);
    for (let i = 0; i < 100; i++) window.succeeded(0);
    expect(window.window).toBe(4);
  });

  it('paces requests a little under the rate the API served in the second before a 429, halving each second after the pause', () => {
    const window = new CongestionWindow({ max: 8 });
    // Busy for two seconds at 20 requests a second, then refused with Retry-After 1 s.
    for (let at = 0; at <= 1990; at += 50) {
      window.started(at);
      window.succeeded(at + 10);
    }
    window.rateLimited(2000, 1990, 1000);
    const pace = 1000 / (20 * 0.95);
    expect(window.paceAt(3000)).toBeCloseTo(pace, 5);
    window.started(3000);
    expect(window.delayBefore(3000)).toBeCloseTo(pace, 5);
    expect(window.delayBefore(3000 + pace)).toBe(0);
    expect(window.paceAt(4000)).toBeCloseTo(pace / 2, 5);
    expect(window.paceAt(60_000)).toBe(0);
  });

  it('learns no pace from a 429 after an idle stretch: the rate before it was not the API\'s', () => {
    const window = new CongestionWindow({ max: 8 });
    for (let at = 0; at <= 500; at += 50) {
      window.started(at);
      window.succeeded(at + 10);
    }
    window.started(5000);
    window.rateLimited(5010, 5000, 1000);
    expect(window.paceAt(5010)).toBe(0);
    expect(window.window).toBe(4);
  });
});

/**
 * A run in virtual time, one millisecond a step: requests start whenever a slot is free and the
 * window says go, each answered `latencyMs` later by `answer` (a 429's seconds of Retry-After, or
 * null). A refused request keeps its slot and starts again after its Retry-After, as the client
 * retries: when the pause ends if its 429 paused the run (the first time), else 250 ms later.
 * Returns the answers counted.
 */
function runFor(
  window: CongestionWindow,
  seconds: number,
  answer: (now: number, n: number) => number | null,
  latencyMs = 20,
): { served: number; refused: number } {
  interface Slot { startedAt: number; doneAt: number; retryAt: number | null; retried?: boolean }
  const slots: Slot[] = [];
  let served = 0;
  let refused = 0;
  let asked = 0;
  for (let now = 0; now < seconds * 1000; now++) {
    for (const slot of [...slots]) {
      if (slot.retryAt === null && slot.doneAt === now) {
        const retryAfter = answer(now, asked++);
        if (retryAfter === null) {
          served++;
          window.succeeded(now);
          slots.splice(slots.indexOf(slot), 1);
        } else {
          refused++;
          const paused = window.rateLimited(now, slot.startedAt, retryAfter * 1000);
          slot.retryAt = now + retryAfter * 1000 + (paused && slot.retried !== true ? 0 : 250);
          slot.retried = true;
        }
      }
    }
    const go = (slot: Slot): void => {
      window.started(now);
      Object.assign(slot, { startedAt: now, doneAt: now + latencyMs, retryAt: null });
    };
    for (const slot of slots) if (slot.retryAt !== null && slot.retryAt <= now && window.delayBefore(now) === 0) go(slot);
    while (slots.length < window.window && window.delayBefore(now) === 0) {
      const slot: Slot = { startedAt: now, doneAt: now, retryAt: null };
      slots.push(slot);
      go(slot);
    }
  }
  return { served, refused };
}

describe('CongestionWindow, a rate limit told from sporadic 429s', () => {
  it('lets the other requests go on after a lone 429 among successes, without shrinking the window', () => {
    const window = new CongestionWindow({ max: 8 });
    for (let at = 0; at <= 2000; at += 10) {
      window.started(at);
      window.succeeded(at + 5);
    }
    window.rateLimited(2010, 2000, 1000);
    expect(window.delayBefore(2010)).toBeLessThan(50);
    expect(window.window).toBe(8);
  });

  it('keeps most of its speed when one request in 30 is answered 429 at random, whatever the pace', () => {
    const window = new CongestionWindow({ max: 8 });
    // Unhindered, 8 slots at 20 ms serve 400 requests a second.
    const { served, refused } = runFor(window, 20, (_now, n) => (n % 30 === 29 ? 1 : null));
    // Each refused request holds its slot for 1.25 s: 8 slots serve about 130 a second at most
    // (2,600 in 20 s). Pausing every request for each 429 served 347.
    expect(refused).toBeGreaterThan(50);
    expect(served).toBeGreaterThan(1500);
  });

  it('under a 20 requests/s token bucket, keeps close to its rate with few 429s', () => {
    const window = new CongestionWindow({ max: 8 });
    const bucket = createTokenBucket(20, 0);
    // At 100 ms a request: 8 slots could ask 80 a second.
    const { served, refused } = runFor(window, 30, (now) => bucket.take(now), 100);
    // The bucket lets through 20 at once and 20 a second: 620 in 30 s at most.
    expect(served).toBeGreaterThan(0.85 * 620);
    expect(refused / (served + refused)).toBeLessThanOrEqual(0.05);
    // Read from the run's resume after each pause, and again over the whole stretch when a probe
    // above it empties the bucket: within a few percent (counted from the event before, 19.0).
    expect(window.rateAt(30_000).api).toBeGreaterThan(19.4);
    expect(window.rateAt(30_000).api).toBeLessThan(20.6);
  });

  it('reads the API\'s rate from when the run resumed, so a pause its bucket sat full through does not lower it', () => {
    const window = new CongestionWindow({ max: 8 });
    const bucket = createTokenBucket(20, 0);
    // A Retry-After of 2 s: the bucket refills in one and sits full for the other.
    runFor(window, 10, (now) => (bucket.take(now) === null ? null : 2), 100);
    // Counted from the event before, over the pause, it read 13.3.
    expect(window.rateAt(10_000).api).toBeGreaterThan(19.4);
    expect(window.rateAt(10_000).api).toBeLessThan(20.6);
  });

  it('tells its caller which 429s paused every request: a burst of them, not a lone one among successes', () => {
    const window = new CongestionWindow({ max: 8 });
    for (let at = 0; at <= 2000; at += 10) {
      window.started(at);
      window.succeeded(at + 5);
    }
    expect(window.rateLimited(2010, 2000, 1000)).toBe(false);
    for (let at = 2011; at <= 2020; at++) window.started(at);
    const paused = [2021, 2022, 2023, 2024].map((at) => window.rateLimited(at, at - 10, 1000));
    // Half of the last 8 answers within a second refused: the API is limiting the run's rate.
    expect(paused).toEqual([false, false, true, true]);
    expect(window.delayBefore(2024)).toBe(1000);
  });
});
