import { describe, expect, it } from 'vitest';
import { formatCell, formatDuration, formatKey, formatNumber } from '../../src/metrics/report-format.js';
import { clip, wrap } from '../../src/metrics/report-table.js';

describe('report values', () => {
  it('writes durations with units, two at most', () => {
    expect([0.25, 4.2, 42, 59.7, 725, 40_860, 40_870, 277_200].map(formatDuration)).toEqual([
      '250 ms',
      '4.2 s',
      '42 s',
      '1m 0s',
      '12m 5s',
      '11h 21m',
      '11h 21m',
      '3d 5h',
    ]);
  });

  it('writes numbers to three significant digits with separators and never an exponent', () => {
    expect([0.05379, 14_300.2, 40_870, 9.125, 2.663, 0.0004, 0, 1_234_567].map(formatNumber)).toEqual([
      '0.0538',
      '14,300',
      '40,870',
      '9.13',
      '2.66',
      '<0.001',
      '0',
      '1,234,567',
    ]);
  });

  it('reads the unit from the field name and the shape', () => {
    expect(formatCell(40_870, 'oldest_age_seconds').text).toBe('11h 21m');
    expect(formatCell(2411.3, 'seconds_per_decision.p90').text).toBe('40m 11s');
    expect(formatCell(107, 'seconds_per_decision.timed').text).toBe('107');
    expect(formatCell(0.193, 'approve_rate').text).toBe('19.3%');
    expect(formatCell({ value: 0.193, numerator: 1930, denominator: 10_000, ci95: [0.182, 0.204] }, 'override_rate').text).toBe(
      '19.3% [18.2–20.4] 1,930/10,000',
    );
    expect(formatCell({ value: 0.029, ci95: [0.011, 0.072], audits: 138 }, 'false_accept_rate').text).toBe('2.9% [1.1–7.2] n=138');
    expect(formatCell({ value: 0.9266, n: 381, ci95: [0.9009, 0.9534], note: null }, 'gwet_ac1').text).toBe('0.927 [0.901–0.953] n=381');
    expect(formatCell({ value: null, n: 0, ci95: null, note: 'too few items' }, 'fleiss_kappa')).toEqual({ text: '—', note: 'too few items' });
  });

  it('writes time buckets as a day or an hour', () => {
    expect(formatKey('2026-11-28T00:00:00.000Z')).toBe('2026-11-28');
    expect(formatKey('2026-11-28T14:00:00.000Z')).toBe('2026-11-28 14:00Z');
    expect(formatKey(null)).toBe('(none)');
    expect(formatKey('finance_adjustments')).toBe('finance_adjustments');
  });

  it('cuts and wraps to a width', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    const lines = wrap('ctl: 3 — case-1, case-22, case-333, case-4444', 20, '  ', '    ');
    expect(lines).toEqual(['  ctl: 3 — case-1,', '    case-22,', '    case-333,', '    case-4444']);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
  });
});
