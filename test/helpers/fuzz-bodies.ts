import fc from 'fast-check';
import { gzipSync, deflateSync } from 'node:zlib';
import { EVENT_TYPES } from '../../src/events/vocabulary.js';
import { validEventArbitraries } from './event-arbitraries.js';
import { eventMutations } from './event-mutations.js';

/**
 * Request bodies for the HTTP route fuzz. An `events` body says what the server must answer
 * (which items are valid); a `garbage` body only has to be refused or taken cleanly.
 */
export type Item = { kind: 'valid'; event: Record<string, unknown> } | { kind: 'mutated'; json: string } | { kind: 'badUtf8'; event: Record<string, unknown> };

export interface EventsBody {
  kind: 'events';
  items: Item[];
  framing: 'array' | 'single' | 'ndjson';
  separator: string;
  contentType: string;
  gzip: boolean;
}

export interface GarbageBody {
  kind: 'garbage';
  label: string;
  body: Buffer;
  headers: Record<string, string>;
}

export type FuzzBody = EventsBody | GarbageBody;

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON'];
const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-ndjson; charset=utf-8', 'application/ndjson'];
// blank lines, CRLF, whitespace-only lines: all mean "no record here"
const SEPARATORS = ['\n', '\r\n', '\n\n', '\r\n\r\n', '\n \t\n', '\r\n   \r\n'];

export function fuzzBodies(receivedAt: number): fc.Arbitrary<FuzzBody> {
  const anyValid = fc.oneof(...EVENT_TYPES.map((t) => validEventArbitraries(receivedAt)[t]));
  // a request reaches the server seconds after the arbitrary's clock: keep "future" clearly future
  const mutations = eventMutations(receivedAt, 600_000);
  const item: fc.Arbitrary<Item> = fc.oneof(
    { weight: 4, arbitrary: anyValid.map((event): Item => ({ kind: 'valid', event })) },
    { weight: 2, arbitrary: fc.tuple(anyValid, mutations).map(([e, m]): Item => ({ kind: 'mutated', json: jsonText(m(e)) })) },
    { weight: 1, arbitrary: anyValid.map((event): Item => ({ kind: 'badUtf8', event })) },
  );
  const events = fc
    .record({
      items: fc.array(item, { minLength: 1, maxLength: 12 }),
      framing: fc.constantFrom('array', 'single', 'ndjson'),
      separator: fc.constantFrom(...SEPARATORS),
      jsonType: fc.constantFrom(...JSON_TYPES),
      ndjsonType: fc.constantFrom(...NDJSON_TYPES),
      gzip: fc.boolean(),
    })
    .map(({ items, framing, separator, jsonType, ndjsonType, gzip }): FuzzBody => {
      const f = framing === 'single' && items.length > 1 ? 'array' : framing;
      // one mutated value alone could itself be an array: the server would read its items
      const single = f === 'single' && items[0].kind !== 'valid' ? 'array' : f;
      const b: EventsBody = { kind: 'events', items, framing: single, separator, contentType: single === 'ndjson' ? ndjsonType : jsonType, gzip };
      return described(b, () => `events ${single} ${JSON.stringify(b.contentType)}${gzip ? ' gzip' : ''} ${JSON.stringify(separator)}: ${items.map(itemText).join(' | ')}`);
    });
  return fc.oneof({ weight: 3, arbitrary: events }, { weight: 2, arbitrary: garbage(anyValid) });
}

/** Unique event ids, assigned after generation so that shrinking never makes two alike. */
export function assignIds(body: EventsBody, prefix: string): void {
  body.items.forEach((it, i) => {
    if (it.kind !== 'mutated') it.event = { ...it.event, event_id: `${prefix}-${i}` };
  });
}

/** The bytes of an item: its JSON, or with a byte that is never UTF-8 inside its event id. */
function itemBytes(it: Item): Buffer {
  if (it.kind === 'valid') return Buffer.from(JSON.stringify(it.event));
  if (it.kind === 'mutated') return Buffer.from(it.json);
  const [head, tail] = JSON.stringify({ ...it.event, event_id: `${String(it.event.event_id)}@@` }).split('@@');
  return Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(tail)]);
}

export function encodeEvents(b: EventsBody): { body: Buffer; headers: Record<string, string> } {
  const parts = b.items.map(itemBytes);
  let raw: Buffer;
  if (b.framing === 'single') raw = parts[0];
  else if (b.framing === 'array') raw = Buffer.concat([Buffer.from('['), ...parts.flatMap((p, i) => (i ? [Buffer.from(','), p] : [p])), Buffer.from(']')]);
  else raw = Buffer.concat([...parts.flatMap((p) => [p, Buffer.from(b.separator)])]);
  const headers: Record<string, string> = { 'content-type': b.contentType };
  if (b.gzip) headers['content-encoding'] = 'gzip';
  return { body: b.gzip ? gzipSync(raw) : raw, headers };
}

