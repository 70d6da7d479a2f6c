import { describe, expect, it } from 'vitest';
import { CongestionWindow } from '../../src/api/congestion.js';
import { UsageError } from '../../src/errors.js';

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
