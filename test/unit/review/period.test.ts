import { describe, expect, it } from 'vitest';
import { parsePeriod, previousPeriod, windowsOf } from '../../../src/review/period.js';

const iso = (d: Date) => d.toISOString();

describe('review periods', () => {
  it('reads a month, with the month before as its comparison', () => {
    const p = parsePeriod('2026-11');
    expect([iso(p.from), iso(p.to), p.bucket]).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', 'day']);
    const prev = previousPeriod(p);
    expect([prev.label, iso(prev.from), iso(prev.to)]).toEqual(['2026-10', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    expect(previousPeriod(parsePeriod('2026-01')).label).toBe('2025-12');
  });

  it('reads a quarter by weeks, the quarter before across a year', () => {
    const p = parsePeriod('2026-q4');
    expect([p.label, iso(p.from), iso(p.to), p.bucket]).toEqual(['2026-Q4', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'week']);
    expect(previousPeriod(parsePeriod('2026-Q1')).label).toBe('2025-Q4');
  });

  it('reads a range of dates or instants, the same length before it as comparison', () => {
    const p = parsePeriod('2026-11-02..2026-11-06');
    expect([iso(p.from), iso(p.to), p.kind]).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-06T00:00:00.000Z', 'range']);
    expect(iso(previousPeriod(p).from)).toBe('2026-10-29T00:00:00.000Z');
    expect(iso(parsePeriod('2026-11-02T12:00:00+02:00..2026-11-03T00:00:00Z').from)).toBe('2026-11-02T10:00:00.000Z');
  });

  it('refuses what it cannot read, saying what it expects', () => {
    for (const bad of ['2026-13', '2026-Q5', 'november', '2026-11-06..2026-11-02', '2026-11-02..soon']) {
      expect(() => parsePeriod(bad), bad).toThrow(/period|range|expected/);
    }
  });

  it('splits a period into windows that cover it exactly', () => {
    const w = windowsOf(parsePeriod('2026-11'), 7);
    expect(w).toHaveLength(5);
    expect(iso(w[0].from)).toBe('2026-11-01T00:00:00.000Z');
    expect(iso(w[4].to)).toBe('2026-12-01T00:00:00.000Z');
    for (let i = 1; i < w.length; i++) expect(w[i].from).toEqual(w[i - 1].to);
  });
});
