import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/start-server.js';
import { Q } from '../../src/store/queries.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { caseCreated } from '../helpers/events.js';
import { postEvents, startTestServer, tempDir, runCli } from '../helpers/server.js';

/** `value` as JSON text with `{"a":` … `}` wrapped `depth` times around it: built as text, since JSON.stringify itself would overflow. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** An event's JSON with `field` set to raw JSON text. */
function withRaw(event: Record<string, unknown>, field: string, rawJson: string): string {
  return JSON.stringify({ ...event, [field]: '__RAW__' }).replace('"__RAW__"', rawJson);
}

const ndjson = { 'content-type': 'application/x-ndjson' };

describe('one hostile event among good ones, over HTTP', () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, 'hostile.duckdb');
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server.shutdown('test done');
    tmp.cleanup();
  });

  it('rejects events nested 5,000 deep (in attrs or an unknown field) and stores the events beside them', async () => {
    const body = `[${[
      JSON.stringify(caseCreated(1)),
      withRaw(caseCreated(2), 'attrs', `{"x":${nested(5000)}}`),
      withRaw(caseCreated(3), 'mystery', nested(5000)),
      JSON.stringify(caseCreated(4)),
    ].join(',')}]`;
    const res = await postEvents(server.url, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(res.body.errors.map((e: any) => [e.index, e.issues[0].field])).toEqual([
      [1, 'attrs'],
      [2, 'mystery'],
    ]);
    for (const e of res.body.errors) expect(e.reason).toMatch(/nested deeper than the limit of 32 levels \(limits\.maxDepth, LOOPWATCH_MAX_DEPTH\)/);
    expect((await fetch(`${server.url}/v1/cases/case-4`)).status).toBe(200);
  });

  it('rejects an NDJSON line that is not UTF-8 alone, with its byte offset, and never merges two ids into one', async () => {
    // complete events that differ only in one byte of their id: repaired, both read coll\ufffd
    const withByte = (n: number, byte: number) => {
      const [head, tail] = JSON.stringify(caseCreated(n, { event_id: '@' })).split('@');
      return Buffer.concat([Buffer.from(`${head}coll`), Buffer.from([byte]), Buffer.from(tail)]);
    };
    const lines = [Buffer.from(JSON.stringify(caseCreated(10, { event_id: 'coll-ok' }))), withByte(11, 0xff), withByte(12, 0xfe)];
    const body = Buffer.concat([lines[0], Buffer.from('\n'), lines[1], Buffer.from('\n'), lines[2]]);
    for (const headers of [ndjson, { ...ndjson, 'content-encoding': 'gzip' }] as Record<string, string>[]) {
      const sent = headers['content-encoding'] ? gzipSync(body) : body;
      const res = await postEvents(server.url, sent, headers);
      expect(res.status).toBe(200);
      expect(res.body.accepted + res.body.duplicates).toBe(1);
      expect(res.body.rejected).toBe(2);
      const second = lines[0].length + 1;
      const third = second + lines[1].length + 1;
      expect(res.body.errors.map((e: any) => e.index)).toEqual([1, 2]);
      const at = lines[1].indexOf(0xff);
      expect(res.body.errors[0].reason).toContain(`line 2: invalid UTF-8 at byte ${second + at} of the body (byte ${at} of the line)`);
      expect(res.body.errors[1].reason).toContain(`line 3: invalid UTF-8 at byte ${third + at} of the body`);
    }
  });

  it('answers a JSON body that is not UTF-8 with a 400 naming the byte offset', async () => {
    const body = Buffer.concat([Buffer.from(`[${JSON.stringify(caseCreated(20))},{"event_id":"x`), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]);
    const offset = body.indexOf(0xc3);
    for (const headers of [{}, { 'content-encoding': 'gzip' }] as Record<string, string>[]) {
      const res = await postEvents(server.url, 'content-encoding' in headers ? gzipSync(body) : body, headers);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('body_invalid_utf8');
      expect(res.body.error.message).toContain(`invalid UTF-8 at byte ${offset} of the body`);
    }
    expect((await fetch(`${server.url}/v1/cases/case-20`)).status).toBe(404);
  });

  it('rejects oversized strings, attrs and timestamps outside the window by name, and keeps late events', async () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const manyKeys = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, { v: i }]));
    const heavy = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`s${i}`, 'y'.repeat(60_000)]));
    const events = [
      caseCreated(30, { attrs: { note: big } }),
      caseCreated(31, { stray: { deeper: [big] } }),
      caseCreated(32, { attrs: manyKeys }),
      caseCreated(33, { attrs: heavy }),
      caseCreated(34, { ts: '9999-12-31T23:59:59Z' }),
      caseCreated(35, { ts: '1999-12-31T23:59:59Z' }),
      caseCreated(36, { ts: '2000-01-01T00:00:00Z' }),
      caseCreated(37, { ts: new Date(Date.now() + 3_600_000).toISOString() }),
      caseCreated(38, { ts: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
    ];
    const res = await postEvents(server.url, JSON.stringify(events));
    expect(res.status).toBe(200);
    const why = Object.fromEntries(res.body.errors.map((e: any) => [e.index, e.reason]));
    expect(why[0]).toMatch(/^attrs: a string of 65537 characters is over the limit of 65536 characters \(limits\.maxStringLength, LOOPWATCH_MAX_STRING_LENGTH\)/);
    expect(why[1]).toMatch(/^stray: .*limits\.maxStringLength/);
    expect(why[2]).toMatch(/^attrs: .*more keys and items than the limit of 1,000 keys and items \(limits\.maxAttrsKeys, LOOPWATCH_MAX_ATTRS_KEYS\)/);
    expect(why[3]).toMatch(/^attrs: .*larger than the limit of 256 KiB \(limits\.maxAttrsBytes, LOOPWATCH_MAX_ATTRS_BYTES\)/);
    expect(why[4]).toMatch(/^ts: 9999-12-31T23:59:59\.000Z is ahead of the receiving time .* by more than the limit of 24 h \(limits\.tsMaxAheadMs, LOOPWATCH_TS_MAX_AHEAD_MS\)/);
    expect(why[5]).toMatch(/^ts: before the limit of 2000-01-01T00:00:00\.000Z \(limits\.tsNotBefore, LOOPWATCH_TS_NOT_BEFORE\)/);
    expect(Object.keys(why).map(Number)).toEqual([0, 1, 2, 3, 4, 5, 8]);
    expect(res.body.accepted).toBe(2);
  });

  it('answers a request of more events than the limit with a 413 naming it, storing none', async () => {
    const body = `[${Array.from({ length: 50_001 }, () => '{}').join(',')}]`;
    const res = await postEvents(server.url, body);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      code: 'batch_too_large',
      message: 'the request holds 50,001 events, more than the limit of 50,000 events (limits.maxEventsPerRequest, LOOPWATCH_MAX_EVENTS_PER_REQUEST); split the batch',
    });
  });
});

