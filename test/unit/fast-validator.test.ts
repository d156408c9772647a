import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { compileFastCheck } from '../../src/events/fast-check.js';
import { resolveLimits } from '../../src/events/limits.js';
import { buildEventSchemas } from '../../src/events/schemas.js';
import { createValidator } from '../../src/events/validate.js';
import { DEFAULT_REASON_CODES, EVENT_TYPES } from '../../src/events/vocabulary.js';
import { smallJson, validEventArbitraries } from '../helpers/event-arbitraries.js';
import { eventMutations } from '../helpers/event-mutations.js';

/**
 * Differential: the compiled fast path (src/events/fast-check.ts) must decide exactly as zod
 * does. The validator with the fast path and the zod-only reference give the same answer,
 * accepted row or rejection reason, on valid events, on the fuzz suite's mutations, and on
 * small edits near the schema's edges (a field replaced by any JSON value, by a boundary value,
 * removed, or an unknown field added).
 */
const RECEIVED_AT = Date.UTC(2026, 11, 5, 12);
const fast = createValidator();
const reference = createValidator({ fastPath: false });
const anyValid = fc.oneof(...EVENT_TYPES.map((t) => validEventArbitraries(RECEIVED_AT)[t]));

const edgeValue = fc.oneof(
  smallJson,
  fc.constantFrom(0, 1, 2, 3, 4, -1, 0.5, 1.5, 1e-300, Number.MAX_SAFE_INTEGER + 2, '', 'x', true, false, null, [], {}, ['']),
  fc.constantFrom('2026-12-05T11:00:00z', '2026-12-05t11:00:00Z', '2026-02-30T00:00:00Z', '2026-12-05T11:00:00', 'pass', 'fail', 'approve', 'other'),
  fc.integer({ min: 250, max: 260 }).map((n) => 'a'.repeat(n)),
  fc.record({ id: fc.constantFrom('g', ''), checks: fc.dictionary(fc.constantFrom('a', '', '__proto__'), fc.constantFrom('pass', 'nope', null)) }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.double(), fc.string({ maxLength: 3 }), fc.constant(null))),
);

const edit = fc.oneof(
  fc.tuple(fc.nat(), edgeValue).map(([k, v]) => (e: Record<string, unknown>) => {
    const keys = Object.keys(e);
    return { ...e, [keys[k % keys.length]]: v };
  }),
  fc.nat().map((k) => (e: Record<string, unknown>) => {
    const keys = Object.keys(e);
    const copy = { ...e };
    delete copy[keys[k % keys.length]];
    return copy;
  }),
  fc.tuple(fc.constantFrom('extra', 'attrs', 'tier', 'gate', 'features', 'level', 'from_level', 'to_level', 'sampling_rate', '__proto__'), edgeValue).map(
    ([k, v]) => (e: Record<string, unknown>) => JSON.parse(JSON.stringify({ ...e, [k]: v }).replace('"__proto__"', '"__proto__"')),
  ),
);

function same(event: unknown, index: number): void {
  expect(fast(event, index, RECEIVED_AT)).toEqual(reference(event, index, RECEIVED_AT));
}

describe('fast validator against zod (fast-check)', () => {
  it('compiles a fast test for every event type, and it accepts most valid events', () => {
    const limits = resolveLimits();
    const schemas = buildEventSchemas({ reasonCodes: DEFAULT_REASON_CODES, maxFeatures: limits.maxFeatures });
    const checks = Object.fromEntries(Object.entries(schemas).map(([t, s]) => [t, compileFastCheck(s as z.ZodType, limits, true)]));
    for (const type of EVENT_TYPES) expect(checks[type], type).not.toBeNull();
    // not all: a field a nested object does not declare (stripped by zod) is left to zod
    let accepted = 0;
    fc.assert(
      fc.property(anyValid, (event) => {
        const withoutNulls = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== null));
        if (checks[event.type as string]!(withoutNulls, 1)) accepted++;
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(1500);
  });

  it('stores a sampling.changed with an undeclared field alike on both paths (attrs in the contract order)', () => {
    // found by the property below once sampling.changed joined the contract: its column-less
    // fields reached attrs in input order on the fast path and in schema order through zod
    const event = { ' ': [], event_id: 'e', ts: '2000-01-01T00:00:00+00:00', workflow: 'w', type: 'sampling.changed', from_state: 'normal', to_state: 'normal', from_rate: 0, to_rate: 0, cause: 'drift' };
    same(event, 0);
    same(Object.assign({ to_rate: 0.2, from_rate: 0.05 }, event, { attrs: { from_state: 'stray' } }), 1);
  });

  it('gives the same answer as zod on valid events', () => {
    fc.assert(fc.property(anyValid, fc.nat(1000), (event, index) => same(event, index)), { numRuns: 3000 });
  });

  it('gives the same answer as zod on the fuzz suite mutations', () => {
    fc.assert(fc.property(anyValid, eventMutations(RECEIVED_AT), (event, mutate) => same(mutate(event), 7)), { numRuns: 3000 });
  });

  it('gives the same answer as zod on small edits at the edges of the schema', () => {
    fc.assert(
      fc.property(anyValid, fc.array(edit, { minLength: 1, maxLength: 3 }), (event, edits) => same(edits.reduce((e, f) => f(e) as Record<string, unknown>, event), 3)),
      { numRuns: 6000 },
    );
  });

  it('takes the JSON text as parsed, an own __proto__ key included', () => {
    const e = JSON.parse('{"event_id":"p1","type":"case.created","ts":"2026-12-01T00:00:00Z","case_id":"c","workflow":"w","tier":1,"features":{"__proto__":{"a":1},"b":2}}');
    same(e, 0);
    same({ ...JSON.parse('{"__proto__":5}'), event_id: 'p2', type: 'incident.reported', ts: '2026-12-01T00:00:00Z', severity: 'sev1' }, 0);
  });

  it('still leaves the decision to zod under tighter limits', () => {
    const tight = { maxStringLength: 8, maxDepth: 2, maxFeatures: 1 };
    const f = createValidator({ limits: tight });
    const r = createValidator({ limits: tight, fastPath: false });
    fc.assert(
      fc.property(anyValid, fc.array(edit, { maxLength: 2 }), (event, edits) => {
        const e = edits.reduce((x, g) => g(x) as Record<string, unknown>, event);
        expect(f(e, 0, RECEIVED_AT)).toEqual(r(e, 0, RECEIVED_AT));
      }),
      { numRuns: 2000 },
    );
  });
});
