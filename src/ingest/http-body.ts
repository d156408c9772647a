import { BodyError } from '../errors.js';
import { UnparseableRecord } from './unparseable.js';

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json-lines']);

export function isNdjson(contentType: string | undefined): boolean {
  return contentType !== undefined && NDJSON_TYPES.has(contentType.split(';')[0].trim().toLowerCase());
}

/**
 * A request body as records: NDJSON gives one record per non-blank line (a bad line becomes an
 * UnparseableRecord at its index, the rest still count); JSON gives an array's items or one object.
 */
export function parseEventsBody(body: Buffer, contentType: string | undefined): unknown[] {
  const text = body.toString('utf8');
  if (isNdjson(contentType)) return parseNdjson(text);
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

function parseNdjson(text: string): unknown[] {
  const records: unknown[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    if (line !== '') {
      try {
        records.push(JSON.parse(line));
      } catch (err) {
        records.push(new UnparseableRecord(`line ${lineNo}: not valid JSON (${(err as Error).message})`, line.slice(0, 200)));
      }
    }
    start = end + 1;
  }
  return records;
}
