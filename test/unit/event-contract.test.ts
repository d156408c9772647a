import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { LIMITS } from '../../src/events/schemas.js';
import { createValidator, type RejectedEvent } from '../../src/events/validate.js';
import { CONTRACT_ONLY } from '../helpers/limits.js';
import { caseCreated, reviewDecided } from '../helpers/events.js';

// Issue 11: timestamp forms RFC 3339 allows, null feature values, and rejection messages that
// say what was expected. Expected messages are written out by hand.

const RECEIVED_AT = Date.UTC(2026, 10, 24, 12, 0, 0);
const validate = createValidator(CONTRACT_ONLY);

function accepted(event: unknown): EventRow {
  const result = validate(event, 0, RECEIVED_AT);
  if (!result.ok) throw new Error(`expected the event to be accepted, got: ${result.rejected.reason}`);
  return result.row;
}

function rejected(event: unknown): RejectedEvent {
  const result = validate(event, 0, RECEIVED_AT);
  if (result.ok) throw new Error(`expected the event to be rejected, got row ${JSON.stringify(result.row)}`);
  return result.rejected;
}

describe('timestamps: the lower-case t and z of RFC 3339 section 5.6', () => {
  it.each([
    ['2026-11-24t09:30:00z', '2026-11-24T09:30:00Z'],
    ['2026-11-24t09:30:00.123z', '2026-11-24T09:30:00.123Z'],
    ['2026-11-24T09:30:00z', '2026-11-24T09:30:00Z'],
    ['2026-11-24t09:30:00Z', '2026-11-24T09:30:00Z'],
    ['2026-11-24t15:00:00+05:30', '2026-11-24T15:00:00+05:30'],
  ])('accepts %j and stores the instant of %j', (lower, upper) => {
    const a = accepted(caseCreated(1, { ts: lower }));
    const b = accepted(caseCreated(1, { ts: upper }));
    expect(a.ts).toBe(b.ts);
    expect(a).toEqual(b);
  });

  it('stores them as UTC epoch milliseconds', () => {
    expect(accepted(caseCreated(1, { ts: '2026-11-24t15:00:00.250+05:30' })).ts).toBe(Date.UTC(2026, 10, 24, 9, 30, 0, 250));
  });

  it.each([
    '2026-11-24 09:30:00z', // a space for T: RFC 3339 mentions it only as an application's choice
    '2026-11-24x09:30:00Z',
    '2026-11-24t09:30:00', // still no offset
    '2026-11-24t09:30:00zz',
    '2026-02-30t00:00:00z',
    'yesterday',
  ])('still rejects %j, saying what was expected', (ts) => {
    expect(rejected(caseCreated(1, { ts })).issues).toEqual([
      {
        field: 'ts',
        message: `expected an RFC 3339 timestamp with an offset, such as 2026-11-24T09:30:00.000Z, got ${JSON.stringify(ts)}`,
      },
    ]);
  });
});

describe('a null feature value is a missing value', () => {
  it('is accepted and left out of the stored features', () => {
    const row = accepted(caseCreated(1, { features: { department: null, input_tokens: 120, language: 'en' } }));
    expect(JSON.parse(row.features!)).toEqual({ input_tokens: 120, language: 'en' });
    expect(row).toEqual(accepted(caseCreated(1, { features: { input_tokens: 120, language: 'en' } })));
  });

  it('leaves an empty object when every value is missing', () => {
    expect(accepted(caseCreated(1, { features: { department: null } })).features).toBe('{}');
  });

  it('is not accepted where a nested value is required', () => {
    expect(rejected(reviewDecided(1, { gate: { id: null, checks: {} } })).issues).toEqual([{ field: 'gate.id', message: 'expected a string, got null' }]);
  });
});

// A Parquet or Arrow NULL and an empty CSV cell are absent values; a JSON null is the same thing
describe('a top-level null is a missing value, in every format alike', () => {
  it('an optional field given as null is stored as absent', () => {
    expect(accepted(caseCreated(1, { confidence: null, model_label: null, risk_signals: null }))).toEqual(
      accepted(caseCreated(1, { confidence: undefined, model_label: undefined, risk_signals: undefined })),
    );
    expect(rejected(caseCreated(1, { tier: null })).issues).toEqual([{ field: 'tier', message: 'required field is missing' }]);
    expect(accepted(reviewDecided(1, { final_label: null, policy_version: null }))).toEqual(
      accepted(reviewDecided(1, { final_label: undefined, policy_version: undefined })),
    );
  });

  it('a required field given as null is reported as missing', () => {
    expect(rejected(reviewDecided(1, { case_id: null })).issues).toEqual([{ field: 'case_id', message: 'required field is missing' }]);
    expect(rejected(reviewDecided(1, { ts: null })).issues).toEqual([{ field: 'ts', message: 'required field is missing' }]);
  });
});

