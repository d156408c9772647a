import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../src/events/limits.js';
import { EVENT_TYPES } from '../../src/events/vocabulary.js';
import { smallJson, timestampArb } from './event-arbitraries.js';

/** Nested objects and arrays `depth` levels deep, built without recursion. */
export function nestedValue(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export type Mutation = (e: Record<string, unknown>) => unknown;

/**
 * Mutations that each turn a valid event into one the contract must refuse (shared by the
 * validator fuzz and the HTTP route fuzz). `futureMarginMs`: how far past the one-day window a
 * future timestamp lies; a server checks against its own, later clock, so it needs more than 1 s.
 */
export function eventMutations(receivedAt: number, futureMarginMs = 1000): fc.Arbitrary<Mutation> {
  return fc.oneof(
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
    fc
      .oneof(
        timestampArb(receivedAt, Date.UTC(1, 0, 1), Date.UTC(2000, 0, 1) - 1000),
        timestampArb(receivedAt, receivedAt + 86_400_000 + futureMarginMs, Date.UTC(9999, 11, 31)),
      )
      .map(
        (ts): Mutation =>
          (e) => ({ ...e, ts }),
      ),
    fc.string({ minLength: 1, maxLength: 20 }).filter((t) => !(EVENT_TYPES as readonly string[]).includes(t)).map((type): Mutation => (e) => ({ ...e, type })),
    smallJson.map((j): Mutation => () => j),
    fc.anything().map((a): Mutation => () => a),
  );
}
