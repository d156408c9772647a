import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORACLE_PYTHON, requirePython } from '../helpers/python.js';
import { configSchema } from '../../src/config/config.js';
import { eventJsonSchema, EVENT_SCHEMA_ID, renderEventJsonSchema } from '../../src/events/json-schema.js';
import { EVENT_COLUMNS } from '../../src/events/row.js';
import { defaultEventSchemas, LIMITS } from '../../src/events/schemas.js';
import { createValidator, type Validator } from '../../src/events/validate.js';
import { CONTRACT_ONLY } from '../helpers/limits.js';
import { EVENT_TYPES, type EventType } from '../../src/events/vocabulary.js';

const SCHEMA_FILE = new URL('../../schema/events.schema.json', import.meta.url);
const DOCS_FILE = new URL('../../docs/events.md', import.meta.url);

type Event = Record<string, unknown>;
type Defs = Record<string, { properties: Record<string, { const?: string; enum?: string[] }>; additionalProperties?: unknown }>;

describe('schema/events.schema.json', () => {
  it('is what `npm run schema` generates now (run it after changing src/events/schemas.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(renderEventJsonSchema());
  });

  it('has an $id, a title and a description, and one $defs entry per type under a oneOf', () => {
    const schema = eventJsonSchema() as { $id: string; title: string; description: string; oneOf: { $ref: string }[]; $defs: Defs };
    expect(schema.$id).toBe('https://loopwatch.dev/schema/events.schema.json');
    expect(EVENT_SCHEMA_ID).toBe(schema.$id);
    expect(schema.title).toMatch(/event/i);
    expect(schema.description).toContain('docs/events.md');
    expect(schema.oneOf).toEqual(EVENT_TYPES.map((t) => ({ $ref: `#/$defs/${t}` })));
    expect(Object.keys(schema.$defs)).toEqual([...EVENT_TYPES]);
    for (const type of EVENT_TYPES) {
      expect(schema.$defs[type].properties.type.const).toBe(type);
      // extra fields are allowed on purpose: Loopwatch keeps them in attrs
      expect(schema.$defs[type].additionalProperties).not.toBe(false);
    }
  });

  it('lists the extra reason codes it is given, and only then', () => {
    const plain = eventJsonSchema() as { $defs: Defs };
    const extended = eventJsonSchema(['my_code']) as { $defs: Defs };
    for (const type of ['review.decided', 'case.escalated', 'case.reopened', 'audit.completed']) {
      expect(plain.$defs[type].properties.reason_code.enum).not.toContain('my_code');
      expect(extended.$defs[type].properties.reason_code.enum).toContain('my_code');
      expect(extended.$defs[type].properties.reason_code.enum).toContain('wrong_category');
    }
  });
});

// ---- docs/events.md -------------------------------------------------------------------------

interface DocExample {
  kind: string;
  value: unknown;
  /** The `### \`type\`` section the example is in, if any. */
  section?: string;
}

function docExamples(markdown: string): DocExample[] {
  const examples: DocExample[] = [];
  let section: string | undefined;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{2,3}) (.*)$/.exec(lines[i]);
    if (heading) section = heading[1] === '###' ? heading[2].replace(/`/g, '') : undefined;
    if (lines[i] !== '```json') continue;
    const marker = /^<!-- example: (\w+) -->$/.exec(lines[i - 1] ?? '');
    if (!marker) throw new Error(`docs/events.md line ${i + 1}: a json block without an <!-- example: kind --> marker`);
    const end = lines.indexOf('```', i + 1);
    examples.push({ kind: marker[1], value: JSON.parse(lines.slice(i + 1, end).join('\n')), section });
    i = end;
  }
  return examples;
}

