import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/simulate/rate-limit.js';

describe('the simulator token bucket', () => {
  it('lets one second of requests through at once, then refuses with the whole seconds to wait', () => {
    const bucket = createTokenBucket(20, 0);
    for (let i = 0; i < 20; i++) expect(bucket.take(0)).toBeNull();
    expect(bucket.take(0)).toBe(1);
  });

  it('refills at the rate: one more request every 1/rate seconds', () => {
    const bucket = createTokenBucket(10, 0);
    for (let i = 0; i < 10; i++) bucket.take(0);
    expect(bucket.take(50)).toBe(1);
    expect(bucket.take(100)).toBeNull();
    expect(bucket.take(100)).toBe(1);
  });

  it('holds at most one second of tokens however long it was idle', () => {
    const bucket = createTokenBucket(5, 0);
    const served = Array.from({ length: 10 }, () => bucket.take(3_600_000)).filter((wait) => wait === null).length;
    expect(served).toBe(5);
  });

  it('announces more than a second below one request per second', () => {
    const bucket = createTokenBucket(0.25, 0);
    expect(bucket.take(0)).toBeNull();
    expect(bucket.take(0)).toBe(4);
  });
});
