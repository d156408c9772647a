import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, type EventRow } from '../../src/events/row.js';
import { LIMITS, SAMPLING_ATTRS_FIELDS } from '../../src/events/schemas.js';
import { createValidator, type RejectedEvent } from '../../src/events/validate.js';
import { CONTRACT_ONLY } from '../helpers/limits.js';
import { DEFAULT_REASON_CODES, EVENT_TYPES, type EventType } from '../../src/events/vocabulary.js';

// Expectations here are written out by hand (required fields, UTC instants, columns) rather
// than derived from the schemas, so that a change to the contract has to change this file too.

const RECEIVED_AT = Date.UTC(2026, 10, 24, 12, 0, 0);
const validate = createValidator(CONTRACT_ONLY);

type Event = Record<string, unknown>;

function accepted(event: unknown, v = validate): EventRow {
  const result = v(event, 0, RECEIVED_AT);
  if (!result.ok) throw new Error(`expected the event to be accepted, got: ${result.rejected.reason}`);
  return result.row;
}

function rejected(event: unknown, index = 0, v = validate): RejectedEvent {
  const result = v(event, index, RECEIVED_AT);
  if (result.ok) throw new Error(`expected the event to be rejected, got row ${JSON.stringify(result.row)}`);
  return result.rejected;
}

function without(event: Event, field: string): Event {
  const copy = { ...event };
  delete copy[field];
  return copy;
}

/** A full row: every column null except the given ones. */
function row(columns: Partial<EventRow>): EventRow {
  const nulls = Object.fromEntries(EVENT_COLUMNS.map(([name]) => [name, null]));
  return { ...nulls, received_at: RECEIVED_AT, ...columns } as EventRow;
}

/** One valid event of every type, carrying every field the type has. */
const VALID: Record<EventType, Event> = {
  'case.created': {
    event_id: 'ev-created',
    type: 'case.created',
    ts: '2026-11-24T09:30:00.120+05:30',
    case_id: 'sup-1',
    workflow: 'support_drafting',
    actor_id: 'reply-drafter',
    actor_role: 'system',
    policy_version: 'support-policy-2026.10',
    tier: 2,
    model_version: 'm-2026-09',
    prompt_version: 'reply-draft-v14',
    confidence: 0.62,
    model_label: 'billing',
    model_action: 'send_reply',
    risk_signals: ['financial', 'external_comm'],
    features: { input_tokens: 412, language: 'en' },
    input: 'I was charged twice.',
    output: 'I have refunded the duplicate charge.',
  },
  'case.triaged': {
    event_id: 'ev-triaged',
    type: 'case.triaged',
    ts: '2026-11-24T04:00:01-00:00',
    case_id: 'sup-1',
    workflow: 'support_drafting',
    actor_role: 'system',
    lane: 'human_review',
    rule_ids: ['confidence_below_0_7', 'risk_financial'],
    sampled: true,
    sampling_rate: 0.05,
  },
  'review.assigned': {
    event_id: 'ev-assigned',
    type: 'review.assigned',
    ts: '2026-11-23T23:00:05-05:00',
    case_id: 'sup-1',
    actor_id: 'rev-07',
    actor_role: 'verifier',
    level: 1,
  },
  'review.acknowledged': {
    event_id: 'ev-ack',
    type: 'review.acknowledged',
    ts: '2026-11-24T04:10:00Z',
    case_id: 'sup-1',
    actor_id: 'rev-07',
    level: 1,
  },
  'review.decided': {
    event_id: 'ev-decided',
    type: 'review.decided',
    ts: '2026-11-24T10:05:41.250+05:30',
    case_id: 'sup-1',
    workflow: 'support_drafting',
    actor_id: 'rev-07',
    actor_role: 'verifier',
    policy_version: 'support-policy-2026.10',
    level: 1,
    decision: 'override',
    final_label: 'refund',
    final_output: 'Refunded the duplicate charge.',
    reason_code: 'wrong_category',
    gate: { id: 'support-reply-gate', checks: { evidence_attached: 'pass', output_accurate: 'fail', language_approved: 'na' } },
  },
  'case.escalated': {
    event_id: 'ev-escalated',
    type: 'case.escalated',
    ts: '2026-11-24T08:12:30-05:00',
    case_id: 'itr-7',
    workflow: 'it_access_requests',
    actor_id: 'rev-it-03',
    from_level: 1,
    to_level: 3,
    trigger: 'policy',
    reason_code: 'needs_specialist',
  },
  'case.reopened': {
    event_id: 'ev-reopened',
    type: 'case.reopened',
    ts: '2026-11-25T14:20:00Z',
    case_id: 'sup-1',
    actor_id: 'qa-02',
    actor_role: 'auditor',
    reason_code: 'factual_error',
  },
  'case.closed': {
    event_id: 'ev-closed',
    type: 'case.closed',
    ts: '2026-11-24T10:06:02+05:30',
    case_id: 'sup-1',
    outcome: 'executed',
    final_label: 'refund',
  },
  'audit.completed': {
    event_id: 'ev-audit',
    type: 'audit.completed',
    ts: '2026-11-25T14:18:45Z',
    case_id: 'sup-1',
    actor_id: 'qa-02',
    actor_role: 'auditor',
    verdict: 'incorrect',
    correct_label: 'refund_partial',
    reason_code: 'factual_error',
    sampling_rate: 0.05,
  },
  'line.stopped': {
    event_id: 'ev-stop',
    type: 'line.stopped',
    ts: '2026-11-24T16:02:00+01:00',
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    actor_role: 'approver',
    trigger: 'possible data exposure',
  },
  'line.resumed': {
    event_id: 'ev-resume',
    type: 'line.resumed',
    ts: '2026-11-24T16:49:30+01:00',
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    trigger: 'fresh review completed',
  },
  'incident.reported': {
    event_id: 'ev-incident',
    type: 'incident.reported',
    ts: '2026-11-24T16:05:00+01:00',
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    severity: 'sev2',
  },
  'sampling.changed': {
    event_id: 'sampling-finance_adjustments-2026-11-24T15:00:00.000Z',
    type: 'sampling.changed',
    ts: '2026-11-24T16:00:00+01:00',
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    actor_role: 'system',
    from_state: 'normal',
    to_state: 'tightened',
    from_rate: 0.05,
    to_rate: 0.2,
    cause: 'drift',
    detail: 'drift confidence.ks in window 2026-11-24T14:00Z',
    expires_at: '2026-11-25T16:00:00Z',
  },
};

