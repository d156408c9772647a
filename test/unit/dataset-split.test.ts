import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportOptionsSchema } from '../../src/feedback/datasets/options.js';
import { noRedactions, redactText } from '../../src/feedback/datasets/privacy.js';
import { SeenInputs } from '../../src/feedback/datasets/seen-inputs.js';
import { splitOf, splitPosition } from '../../src/feedback/datasets/split.js';

const SPEC = { train: 80, validation: 10, test: 10 };
const caseId = fc.string({ minLength: 1, maxLength: 40 });

describe('dataset split', () => {
  it('a case keeps its split as data grows: assigning a larger set never moves a case of the smaller one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(caseId, { maxLength: 200 }), fc.uniqueArray(caseId, { maxLength: 200 }), fc.string({ minLength: 1 }), (before, added, key) => {
        const first = new Map(before.map((id) => [id, splitOf(SPEC, key, id)]));
        // the grown set, in another order, as a later export reads it
        const grown = [...added, ...before].reverse();
        const second = new Map(grown.map((id) => [id, splitOf(SPEC, key, id)]));
        for (const [id, part] of first) expect(second.get(id)).toBe(part);
      }),
    );
  });

  it('follows the percentages: 100,000 ids fall into 80/10/10 within sampling error (chi-square, 2 df, p > 0.001)', () => {
    const counts = { train: 0, validation: 0, test: 0 };
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[splitOf(SPEC, 'k', `case-${i}`)]++;
    const chi2 = (['train', 'validation', 'test'] as const).reduce((s, p) => s + (counts[p] - (n * SPEC[p]) / 100) ** 2 / ((n * SPEC[p]) / 100), 0);
    // the 0.999 quantile of chi-square with 2 degrees of freedom is 13.8155 (-2 ln 0.001)
    expect(chi2).toBeLessThan(13.8155);
  });

  it('depends on the key: another key reshuffles', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const moved = ids.filter((id) => Math.abs(splitPosition('k1', id) - splitPosition('k2', id)) > 1e-9).length;
    expect(moved).toBe(1000);
  });

  it('takes 80/10/10 and 90/10, refuses percentages that do not add up to 100', () => {
    expect(exportOptionsSchema.parse({ format: 'jsonl', split: '90/10' }).split).toEqual({ train: 90, validation: 0, test: 10 });
    expect(exportOptionsSchema.safeParse({ format: 'jsonl', split: '80/10/5' }).success).toBe(false);
    expect(exportOptionsSchema.safeParse({ format: 'jsonl', part: 'train' }).success).toBe(false);
    expect(exportOptionsSchema.safeParse({ format: 'chat', flavor: 'trl' }).success).toBe(false);
  });
});

describe('dataset privacy and de-duplication', () => {
  it('redacts what looks like personal data and leaves ordinary numbers', () => {
    const counts = noRedactions();
    const text = redactText('a.b@c.io, (415) 555-0100, +44 20 7946 0958, 5500-0000-0000-0004; amount 355.84 USD, ticket 300001, 2026-11-28', counts);
    expect(text).toBe('[EMAIL], [PHONE], [PHONE], [CARD]; amount 355.84 USD, ticket 300001, 2026-11-28');
    expect(counts).toEqual({ email: 1, phone: 2, card: 1 });
  });

  it('remembers inputs by workflow across table growth', () => {
    const seen = new SeenInputs();
    for (let i = 0; i < 20_000; i++) expect(seen.seen('wf', `input ${i}`)).toBe(false);
    for (let i = 0; i < 20_000; i++) expect(seen.seen('wf', `input ${i}`)).toBe(true);
    expect(seen.seen('other', 'input 1')).toBe(false);
  });
});
