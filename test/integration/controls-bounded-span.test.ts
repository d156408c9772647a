import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { controlsFamily } from '../../src/metrics/families/controls.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { loadDerived, loadQuery } from '../../src/store/sql-files.js';
import { caseScript, toRows } from '../helpers/metrics.js';
import { forEachStore, openTestStore, rawClient, tempDir } from '../helpers/stores.js';

// Issue 13: the decided-while-the-line-was-stopped control listed an open stop once per hour
// up to the last decision; one decision dated 9999-12-31 made that 70 million rows. The work
// measure is DuckDB's own (EXPLAIN ANALYZE: rows produced by every operator); on ClickHouse
// (chdb keeps no query_log) the test checks the result only.

const NOW = new Date(Date.UTC(2026, 10, 24, 12));
const W = 'it_access_requests';

function ordinaryRows(): EventRow[] {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 23, 9) + m * 60_000).toISOString();
  const decided = (id: string, m: number) =>
    caseScript(id).add(0, 'case.created', { workflow: W, tier: 2 }).add(1, 'case.triaged', { lane: 'human_review' }).add(m, 'review.decided', { actor_id: 'r1', decision: 'approve' }).events;
  return toRows([
    { event_id: 'stop-1', type: 'line.stopped', ts: at(20), workflow: W, trigger: 'incident' },
    { event_id: 'resume-1', type: 'line.resumed', ts: at(40), workflow: W },
    { event_id: 'stop-2', type: 'line.stopped', ts: at(60), workflow: W, trigger: 'incident' }, // never resumed
    ...decided('during-first', 30),
    ...decided('between', 50),
    ...decided('during-second', 70),
  ]);
}

/** A case decided in year 9999, stored before the contract refused such timestamps (written as rows). */
function farRows(): EventRow[] {
  const rows = toRows(caseScript('far').add(0, 'case.created', { workflow: W, tier: 2 }).add(1, 'case.triaged', { lane: 'human_review' }).add(2, 'review.decided', { actor_id: 'r2', decision: 'approve' }).events);
  rows[2] = { ...rows[2], ts: Date.UTC(9999, 11, 31, 10) };
  return rows;
}

/** The violations query with the default cut written in, as the store would run it. */
async function violationsSql(): Promise<string> {
  const sql = await loadQuery('duckdb', 'metrics/controls/violations');
  const values: Record<string, string> = { group_by: "['workflow']::VARCHAR[]", bucket: "'day'", now: `TIMESTAMP '${NOW.toISOString().slice(0, 23).replace('T', ' ')}'` };
  return sql.replace(/\$([a-z_][a-z0-9_]*)/gi, (_, name: string) => values[name] ?? 'NULL');
}

async function violationsWork(dir: string, name: string, rows: EventRow[]): Promise<number> {
  const file = path.join(dir, `${name}.duckdb`);
  const store = await DuckDBStore.open({ path: file });
  await store.migrate();
  await store.insertEvents(rows);
  await store.close();
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  try {
    // the store keeps its derived tables in memory: built here again, as a full refresh builds them
    await c.run('CREATE TEMP VIEW delta_events AS SELECT * FROM events; CREATE TEMP VIEW new_events AS SELECT * FROM events');
    for (const f of await loadDerived('duckdb')) await c.run(`${f.sql}; CREATE TEMP VIEW ${f.name} AS FROM ${f.name}_delta`);
    const plan = (await c.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT JSON) ${await violationsSql()}`)).getRowObjects()[0].explain_value as string;
    return Number(JSON.parse(plan).cumulative_cardinality);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('control violations with a decision in year 9999', () => {
  const tmp = tempDir('loopwatch-controls-span-');
  afterAll(() => tmp.cleanup());

  it('does work that follows the events, not the hours between them (DuckDB EXPLAIN ANALYZE)', async () => {
    const ordinary = await violationsWork(tmp.dir, 'ordinary', ordinaryRows());
    const withFar = await violationsWork(tmp.dir, 'far', [...ordinaryRows(), ...farRows()]);
    // one more case and decision adds a handful of rows to each operator, not one per hour
    expect(withFar - ordinary).toBeLessThan(200);
  }, 120_000);
});

forEachStore((kind) => {
  describe('control violations with a decision in year 9999', () => {
    const tmp = tempDir('loopwatch-controls-span-');
    let store: Awaited<ReturnType<typeof openTestStore>>;
    beforeAll(async () => {
      store = await openTestStore(kind, tmp.dir);
      await store.insertEvents([...ordinaryRows(), ...farRows()]);
      await store.refreshDerived();
    });
    afterAll(async () => {
      if (store instanceof ClickHouseStore) await rawClient(store).command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
      await store?.close();
      tmp.cleanup();
    });

    it('flags the decisions taken while the line was stopped, the far one included', async () => {
      const result = await controlsFamily.compute({ store, cuts: cutsSchema.parse({}), config: defaultMetricsConfig(), now: NOW });
      const ids = (result.details as { by_control: Record<string, { case_ids: string[] }> }).by_control.decided_while_line_stopped.case_ids;
      expect(ids).toEqual(['during-first', 'during-second', 'far']);
    });
  });
});