/** The contract's required fields per type, as the issue states them. */
const REQUIRED: Record<EventType, string[]> = {
  'case.created': ['event_id', 'type', 'ts', 'case_id', 'workflow', 'tier'],
  'case.triaged': ['event_id', 'type', 'ts', 'case_id', 'lane'],
  'review.assigned': ['event_id', 'type', 'ts', 'case_id', 'actor_id'],
  'review.acknowledged': ['event_id', 'type', 'ts', 'case_id', 'actor_id'],
  'review.decided': ['event_id', 'type', 'ts', 'case_id', 'actor_id', 'decision'],
  'case.escalated': ['event_id', 'type', 'ts', 'case_id', 'to_level', 'trigger'],
  'case.reopened': ['event_id', 'type', 'ts', 'case_id'],
  'case.closed': ['event_id', 'type', 'ts', 'case_id', 'outcome'],
  'audit.completed': ['event_id', 'type', 'ts', 'case_id', 'actor_id', 'verdict'],
  'line.stopped': ['event_id', 'type', 'ts', 'workflow'],
  'line.resumed': ['event_id', 'type', 'ts', 'workflow'],
  'incident.reported': ['event_id', 'type', 'ts', 'severity'],
  'sampling.changed': ['event_id', 'type', 'ts', 'workflow', 'from_state', 'to_state', 'from_rate', 'to_rate', 'cause'],
};