describe('rejection messages say what was expected, never just "Invalid input"', () => {
  const long = 'x'.repeat(LIMITS.shortText + 1);
  // one bad event per failure mode of the schema: wrong type, enum, union, nested value,
  // record key, bounds of strings, numbers and lists, refinements, missing fields
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['wrong type (string for integer)', caseCreated(1, { tier: '2' }), 'tier', 'expected an integer, got the string "2"'],
    ['wrong type (fraction for integer)', caseCreated(1, { tier: 2.5 }), 'tier', 'expected an integer, got 2.5'],
    ['wrong type (string for number)', caseCreated(1, { confidence: '0.9' }), 'confidence', 'expected a number, got the string "0.9"'],
    ['wrong type (number for string)', caseCreated(1, { model_label: 7 }), 'model_label', 'expected a string, got 7'],
    ['wrong type (string for list)', caseCreated(1, { risk_signals: 'pii' }), 'risk_signals', 'expected an array, got the string "pii"'],
    ['wrong type (list for object)', caseCreated(1, { features: ['a'] }), 'features', 'expected an object, got an array'],
    ['wrong type (string for boolean)', { ...reviewDecided(1), type: 'case.triaged', lane: 'human_review', sampled: 'yes' }, 'sampled', 'expected true or false, got the string "yes"'],
    ['wrong type (null for string)', reviewDecided(1, { gate: { id: null, checks: {} } }), 'gate.id', 'expected a string, got null'],
    ['bad enum value', reviewDecided(1, { decision: 'approved' }), 'decision', '"approved" is not allowed; expected one of approve, override, reject, escalate'],
    ['bad nested enum value', reviewDecided(1, { gate: { id: 'g', checks: { tone_ok: 'maybe' } } }), 'gate.checks.tone_ok', '"maybe" is not allowed; expected one of pass, fail, na'],
    ['union mismatch (object)', caseCreated(1, { features: { nested: { a: 1 } } }), 'features.nested', 'expected a number, a string or null, got an object'],
    ['union mismatch (boolean)', caseCreated(1, { features: { flag: true } }), 'features.flag', 'expected a number, a string or null, got true'],
    ['union branch too long', caseCreated(1, { features: { lang: long } }), 'features.lang', `expected at most ${LIMITS.shortText} characters, got ${LIMITS.shortText + 1} characters`],
    ['bad record key', caseCreated(1, { features: { '': 1 } }), 'features.', 'the key "" is not allowed: expected at least 1 character, got 0 characters'],
    ['missing nested field', reviewDecided(1, { gate: { checks: {} } }), 'gate.id', 'required field is missing'],
    ['wrong nested type', reviewDecided(1, { gate: 'support-gate' }), 'gate', 'expected an object, got the string "support-gate"'],
    ['empty string', reviewDecided(1, { event_id: '' }), 'event_id', 'expected at least 1 character, got 0 characters'],
    ['string too long', reviewDecided(1, { final_label: long }), 'final_label', `expected at most ${LIMITS.shortText} characters, got ${LIMITS.shortText + 1} characters`],
    ['number above a bound', caseCreated(1, { confidence: 1.5 }), 'confidence', 'expected a number of at most 1, got 1.5'],
    ['number below a bound', caseCreated(1, { confidence: -0.1 }), 'confidence', 'expected a number of at least 0, got -0.1'],
    ['number at an exclusive bound', { ...reviewDecided(1), type: 'audit.completed', verdict: 'correct', sampling_rate: 0 }, 'sampling_rate', 'expected a number above 0, got 0'],
    ['level out of range', reviewDecided(1, { level: 4 }), 'level', 'expected a number of at most 3, got 4'],
    ['list too long', caseCreated(1, { risk_signals: Array.from({ length: LIMITS.listItems + 1 }, (_, i) => `s${i}`) }), 'risk_signals', `expected at most ${LIMITS.listItems} items, got ${LIMITS.listItems + 1} items`],
    ['bad list item', caseCreated(1, { risk_signals: ['pii', 3] }), 'risk_signals.1', 'expected a string, got 3'],
    ['attrs not an object', reviewDecided(1, { attrs: 'queue=a' }), 'attrs', 'expected an object, got the string "queue=a"'],
    ['bad reason code', reviewDecided(1, { reason_code: 'my_code' }), 'reason_code', '"my_code" is not allowed; expected one of'],
    ['bad timestamp type', reviewDecided(1, { ts: 1795492800000 }), 'ts', 'expected a string, got 1795492800000'],
    ['refinement with its own message', caseCreated(1, { tier: 4 }), 'tier', 'tiers are 1, 2 or 3'],
    ['missing field', { ...caseCreated(1), workflow: undefined }, 'workflow', 'required field is missing'],
  ];

  it.each(cases)('%s', (_, event, field, message) => {
    const r = rejected(event);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe(field);
    if (message.endsWith('expected one of')) expect(r.issues[0].message.startsWith(message)).toBe(true);
    else expect(r.issues[0].message).toBe(message);
  });

  it('no message of the table carries zod\'s own wording', () => {
    for (const [, event] of cases) {
      for (const issue of rejected(event).issues) expect(issue.message).not.toMatch(/Invalid|Too (big|small)|received/);
    }
  });
});
