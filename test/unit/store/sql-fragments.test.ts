import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoopwatchError } from '../../../src/errors.js';
import { DIMENSIONS } from '../../../src/metrics/cuts.js';
import { engineFragments, loadQuery, SQL_ROOT } from '../../../src/store/sql-files.js';
import { expandFragments, parseFragment, parseFragmentFile } from '../../../src/store/sql-fragments.js';

const ENGINES = ['duckdb', 'clickhouse'] as const;

/** Query names (`metrics/quality/false_accept_rate`, ...) of an engine: every file loadQuery serves. */
function queryNames(engine: string): string[] {
  const names: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(SQL_ROOT, engine, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.sql')) names.push(child.slice(0, -4));
    }
  };
  for (const dir of ['metrics', 'api', 'testing']) walk(dir);
  return names.sort();
}

// Cut parts a query writes out on purpose, each with the reason given in its file.
const WRITTEN_OUT: Record<string, string[]> = {
  // a version's first sighting is per workflow, before `to` only
  'metrics/drift/model_versions': ['workflow', 'to'],
  // the reviewer filter selects raters in focus, on each rater column
  'metrics/agreement/rating_aggregates': ['reviewer'],
};

describe('the cut is written once per dialect (sql/cut/<engine>.sql)', () => {
  for (const engine of ENGINES) {
    it(`${engine}: every query file expands, and no metric query spells out the cut itself`, async () => {
      const names = queryNames(engine);
      expect(names.filter((n) => n.startsWith('metrics/')).length).toBeGreaterThanOrEqual(20);
      for (const name of names) {
        const expanded = await loadQuery(engine, name);
        expect(expanded, name).not.toMatch(/\{\{/);
        const raw = readFileSync(path.join(SQL_ROOT, engine, `${name}.sql`), 'utf8').replace(/--[^\n]*/g, '');
        expect(raw, name).not.toMatch(engine === 'duckdb' ? /list_contains\(\$group_by/ : /has\(\{group_by/);
        expect(raw, name).not.toMatch(engine === 'duckdb' ? /date_trunc\(\$bucket/ : /\{bucket:/);
        const spelled = [...raw.matchAll(engine === 'duckdb' ? /\(\$([a-z_]+) IS NULL OR/g : /\(\{([a-z_]+):[^}]*\} IS NULL OR/g)].map((m) => m[1]);
        expect([...new Set(spelled)].sort(), name).toEqual([...(WRITTEN_OUT[name] ?? [])].sort());
      }
    });

    it(`${engine}: the fragments cover every dimension of src/metrics/cuts.ts`, async () => {
      const fragments = await engineFragments(engine);
      for (const name of ['group_columns', 'filters']) {
        const f = fragments.get(name)!;
        expect([...f.params.keys()].sort(), name).toEqual([...DIMENSIONS, 'time'].sort());
      }
      const text = expandFragments('{{cut.group_columns(time=ts)}}', fragments, 'x.sql');
      for (const d of DIMENSIONS) expect(text).toContain(`AS g_${d}`);
      expect(text).toContain('AS g_bucket');
    });
  }

  it('expands a call: defaults qualified by table, given columns as written, none leaves items out', async () => {
    const fragments = await engineFragments('duckdb');
    const sql = `SELECT x\nWHERE {{cut.filters(table=c, tier=none, reviewer=c.final_reviewer, time=c.created_at)}}`;
    expect(expandFragments(sql, fragments, 'q.sql')).toBe(
      [
        'SELECT x',
        'WHERE ($workflow IS NULL OR c.workflow = $workflow)',
        'AND ($lane IS NULL OR c.lane = $lane)',
        'AND ($model_version IS NULL OR c.model_version = $model_version)',
        'AND ($policy_version IS NULL OR c.policy_version = $policy_version)',
        'AND ($reviewer IS NULL OR c.final_reviewer = $reviewer)',
        'AND ($from IS NULL OR c.created_at >= $from)',
        'AND ($to IS NULL OR c.created_at < $to)',
      ].join('\n'),
    );
    expect(expandFragments('  {{cut.group_columns(tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=ts)}},', fragments, 'q.sql')).toBe(
      "  CASE WHEN list_contains($group_by, 'workflow') THEN (CASE WHEN len($keep_workflow) = 0 OR workflow IS NULL OR list_contains($keep_workflow, workflow) THEN workflow ELSE '(other)' END) END AS g_workflow,\n  date_trunc($bucket, ts) AS g_bucket,",
    );
  });

  it('refuses what it cannot check, naming the file', async () => {
    const fragments = await engineFragments('clickhouse');
    const refused = (sql: string): LoopwatchError => {
      try {
        expandFragments(sql, fragments, 'sql/clickhouse/metrics/x/y.sql');
      } catch (err) {
        return err as LoopwatchError;
      }
      throw new Error(`expanded: ${sql}`);
    };
    for (const [sql, message] of [
      ['{{cut.nope(time=ts)}}', /unknown fragment cut\.nope/],
      ['{{cut.filters(time=ts, colour=red)}}', /has no parameter colour/],
      ['{{cut.filters(time=ts, reviewer=lower(x))}}', /unresolved include/],
      ["{{cut.filters(time=ts, reviewer=x' OR 1)}}", /bad argument/],
      ['{{cut.filters(time=1ts)}}', /not a column reference/],
      ['{{cut.filters(reviewer=actor_id)}}', /time is required/],
      ['{{cut.filters(time=ts, time=ts)}}', /time given twice/],
      ['{{cut.reviewer_focus()}} AND {{ cut.filters }}', /unresolved include/],
      [
        '{{cut.filters(workflow=none, tier=none, lane=none, model_version=none, policy_version=none, reviewer=none, time=none)}}',
        /every item left out/,
      ],
    ] as const) {
      const err = refused(sql);
      expect(err, sql).toBeInstanceOf(LoopwatchError);
      expect(err.code).toBe('sql_fragment');
      expect(err.message, sql).toMatch(/^sql\/clickhouse\/metrics\/x\/y\.sql: /);
      expect(err.message, sql).toMatch(message);
    }
    expect(() => parseFragmentFile('sql/cut/x.sql', '-- loopwatch: fragment bad\nSELECT {{x}}')).toThrow(
      /^sql\/cut\/x\.sql \(cut\.bad\): a fragment needs/,
    );
    expect(() => parseFragment('bad', 'sql/cut/x.sql', '-- loopwatch: params a\n-- loopwatch: joined by ,\n{{b}}')).toThrow(
      /\{\{b\}\} is not a declared parameter/,
    );
    const twice = '-- loopwatch: fragment f\n-- loopwatch: params\n-- loopwatch: joined by AND\nTRUE\n';
    expect(() => parseFragmentFile('sql/cut/x.sql', twice + twice)).toThrow(/fragment f defined twice/);
    expect(() => parseFragmentFile('sql/cut/x.sql', 'SELECT 1')).toThrow(/no `-- loopwatch: fragment <name>` line/);
  });
});