/** The row each VALID event must become; instants computed by hand from the offsets. */
const EXPECTED_ROWS: Record<EventType, EventRow> = {
  'case.created': row({
    event_id: 'ev-created',
    type: 'case.created',
    ts: Date.UTC(2026, 10, 24, 4, 0, 0, 120), // 09:30:00.120 at +05:30
    case_id: 'sup-1',
    workflow: 'support_drafting',
    actor_id: 'reply-drafter',
    actor_role: 'system',
    policy_version: 'support-policy-2026.10',
    tier: 2,
    model_version: 'm-2026-09',
    prompt_version: 'reply-draft-v14',
    confidence: 0.62,
    model_label: 'billing',
    model_action: 'send_reply',
    risk_signals: ['financial', 'external_comm'],
    features: '{"input_tokens":412,"language":"en"}',
    input: 'I was charged twice.',
    output: 'I have refunded the duplicate charge.',
  }),
  'case.triaged': row({
    event_id: 'ev-triaged',
    type: 'case.triaged',
    ts: Date.UTC(2026, 10, 24, 4, 0, 1),
    case_id: 'sup-1',
    workflow: 'support_drafting',
    actor_role: 'system',
    lane: 'human_review',
    rule_ids: ['confidence_below_0_7', 'risk_financial'],
    sampled: true,
    sampling_rate: 0.05,
  }),
  'review.assigned': row({
    event_id: 'ev-assigned',
    type: 'review.assigned',
    ts: Date.UTC(2026, 10, 24, 4, 0, 5), // 23:00:05 the day before at -05:00
    case_id: 'sup-1',
    actor_id: 'rev-07',
    actor_role: 'verifier',
    level: 1,
  }),
  'review.acknowledged': row({
    event_id: 'ev-ack',
    type: 'review.acknowledged',
    ts: Date.UTC(2026, 10, 24, 4, 10, 0),
    case_id: 'sup-1',
    actor_id: 'rev-07',
    level: 1,
  }),
  'review.decided': row({
    event_id: 'ev-decided',
    type: 'review.decided',
    ts: Date.UTC(2026, 10, 24, 4, 35, 41, 250),
    case_id: 'sup-1',
    workflow: 'support_drafting',
    actor_id: 'rev-07',
    actor_role: 'verifier',
    policy_version: 'support-policy-2026.10',
    level: 1,
    decision: 'override',
    final_label: 'refund',
    final_output: 'Refunded the duplicate charge.',
    reason_code: 'wrong_category',
    gate_id: 'support-reply-gate',
    gate_checks: '{"evidence_attached":"pass","output_accurate":"fail","language_approved":"na"}',
  }),
  'case.escalated': row({
    event_id: 'ev-escalated',
    type: 'case.escalated',
    ts: Date.UTC(2026, 10, 24, 13, 12, 30),
    case_id: 'itr-7',
    workflow: 'it_access_requests',
    actor_id: 'rev-it-03',
    from_level: 1,
    to_level: 3,
    trigger: 'policy',
    reason_code: 'needs_specialist',
  }),
  'case.reopened': row({
    event_id: 'ev-reopened',
    type: 'case.reopened',
    ts: Date.UTC(2026, 10, 25, 14, 20, 0),
    case_id: 'sup-1',
    actor_id: 'qa-02',
    actor_role: 'auditor',
    reason_code: 'factual_error',
  }),
  'case.closed': row({
    event_id: 'ev-closed',
    type: 'case.closed',
    ts: Date.UTC(2026, 10, 24, 4, 36, 2),
    case_id: 'sup-1',
    outcome: 'executed',
    final_label: 'refund',
  }),
  'audit.completed': row({
    event_id: 'ev-audit',
    type: 'audit.completed',
    ts: Date.UTC(2026, 10, 25, 14, 18, 45),
    case_id: 'sup-1',
    actor_id: 'qa-02',
    actor_role: 'auditor',
    verdict: 'incorrect',
    correct_label: 'refund_partial',
    reason_code: 'factual_error',
    sampling_rate: 0.05,
  }),
  'line.stopped': row({
    event_id: 'ev-stop',
    type: 'line.stopped',
    ts: Date.UTC(2026, 10, 24, 15, 2, 0),
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    actor_role: 'approver',
    trigger: 'possible data exposure',
  }),
  'line.resumed': row({
    event_id: 'ev-resume',
    type: 'line.resumed',
    ts: Date.UTC(2026, 10, 24, 15, 49, 30),
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    trigger: 'fresh review completed',
  }),
  'incident.reported': row({
    event_id: 'ev-incident',
    type: 'incident.reported',
    ts: Date.UTC(2026, 10, 24, 15, 5, 0),
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    severity: 'sev2',
  }),
  // the sampling fields have no column: they are kept in attrs (SAMPLING_ATTRS_FIELDS)
  'sampling.changed': row({
    event_id: 'sampling-finance_adjustments-2026-11-24T15:00:00.000Z',
    type: 'sampling.changed',
    ts: Date.UTC(2026, 10, 24, 15, 0, 0),
    case_id: 'fin-9',
    workflow: 'finance_adjustments',
    actor_role: 'system',
    attrs: JSON.stringify({
      from_state: 'normal',
      to_state: 'tightened',
      from_rate: 0.05,
      to_rate: 0.2,
      cause: 'drift',
      detail: 'drift confidence.ks in window 2026-11-24T14:00Z',
      expires_at: '2026-11-25T16:00:00Z',
    }),
  }),
};

