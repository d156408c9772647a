// Issue 14's targets, each as a ratio against its yardstick measured in the same run (absolute
// numbers drift on a shared machine; where the issue names a number, not a peer, that number is
// the yardstick), and the README's "Speed" table made from them.
import { readFileSync, writeFileSync } from 'node:fs';

export interface TargetRow {
  target: string;
  /** what the ratio must be: `>= 0.8`, `<= 1.5` */
  goal: string;
  measured: string;
  yardstick: string;
  ratio: number | null;
  met: boolean | null;
}

const fmt = (x: number, digits = 2) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(digits));
const perSecond = (x: number) => `${Math.round(x / 1000).toLocaleString('en-US')}k events/s`;

function row(target: string, measured: string, yardstick: string, ratio: number | null, goal: { atLeast?: number; atMost?: number }): TargetRow {
  const met = ratio === null || !Number.isFinite(ratio) ? null : goal.atLeast !== undefined ? ratio >= goal.atLeast : ratio <= goal.atMost!;
  const says = goal.atLeast !== undefined ? `>= ${goal.atLeast}` : goal.atMost !== undefined ? `<= ${goal.atMost}` : '—';
  return { target, goal: says, measured, yardstick, ratio: ratio === null ? null : Number(ratio.toFixed(3)), met };
}

/** The target rows for whatever sections the results hold. */
export function targetRows(r: Record<string, any>): TargetRow[] {
  const rows: TargetRow[] = [];
  if (r.cli_start) {
    const s = r.cli_start;
    rows.push(row('CLI start: `loopwatch --help`', `${fmt(s.help_seconds_median)} s`, `0.3 s (bare \`node -e 0\`: ${fmt(s.node_seconds_median)} s)`, s.help_seconds_median / 0.3, { atMost: 1 }));
  }
  if (r.file_ingest) {
    const base = r.file_ingest.duckdb_read_json_baseline;
    const all: any[] = r.file_ingest.formats;
    // the targets are DuckDB's (the default store); ClickHouse's figures are shown beside them
    const formats = all.filter((f) => (f.engine ?? 'duckdb') === 'duckdb');
    const ndjson = formats.find((f) => f.format === 'ndjson');
    if (ndjson) {
      rows.push(row('File ingest, NDJSON', perSecond(ndjson.events_per_second), `DuckDB read_json + de-duplication: ${perSecond(base.events_per_second)}`, ndjson.events_per_second / base.events_per_second, { atLeast: 0.8 }));
      for (const f of formats.filter((x) => x.format !== 'ndjson')) {
        rows.push(row(`File ingest, ${f.format} (time vs NDJSON)`, `${fmt(f.seconds)} s`, `NDJSON: ${fmt(ndjson.seconds)} s`, f.seconds / ndjson.seconds, { atMost: 1.5 }));
      }
    }
    for (const f of formats) rows.push(row(`Memory: ingest ${f.format}`, `${f.max_rss_mb} MB`, '500 MB', f.max_rss_mb / 500, { atMost: 1 }));
    const ch = all.filter((f) => f.engine === 'clickhouse');
    for (const f of ch) {
      rows.push(row(`File ingest into ClickHouse (chdb), ${f.format}`, `${perSecond(f.events_per_second)}, ${fmt(f.seconds)} s, ${f.max_rss_mb} MB`, ndjson ? `DuckDB, same format: ${fmt(formats.find((d) => d.format === f.format)?.seconds ?? NaN)} s` : '—', null, {}));
    }
  }
  if (r.http_ingest) {
    const h = r.http_ingest;
    rows.push(row('HTTP ingest (4 senders x 5,000, durable acks)', perSecond(h.events_per_second), '150k events/s', h.events_per_second / 150_000, { atLeast: 1 }));
    rows.push(row('Memory: server under HTTP ingest', `${h.server_max_rss_mb} MB`, '500 MB', h.server_max_rss_mb / 500, { atMost: 1 }));
  }
  if (r.report) {
    const p = r.report;
    rows.push(row(`One-shot \`report --json\` (${fmt(p.events / 1e6)}M events)`, `${fmt(p.steady.seconds)} s`, '1.5 s', p.steady.seconds / 1.5, { atMost: 1 }));
    rows.push(row(`\`report --json\` after ${p.after_more.more_events.toLocaleString('en-US')} more events`, `${fmt(p.after_more.seconds)} s`, '2 s', p.after_more.seconds / 2, { atMost: 1 }));
    const peak = Math.max(p.first.max_rss_mb ?? 0, p.steady.max_rss_mb ?? 0, p.after_more.max_rss_mb ?? 0);
    rows.push(row('Memory: `report --json`', `${peak} MB`, '500 MB', peak / 500, { atMost: 1 }));
    rows.push(
      row(
        'File to report: ingest + first report vs pandas (load + compute)',
        `${fmt(p.loopwatch_seconds)} s (ingest ${fmt(p.ingest.seconds)} s + report ${fmt(p.first.seconds)} s)`,
        `pandas notebook: ${fmt(p.pandas.wall_seconds)} s`,
        p.pandas.wall_seconds / p.loopwatch_seconds,
        { atLeast: 6 },
      ),
    );
    rows.push(row('pandas peer agrees (numbers compared)', `${p.agreement.mismatches.length} of ${p.agreement.checked} differ`, 'none differ', p.agreement.mismatches.length, { atMost: 0 }));
  }
  const duck = new Map<number, any>((r.metric_suite ?? []).map((m: any) => [m.events_requested, m]));
  for (const m of r.metric_suite ?? []) {
    const limit = m.events_requested >= 5_000_000 ? 2 : 0.4;
    rows.push(row(`Steady server job, DuckDB, ${fmt(m.events / 1e6)}M events`, `${fmt(m.median_ms / 1000)} s`, `${limit} s`, m.median_ms / 1000 / limit, { atMost: 1 }));
  }
  for (const c of r.clickhouse_chdb ?? []) {
    const d = duck.get(c.events_requested ?? c.events);
    if (c.suite_median_ms !== null && d) {
      rows.push(row(`Steady server job, ClickHouse, ${fmt(c.events / 1e6)}M events`, `${fmt(c.suite_median_ms / 1000)} s`, `DuckDB: ${fmt(d.median_ms / 1000)} s`, c.suite_median_ms / d.median_ms, { atMost: 1.5 }));
    }
    // validation included, as the target says, when the run timed it apart (since 2026-12-05)
    const validated = c.insert_events.validated_events_per_second ?? c.insert_events.events_per_second;
    const insertOnly = c.insert_events.validated_events_per_second !== undefined ? ` (insert alone: ${perSecond(c.insert_events.events_per_second)})` : '';
    rows.push(row(`ClickHouse validated inserts (${c.insert_events.format ?? 'JSONCompactEachRow'})`, `${perSecond(validated)}${insertOnly}`, '150k events/s', validated / 150_000, { atLeast: 1 }));
  }
  return rows;
}

