import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { FAMILIES } from '../../src/metrics/registry.js';
import { renderReport } from '../../src/metrics/report.js';
import { MetricsRunner, type MetricsSnapshot } from '../../src/metrics/runner.js';
import { simulate } from '../../src/simulate/index.js';
import { metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';

// The terminal report over a simulated deployment (drift switched on halfway, so the drift
// section has checks to print), by workflow and by reviewer (the widest table).
const START = new Date(Date.UTC(2026, 10, 16));
const NOW = new Date(Date.UTC(2026, 10, 17, 8));

/** Panels of a rendered table: the dash line gives each column's span; the line above its leaf name, the one above that its prefix. */
function panels(report: string) {
  const lines = report.split('\n');
  const out: { columns: string[]; rows: string[][] }[] = [];
  lines.forEach((line, i) => {
    if (!/^ {2}-+( {2}-+)*$/.test(line)) return;
    const spans = [...line.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const cell = (l: string, [a, b]: readonly [number, number]) => l.slice(a, b).trim();
    // key columns never have a prefix, so a prefix line starts with more than the indent
    const top = /^ {3,}\S/.test(lines[i - 2] ?? '') ? lines[i - 2] : '';
    // a prefix is written from the first column of its run and holds for the columns after it
    let prefix = '';
    const columns = spans.map(([a, b]) => {
      if (top[a] !== undefined && top[a] !== ' ' && top[a - 1] === ' ') prefix = top.slice(a).split(/ {2,}/)[0];
      return prefix ? `${prefix}.${cell(lines[i - 1], [a, b])}` : cell(lines[i - 1], [a, b]);
    });
    const rows: string[][] = [];
    for (let j = i + 1; j < lines.length && /^ {2}\S/.test(lines[j]) && !/^ {2}note \d/.test(lines[j]); j++) rows.push(spans.map((s) => cell(lines[j], s)));
    out.push({ columns, rows });
  });
  return out;
}

const DURATION = /^(—|-?\d+ ms|-?\d+(\.\d)? s|-?\d+m \d+s|-?\d+h \d+m|-?\d+d \d+h)$/;

forEachStore((kind) => describe('the terminal report fits the width and reads in units', () => {
  let fx: MetricsFixture;
  const snapshots: Record<string, MetricsSnapshot> = {};
  beforeAll(async () => {
    const events: Record<string, unknown>[] = [];
    for (const batch of simulate({ seed: 7, cases: 3000, start: START, casesPerHour: 100, driftAt: new Date(START.getTime() + 20 * 3600_000) }, 5000)) events.push(...batch);
    fx = await metricsFixture(events, kind);
    const runner = new MetricsRunner({ store: fx.store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }), clock: () => NOW });
    for (const groupBy of ['workflow', 'reviewer']) {
      snapshots[groupBy] = await runner.compute(cutsSchema.parse({ group_by: groupBy }), { refresh: true });
    }
    snapshots['workflow and hour'] = await runner.compute(cutsSchema.parse({ group_by: 'workflow', bucket: 'hour' }), { refresh: false });
  }, 120_000);
  afterAll(() => fx.close());

  for (const width of [80, 120]) {
    for (const groupBy of ['workflow', 'reviewer', 'workflow and hour']) {
      it(`by ${groupBy} at ${width} columns`, () => {
        const report = renderReport(snapshots[groupBy], { width });
        const lines = report.split('\n');
        const over = lines.filter((l) => l.length > width);
        expect(over).toEqual([]);
        // no exponent notation, and no float printed with more than 4 significant digits
        expect(report).not.toMatch(/\d\.?\d*e[+-]?\d/i);
        const floats = [...report.matchAll(/(?<![\w.:-])\d+\.\d+(?![\w.])/g)].map((m) => m[0]);
        expect(floats.filter((f) => f.replace('.', '').replace(/^0+/, '').length > 4)).toEqual([]);

        const tables = panels(report);
        const columns = tables.flatMap((t) => t.columns.map((c, i) => ({ name: c, values: t.rows.map((r) => r[i]) })));
        const named = (re: RegExp) => columns.filter((c) => re.test(c.name));
        // durations carry units; the count of timed decisions is not a duration
        const durations = named(/seconds/).filter((c) => !/\.(timed|n)$/.test(c.name));
        expect(durations.length).toBeGreaterThan(0);
        for (const c of durations) for (const v of c.values) expect(v, c.name).toMatch(DURATION);
        // rates are percentages with their interval
        const rates = named(/_rate$/);
        expect(rates.length).toBeGreaterThan(0);
        for (const c of rates) for (const v of c.values) expect(v, c.name).toMatch(/^(— [\d,]+\/[\d,]+|— n=[\d,]+|\d+\.\d% \[\d+\.\d–\d+\.\d\]( [\d,]+\/[\d,]+| n=[\d,]+))$/);
        // counts have thousands separators
        for (const c of named(/^(cases|decisions|violations|rated_cases|ratings)$/)) for (const v of c.values) expect(v, c.name).toMatch(/^\d{1,3}(,\d{3})*$/);
      });
    }
  }

  it('prints at least one thousands separator, a duration in hours and the drift checks that fired', () => {
    const report = renderReport(snapshots.workflow, { width: 100 });
    expect(report).toMatch(/\b\d{1,3},\d{3}\b/);
    expect(report).toMatch(/\b\d+h \d+m\b/);
    expect(report).toMatch(/DRIFTED/);
    // hour buckets read as a day and an hour, not a full ISO timestamp
    const hourly = renderReport(snapshots['workflow and hour'], { width: 100 });
    expect(hourly).toMatch(/ 2026-11-16 08:00Z /);
    expect(hourly.split('\n').slice(1).join('\n')).not.toMatch(/T\d\d:00:00\.000Z/);
  });
}));