/** The rows of the first table after `heading`: first cell without backticks, and the cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/events.md has no heading ${heading}`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
  }
  return rows;
}

const markdown = readFileSync(DOCS_FILE, 'utf8');
const examples = docExamples(markdown);
const eventExamples = examples.filter((e) => e.kind === 'event').map((e) => e.value as Event);
const request = examples.find((e) => e.kind === 'request')?.value as Event[];
const response = examples.find((e) => e.kind === 'response')?.value;
const RECEIVED_AT = Date.UTC(2026, 10, 24, 12, 0, 0);

/** Our verdict on each input, as the ingest path gives it. */
function ourVerdicts(inputs: unknown[], validate: Validator): boolean[] {
  return inputs.map((input, i) => validate(input, i, RECEIVED_AT).ok);
}

describe('docs/events.md', () => {
  it('marks every json block as an event, request, response or config example', () => {
    expect(examples.map((e) => e.kind).filter((k) => !['event', 'request', 'response', 'config'].includes(k))).toEqual([]);
  });

  it('has an example of every type, in the section of its type', () => {
    const typed = examples.filter((e) => e.kind === 'event' && EVENT_TYPES.includes(e.section as EventType));
    expect(typed.map((e) => e.section)).toEqual([...EVENT_TYPES]);
    for (const e of typed) expect((e.value as Event).type).toBe(e.section);
  });

  it('has only valid event examples', () => {
    const validate = createValidator(CONTRACT_ONLY);
    expect(eventExamples.length).toBeGreaterThanOrEqual(EVENT_TYPES.length);
    for (const event of eventExamples) {
      const result = validate(event, 0, RECEIVED_AT);
      expect(result.ok ? 'ok' : result.rejected.reason, String(event.event_id)).toBe('ok');
    }
  });

  it('shows the attrs that the attrs example is stored with', () => {
    const claimed = /is stored with `attrs` = `(\{.*\})`/.exec(markdown);
    const example = eventExamples.find((e) => e.attrs !== undefined);
    expect(claimed).not.toBeNull();
    const result = createValidator(CONTRACT_ONLY)(example, 0, RECEIVED_AT);
    expect(result.ok && JSON.parse(result.row.attrs!)).toEqual(JSON.parse(claimed![1]));
  });

  it('shows the answer the validator gives to the example request', () => {
    const validate = createValidator(CONTRACT_ONLY);
    const results = request.map((event, i) => validate(event, i, RECEIVED_AT));
    const errors = results.flatMap((r) => (r.ok ? [] : [r.rejected]));
    expect(response).toEqual({ accepted: results.length - errors.length, duplicates: 0, rejected: errors.length, errors });
  });

  it('has a config example that the configuration accepts', () => {
    const config = examples.find((e) => e.kind === 'config');
    expect(configSchema.parse(config?.value).reasonCodes.extra.length).toBeGreaterThan(0);
  });

  const COMMON = new Set(['event_id', 'type', 'ts', 'case_id', 'workflow', 'actor_id', 'actor_role', 'policy_version', 'attrs']);

  it.each(EVENT_TYPES)('lists the fields of %s as the schema has them, required or not', (type) => {
    const shape = defaultEventSchemas[type].shape as Record<string, { isOptional(): boolean }>;
    const rows = tableAfter(markdown, `### \`${type}\``);
    const documented = Object.fromEntries(rows.map(([field, required]) => [field, required]));
    const own = Object.keys(shape).filter((f) => !COMMON.has(f));
    expect(Object.keys(documented).filter((f) => !COMMON.has(f)).sort()).toEqual(own.sort());
    for (const [field, required] of Object.entries(documented)) {
      expect(shape[field], `${type}.${field} is not in the schema`).toBeDefined();
      expect(required, `${type}.${field}`).toBe(shape[field].isOptional() ? 'no' : 'yes');
    }
  });

  it('lists the storage columns of EVENT_COLUMNS, in order, with their kinds', () => {
    const rows = tableAfter(markdown, '## What is stored');
    expect(rows.map(([column, kind]) => [column, kind])).toEqual(EVENT_COLUMNS.map(([c, k]) => [c, k]));
  });
});