export function markdownTable(
  rows: readonly TargetRow[],
  date: string,
  sections: Record<string, { commit: string; date: string }> = {},
  failed: Record<string, string> = {},
): string {
  const measuredAt = Object.entries(sections).map(([name, s]) => `${name} at ${s.commit} (${s.date.slice(0, 16).replace('T', ' ')} UTC)`);
  const lines = [
    `Measured by \`npm run bench\` on ${date.slice(0, 10)} (bench/results/latest.json); the ratio is measured against the yardstick of the same run.`,
    ...(measuredAt.length > 0 ? ['', `Sections: ${measuredAt.join('; ')}.`] : []),
    ...Object.entries(failed).map(([name, why]) => `\nSection ${name} failed: ${why.split('\n')[0].slice(0, 300)}`),
    '',
    '| target | measured | yardstick | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((t) => `| ${t.target} | ${t.measured} | ${t.yardstick} | ${t.ratio ?? '—'} | ${t.goal} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`),
  ];
  return `${lines.join('\n')}\n`;
}

const START = '<!-- speed-table:start (bench/run.ts --readme writes this) -->';
const END = '<!-- speed-table:end -->';

/** Replaces the table between the markers of README.md's "Speed" section. */
export function writeReadmeTable(readme: string, table: string): void {
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${readme} has no speed-table markers`);
  writeFileSync(readme, `${text.slice(0, a + START.length)}\n${table}${text.slice(b)}`);
}
