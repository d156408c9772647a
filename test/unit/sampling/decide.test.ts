import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseRandomness, decide, rejectionThreshold, thresholdRate } from '../../../src/feedback/sampling/decide.js';
import { requirePython, runPythonJson } from '../../helpers/python.js';

const caseId = fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' });
const rate = fc.double({ min: 0, max: 1, noNaN: true });

describe('decide: consistent probability sampling of case ids', () => {
  it('is monotone: a case sampled at a rate is sampled at every higher rate', () => {
    fc.assert(
      fc.property(caseId, rate, rate, (id, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        if (decide(id, lo)) expect(decide(id, hi)).toBe(true);
        // and the thresholds themselves are ordered
        expect(rejectionThreshold(hi) <= rejectionThreshold(lo)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic and samples everything at 1 and nothing at 0', () => {
    fc.assert(
      fc.property(caseId, rate, (id, r) => {
        expect(decide(id, r)).toBe(decide(id, r));
        expect(decide(id, 1)).toBe(true);
        expect(decide(id, 0)).toBe(false);
      }),
    );
  });

  it('samples the rate asked for: the share of 20 000 ids is within 4.5 binomial standard errors', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.string({ maxLength: 8 }), (r, prefix) => {
        const n = 20_000;
        let k = 0;
        for (let i = 0; i < n; i++) if (decide(`${prefix}case-${i}`, r)) k++;
        expect(Math.abs(k / n - r)).toBeLessThan(4.5 * Math.sqrt((r * (1 - r)) / n));
      }),
      { numRuns: 25 },
    );
  });

  it('uses the thresholds of the OpenTelemetry probability-sampling table (th values, precision 4)', () => {
    // specification/trace/tracestate-probability-sampling.md: 1-in-N probability -> threshold hex
    expect(rejectionThreshold(0.5).toString(16)).toBe('80000000000000');
    expect(rejectionThreshold(0.25).toString(16)).toBe('c0000000000000');
    expect(rejectionThreshold(0.0625).toString(16)).toBe('f0000000000000');
    expect(rejectionThreshold(0.1).toString(16).slice(0, 4)).toBe('e666');
    expect(rejectionThreshold(0.01).toString(16).slice(0, 4)).toBe('fd70');
    expect(thresholdRate(rejectionThreshold(0.2))).toBeCloseTo(0.2, 15);
    expect(rejectionThreshold(1)).toBe(0n);
    expect(rejectionThreshold(0)).toBe(2n ** 56n);
    expect(() => rejectionThreshold(1.5)).toThrow(RangeError);
  });

  it('agrees with an independent computation in Python (hashlib SHA-256, exact fractions)', () => {
    requirePython(['hashlib', 'fractions', 'math']);
    const ids = Array.from({ length: 300 }, (_, i) => `case-${i * 7919}-é`);
    const rates = [0.01, 0.05, 0.2, 0.5, 0.9];
    const script = `
import hashlib, json, sys, math
from fractions import Fraction
q = json.load(sys.stdin)
out = []
for cid in q['ids']:
    r = int.from_bytes(hashlib.sha256(cid.encode('utf-8')).digest()[:7], 'big')
    row = [r >= math.ceil((1 - Fraction(p)) * 2**56) for p in q['rates']]
    out.append({'r': str(r), 'sample': row})
print(json.dumps(out))`;
    const py = runPythonJson<{ r: string; sample: boolean[] }[]>(['-c', script], { ids, rates });
    ids.forEach((id, i) => {
      expect(caseRandomness(id).toString()).toBe(py[i].r);
      expect(rates.map((p) => decide(id, p))).toEqual(py[i].sample);
    });
  });
});
