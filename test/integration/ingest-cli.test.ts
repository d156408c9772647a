import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { caseCreated, reviewDecided } from '../helpers/events.js';
import { spawnServer, tempDir, runCli } from '../helpers/server.js';
import { forEachStore, type StoreKind } from '../helpers/stores.js';
import { Q } from '../../src/store/queries.js';

const loopwatch = runCli;

// The store flags of a run: the DuckDB file `db`, or chdb beside it for ClickHouse (this
// process opens only the one chdb directory of the test that reads what was stored).
function engineArgs(kind: StoreKind, db: string): string[] {
  return kind === 'duckdb' ? ['--db', db] : ['--db', db, '--store', 'clickhouse', '--clickhouse-url', `chdb:${db}.chdb`];
}

function openStored(kind: StoreKind, db: string): Promise<Store> {
  return kind === 'duckdb' ? DuckDBStore.open({ path: db }) : ClickHouseStore.open({ chdbPath: `${db}.chdb`, database: 'loopwatch' });
}

async function storedIds(kind: StoreKind, db: string): Promise<string[]> {
  const store = await openStored(kind, db);
  try {
    return (await store.query(Q.allEventIds)).map((r) => r.event_id);
  } finally {
    await store.close();
  }
}

forEachStore((kind) => describe('loopwatch ingest', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('stores the valid events of a file, writes the rejects with their index and reason, and exits 2', async () => {
    const db = path.join(tmp.dir, 'a.duckdb');
    const file = path.join(tmp.dir, 'mixed.ndjson.gz');
    const rejects = path.join(tmp.dir, 'rejects.ndjson');
    const lines = [
      JSON.stringify(caseCreated(1)),
      JSON.stringify({ ...caseCreated(2), tier: 9 }),
      '',
      '{"event_id": "broken",',
      JSON.stringify(reviewDecided(1)),
      JSON.stringify({ ...reviewDecided(3), lane: 'smuggled', tier: 300 }),
    ];
    writeFileSync(file, gzipSync(lines.join('\n')));
    const run = loopwatch(['ingest', file, ...engineArgs(kind, db), '--rejects', rejects, '--no-progress']);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/\(ndjson\): 3 accepted, 0 duplicates, 2 rejected/);
    const written = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // indexes count records, not physical lines: the blank line is skipped
    expect(written.map((r) => [r.file, r.index, r.issues[0].field])).toEqual([
      [file, 1, 'tier'],
      [file, 2, '(event)'],
    ]);
    expect(written[1].reason).toMatch(/not valid JSON/);
    expect(await storedIds(kind, db)).toEqual(['t-created-1', 't-decided-1', 't-decided-3']);

    // the same file again: every valid event is a duplicate, nothing is stored twice
    const again = loopwatch(['ingest', file, ...engineArgs(kind, db), '--no-progress']);
    expect(again.stdout).toMatch(/0 accepted, 3 duplicates, 2 rejected/);
    expect(await storedIds(kind, db)).toHaveLength(3);
  });

  it('exits 0 on a clean file and names a file it cannot read', () => {
    const db = path.join(tmp.dir, 'b.duckdb');
    const file = path.join(tmp.dir, 'clean.json');
    writeFileSync(file, JSON.stringify([caseCreated(5), caseCreated(6)]));
    const ok = loopwatch(['ingest', file, ...engineArgs(kind, db), '--no-progress']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/\(json\): 2 accepted, 0 duplicates, 0 rejected/);
    const missing = loopwatch(['ingest', path.join(tmp.dir, 'nope.ndjson'), ...engineArgs(kind, db)]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.ndjson.*cannot open/);
  });

  it('refuses a bad setting with its name before touching the database', () => {
    const run = loopwatch(['ingest', 'x.ndjson', ...engineArgs(kind, path.join(tmp.dir, 'c.duckdb')), '--log-level', 'loud']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/logLevel \(flag --log-level, env LOOPWATCH_LOG_LEVEL\)/);
  });

  // DuckDB allows one read-write process per file; ClickHouse has no such lock to report
  it.runIf(kind === 'duckdb')('says clearly that another process holds the database file', async () => {
    const db = path.join(tmp.dir, 'held.duckdb');
    const { child } = await spawnServer(db);
    try {
      const file = path.join(tmp.dir, 'one.ndjson');
      writeFileSync(file, JSON.stringify(caseCreated(9)));
      const run = loopwatch(['ingest', file, ...engineArgs(kind, db), '--no-progress']);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/in use by another process.*one read-write process per file/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
}));
