import type { z } from 'zod';

/**
 * zod's error map for the event contract, also used for the configuration and metric cuts. zod's own messages read "Invalid input" (a union,
 * a failed refinement) or "Invalid input: expected int, received number"; a sender fixing a
 * rejected event needs the field (the issue path gives it), what was expected in words, and
 * what was sent. Every issue code zod 4 raises is answered here, so no message falls back to
 * zod's wording; a refinement with its own message keeps it (a schema's `error` wins).
 */
export function explainIssue(issue: z.core.$ZodRawIssue): string {
  const input = issue.input;
  if (input === undefined && issue.code !== 'custom') return 'required field is missing';
  switch (issue.code) {
    case 'invalid_type': {
      // z.int() reports a string as "expected number"; the schema's format says it wants an integer
      const format = (issue.inst as { _zod?: { def?: { format?: string } } } | undefined)?._zod?.def?.format;
      const expected = format && /int/.test(format) ? 'int' : issue.expected;
      return `expected ${typeName(expected)}, got ${describe(input)}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}, got ${describe(input)}`
        : `${JSON.stringify(input)} is not allowed; expected one of ${issue.values.join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'date-time' || issue.format === 'datetime') {
        return `expected an RFC 3339 timestamp with an offset, such as 2026-11-24T09:30:00.000Z, got ${JSON.stringify(input)}`;
      }
      return `expected the ${issue.format} format, got ${describe(input)}`;
    case 'too_small':
    case 'too_big':
      return `expected ${bound(issue)}, got ${measured(issue.origin, input)}`;
    case 'invalid_union':
      return `expected ${unionExpectation(issue.errors)}, got ${describe(input)}`;
    case 'invalid_key':
      return `the key ${JSON.stringify(input)} is not allowed: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'invalid_element':
      return `an entry is not allowed: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}, got ${describe(input)}`;
    case 'unrecognized_keys':
      return `expected no other fields, got ${issue.keys.join(', ')}`;
    case 'custom':
      return issue.message ?? `got ${describe(input)}, which fails a check of the event contract`;
    default:
      return `got ${describe(input)}, which the event contract does not allow`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  tuple: 'an array',
  null: 'null',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** What a sender sent, short enough for a message: the value for scalars, the kind otherwise. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `a string of ${v.length} characters` : `the string ${JSON.stringify(v)}`;
    case 'number':
      // NaN is what z.coerce.number() makes of text such as "eighty"
      return Number.isNaN(v) ? 'a value that is not a number' : Number.isFinite(v) ? String(v) : `${v} (not a finite number)`;
    case 'boolean':
      return String(v);
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

function bound(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall>): string {
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum);
  const inclusive = issue.inclusive !== false;
  const unit = issue.origin === 'string' ? 'character' : issue.origin === 'array' || issue.origin === 'set' ? 'item' : undefined;
  if (unit) return `${big ? 'at most' : 'at least'} ${limit} ${unit}${limit === 1 ? '' : 's'}`;
  if (big) return inclusive ? `a number of at most ${limit}` : `a number below ${limit}`;
  return inclusive ? `a number of at least ${limit}` : `a number above ${limit}`;
}

function measured(origin: string, input: unknown): string {
  if (origin === 'string' && typeof input === 'string') return `${input.length} character${input.length === 1 ? '' : 's'}`;
  if (origin === 'array' && Array.isArray(input)) return `${input.length} item${input.length === 1 ? '' : 's'}`;
  return describe(input);
}

/** "a number, a string or null": the type each branch of a union wanted, in order. */
function unionExpectation(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const wanted = branches.map((issues) => {
    const first = issues[0];
    if (first?.code === 'invalid_type' && first.path.length === 0) return typeName(first.expected);
    if (first?.code === 'invalid_value' && first.path.length === 0) {
      return first.values.length === 1 ? JSON.stringify(first.values[0]) : `one of ${first.values.join(', ')}`;
    }
    return first ? `a value where ${first.message}` : 'another value';
  });
  const unique = [...new Set(wanted)];
  return unique.length === 1 ? unique[0] : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}