function garbage(anyValid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<FuzzBody> {
  const g = (label: string, body: Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): FuzzBody =>
    described({ kind: 'garbage', label, body, headers }, () => `${label} ${JSON.stringify(headers)}: ${preview(body)}`);
  const validJson = fc.array(anyValid, { minLength: 1, maxLength: 4 }).map((es) => JSON.stringify(es.map((e, i) => ({ ...e, event_id: `garbage-${i}` }))));
  return fc.oneof(
    fc.uint8Array({ maxLength: 4000 }).map((b) => g('random bytes', Buffer.from(b))),
    fc.tuple(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('application/json', 'application/x-ndjson')).map(([b, ct]) => g('random bytes', Buffer.from(b), { 'content-type': ct })),
    fc.jsonValue().map((v) => g('random JSON', Buffer.from(JSON.stringify(v) ?? 'null'))),
    fc.tuple(validJson, fc.nat()).map(([s, n]) => g('truncated JSON', Buffer.from(s.slice(0, n % s.length)))),
    fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.boolean(), fc.constantFrom('[', '{"a":')).map(([depth, closed, open]) => {
      const close = open === '[' ? ']' : '}';
      return g('deep nesting', Buffer.from(`${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`));
    }),
    fc.integer({ min: 1, max: 3_000_000 }).map((n) => g('huge string', Buffer.from(`"${'x'.repeat(n)}"`))),
    fc.integer({ min: 1, max: 200_000 }).map((n) => g('huge array', Buffer.from(`[${Array.from({ length: n }, () => '{}').join(',')}]`))),
    fc.tuple(validJson, fc.nat(), fc.constantFrom(0xff, 0xc3, 0xed, 0xf4, 0x80)).map(([s, n, byte]) => {
      const b = Buffer.from(s);
      const at = n % (b.length + 1);
      return g('invalid UTF-8', Buffer.concat([b.subarray(0, at), Buffer.from([byte]), b.subarray(at)]));
    }),
    fc.tuple(validJson, fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '', 'application/json; charset=latin1', 'application/octet-stream')).map(([s, ct]) =>
      g(`content type ${JSON.stringify(ct)}`, Buffer.from(s), ct === '' ? {} : { 'content-type': ct }),
    ),
    fc.tuple(validJson, fc.constantFrom('br', 'deflate', 'identity', 'x-zip', 'gzip, gzip', 'compress', 'GZIP')).map(([s, enc]) =>
      g(`content encoding ${enc}`, enc === 'deflate' ? deflateSync(s) : Buffer.from(s), { 'content-type': 'application/json', 'content-encoding': enc }),
    ),
    fc.uint8Array({ maxLength: 2000 }).map((b) => g('gzip of garbage', gzipSync(Buffer.from(b)), { 'content-type': 'application/json', 'content-encoding': 'gzip' })),
    fc.uint8Array({ maxLength: 2000 }).map((b) => g('not gzip, said gzip', Buffer.from(b), { 'content-type': 'application/json', 'content-encoding': 'gzip' })),
    fc.tuple(validJson, fc.nat()).map(([s, n]) => {
      const z = gzipSync(s);
      return g('truncated gzip', z.subarray(0, n % z.length), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    }),
    fc.constantFrom(' ', '[', '0').map((c) => g('gzip bomb', gzipBomb(c), { 'content-type': 'application/json', 'content-encoding': 'gzip' })),
  );
}

// 64 MB of one byte, ~64 KB compressed: well past the test server's body limit once inflated
const bombs = new Map<string, Buffer>();
function gzipBomb(c: string): Buffer {
  let b = bombs.get(c);
  if (!b) bombs.set(c, (b = gzipSync(Buffer.alloc(64 * 1024 * 1024, c), { level: 9 })));
  return b;
}

/** fast-check prints a counterexample with this: a short text, not megabytes of nesting. */
function described<T extends object>(value: T, text: () => string): T {
  return Object.assign(value, { [fc.toStringMethod]: text });
}

function preview(b: Buffer): string {
  return `${b.length} bytes ${JSON.stringify(b.subarray(0, 120).toString('latin1'))}${b.length > 120 ? '…' : ''}`;
}

function itemText(it: Item): string {
  return `${it.kind} ${preview(itemBytes(it))}`;
}

/** JSON.stringify, or for values nested too deep for its recursion the same text built with a stack. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v instanceof Raw) {
      out.push(v.text);
    } else if (Array.isArray(v)) {
      const parts: unknown[] = [new Raw('[')];
      v.forEach((x, i) => parts.push(...(i ? [new Raw(',')] : []), x === undefined ? null : x));
      parts.push(new Raw(']'));
      stack.push(...parts.reverse());
    } else if (v !== null && typeof v === 'object') {
      const parts: unknown[] = [new Raw('{')];
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .forEach(([k, x], i) => parts.push(new Raw(`${i ? ',' : ''}${JSON.stringify(k)}:`), x));
      parts.push(new Raw('}'));
      stack.push(...parts.reverse());
    } else {
      out.push(JSON.stringify(v) ?? 'null');
    }
  }
  return out.join('');
}

class Raw {
  constructor(readonly text: string) {}
}
