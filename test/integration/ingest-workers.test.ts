import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createValidator } from '../../src/events/validate.js';
import { EventWriter } from '../../src/ingest/event-writer.js';
import { ingestFiles, type FileSummary } from '../../src/ingest/ingest-files.js';
import { simulate } from '../../src/simulate/index.js';
import { verifyChain } from '../../src/store/chain.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { tempDir } from '../helpers/stores.js';

// File ingest into DuckDB goes through the bulk writer (rows staged to disk, many per
// transaction), with worker threads validating and serializing: both must answer exactly as
// the batch-by-batch path does, rejects file included, byte for byte.
const START = Date.UTC(2026, 9, 1);
const NOW = START + 90 * 86_400_000;

function fileLines(): string[] {
  const events: Record<string, unknown>[] = [];
  for (const batch of simulate({ seed: 31, cases: 40, start: new Date(START), casesPerHour: 600 }, 10_000)) events.push(...batch);
  const lines = events.map((e) => JSON.stringify(e));
  const first = events[0] as Record<string, unknown>;
  // bad records of every kind, spread over the batches, and repeats of ids
  lines.splice(3, 0, '{"event_id": "broken"');
  lines.splice(10, 0, '', '   ', '42');
  lines.splice(25, 0, JSON.stringify({ ...first, type: 'no.such.type' }));
  lines.splice(40, 0, JSON.stringify(first)); // a repeat of an id earlier in the file
  lines.splice(60, 0, JSON.stringify({ ...first, event_id: 'lone-\uD800-surrogate' }).replace('\uD800', '\\ud800'));
  lines.splice(61, 0, `{"__proto__": {"x": 1}, ${JSON.stringify({ ...first, event_id: 'proto-key' }).slice(1)}`);
  lines.splice(90, 0, JSON.stringify({ ...first, event_id: '\uFF21-high', tier: 9 }));
  lines.splice(91, 0, JSON.stringify({ ...first, event_id: '\u{1D4B3}-astral' }));
  lines.push(JSON.stringify(events[5]));
  return lines;
}

interface Run {
  summary: FileSummary;
  rejects: string;
  rows: unknown[];
  links: number;
  chainOk: boolean;
}

describe('file ingest through the bulk writer and worker threads', () => {
  const tmp = tempDir();
  const stores: DuckDBStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => undefined);
    tmp.cleanup();
  });
  const file = path.join(tmp.dir, 'events.ndjson');
  // and a line that is not UTF-8, which the reading thread rejects itself
  const lines = fileLines();
  writeFileSync(file, Buffer.concat([Buffer.from(`${lines.slice(0, 20).join('\n')}\n{"event_id": "`), Buffer.from([0xff]), Buffer.from(`"}\n${lines.slice(20).join('\n')}\n`)]));

  async function ingest(name: string, mode: { bulk?: number; workers?: number }, files = [file]): Promise<Run> {
    const store = await DuckDBStore.open({ path: path.join(tmp.dir, `${name}.duckdb`) });
    stores.push(store);
    await store.migrate();
    const rejectsPath = path.join(tmp.dir, `${name}.rejects.ndjson`);
    const writer = new EventWriter(store);
    const [summary] = await ingestFiles(
      files,
      { validate: createValidator(), writer, now: () => NOW },
      {
        batchSize: 16,
        rejectsPath,
        bulk: mode.bulk ? store.openBulkWriter({ rowsPerWrite: mode.bulk }) : undefined,
        workers: mode.workers ? { count: mode.workers, validator: {} } : undefined,
      },
    );
    await writer.close();
    const w = (store as unknown as { writer: { runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Record<string, unknown>[] }> } }).writer;
    const rows = (await w.runAndReadAll('SELECT * EXCLUDE (received_at) FROM events ORDER BY rowid')).getRowObjectsJS();
    const report = await verifyChain(store.capabilities.chain!);
    return { summary: { ...summary, seconds: 0 }, rejects: readFileSync(rejectsPath, 'utf8'), rows, links: report.links, chainOk: report.ok };
  }

  it('stores, counts and rejects exactly as batch by batch, in process and in worker threads', async () => {
    const reference = await ingest('batches', {});
    const bulk = await ingest('bulk', { bulk: 50 });
    const workers = await ingest('workers', { bulk: 50, workers: 2 });
    expect(reference.summary.rejected).toBe(5);
    expect(reference.summary.duplicates).toBe(2);
    expect(reference.rows.length).toBeGreaterThan(200);
    for (const run of [bulk, workers]) {
      expect(run.summary).toEqual(reference.summary);
      expect(run.rejects).toBe(reference.rejects);
      expect(run.rows).toEqual(reference.rows);
      expect(run.chainOk).toBe(true);
      // one link per write of 50 rows: the file was written in bounded transactions
      expect(run.links).toBe(Math.ceil(reference.rows.length / 50));
    }
    expect(reference.rows.map((r) => (r as { event_id: string }).event_id)).toContain('lone-\uFFFD-surrogate');
    // no staging file is left behind
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith(`loopwatch-staging-${process.pid}-`))).toEqual([]);
  });

  it('counts a second ingest of the same file as duplicates, adds no link, and the chain still verifies', async () => {
    const store = await DuckDBStore.open({ path: path.join(tmp.dir, 'again.duckdb') });
    stores.push(store);
    await store.migrate();
    const writer = new EventWriter(store);
    const once = async () => {
      const bulk = store.openBulkWriter({ rowsPerWrite: 64 });
      const [s] = await ingestFiles([file], { validate: createValidator(), writer, now: () => NOW }, { batchSize: 16, bulk, workers: { count: 2, validator: {} } });
      return s;
    };
    const first = await once();
    const links = (await verifyChain(store.capabilities.chain!)).links;
    const second = await once();
    expect(second).toMatchObject({ accepted: 0, duplicates: first.accepted + first.duplicates, rejected: first.rejected });
    const report = await verifyChain(store.capabilities.chain!);
    expect(report).toMatchObject({ ok: true, links, events: first.accepted });
    await writer.close();
  });
});

describe('staging files of a process that is gone', () => {
  it('are removed when a store opens; those of live processes are left', async () => {
    const tmp = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const stale = path.join(tmpdir(), `loopwatch-staging-${dead}-1.ndjson`);
    const staleIds = path.join(tmpdir(), `loopwatch-staging-${dead}-1-ids.ndjson`);
    const live = path.join(tmpdir(), `loopwatch-staging-${process.pid}-999999.ndjson`);
    for (const f of [stale, staleIds, live]) writeFileSync(f, '{}\n');
    const store = await DuckDBStore.open({ path: path.join(tmp.dir, 'stale.duckdb') });
    await store.close();
    expect([existsSync(stale), existsSync(staleIds), existsSync(live)]).toEqual([false, false, true]);
    rmSync(live);
    tmp.cleanup();
  });
});
