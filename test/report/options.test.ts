import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { reportConfig } from '../../src/report/options.js';
import { nearestRank } from '../../src/report/queries.js';

describe('reportConfig', () => {
  it('settles the filters, lower-casing the persona id', () => {
    const config = reportConfig({ from: '2026-09-01', to: '2026-09-01', 'persona-id': 'DA452A4D-E44A-44A7-8C53-1E24114DACA6', json: true }, {});
    expect(config.filters).toEqual({
      from: '2026-09-01T00:00:00.000Z',
      to: '2026-09-02T00:00:00.000Z',
      personaId: 'da452a4d-e44a-44a7-8c53-1e24114daca6',
    });
    expect(config.json).toBe(true);
    expect(config.html).toBeNull();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses an empty range', () => {
    expect(() => reportConfig({ from: '2026-09-02', to: '2026-09-01' }, {})).toThrow(/--from 2026-09-02 must be before --to 2026-09-01/);
    expect(() => reportConfig({ from: '2026-09-01T10:00Z', to: '2026-09-01T10:00Z' }, {})).toThrow(UsageError);
  });
});

describe('nearestRank', () => {
  it('is ceil(p·n/100), exactly, for every n', () => {
    for (let n = 1; n <= 2000; n++) {
      for (const p of [50, 90, 99]) expect(nearestRank(p, n)).toBe(Math.ceil((p * n) / 100));
    }
    expect(nearestRank(50, 1)).toBe(1);
    expect(nearestRank(99, 100)).toBe(99);
    expect(nearestRank(99, 101)).toBe(100);
  });
});
