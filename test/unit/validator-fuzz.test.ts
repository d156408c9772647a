import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/events/limits.js';
import { createValidator, type ValidationResult } from '../../src/events/validate.js';
import { EVENT_TYPES } from '../../src/events/vocabulary.js';
import { smallJson, timestampArb, validEventArbitraries } from '../helpers/event-arbitraries.js';

/**
 * Property-based: every event the contract allows is accepted; every mutation that breaks it
 * (deep nesting, huge strings, wrong types, missing fields, timestamps outside the window,
 * oversized attrs, random JSON) is rejected with its index and a reason, and nothing throws.
 */
const RECEIVED_AT = Date.UTC(2026, 11, 5, 12);
const validate = createValidator();
const anyValid = fc.oneof(...EVENT_TYPES.map((t) => validEventArbitraries(RECEIVED_AT)[t]));
const tried = { valid: 0, mutated: 0, batches: 0, batchEvents: 0 };

afterAll(() => {
  // the figures the issue's closing note asks for
  console.log(`validator fuzz: ${tried.valid} valid events, ${tried.mutated} mutated events, ${tried.batches} mixed batches of ${tried.batchEvents} events`);
});

function nestedValue(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

type Mutation = (e: Record<string, unknown>) => unknown;

/** Each yields an event the contract must refuse. */
const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.integer({ min: DEFAULT_LIMITS.maxDepth, max: 6000 }), fc.boolean()).map(
    ([depth, inAttrs]): Mutation =>
      (e) => (inAttrs ? { ...e, attrs: { deep: nestedValue(depth) } } : { ...e, zz_unknown: nestedValue(depth) }),
  ),
  fc.tuple(fc.integer({ min: DEFAULT_LIMITS.maxStringLength + 1, max: 300_000 }), fc.constantFrom('attrs', 'extra', 'event_id', 'case_id', 'key')).map(
    ([n, where]): Mutation =>
      (e) => {
        const big = 'x'.repeat(n);
        if (where === 'attrs') return { ...e, attrs: { note: [big] } };
        if (where === 'extra') return { ...e, extra_field: big };
        if (where === 'key') return { ...e, attrs: { [big]: 1 } };
        return { ...e, [where]: big };
      },
  ),
  fc.integer({ min: DEFAULT_LIMITS.maxAttrsKeys + 1, max: 5000 }).map(
    (n): Mutation =>
      (e) => ({ ...e, attrs: { many: Array.from({ length: n }, (_, i) => i) } }),
  ),
  fc.tuple(fc.constantFrom('event_id', 'type', 'ts'), fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(null))).map(
    ([field, value]): Mutation =>
      (e) => ({ ...e, [field]: value }),
  ),
  fc.constantFrom('event_id', 'ts', 'type').map((field): Mutation => (e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== field))),
  fc.oneof(timestampArb(RECEIVED_AT, Date.UTC(1, 0, 1), Date.UTC(2000, 0, 1) - 1000), timestampArb(RECEIVED_AT, RECEIVED_AT + 86_400_000 + 1000, Date.UTC(9999, 11, 31))).map(
    (ts): Mutation =>
      (e) => ({ ...e, ts }),
  ),
  fc.string({ minLength: 1, maxLength: 20 }).filter((t) => !(EVENT_TYPES as readonly string[]).includes(t)).map((type): Mutation => (e) => ({ ...e, type })),
  smallJson.map((j): Mutation => () => j),
  fc.anything().map((a): Mutation => () => a),
);

function expectRejected(result: ValidationResult, index: number): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.rejected.index).toBe(index);
  expect(result.rejected.reason.length).toBeGreaterThan(0);
  expect(result.rejected.issues.length).toBeGreaterThan(0);
}

describe('validator properties (fast-check)', () => {
  it('accepts every valid event of every type', () => {
    fc.assert(
      fc.property(anyValid, fc.nat(1_000_000), (event, index) => {
        tried.valid++;
        const result = validate(event, index, RECEIVED_AT);
        if (!result.ok) throw new Error(`rejected ${JSON.stringify(event)}: ${result.rejected.reason}`);
        expect(result.row.event_id).toBe(event.event_id);
      }),
      { numRuns: 4000 },
    );
  });

  it('rejects every mutated event with its index and a reason, and never throws', () => {
    fc.assert(
      fc.property(anyValid, mutations, fc.nat(1_000_000), (event, mutate, index) => {
        tried.mutated++;
        expectRejected(validate(mutate(event), index, RECEIVED_AT), index);
      }),
      { numRuns: 4000 },
    );
  });

  it('accepts exactly the valid events of a mixed batch, whatever sits beside them', () => {
    const item = fc.oneof(
      anyValid.map((e) => ({ event: e as unknown, valid: true })),
      fc.tuple(anyValid, mutations).map(([e, m]) => ({ event: m(e), valid: false })),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 20 }), (batch) => {
        tried.batches++;
        tried.batchEvents += batch.length;
        const results = batch.map((b, i) => validate(b.event, i, RECEIVED_AT));
        expect(results.map((r) => r.ok)).toEqual(batch.map((b) => b.valid));
        results.forEach((r, i) => r.ok || expectRejected(r, i));
      }),
      { numRuns: 500 },
    );
  });
});
