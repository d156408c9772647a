import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, LIMIT_SPECS, resolveLimits } from '../../src/events/limits.js';
import { createValidator, type ValidationResult } from '../../src/events/validate.js';
import { caseCreated } from '../helpers/events.js';

const RECEIVED_AT = Date.UTC(2026, 11, 5, 12);

function reason(result: ValidationResult): string {
  if (result.ok) throw new Error('expected a rejection');
  return result.rejected.reason;
}

describe('event limits', () => {
  it('are all documented in docs/events.md with their config key and environment variable', () => {
    const docs = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    for (const spec of Object.values(LIMIT_SPECS)) {
      expect(docs).toContain(`\`${spec.configKey}\``);
      expect(docs).toContain(`\`${spec.env}\``);
    }
  });

  it('take the deployment values, and name them in the rejection', () => {
    const validate = createValidator({ limits: { maxDepth: 3, maxAttrsKeys: 2, tsMaxAheadMs: 0 } });
    expect(validate(caseCreated(1, { attrs: { a: { b: 1 } } }), 0, RECEIVED_AT).ok).toBe(true);
    expect(reason(validate(caseCreated(1, { attrs: { a: { b: {} } } }), 0, RECEIVED_AT))).toBe(
      'attrs: nested deeper than the limit of 3 levels (limits.maxDepth, LOOPWATCH_MAX_DEPTH)',
    );
    const short = createValidator({ limits: { maxStringLength: 30 } });
    expect(short(caseCreated(1, { note: 'x'.repeat(30) }), 0, RECEIVED_AT).ok).toBe(true);
    expect(reason(short(caseCreated(1, { note: 'x'.repeat(31) }), 0, RECEIVED_AT))).toMatch(/^note: a string of 31 characters is over the limit of 30 characters/);
    expect(reason(validate(caseCreated(1, { attrs: { a: 1 }, b: 2, c: 3 }), 0, RECEIVED_AT))).toMatch(/limits\.maxAttrsKeys/);
    expect(reason(validate(caseCreated(1), 0, Date.parse(caseCreated(1).ts) - 1))).toMatch(/ahead of the receiving time .* by more than the limit of 0 ms/);
    expect(validate(caseCreated(1), 0, Date.parse(caseCreated(1).ts)).ok).toBe(true);
  });

  it('measure attrs as the UTF-8 JSON that is stored, not as characters', () => {
    // 40,000 three-byte characters: 40,000 code units, but 120,000 bytes
    const validate = createValidator({ limits: { maxAttrsBytes: 100_000 } });
    expect(reason(validate(caseCreated(1, { attrs: { a: '€'.repeat(40_000) } }), 0, RECEIVED_AT))).toMatch(
      /^attrs: attrs \(with the unknown fields stored in it\) is larger \(120,008 bytes as JSON\) than the limit of 100,000 bytes/,
    );
    expect(validate(caseCreated(1, { attrs: { a: '€'.repeat(30_000) } }), 0, RECEIVED_AT).ok).toBe(true);
  });

  it('refuse a setting that is not a non-negative integer, naming its key', () => {
    expect(() => resolveLimits({ maxDepth: -1 })).toThrow('limits.maxDepth must be a non-negative integer, got -1');
    expect(() => resolveLimits({ maxAttrsBytes: 1.5 })).toThrow(/limits\.maxAttrsBytes/);
    expect(resolveLimits({})).toEqual(DEFAULT_LIMITS);
  });

  it('reject a cyclic or 100,000-deep value without recursion', () => {
    const validate = createValidator();
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(reason(validate(caseCreated(1, { x: deep }), 0, RECEIVED_AT))).toMatch(/^x: nested deeper than the limit of 32 levels/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(reason(validate(caseCreated(1, { attrs: cyclic }), 0, RECEIVED_AT))).toMatch(/^attrs: nested deeper/);
  });
});
