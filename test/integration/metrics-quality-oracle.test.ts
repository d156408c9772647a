import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualityFamily, type QualityMetrics } from '../../src/metrics/families/quality.js';
import { simulate } from '../../src/simulate/index.js';
import { metricsFixture, type MetricsFixture } from '../helpers/metrics.js';
import { forEachStore } from '../helpers/stores.js';
import { ROOT, tempDir } from '../helpers/server.js';

// The family against test/oracles/quality_oracle.py, an independent stdlib-Python reading of
// docs/metrics/quality.md over the raw events of a simulated deployment. The events are
// stored in a shuffled order, so anything that leans on arrival order disagrees.
const START = new Date(Date.UTC(2026, 10, 16));
const NOW = new Date(Date.UTC(2026, 10, 20));
const ORACLE = path.join(ROOT, 'test/oracles/quality_oracle.py');

interface OracleGroup {
  key: Record<string, unknown>;
  metrics: {
    cases: number;
    override: [number, number];
    rework: [number, number];
    false_accept: QualityMetrics['false_accept_rate'];
    escalations: Omit<QualityMetrics['escalations'], 'precision'> & { changed: number };
    stop_the_line: { stops: number; resumed: number; open: number; p50: number | null; p90: number | null; max: number | null };
    incidents: { total: number; by_severity: Record<string, number> };
  };
}

function shuffled<T>(xs: T[], seed: number): T[] {
  // a small LCG: reproducible, and nothing to do with the simulator's own streams
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const close = (a: number | null, b: number | null) => (b === null ? a === null : a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

forEachStore((kind) => {
  describe('quality: agrees with an independent oracle on simulated data', () => {
    let fx: MetricsFixture;
    let eventsFile: string;
    let tmp: ReturnType<typeof tempDir>;
    let count = 0;
    beforeAll(async () => {
      const simulated: Record<string, unknown>[] = [];
      for (const batch of simulate({ seed: 11, cases: 3000, start: START, casesPerHour: 50 }, 5000)) simulated.push(...batch);
      // Two gaps the simulator never leaves: every 50th case's case.created has not arrived (its
      // escalations and incidents must still count), and each workflow's last resume is missing
      // (open stops, aged at NOW)
      const lastResume = new Map<unknown, Record<string, unknown>>();
      for (const e of simulated) if (e.type === 'line.resumed') lastResume.set(e.workflow, e);
      const dropped = new Set(lastResume.values());
      const events = simulated.filter(
        (e) => !dropped.has(e) && !(e.type === 'case.created' && Number(String(e.case_id).split('-').at(-1)) % 50 === 0),
      );
      count = events.length;
      shuffled(events, 20261124);
      tmp = tempDir('loopwatch-quality-oracle-');
      eventsFile = path.join(tmp.dir, 'events.ndjson');
      writeFileSync(eventsFile, events.map((e) => JSON.stringify(e)).join('\n'));
      fx = await metricsFixture(events, kind);
    });
    afterAll(async () => {
      await fx?.close();
      tmp?.cleanup();
    });

    const cutsToCheck: Record<string, unknown>[] = [
      { group_by: ['workflow'] },
      { group_by: ['tier', 'lane'], bucket: 'day' },
      { group_by: ['reviewer'], from: '2026-11-16T12:00:00Z', to: '2026-11-18T00:00:00Z' },
      { group_by: ['workflow', 'model_version'], tier: 3, bucket: 'week' },
    ];

    for (const cuts of cutsToCheck) {
      it(`matches for ${JSON.stringify(cuts)}`, async () => {
        const oracle = JSON.parse(
          execFileSync('/usr/bin/python3', [ORACLE, eventsFile, JSON.stringify(cuts), NOW.toISOString()], { encoding: 'utf8', maxBuffer: 1 << 26 }),
        ).groups as OracleGroup[];
        const family = await fx.compute(qualityFamily, { ...cuts, group_by: (cuts.group_by as string[]).join(',') }, { now: NOW });
        const want = new Map(oracle.map((g) => [JSON.stringify(sortKeys(g.key)), g.metrics]));
        expect(family.groups.map((g) => JSON.stringify(sortKeys(g.key))).sort()).toEqual([...want.keys()].sort());
        let stops = 0;
        let open = 0;
        let audits = 0;
        let changed = 0;
        for (const g of family.groups) {
          const m = g.metrics as QualityMetrics;
          const o = want.get(JSON.stringify(sortKeys(g.key)))!;
          const where = JSON.stringify(g.key);
          expect([m.cases, m.override_rate.numerator, m.override_rate.denominator, m.rework_rate.numerator, m.rework_rate.denominator], where).toEqual([
            o.cases, ...o.override, ...o.rework,
          ]);
          const fa = m.false_accept_rate;
          expect([fa.accepted, fa.audits, fa.incorrect], where).toEqual([o.false_accept.accepted, o.false_accept.audits, o.false_accept.incorrect]);
          for (const f of ['value', 'lower', 'upper', 'weighted_n', 'weighted_incorrect', 'n_eff'] as const) {
            expect(close(fa[f], o.false_accept[f]), `${where} false_accept_rate.${f}: ${fa[f]} vs ${o.false_accept[f]}`).toBe(true);
          }
          const e = m.escalations;
          expect([e.total, e.by_level, e.by_trigger, e.escalated_cases, e.resolved, e.precision.numerator], where).toEqual([
            o.escalations.total, o.escalations.by_level, o.escalations.by_trigger, o.escalations.escalated_cases, o.escalations.resolved, o.escalations.changed,
          ]);
          const s = m.stop_the_line;
          expect([s.stops, s.resumed, s.open], where).toEqual([o.stop_the_line.stops, o.stop_the_line.resumed, o.stop_the_line.open]);
          for (const q of ['p50', 'p90', 'max'] as const) {
            expect(close(s.time_to_resume_seconds[q], o.stop_the_line[q]), `${where} ${q}`).toBe(true);
          }
          expect(m.incidents.total, where).toBe(o.incidents.total);
          expect(Object.fromEntries(Object.entries(m.incidents.by_severity).map(([k, v]) => [k, v.count])), where).toEqual(o.incidents.by_severity);
          stops += s.stops;
          open += s.open;
          audits += fa.audits;
          changed += e.precision.numerator;
        }
        // the comparison means something only if the data exercise every metric
        if (cuts.tier === undefined) {
          expect(stops).toBeGreaterThan(0);
          // the missing last resumes are late in the run, after the windowed cut's `to`
          if (cuts.to === undefined) expect(open).toBeGreaterThan(0);
          expect(audits).toBeGreaterThan(20);
          expect(changed).toBeGreaterThan(0);
        }
      });
    }

    it('simulated enough events to be worth checking', () => {
      expect(count).toBeGreaterThan(10_000);
    });
  });
});

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