describe('a valid event of every type', () => {
  it('covers all 13 types of the vocabulary', () => {
    expect(Object.keys(VALID).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TYPES).toHaveLength(13);
  });

  it.each(EVENT_TYPES)('%s is accepted and becomes the expected row', (type) => {
    expect(accepted(VALID[type])).toEqual(EXPECTED_ROWS[type]);
  });

  it.each(EVENT_TYPES)('%s is accepted with only its required fields', (type) => {
    const minimal = Object.fromEntries(REQUIRED[type].map((f) => [f, VALID[type][f]]));
    const r = accepted(minimal);
    expect(r.type).toBe(type);
    // sampling.changed keeps its required fields in attrs: they have no column
    const kept = REQUIRED[type].filter((f) => SAMPLING_ATTRS_FIELDS.has(f));
    expect(r.attrs === null ? null : JSON.parse(r.attrs)).toEqual(kept.length ? Object.fromEntries(kept.map((f) => [f, VALID[type][f]])) : null);
  });

  it('puts the row in the columns of EVENT_COLUMNS, no more and no less', () => {
    const r = accepted(VALID['review.decided']);
    expect(Object.keys(r).sort()).toEqual(EVENT_COLUMNS.map(([name]) => name).sort());
  });

  it('does not modify the event it was given', () => {
    const event = { ...VALID['case.closed'], attrs: { queue: 'a' }, extra: 1 };
    const before = structuredClone(event);
    accepted(event);
    expect(event).toEqual(before);
  });
});

