import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createValidator, type ValidationResult } from '../../src/events/validate.js';
import { EVENT_TYPES } from '../../src/events/vocabulary.js';
import { validEventArbitraries } from '../helpers/event-arbitraries.js';
import { eventMutations } from '../helpers/event-mutations.js';

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

const mutations = eventMutations(RECEIVED_AT);

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