const loopwatch = runCli;

async function storedIds(db: string): Promise<string[]> {
  const store = await DuckDBStore.open({ path: db });
  try {
    return (await store.query(Q.allEventIds)).map((r) => r.event_id);
  } finally {
    await store.close();
  }
}

describe('loopwatch ingest of hostile records', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('rejects an event nested 5,000 deep with its index, stores the rest, and exits 2 without a stack trace', async () => {
    const db = path.join(tmp.dir, 'deep.duckdb');
    const file = path.join(tmp.dir, 'deep.ndjson');
    const rejects = path.join(tmp.dir, 'deep-rejects.ndjson');
    writeFileSync(file, [JSON.stringify(caseCreated(1)), withRaw(caseCreated(2), 'attrs', `{"x":${nested(5000)}}`), JSON.stringify(caseCreated(3))].join('\n'));
    const run = loopwatch(['ingest', file, '--db', db, '--rejects', rejects, '--no-progress']);
    expect(run.stderr).not.toMatch(/RangeError|\n\s+at /);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/2 accepted, 0 duplicates, 1 rejected/);
    const written = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(written.map((r) => [r.index, r.issues[0].field])).toEqual([[1, 'attrs']]);
    expect(written[0].reason).toMatch(/limits\.maxDepth/);
    expect(await storedIds(db)).toEqual(['t-created-1', 't-created-3']);
  });

  for (const kind of ['ndjson', 'json', 'ndjson.gz', 'json.gz'] as const) {
    it(`rejects each ${kind} record that is not UTF-8 with the byte offset in the file, never merging ids`, async () => {
      const db = path.join(tmp.dir, `utf8-${kind}.duckdb`);
      const file = path.join(tmp.dir, `utf8.${kind}`);
      const rejects = path.join(tmp.dir, `utf8-${kind}-rejects.ndjson`);
      const ok = Buffer.from(JSON.stringify(caseCreated(1)));
      const bad = (byte: number) => {
        const [head, tail] = JSON.stringify(caseCreated(byte, { event_id: '@' })).split('@');
        return Buffer.concat([Buffer.from(`${head}coll`), Buffer.from([byte]), Buffer.from(tail)]);
      };
      const records = [ok, bad(0xff), bad(0xfe)];
      const json = kind.startsWith('json');
      const sep = Buffer.from(json ? ',\n' : '\n');
      const text = Buffer.concat([Buffer.from(json ? '[' : ''), records[0], sep, records[1], sep, records[2], Buffer.from(json ? ']' : '\n')]);
      writeFileSync(file, kind.endsWith('.gz') ? gzipSync(text) : text);
      const run = loopwatch(['ingest', file, '--db', db, '--rejects', rejects, '--no-progress']);
      expect(run.status).toBe(2);
      expect(run.stdout).toMatch(/1 accepted, 0 duplicates, 2 rejected/);
      const written = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(written.map((r) => r.index)).toEqual([1, 2]);
      expect(written[0].reason).toContain(`invalid UTF-8 at byte ${text.indexOf(0xff)} of the file`);
      expect(written[1].reason).toContain(`invalid UTF-8 at byte ${text.indexOf(0xfe)} of the file`);
      expect(await storedIds(db)).toEqual(['t-created-1']);
    });
  }

  it('refuses a CSV file that is not UTF-8 before storing any row, naming the byte and the line', async () => {
    const db = path.join(tmp.dir, 'utf8-csv.duckdb');
    const file = path.join(tmp.dir, 'utf8.csv');
    const row = (id: Buffer, n: number) =>
      Buffer.concat([id, Buffer.from(`,case.created,2026-11-01T00:00:0${n}Z,c${n},support_drafting,1\n`)]);
    const text = Buffer.concat([
      Buffer.from('event_id,type,ts,case_id,workflow,tier\n'),
      row(Buffer.from('csv-ok'), 1),
      row(Buffer.concat([Buffer.from('coll'), Buffer.from([0xff])]), 2),
      row(Buffer.concat([Buffer.from('coll'), Buffer.from([0xfe])]), 3),
    ]);
    writeFileSync(file, text);
    const run = loopwatch(['ingest', file, '--db', db, '--no-progress']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`not UTF-8: invalid UTF-8 at byte ${text.indexOf(0xff)} of the file, line 3`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await storedIds(db).catch(() => [])).toEqual([]);
  });
});