describe('required fields', () => {
  const cases = EVENT_TYPES.flatMap((type) => REQUIRED[type].map((field) => [type, field] as const));

  it.each(cases)('%s without %s is rejected naming the field', (type, field) => {
    const r = rejected(without(VALID[type], field));
    expect(r.issues).toContainEqual({ field, message: 'required field is missing' });
  });

  const optional = EVENT_TYPES.flatMap((type) =>
    Object.keys(VALID[type])
      .filter((f) => !REQUIRED[type].includes(f))
      .map((field) => [type, field] as const),
  );
  it.each(optional)('%s without %s is still accepted', (type, field) => {
    expect(accepted(without(VALID[type], field))[field as keyof EventRow] ?? null).toBeNull();
  });

  it.each(['id', 'checks'])('review.decided without gate.%s is rejected naming gate.%s', (field) => {
    const gate = without(VALID['review.decided'].gate as Event, field);
    const r = rejected({ ...VALID['review.decided'], gate });
    expect(r.issues).toEqual([{ field: `gate.${field}`, message: 'required field is missing' }]);
  });

  it('reports every missing field of an event, not just the first', () => {
    const r = rejected(without(without(VALID['review.decided'], 'decision'), 'actor_id'));
    expect(r.issues.map((i) => i.field).sort()).toEqual(['actor_id', 'decision']);
    expect(r.reason).toBe(r.issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  });
});

describe('case_id', () => {
  const caseless: EventType[] = ['line.stopped', 'line.resumed', 'incident.reported', 'sampling.changed'];

  it.each(caseless)('is optional on %s and stored as null when absent', (type) => {
    expect(accepted(without(VALID[type], 'case_id')).case_id).toBeNull();
    expect(accepted(VALID[type]).case_id).toBe('fin-9');
  });

  it.each(EVENT_TYPES.filter((t) => !caseless.includes(t)))('is required on %s', (type) => {
    expect(rejected(without(VALID[type], 'case_id')).issues).toEqual([{ field: 'case_id', message: 'required field is missing' }]);
  });

  it('is still checked when given on a caseless type', () => {
    expect(rejected({ ...VALID['incident.reported'], case_id: '' }).issues.map((i) => i.field)).toEqual(['case_id']);
  });

  // one contract for every format: a JSON null is absent, as a Parquet NULL is (issue 11)
  it('is absent when null where it is optional, and missing where it is required', () => {
    expect(accepted({ ...VALID['line.stopped'], case_id: null }).case_id).toBeNull();
    expect(rejected({ ...VALID['review.decided'], case_id: null }).issues).toEqual([{ field: 'case_id', message: 'required field is missing' }]);
  });
});

describe('timestamps', () => {
  const at = (ts: unknown) => ({ ...VALID['case.reopened'], ts });

  it.each([
    ['2026-11-24T09:30:00+05:30', Date.UTC(2026, 10, 24, 4, 0, 0)],
    ['2026-11-24T04:00:00Z', Date.UTC(2026, 10, 24, 4, 0, 0)],
    ['2026-11-24T04:00:00+00:00', Date.UTC(2026, 10, 24, 4, 0, 0)],
    ['2026-11-23T23:00:00-05:00', Date.UTC(2026, 10, 24, 4, 0, 0)],
    ['2026-01-01T00:30:00+01:00', Date.UTC(2025, 11, 31, 23, 30, 0)],
    ['2028-02-29T12:00:00Z', Date.UTC(2028, 1, 29, 12, 0, 0)],
  ])('%s is stored as UTC epoch ms', (ts, expected) => {
    expect(accepted(at(ts)).ts).toBe(expected);
  });

  it.each([
    ['2026-11-24T04:00:00.123456Z', 123],
    ['2026-11-24T04:00:00.9999Z', 999], // truncated, never rounded up into the next second
    ['2026-11-24T04:00:00.1Z', 100],
    ['2026-11-24T04:00:00.05+05:30', 50],
  ])('keeps millisecond precision: %s has ms %i', (ts, ms) => {
    const stored = accepted(at(ts)).ts;
    expect(stored % 1000).toBe(ms);
    expect(Math.floor(stored / 1000) % 60).toBe(0);
  });

  it.each([
    '2026-11-24T04:00:00', // no offset
    '2026-11-24 04:00:00Z',
    '2026-11-24T04:00Z', // no seconds
    '2026-11-24T04:00:00+0530',
    '2026-11-24',
    'yesterday',
    '',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z', // 2026 is not a leap year
    '2026-11-24T24:00:00Z',
    '2026-11-24T04:00:00Z trailing',
  ])('rejects %j on field ts, quoting the value', (ts) => {
    const r = rejected(at(ts));
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe('ts');
    expect(r.issues[0].message).toContain(JSON.stringify(ts));
    expect(r.issues[0].message).toContain('RFC 3339');
  });

  it.each([1795492800000, null, true, { iso: '2026-11-24T04:00:00Z' }])('rejects a non-string %j on field ts', (ts) => {
    expect(rejected(at(ts)).issues.map((i) => i.field)).toEqual(['ts']);
  });
});

describe('allowed values', () => {
  it.each([
    ['case.triaged', 'lane', 'manual_review'],
    ['review.decided', 'decision', 'approved'],
    ['case.escalated', 'trigger', 'timeout'],
    ['case.closed', 'outcome', 'done'],
    ['audit.completed', 'verdict', 'wrong'],
    ['incident.reported', 'severity', 'sev0'],
    ['review.assigned', 'actor_role', 'reviewer'],
    ['case.created', 'actor_role', 'Verifier'],
  ] as const)('%s rejects %s %j, naming the field and the value', (type, field, value) => {
    const r = rejected({ ...VALID[type], [field]: value });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe(field);
    expect(r.issues[0].message).toContain(JSON.stringify(value));
    expect(r.issues[0].message).toContain('expected one of');
  });

  it('lists the allowed values in the message', () => {
    const r = rejected({ ...VALID['case.closed'], outcome: 'done' });
    expect(r.issues[0].message).toBe('"done" is not allowed; expected one of executed, approved, rejected, cancelled');
  });

  it('rejects a gate check that is not pass, fail or na, naming the check', () => {
    const gate = { id: 'g', checks: { evidence_attached: 'pass', tone_ok: 'maybe' } };
    const r = rejected({ ...VALID['review.decided'], gate });
    expect(r.issues).toEqual([{ field: 'gate.checks.tone_ok', message: '"maybe" is not allowed; expected one of pass, fail, na' }]);
  });

  it.each(['approve', 'override', 'reject', 'escalate'])('accepts decision %s', (decision) => {
    expect(accepted({ ...VALID['review.decided'], decision }).decision).toBe(decision);
  });

  it.each(['auto_approve', 'human_review', 'specialist_review', 'dual_review', 'approval', 'stop_the_line', 'reject'])(
    'accepts lane %s',
    (lane) => {
      expect(accepted({ ...VALID['case.triaged'], lane }).lane).toBe(lane);
    },
  );

  it.each(['triager', 'verifier', 'approver', 'specialist', 'auditor', 'system'])('accepts actor_role %s', (role) => {
    expect(accepted({ ...VALID['case.closed'], actor_role: role }).actor_role).toBe(role);
  });

  it('accepts a free-text trigger on line.stopped, where it is not the escalation list', () => {
    expect(accepted({ ...VALID['line.stopped'], trigger: 'vendor emails leaked' }).trigger).toBe('vendor emails leaked');
  });
});

describe('types and ranges', () => {
  it.each([
    ['case.created', 'tier', '2'],
    ['case.created', 'tier', 0],
    ['case.created', 'tier', 4],
    ['case.created', 'tier', 2.5],
    ['case.created', 'confidence', 1.5],
    ['case.created', 'confidence', -0.1],
    ['case.created', 'confidence', '0.9'],
    ['case.created', 'risk_signals', 'pii'],
    ['case.created', 'risk_signals', [1]],
    ['case.created', 'features', ['a']],
    ['case.created', 'features', { nested: { a: 1 } }],
    ['case.created', 'features', { flag: true }],
    ['case.triaged', 'sampled', 'yes'],
    ['case.triaged', 'sampling_rate', 1.01],
    ['case.triaged', 'rule_ids', 'r1'],
    ['review.assigned', 'level', 4],
    ['review.assigned', 'level', 0],
    ['review.decided', 'level', '1'],
    ['review.decided', 'gate', 'support-gate'],
    ['case.escalated', 'to_level', 4],
    ['case.escalated', 'from_level', 1.5],
    ['audit.completed', 'sampling_rate', 0],
    ['audit.completed', 'sampling_rate', 1.5],
    ['case.closed', 'event_id', 42],
    ['case.closed', 'event_id', ''],
    ['case.closed', 'attrs', 'queue=a'],
    ['case.closed', 'attrs', ['a']],
  ] as const)('%s rejects %s = %j on that field', (type, field, value) => {
    const r = rejected({ ...VALID[type], [field]: value });
    expect(r.issues.length).toBeGreaterThan(0);
    for (const issue of r.issues) expect(issue.field === field || issue.field.startsWith(`${field}.`)).toBe(true);
  });

  it('says that tiers are 1, 2 or 3', () => {
    expect(rejected({ ...VALID['case.created'], tier: 4 }).issues).toEqual([{ field: 'tier', message: 'tiers are 1, 2 or 3' }]);
  });

  it.each([
    [2, 2],
    [2, 1],
    [3, 3],
  ])('rejects an escalation from level %i to level %i on to_level', (from_level, to_level) => {
    const r = rejected({ ...VALID['case.escalated'], from_level, to_level });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe('to_level');
    expect(r.issues[0].message).toContain('above from_level');
  });

  it.each([
    [1, 2],
    [2, 3],
    [undefined, 1],
  ])('accepts an escalation from level %s to level %i', (from_level, to_level) => {
    const r = accepted({ ...without(VALID['case.escalated'], 'from_level'), ...(from_level ? { from_level } : {}), to_level });
    expect([r.from_level, r.to_level]).toEqual([from_level ?? null, to_level]);
  });

  it('accepts boundary values', () => {
    expect(accepted({ ...VALID['case.created'], confidence: 0 }).confidence).toBe(0);
    expect(accepted({ ...VALID['case.created'], confidence: 1 }).confidence).toBe(1);
    expect(accepted({ ...VALID['case.created'], tier: 3 }).tier).toBe(3);
    expect(accepted({ ...VALID['case.triaged'], sampling_rate: 0 }).sampling_rate).toBe(0);
    expect(accepted({ ...VALID['audit.completed'], sampling_rate: 1 }).sampling_rate).toBe(1);
    expect(accepted({ ...VALID['case.triaged'], sampled: false }).sampled).toBe(false);
  });

  it('stores features as JSON text and risk signals as a list', () => {
    const r = accepted({ ...VALID['case.created'], features: { tokens: 12.5, lang: 'de' }, risk_signals: ['pii', 'team_custom'] });
    expect(JSON.parse(r.features!)).toEqual({ tokens: 12.5, lang: 'de' });
    expect(r.features).toBe('{"tokens":12.5,"lang":"de"}');
    expect(r.risk_signals).toEqual(['pii', 'team_custom']);
  });

  it('stores an empty risk signal list as an empty list, not null', () => {
    expect(accepted({ ...VALID['case.created'], risk_signals: [] }).risk_signals).toEqual([]);
  });
});

describe('reason codes', () => {
  const withReason: EventType[] = ['review.decided', 'case.escalated', 'case.reopened', 'audit.completed'];
  const cases = withReason.flatMap((type) => DEFAULT_REASON_CODES.map((code) => [type, code] as const));

  it('has the documented default taxonomy', () => {
    expect([...DEFAULT_REASON_CODES].sort()).toEqual(
      [
        'wrong_category',
        'insufficient_evidence',
        'policy_violation',
        'needs_specialist',
        'factual_error',
        'tone',
        'sensitive_data',
        'missing_context',
        'other',
      ].sort(),
    );
  });

  it.each(cases)('%s accepts %s', (type, code) => {
    expect(accepted({ ...VALID[type], reason_code: code }).reason_code).toBe(code);
  });

  it.each(withReason)('%s rejects a code outside the taxonomy, naming reason_code and the code', (type) => {
    const r = rejected({ ...VALID[type], reason_code: 'my_code' });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe('reason_code');
    expect(r.issues[0].message).toContain('"my_code"');
    expect(r.issues[0].message).toContain('wrong_category');
  });

  it.each(['Wrong_Category', 'wrong category', ''])('rejects the spelling %j', (code) => {
    expect(rejected({ ...VALID['review.decided'], reason_code: code }).issues.map((i) => i.field)).toEqual(['reason_code']);
  });

  it('accepts a deployment code passed with extraReasonCodes, next to the defaults', () => {
    const extended = createValidator({ ...CONTRACT_ONLY, extraReasonCodes: ['my_code'] });
    for (const type of withReason) {
      expect(accepted({ ...VALID[type], reason_code: 'my_code' }, extended).reason_code).toBe('my_code');
      expect(accepted({ ...VALID[type], reason_code: 'tone' }, extended).reason_code).toBe('tone');
    }
    expect(rejected({ ...VALID['review.decided'], reason_code: 'your_code' }, 0, extended).issues[0].message).toContain('my_code');
  });

  it('keeps the extension to the validator it was given to', () => {
    createValidator({ ...CONTRACT_ONLY, extraReasonCodes: ['my_code'] });
    expect(rejected({ ...VALID['case.reopened'], reason_code: 'my_code' }, 0, createValidator(CONTRACT_ONLY)).issues[0].field).toBe('reason_code');
  });
});

describe('attrs', () => {
  it('keeps unknown top-level fields in attrs, as JSON', () => {
    const r = accepted({ ...VALID['case.closed'], ticket_system: 'servicedesk', priority: 3, tags: ['a'] });
    expect(JSON.parse(r.attrs!)).toEqual({ ticket_system: 'servicedesk', priority: 3, tags: ['a'] });
    expect(r.outcome).toBe('executed');
  });

  it('keeps an explicit attrs object', () => {
    const r = accepted({ ...VALID['case.closed'], attrs: { queue: 'identity', nested: { a: [1, 2] } } });
    expect(JSON.parse(r.attrs!)).toEqual({ queue: 'identity', nested: { a: [1, 2] } });
  });

  it('merges unknown fields into explicit attrs; the explicit attrs key wins on a conflict', () => {
    const r = accepted({ ...VALID['case.closed'], queue: 'top-level', region: 'eu', attrs: { queue: 'explicit' } });
    expect(JSON.parse(r.attrs!)).toEqual({ queue: 'explicit', region: 'eu' });
  });

  it('keeps a field of another type in attrs, without validating it', () => {
    const r = accepted({ ...VALID['case.closed'], lane: 'not-a-lane', tier: 300 });
    expect(JSON.parse(r.attrs!)).toEqual({ lane: 'not-a-lane', tier: 300 });
  });

  // A field of another type was once read into its typed column unvalidated (tier 300 then failed
  // the UTINYINT insert of a whole group-commit write): it must stay in attrs only.
  it('leaves the typed columns of fields not named for the type null', () => {
    const r = accepted({ ...VALID['case.closed'], lane: 'not-a-lane', tier: 300, reason_code: 'not_a_code' });
    expect([r.lane, r.tier, r.reason_code]).toEqual([null, null, null]);
  });

  it('never copies the contract fields into attrs', () => {
    expect(accepted(VALID['review.decided']).attrs).toBeNull();
    expect(accepted({ ...VALID['review.decided'], x: 1 }).attrs).toBe('{"x":1}');
  });

  it('stores an empty explicit attrs object as {}', () => {
    expect(accepted({ ...VALID['case.closed'], attrs: {} }).attrs).toBe('{}');
  });

  // `key in attrs` also sees Object.prototype: an extra named constructor or toString was dropped.
  it('keeps unknown fields named like Object.prototype members', () => {
    const r = accepted({ ...VALID['case.closed'], constructor: 'x', toString: 'y' });
    expect(JSON.parse(r.attrs ?? 'null')).toEqual({ constructor: 'x', toString: 'y' });
  });
});

describe('inputs that are not events', () => {
  it.each([
    [null, 'null'],
    [[VALID['case.closed']], 'an array'],
    ['{"type":"case.closed"}', 'a string'],
    [42, 'number'],
    [true, 'boolean'],
  ])('rejects %j with a message saying what it got', (input, got) => {
    const r = rejected(input, 7);
    expect(r).toEqual({
      index: 7,
      event_id: undefined,
      type: undefined,
      reason: `(event): expected a JSON object, got ${got}`,
      issues: [{ field: '(event)', message: `expected a JSON object, got ${got}` }],
    });
  });

  it('rejects an unknown type naming the field type and the known types', () => {
    const r = rejected({ ...VALID['case.closed'], type: 'case.deleted' }, 3);
    expect(r.index).toBe(3);
    expect(r.type).toBe('case.deleted');
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe('type');
    expect(r.issues[0].message).toContain('"case.deleted"');
    for (const type of EVENT_TYPES) expect(r.issues[0].message).toContain(type);
  });

  it.each([5, null, ['case.closed'], 'Case.Closed', ''])('rejects the type %j on field type', (type) => {
    expect(rejected({ ...VALID['case.closed'], type }).issues.map((i) => i.field)).toEqual(['type']);
  });

  it('rejects an empty object as missing its type', () => {
    expect(rejected({}).issues).toEqual([{ field: 'type', message: 'required field is missing' }]);
  });
});

describe('limits', () => {
  const long = (n: number) => 'x'.repeat(n);

  it.each([
    ['case.closed', 'event_id', LIMITS.idLength],
    ['case.closed', 'case_id', LIMITS.idLength],
    ['review.assigned', 'actor_id', LIMITS.idLength],
    ['case.closed', 'workflow', LIMITS.shortText],
    ['case.closed', 'policy_version', LIMITS.shortText],
    ['case.created', 'model_label', LIMITS.shortText],
    ['case.closed', 'final_label', LIMITS.shortText],
    ['line.stopped', 'trigger', LIMITS.shortText],
    ['case.created', 'input', LIMITS.longText],
    ['case.created', 'output', LIMITS.longText],
    ['review.decided', 'final_output', LIMITS.longText],
  ] as const)('%s accepts %s of %i characters and rejects one more', (type, field, max) => {
    expect(accepted({ ...VALID[type], [field]: long(max) })[field]).toBe(long(max));
    const r = rejected({ ...VALID[type], [field]: long(max + 1) });
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].field).toBe(field);
    expect(r.issues[0].message).toContain(String(max));
  });

  it('limits lists to LIMITS.listItems items, and each item to LIMITS.shortText', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
    expect(accepted({ ...VALID['case.created'], risk_signals: items(LIMITS.listItems) }).risk_signals).toHaveLength(LIMITS.listItems);
    expect(rejected({ ...VALID['case.created'], risk_signals: items(LIMITS.listItems + 1) }).issues[0].field).toBe('risk_signals');
    expect(rejected({ ...VALID['case.triaged'], rule_ids: items(LIMITS.listItems + 1) }).issues[0].field).toBe('rule_ids');
    expect(rejected({ ...VALID['case.created'], risk_signals: ['pii', long(LIMITS.shortText + 1)] }).issues[0].field).toBe('risk_signals.1');
  });

  it('limits features to LIMITS.featureKeys keys and their keys and string values to LIMITS.shortText', () => {
    const features = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    expect(JSON.parse(accepted({ ...VALID['case.created'], features: features(LIMITS.featureKeys) }).features!)).toEqual(
      features(LIMITS.featureKeys),
    );
    expect(rejected({ ...VALID['case.created'], features: features(LIMITS.featureKeys + 1) }).issues).toEqual([
      { field: 'features', message: `more features than the limit of ${LIMITS.featureKeys} features (limits.maxFeatures, LOOPWATCH_MAX_FEATURES)` },
    ]);
    expect(rejected({ ...VALID['case.created'], features: { lang: long(LIMITS.shortText + 1) } }).issues[0].field).toBe('features.lang');
    expect(rejected({ ...VALID['case.created'], features: { [long(LIMITS.shortText + 1)]: 1 } }).issues[0].field).toMatch(/^features/);
  });

  it('limits gate check names and the gate id to LIMITS.shortText', () => {
    const decided = VALID['review.decided'];
    expect(rejected({ ...decided, gate: { id: long(LIMITS.shortText + 1), checks: {} } }).issues[0].field).toBe('gate.id');
    expect(rejected({ ...decided, gate: { id: 'g', checks: { [long(LIMITS.shortText + 1)]: 'pass' } } }).issues[0].field).toMatch(
      /^gate\.checks/,
    );
  });
});

describe('the rejected result', () => {
  it('carries the batch index, event_id and type of the event', () => {
    const r = rejected({ ...VALID['review.decided'], decision: 'maybe' }, 41);
    expect(r.index).toBe(41);
    expect(r.event_id).toBe('ev-decided');
    expect(r.type).toBe('review.decided');
    expect(r.reason).toBe(`decision: ${r.issues[0].message}`);
  });

  it('leaves out event_id when it is not a string', () => {
    const r = rejected({ ...VALID['case.closed'], event_id: 42 }, 2);
    expect(r.event_id).toBeUndefined();
    expect(r.type).toBe('case.closed');
  });

  it('passes received_at through to the row', () => {
    const result = validate(VALID['case.closed'], 0, 1_800_000_000_123);
    expect(result.ok && result.row.received_at).toBe(1_800_000_000_123);
  });
});
