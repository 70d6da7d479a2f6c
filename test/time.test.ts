import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { timeFlag } from '../src/time.js';

describe('timeFlag, the one time grammar of every flag', () => {
  it('reads a date as the first instant of that UTC day for --from, and of the next day for --to', () => {
    expect(timeFlag('2026-09-01', '--from', 'start')).toBe('2026-09-01T00:00:00.000Z');
    expect(timeFlag('2026-09-30', '--to', 'end')).toBe('2026-10-01T00:00:00.000Z');
    expect(timeFlag('2024-02-29', '--to', 'end')).toBe('2024-03-01T00:00:00.000Z');
  });

  it('reads date-times with Z, an offset, or no zone (UTC), and cuts digits below the millisecond', () => {
    expect(timeFlag('2026-09-01T09:30:00Z', '--from', 'start')).toBe('2026-09-01T09:30:00.000Z');
    expect(timeFlag('2026-09-01T09:30:00+02:00', '--from', 'start')).toBe('2026-09-01T07:30:00.000Z');
    expect(timeFlag('2026-09-01T00:15-05:30', '--to', 'end')).toBe('2026-09-01T05:45:00.000Z');
    expect(timeFlag('2026-09-01 09:30', '--from', 'start')).toBe('2026-09-01T09:30:00.000Z');
    expect(timeFlag('2026-09-01T09:30:00.123456Z', '--from', 'start')).toBe('2026-09-01T09:30:00.123Z');
    expect(timeFlag('2026-09-01T09:30+0200', '--from', 'start')).toBe('2026-09-01T07:30:00.000Z');
    // The same grammar for export's flags as for report's: minutes without seconds or zone.
    expect(timeFlag('2026-09-01T09:30', '--started-from')).toBe('2026-09-01T09:30:00.000Z');
  });

  it('is null when the flag is absent', () => {
    expect(timeFlag(undefined, '--from', 'start')).toBeNull();
  });

  for (const bad of ['', 'yesterday', '2026-9-1', '2026-02-29', '2026-13-01', '2026-00-10', '2026-09-31', '2026-09-01T24:00Z',
    '2026-09-01T09:60Z', '2026-09-01T09:30:61Z', '2026-09-01T09:30+24:00', '0000-01-01', '1700000000', '2026-09-01T09']) {
    it(`rejects ${JSON.stringify(bad)} with an error naming the flag`, () => {
      expect(() => timeFlag(bad, '--from', 'start')).toThrow(UsageError);
      expect(() => timeFlag(bad, '--from', 'start')).toThrow(/^--from must be a date \(2026-04-20\) or a date-time/);
    });
  }

  it('rejects a flag given twice', () => {
    expect(() => timeFlag(['2026-09-01', '2026-09-02'], '--to', 'end')).toThrow(/--to was given more than once/);
  });
});

