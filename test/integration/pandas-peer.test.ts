import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePeer, runNotebook, type PeerResult } from '../../bench/pandas/compare.js';
import { defaultMetricsConfig } from '../../src/config/metrics.js';
import { createValidator } from '../../src/events/validate.js';
import { cutsSchema } from '../../src/metrics/cuts.js';
import { FAMILIES } from '../../src/metrics/registry.js';
import { MetricsRunner } from '../../src/metrics/runner.js';
import { simulate } from '../../src/simulate/index.js';
import type { Store } from '../../src/store/store.js';
import { ORACLE_PYTHON, requirePython } from '../helpers/python.js';
import { forEachStore, openTestStore, tempDir } from '../helpers/stores.js';

// The published peer of issue 14 (bench/pandas/notebook.py, pandas + scipy + sklearn) and
// Loopwatch must give the same numbers for what both compute, on the same file: override rate,
// pairwise Cohen's kappa, KS and chi-square drift (with its model-version reference rule),
// acknowledge breaches and three controls. Two and a half simulated days with a drift and a
// model upgrade in them, so that both drift windows and both reference kinds occur.
const NOW = '2026-12-01T00:00:00.000Z';
const tmp = tempDir('loopwatch-peer-');
const file = path.join(tmp.dir, 'events.ndjson');
const events: Record<string, unknown>[] = [];
for (const batch of simulate(
  { seed: 14, cases: 2500, start: new Date('2026-11-01T00:00:00Z'), casesPerHour: 40, driftAt: new Date('2026-11-02T12:00:00Z') },
  10_000,
)) {
  events.push(...batch);
}
writeFileSync(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));

// the whole file (the drift's current window: its last day, the upgraded model only), and a
// window that ends the day after the drift began, where both model versions have cases
let peers: PeerResult[];
beforeAll(() => {
  requirePython(['pandas', 'scipy', 'sklearn']);
  peers = [runNotebook(file, { python: ORACLE_PYTHON, now: NOW }), runNotebook(file, { python: ORACLE_PYTHON, now: NOW, to: '2026-11-03T00:00:00.000Z' })];
}, 120_000);
afterAll(() => tmp.cleanup());

forEachStore((kind) => {
  describe('the pandas notebook and Loopwatch on one simulated file', () => {
    let store: Store;
    beforeAll(async () => {
      store = await openTestStore(kind, tmp.dir);
      const validate = createValidator();
      const received = Date.parse(NOW);
      const rows = events.map((e, i) => {
        const r = validate(e, i, received + i);
        if (!r.ok) throw new Error(`simulated event ${i} is invalid: ${r.rejected.reason}`);
        return r.row;
      });
      for (let i = 0; i < rows.length; i += 5_000) await store.insertEvents(rows.slice(i, i + 5_000));
    }, 120_000);
    afterAll(() => store?.close());

    it('agree on every number both compute, over the whole file and up to an earlier end', async () => {
      const runner = new MetricsRunner({ store, families: FAMILIES, config: defaultMetricsConfig(), logger: pino({ level: 'silent' }), clock: () => new Date(NOW) });
      // both reference kinds occur, and breaches, or the comparison would miss a branch
      expect(new Set(peers.flatMap((p) => p.drift.map((d) => d.compared_with)))).toEqual(new Set(['same_model_version', 'predecessor_model_version']));
      expect(Object.values(peers[0].ack_breaches).some((a) => a.breached > 0)).toBe(true);
      for (const peer of peers) {
        expect(peer.events).toBe(events.length);
        expect(peer.drift.filter((d) => d.ks && d.chi_square).length).toBeGreaterThanOrEqual(3);
        const report = await runner.compute(cutsSchema.parse({ group_by: 'workflow', to: peer.to }), { refresh: true });
        const { checked, mismatches } = comparePeer(report as never, peer);
        expect(mismatches, `to ${peer.to}`).toEqual([]);
        expect(checked).toBeGreaterThan(100);
      }
    }, 120_000);
  });
});
