import { limitText, type EventLimits } from './limits.js';
import type { FieldIssue } from './field-issue.js';

/**
 * Checks an event's shape against the limits before anything recursive (zod, JSON.stringify)
 * touches it: nesting depth, string length everywhere, and the size and key count of what
 * will be stored as `attrs` (the attrs object plus the unknown top-level fields). The walk
 * uses its own stack, never the call stack, so an event nested 100,000 deep is one rejection,
 * not a RangeError that takes its whole batch down. It stops at the first problem.
 *
 * `toAttrs(key)` says whether a top-level field is stored in attrs (an unknown field).
 */
export function checkShapeLimits(
  event: Record<string, unknown>,
  limits: Readonly<EventLimits>,
  toAttrs: (key: string) => boolean,
): FieldIssue | undefined {
  const budget: AttrsBudget = { entries: 0, bytes: 2 };
  for (const key of Object.keys(event)) {
    if (key.length > limits.maxStringLength) {
      return { field: `${key.slice(0, 64)}…`, message: `field name of ${key.length} characters is over ${limitText('maxStringLength', limits)}` };
    }
    const value = event[key];
    let counted: AttrsBudget | undefined;
    if (key === 'attrs') counted = budget;
    else if (toAttrs(key)) {
      counted = budget;
      budget.entries++;
      budget.bytes += key.length + 3;
    }
    const issue = walk(value, limits, counted);
    if (issue) return { field: key, message: issue };
    if (key === 'features' && isPlainObject(value)) {
      const n = Object.keys(value).length;
      // the same words as the schema's check, which zod would reach only after visiting every key
      if (n > limits.maxFeatures) return { field: key, message: `more features than ${limitText('maxFeatures', limits)}` };
    }
  }
  return undefined;
}

interface AttrsBudget {
  /** Keys and array items seen so far, every level. */
  entries: number;
  /** A lower bound of the UTF-8 JSON size seen so far: string lengths, quotes, brackets. */
  bytes: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One top-level field's value, depth-first on an explicit stack; the value sits at depth 2. */
function walk(root: unknown, limits: Readonly<EventLimits>, budget: AttrsBudget | undefined): string | undefined {
  const values: unknown[] = [root];
  const depths: number[] = [2];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        return `a string of ${value.length} characters is over ${limitText('maxStringLength', limits)}`;
      }
      if (budget) budget.bytes += value.length + 2;
    } else if (typeof value === 'object' && value !== null) {
      if (depth > limits.maxDepth) return `nested deeper than ${limitText('maxDepth', limits)}`;
      if (budget) budget.bytes += 2;
      if (Array.isArray(value)) {
        if (budget && (budget.entries += value.length) > limits.maxAttrsKeys) return tooManyKeys(limits);
        for (let i = value.length - 1; i >= 0; i--) {
          values.push(value[i]);
          depths.push(depth + 1);
        }
      } else {
        const keys = Object.keys(value);
        if (budget && (budget.entries += keys.length) > limits.maxAttrsKeys) return tooManyKeys(limits);
        for (const k of keys) {
          if (k.length > limits.maxStringLength) {
            return `a key of ${k.length} characters is over ${limitText('maxStringLength', limits)}`;
          }
          if (budget) budget.bytes += k.length + 3;
          values.push((value as Record<string, unknown>)[k]);
          depths.push(depth + 1);
        }
      }
    } else if (budget) {
      budget.bytes += 1;
    }
    if (budget) {
      if (budget.entries > limits.maxAttrsKeys) return tooManyKeys(limits);
      if (budget.bytes > limits.maxAttrsBytes) return attrsTooLarge(limits);
    }
  }
  return undefined;
}

const STORED_ATTRS = 'attrs (with the unknown fields stored in it)';

function tooManyKeys(limits: Readonly<EventLimits>): string {
  return `${STORED_ATTRS} has more keys and items than ${limitText('maxAttrsKeys', limits)}`;
}

export function attrsTooLarge(limits: Readonly<EventLimits>, bytes?: number): string {
  const size = bytes === undefined ? '' : ` (${bytes.toLocaleString('en-US')} bytes as JSON)`;
  return `${STORED_ATTRS} is larger${size} than ${limitText('maxAttrsBytes', limits)}`;
}
