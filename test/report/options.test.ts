import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { reportConfig, timeBound } from '../../src/report/options.js';
import { nearestRank } from '../../src/report/queries.js';

describe('timeBound', () => {
  it('reads a date as the first instant of that UTC day for --from, and of the next day for --to', () => {
    expect(timeBound('2026-09-01', '--from', 'start')).toBe('2026-09-01T00:00:00.000Z');
    expect(timeBound('2026-09-30', '--to', 'end')).toBe('2026-10-01T00:00:00.000Z');
    expect(timeBound('2024-02-29', '--to', 'end')).toBe('2024-03-01T00:00:00.000Z');
  });

  it('reads date-times with Z, an offset, or no zone (UTC), and cuts digits below the millisecond', () => {
    expect(timeBound('2026-09-01T09:30:00Z', '--from', 'start')).toBe('2026-09-01T09:30:00.000Z');
    expect(timeBound('2026-09-01T09:30:00+02:00', '--from', 'start')).toBe('2026-09-01T07:30:00.000Z');
    expect(timeBound('2026-09-01T00:15-05:30', '--to', 'end')).toBe('2026-09-01T05:45:00.000Z');
    expect(timeBound('2026-09-01 09:30', '--from', 'start')).toBe('2026-09-01T09:30:00.000Z');
    expect(timeBound('2026-09-01T09:30:00.123456Z', '--from', 'start')).toBe('2026-09-01T09:30:00.123Z');
  });

  it('is null when the flag is absent', () => {
    expect(timeBound(undefined, '--from', 'start')).toBeNull();
  });

  for (const bad of ['', 'yesterday', '2026-9-1', '2026-02-29', '2026-13-01', '2026-00-10', '2026-09-31', '2026-09-01T24:00Z',
    '2026-09-01T09:60Z', '2026-09-01T09:30:61Z', '2026-09-01T09:30+19:00', '0000-01-01', '1700000000']) {
    it(`rejects ${JSON.stringify(bad)} with an error naming the flag`, () => {
      expect(() => timeBound(bad, '--from', 'start')).toThrow(UsageError);
      expect(() => timeBound(bad, '--from', 'start')).toThrow(/^--from must be an ISO date/);
    });
  }

  it('rejects a flag given twice', () => {
    expect(() => timeBound(['2026-09-01', '2026-09-02'], '--to', 'end')).toThrow(/--to was given more than once/);
  });
});

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
