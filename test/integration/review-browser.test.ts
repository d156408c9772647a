/**
 * The governance review in a real browser (Debian's chromium via playwright-core), over a real
 * server and store on both engines: the page opens with no console error and no request beyond
 * itself, every chart with data has marks, its headline numbers equal GET /v1/metrics for the
 * same cut, and it prints to a PDF whose pages pdftoppm renders non-blank.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/start-server.js';
import type { EventRow } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { pathValue } from '../../src/review/sections-ops.js';
import { simulate } from '../../src/simulate/index.js';
import { launchChromium, openRecorded, pdfPages } from '../helpers/browser.js';
import { engineFlags, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

const START = Date.UTC(2026, 10, 2);
const PERIOD = '2026-11-02..2026-11-06';
const FROM = '2026-11-02T00:00:00.000Z';
const TO = '2026-11-06T00:00:00.000Z';

forEachStore((kind) =>
  describe('the governance review in a browser', () => {
    const tmp = tempDir();
    let server: RunningServer;
    let browser: Browser;
    let caseWithEscalation = '';

    beforeAll(async () => {
      server = await startTestServer(path.join(tmp.dir, 'review.duckdb'), engineFlags(kind));
      const validate = createValidator();
      const rows: EventRow[] = [];
      // four days with drift from the third on: overrides rise (the drift timeline needs a
      // reference window before the period, which these data do not have: it says so)
      for (const batch of simulate({ seed: 5, cases: 3_000, start: new Date(START), casesPerHour: 30, driftAt: new Date(START + 2 * 86_400_000) }, 5_000)) {
        for (const e of batch) {
          if (!caseWithEscalation && e.type === 'case.escalated') caseWithEscalation = e.case_id as string;
          const r = validate(e, rows.length, Date.UTC(2026, 11, 1));
          if (!r.ok) throw new Error(r.rejected.reason);
          rows.push(r.row);
        }
      }
      await server.store.insertEvents(rows);
      browser = await launchChromium();
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await server?.shutdown('test done');
      tmp.cleanup();
    });

    it('opens with no console error and no request, charts with marks, numbers equal to /v1/metrics, and prints', async () => {
      const url = `${server.url}/v1/reviews?period=${PERIOD}&whatif=true&fresh=true`;
      const opened = await openRecorded(browser, { url });
      const { page } = opened;
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.requests).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.title()).toContain('governance review');

      // every chart: marks when it has data, the "no data" note when not
      const charts = await page.locator('figure.chart').evaluateAll((figs) =>
        figs.map((f) => ({ id: f.getAttribute('data-chart'), points: Number(f.getAttribute('data-points')), marks: f.querySelectorAll('svg g.role-mark > *').length, empty: f.querySelector('.empty') !== null })),
      );
      expect(charts.length).toBeGreaterThanOrEqual(10);
      for (const c of charts) {
        if (c.points > 0) expect(c.marks, `chart ${c.id}`).toBeGreaterThan(0);
        else expect(c.empty, `chart ${c.id}`).toBe(true);
      }
      const withData = charts.filter((c) => c.points > 0).map((c) => c.id);
      for (const id of ['sla-acknowledge', 'queue-age', 'override-trend', 'false-accept-trend', 'escalation-volume', 'agreement-coefficients', 'agreement-pairs', 'reviewer-load', 'whatif-support_drafting']) {
        expect(withData, id).toContain(id);
      }

      // the page's numbers are /v1/metrics's for the same cut
      const metrics = await (await fetch(`${server.url}/v1/metrics?from=${FROM}&to=${TO}&group_by=`)).json();
      const marked = await page.locator('[data-metric]').evaluateAll((els) => els.map((e) => ({ family: e.getAttribute('data-metric')!, path: e.getAttribute('data-path')!, value: e.getAttribute('data-value')! })));
      expect(marked.length).toBeGreaterThanOrEqual(15);
      let compared = 0;
      for (const m of marked) {
        const expected = pathValue(metrics.families[m.family], m.path);
        if (m.value === 'null') expect(expected ?? null, `${m.family} ${m.path}`).toBeNull();
        else {
          expect(typeof expected, `${m.family} ${m.path}`).toBe('number');
          expect(Number(m.value), `${m.family} ${m.path}`).toBeCloseTo(expected as number, 12);
          compared++;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(12);
      // the sampling.changed type is not in this branch's contract: the section says so
      expect(await page.locator('[data-sampling-changes="0"]').count()).toBe(1);

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      const pages = pdfPages(pdf, path.join(tmp.dir, 'pdf'));
      // one page per section that starts a page (and the first), more where sections run long
      const breaks = await page.locator('section.page').count();
      expect(pages.length).toBeGreaterThanOrEqual(breaks + 1);
      expect(pages.length).toBeLessThan(60);
      for (const [i, ink] of pages.entries()) expect(ink, `page ${i + 1} is blank`).toBeGreaterThan(0.002);
      await page.close();
    }, 300_000);

    it('serves a post-incident review of a case and refuses an unknown one', async () => {
      const res = await fetch(`${server.url}/v1/reviews?incident=${encodeURIComponent(caseWithEscalation)}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      for (const heading of ['Audit trail', 'Who decided what, and when', 'Gates and checks at the time', 'SLA clocks', 'Similar cases']) expect(html).toContain(heading);
      expect(html).toContain('case.escalated');
      const missing = await fetch(`${server.url}/v1/reviews?incident=no-such-case`);
      expect(missing.status).toBe(404);
      const bad = await fetch(`${server.url}/v1/reviews?period=2026-13`);
      expect(bad.status).toBe(400);
    }, 120_000);

    it('answers the threshold what-if with the grid, the threshold in force marked', async () => {
      const res = await fetch(`${server.url}/v1/whatif/threshold?workflow=support_drafting&thresholds=0.7,0.85,0.95`);
      expect(res.status).toBe(200);
      const w = await res.json();
      expect(w.current_source).toBe('inferred');
      expect(w.current).toBe(0.8);
      expect(w.grid.map((g: { threshold: number }) => g.threshold)).toEqual([0.7, 0.8, 0.85, 0.95]);
      // a higher threshold auto-approves fewer cases and leaves more review load
      expect(w.grid[0].auto_approved).toBeGreaterThan(w.grid[3].auto_approved);
      expect(w.grid[0].review_load.cases).toBeLessThan(w.grid[3].review_load.cases);
      // raising the threshold saves fewer review hours and adds more
      for (let i = 1; i < w.grid.length; i++) {
        expect(w.grid[i].hours_saved).toBeLessThanOrEqual(w.grid[i - 1].hours_saved);
        expect(w.grid[i].hours_added).toBeGreaterThanOrEqual(w.grid[i - 1].hours_added);
      }
      expect(w.always_reviewed_signals).toEqual(['pii', 'phi', 'access_change', 'financial', 'legal']);
      expect((await fetch(`${server.url}/v1/whatif/threshold?workflow=support_drafting&confidence=1.5`)).status).toBe(400);
      expect((await fetch(`${server.url}/v1/whatif/threshold?confidence=0.8`)).status).toBe(400);
    }, 120_000);
  }),
);
