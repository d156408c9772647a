import { BodyError } from '../errors.js';
import { DEFAULT_LIMITS, limitText, type EventLimits } from '../events/limits.js';
import { UnparseableRecord } from './unparseable.js';
import { invalidUtf8Offset, invalidUtf8Text } from './utf8.js';

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-lines']);
const NEWLINE = 0x0a;

export function isNdjson(contentType: string | undefined): boolean {
  return contentType !== undefined && NDJSON_TYPES.has(contentType.split(';')[0].trim().toLowerCase());
}

/**
 * A request body as records: NDJSON gives one record per non-blank line (a bad line becomes an
 * UnparseableRecord at its index, the rest still count); JSON gives an array's items or one object.
 * Bytes that are not UTF-8 are never repaired: the NDJSON line holding them is rejected alone,
 * a JSON body as a whole (400). Offsets count bytes of the body as received after gunzip.
 */
export function parseEventsBody(
  body: Buffer,
  contentType: string | undefined,
  limits: Readonly<Pick<EventLimits, 'maxEventsPerRequest'>> = DEFAULT_LIMITS,
): unknown[] {
  const records = isNdjson(contentType) ? parseNdjson(body) : parseJson(body);
  if (records.length > limits.maxEventsPerRequest) {
    throw new BodyError(
      'batch_too_large',
      `the request holds ${records.length.toLocaleString('en-US')} events, more than ${limitText('maxEventsPerRequest', limits)}; split the batch`,
    );
  }
  return records;
}

function parseJson(body: Buffer): unknown[] {
  const bad = invalidUtf8Offset(body);
  if (bad >= 0) throw new BodyError('body_invalid_utf8', `the request body has ${invalidUtf8Text(bad, 'the body')}`);
  const text = body.toString('utf8');
  if (text.trim() === '') throw new BodyError('body_empty', 'the request body is empty; send a JSON object, a JSON array or NDJSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BodyError(
      'body_not_json',
      `the request body is not valid JSON (${(err as Error).message}); for one event per line send Content-Type: application/x-ndjson`,
      { cause: err },
    );
  }
  return Array.isArray(value) ? value : [value];
}

function parseNdjson(body: Buffer): unknown[] {
  const records: unknown[] = [];
  const valid = invalidUtf8Offset(body) < 0;
  let lineNo = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf(NEWLINE, start);
    if (end === -1) end = body.length;
    lineNo++;
    // only a body known to hold bad bytes pays for a check per line
    const bad = valid ? -1 : invalidUtf8Offset(body, start, end);
    if (bad >= 0) {
      records.push(new UnparseableRecord(`line ${lineNo}: ${invalidUtf8Text(start + bad, `the body (byte ${bad} of the line)`)}`));
    } else {
      const line = body.toString('utf8', start, end).trim();
      if (line !== '') {
        try {
          records.push(JSON.parse(line));
        } catch (err) {
          records.push(new UnparseableRecord(`line ${lineNo}: not valid JSON (${(err as Error).message})`, line.slice(0, 200)));
        }
      }
    }
    start = end + 1;
  }
  return records;
}
