import { describe, expect, it } from 'vitest';
import { CongestionWindow } from '../../src/api/congestion.js';

describe('CongestionWindow', () => {
  it('starts at the largest window, without a pause or a pace', () => {
    const window = new CongestionWindow({ max: 8 });
    expect(window.window).toBe(8);
    expect(window.delayBefore(0)).toBe(0);
    expect(window.paceMs).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('rejects max %s, naming the option', (max) => {
    expect(() => new CongestionWindow({ max })).toThrow('`max`');
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
    window.succeeded();
    expect(window.window).toBe(2);
    window.succeeded();
    expect(window.window).toBe(2);
    window.succeeded();
    expect(window.window).toBe(3);
    for (let i = 0; i < 100; i++) window.succeeded();
    expect(window.window).toBe(4);
  });

  it('paces requests a little under the rate the API served between two 429s, and eases with successes', () => {
    const window = new CongestionWindow({ max: 8 });
    window.rateLimited(1000, 999, 1000);
    // 20 served in the second after the first event: 20 per second, paced at 1 / (0.95 x 20/s).
    for (let i = 0; i < 20; i++) window.succeeded();
    window.rateLimited(2000, 1999, 1000);
    const pace = window.paceMs;
    expect(pace).toBeCloseTo(1000 / 19, 0);
    window.started(3000);
    expect(window.delayBefore(3000)).toBeCloseTo(pace, 5);
    expect(window.delayBefore(3000 + pace)).toBe(0);
    for (let i = 0; i < 200; i++) window.succeeded();
    expect(window.paceMs).toBeLessThan(pace / 2);
  });
});
