/**
 * The sampling controller against the simulator, window by window on a simulated clock, on every
 * engine: drift switched on at a known time must raise the rate within `tighten.failed` windows,
 * and the rate must come back after the drift ends; the weighted false-accept estimate the store
 * computes must be exactly the Horvitz-Thompson (Hájek) estimate of the sampled audits with the
 * rates the controller set. (Its unbiasedness over many seeds: test/unit/sampling/unbiased.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cutParams } from '../../src/metrics/cuts.js';
import { Q } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { HOUR, runSampling, type SamplingRun } from '../helpers/sampling-run.js';
import { forEachStore, openTestStore, tempDir } from '../helpers/stores.js';

const START = new Date(Date.UTC(2026, 9, 1));
const WINDOW_HOURS = 12;
const DRIFT_WINDOW = 4; // drift begins at the end of window 4...
const DRIFT_END_WINDOW = 7; // ...and ends at the end of window 7
const WINDOWS = 12;
const SAMPLING = { windowHours: WINDOW_HOURS, tighten: { failed: 2, of: 3 }, relax: { cleanWindows: 2 }, reduce: { enabled: false } };

forEachStore((kind) => {
  const tmp = tempDir();
  let store: Store;
  let run: SamplingRun;

  beforeAll(async () => {
    store = await openTestStore(kind, tmp.dir);
    run = await runSampling({
      store,
      seed: 7,
      start: START,
      windows: WINDOWS,
      casesPerHour: 100,
      driftAt: new Date(START.getTime() + DRIFT_WINDOW * WINDOW_HOURS * HOUR),
      driftUntil: new Date(START.getTime() + DRIFT_END_WINDOW * WINDOW_HOURS * HOUR),
      sampling: SAMPLING,
      metrics: { drift: { referenceDays: 1 } },
    });
  }, 900_000);

  afterAll(async () => {
    await store?.close();
    tmp.cleanup();
  });

  it('raises the rate within tighten.failed windows of the drift and lowers it after the drift ends', () => {
    const figures: string[] = [];
    for (const workflow of ['finance_adjustments', 'it_access_requests', 'support_drafting']) {
      const rate = (i: number) => run.windows[i - 1].rates[workflow] ?? 0.05;
      for (let i = 1; i <= DRIFT_WINDOW; i++) expect(rate(i), `${workflow} before the drift, window ${i}`).toBe(0.05);
      const rose = run.windows.find((w) => w.index > DRIFT_WINDOW && (w.rates[workflow] ?? 0.05) > 0.05)!;
      expect(rose, `${workflow} never tightened`).toBeDefined();
      const react = rose.index - DRIFT_WINDOW;
      expect(react).toBeGreaterThanOrEqual(1);
      expect(react).toBeLessThanOrEqual(SAMPLING.tighten.failed);
      expect(rose.changes.find((c) => c.workflow === workflow)?.cause).toBe('drift');
      const fell = run.windows.find((w) => w.index > DRIFT_END_WINDOW && w.rates[workflow] === 0.05);
      expect(fell, `${workflow} still at ${rate(WINDOWS)} at the end`).toBeDefined();
      figures.push(`${workflow}: rose to ${rose.rates[workflow]} ${react} window(s) after the drift began, back to 0.05 ${fell!.index - DRIFT_END_WINDOW} window(s) after it ended (max ${Math.max(...run.windows.map((w) => w.rates[workflow] ?? 0))})`);
    }
    console.info(`sampling controller on ${kind} (${run.events} events, ${WINDOW_HOURS} h windows):\n  ${figures.join('\n  ')}`);
  });

  it('records every change as a sampling.changed, and the store weights audits by the rates the controller set', async () => {
    const changes = await run.service.history(null, null, null);
    expect(changes.length).toBe(run.windows.reduce((n, w) => n + w.changes.length, 0));
    expect(changes.every((c) => c.actor_role === 'system' && c.event_id === `sampling-${c.workflow}-${c.ts.toISOString()}`)).toBe(true);
    await store.refreshDerived();
    const rows = await store.query(Q.falseAcceptRate, { ...cutParams({ lane: 'auto_approve', group_by: ['workflow'] }), now: new Date(START.getTime() + 30 * 24 * HOUR) });
    for (const row of rows) {
      const truths = run.truths.filter((t) => t.workflow === row.g_workflow && t.accepted);
      const audited = truths.filter((t) => t.sampled && t.auditVerdict !== null);
      const sumW = audited.reduce((s, t) => s + 1 / t.rate!, 0);
      const sumWy = audited.reduce((s, t) => s + (t.auditVerdict === 'incorrect' ? 1 / t.rate! : 0), 0);
      expect(Number(row.accepted)).toBe(truths.length);
      expect(Number(row.audits)).toBe(audited.length);
      expect(Number(row.sum_w)).toBeCloseTo(sumW, 6);
      expect(Number(row.sum_wy)).toBeCloseTo(sumWy, 6);
      // more than one rate was in force: the weights are not all equal
      expect(new Set(audited.map((t) => t.rate)).size).toBeGreaterThan(1);
    }
  });
});