// ---- an independent validator agrees with ours ------------------------------------------------

const PYTHON_VALIDATE = `
import json, sys
from jsonschema import Draft202012Validator
data = json.load(sys.stdin)
Draft202012Validator.check_schema(data["schema"])
validator = Draft202012Validator(data["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)
print(json.dumps([validator.is_valid(instance) for instance in data["instances"]]))
`;



/** Python's jsonschema verdict on each instance; it also checks the schema against the 2020-12 metaschema. */
function pythonVerdicts(schema: object, instances: unknown[]): boolean[] {
  const run = spawnSync(ORACLE_PYTHON, ['-c', PYTHON_VALIDATE], {
    input: JSON.stringify({ schema, instances }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`python3 jsonschema failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function example(type: EventType): Event {
  const found = eventExamples.find((e) => e.type === type);
  if (!found) throw new Error(`no docs example of ${type}`);
  return structuredClone(found);
}

function change(type: EventType, fields: Event): Event {
  return { ...example(type), ...fields };
}

function drop(type: EventType, ...fields: string[]): Event {
  const event = example(type);
  for (const f of fields) delete event[f];
  return event;
}

/** Valid events beyond the docs examples: minimal ones, extras, edge values. */
const MORE_VALID: Event[] = [
  drop('line.stopped', 'case_id', 'actor_id', 'actor_role', 'policy_version', 'trigger'),
  drop('incident.reported', 'case_id'),
  drop('case.escalated', 'from_level', 'reason_code'),
  change('case.escalated', { from_level: 2, to_level: 3 }),
  change('case.created', { ts: '2028-02-29T23:59:59.999999-12:00', confidence: 0, tier: 3, risk_signals: [] }),
  change('case.closed', { ticket_system: 'servicedesk', attrs: { queue: 'identity' } }),
  change('case.triaged', { sampling_rate: 0, lane: 'stop_the_line' }),
  change('review.decided', { gate: { id: 'g', checks: {} }, decision: 'escalate' }),
  change('audit.completed', { sampling_rate: 1, verdict: 'correct' }),
  change('case.created', { features: Object.fromEntries(Array.from({ length: LIMITS.featureKeys }, (_, i) => [`f${i}`, i])) }),
  change('case.closed', { event_id: 'x'.repeat(LIMITS.idLength) }),
  // RFC 3339 allows lower-case t and z; a null feature is a missing value (issue 11)
  change('case.closed', { ts: '2026-11-24t04:00:00z' }),
  change('case.closed', { ts: '2026-11-24t09:30:00.5+05:30' }),
  change('case.created', { features: { department: null, input_tokens: 3 } }),
];

// Not here on purpose: a ts with a trailing newline (Python's `$` matches before it, ECMA's
// does not) and non-ASCII digits or astral characters near a length limit (Python's \\d and
// string length differ from JavaScript's); see "Limits" in docs/events.md.
const INVALID: unknown[] = [
  null,
  [],
  'case.closed',
  42,
  {},
  change('case.closed', { type: 'case.deleted' }),
  drop('case.closed', 'type'),
  ...EVENT_TYPES.flatMap((type) => [drop(type, 'event_id'), drop(type, 'ts')]),
  drop('case.created', 'case_id'),
  drop('case.created', 'workflow'),
  drop('case.created', 'tier'),
  drop('case.triaged', 'lane'),
  drop('review.assigned', 'actor_id'),
  drop('review.acknowledged', 'actor_id'),
  drop('review.decided', 'decision'),
  drop('case.escalated', 'to_level'),
  drop('case.escalated', 'trigger'),
  drop('case.reopened', 'case_id'),
  drop('case.closed', 'outcome'),
  drop('audit.completed', 'verdict'),
  drop('line.resumed', 'workflow'),
  drop('incident.reported', 'severity'),
  change('case.closed', { ts: '2026-11-24T04:00:00' }),
  change('case.closed', { ts: 'garbage' }),
  change('case.closed', { ts: '2026-13-01T00:00:00Z' }),
  change('case.closed', { ts: '2026-02-30T00:00:00Z' }),
  change('case.closed', { ts: '2026-11-24T04:00:00+0530' }),
  change('case.closed', { ts: 1795492800000 }),
  change('case.closed', { ts: '2026-11-24t04:00:00' }),
  change('case.closed', { ts: '2026-11-24 04:00:00z' }),
  change('case.triaged', { lane: 'manual_review' }),
  change('review.decided', { decision: 'approved' }),
  change('case.escalated', { trigger: 'timeout' }),
  change('case.closed', { outcome: 'done' }),
  change('audit.completed', { verdict: 'wrong' }),
  change('incident.reported', { severity: 'sev0' }),
  change('case.closed', { actor_role: 'reviewer' }),
  change('review.decided', { gate: { id: 'g', checks: { tone_ok: 'maybe' } } }),
  change('review.decided', { gate: { checks: {} } }),
  change('case.created', { tier: '2' }),
  change('case.created', { tier: 4 }),
  change('case.created', { confidence: 1.5 }),
  change('case.created', { risk_signals: 'pii' }),
  change('case.created', { features: { nested: { a: 1 } } }),
  change('case.created', { features: Object.fromEntries(Array.from({ length: LIMITS.featureKeys + 1 }, (_, i) => [`f${i}`, i])) }),
  change('case.triaged', { sampled: 'yes' }),
  change('review.assigned', { level: 4 }),
  change('case.escalated', { from_level: 2, to_level: 2 }),
  change('case.escalated', { from_level: 2, to_level: 1 }),
  change('case.escalated', { from_level: 3, to_level: 3 }),
  change('audit.completed', { sampling_rate: 0 }),
  change('review.decided', { reason_code: 'my_code' }),
  change('case.closed', { case_id: null }),
  change('case.closed', { event_id: '' }),
  change('case.closed', { event_id: 'x'.repeat(LIMITS.idLength + 1) }),
  change('case.created', { input: 'x'.repeat(LIMITS.longText + 1) }),
  change('case.closed', { attrs: 'queue=a' }),
];

describe('Python jsonschema agrees with createValidator', () => {
  beforeAll(() => requirePython(['jsonschema']));

  it('on every docs example and more valid events: both accept', () => {
    const instances = [...eventExamples, ...request.filter((e) => createValidator(CONTRACT_ONLY)(e, 0, 0).ok), ...MORE_VALID];
    expect(ourVerdicts(instances, createValidator(CONTRACT_ONLY))).toEqual(instances.map(() => true));
    expect(pythonVerdicts(eventJsonSchema(), instances)).toEqual(instances.map(() => true));
  });

  it('on invalid events: both reject', () => {
    const instances = INVALID;
    expect(ourVerdicts(instances, createValidator(CONTRACT_ONLY))).toEqual(instances.map(() => false));
    expect(pythonVerdicts(eventJsonSchema(), instances)).toEqual(instances.map(() => false));
  });

  it('on the published file itself, not only on the generator output', () => {
    const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    const instances = [...eventExamples, ...INVALID];
    expect(pythonVerdicts(published, instances)).toEqual(ourVerdicts(instances, createValidator(CONTRACT_ONLY)));
  });

  it('with extra reason codes, on both sides', () => {
    const instances = [
      change('review.decided', { reason_code: 'my_code' }),
      change('case.reopened', { reason_code: 'my_code' }),
      change('case.reopened', { reason_code: 'tone' }),
      change('case.reopened', { reason_code: 'your_code' }),
    ];
    const expected = [true, true, true, false];
    expect(ourVerdicts(instances, createValidator({ ...CONTRACT_ONLY, extraReasonCodes: ['my_code'] }))).toEqual(expected);
    expect(pythonVerdicts(eventJsonSchema(['my_code']), instances)).toEqual(expected);
  });
});
