/**
 * `loopwatch review` as a user runs it: the CLI over a DuckDB file writes the page and, with
 * --pdf, prints it through Chromium; reviewer ids stay pseudonymous unless configured plain.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../src/events/row.js';
import { createValidator } from '../../src/events/validate.js';
import { simulate } from '../../src/simulate/index.js';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { pdfPages } from '../helpers/browser.js';
import { runCli, tempDir } from '../helpers/server.js';

describe('loopwatch review (CLI, DuckDB)', () => {
  const tmp = tempDir();
  const db = path.join(tmp.dir, 'review.duckdb');

  beforeAll(async () => {
    const validate = createValidator();
    const rows: EventRow[] = [];
    for (const batch of simulate({ seed: 9, cases: 1_500, start: new Date(Date.UTC(2026, 10, 2)), casesPerHour: 30 }, 5_000)) {
      for (const e of batch) {
        const r = validate(e, rows.length, Date.UTC(2026, 11, 1));
        if (!r.ok) throw new Error(r.rejected.reason);
        rows.push(r.row);
      }
    }
    const store = await DuckDBStore.open({ path: db });
    await store.migrate();
    await store.insertEvents(rows);
    await store.close();
  }, 300_000);
  afterAll(() => tmp.cleanup());

  it('writes the page and its PDF, with pseudonymous reviewer ids', () => {
    const out = path.join(tmp.dir, 'review.html');
    const run = runCli(['review', '--period', '2026-11-02..2026-11-05', '--db', db, '--out', out, '--pdf']);
    expect(run.stderr).toMatch(/wrote .*review\.html \(\d+ KiB\) in [\d.]+ s/);
    expect(run.status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link |src="http|href="http/i);
    // the simulated reviewers are rev-<workflow>-NN: none may show
    expect(html).not.toMatch(/rev-(support|it|finance)-\d\d/);
    expect(html).toMatch(/r-[0-9a-f]{10}/);
    const pages = pdfPages(readFileSync(path.join(tmp.dir, 'review.pdf')), path.join(tmp.dir, 'pdf'));
    expect(pages.length).toBeGreaterThanOrEqual(7);
    for (const ink of pages) expect(ink).toBeGreaterThan(0.002);
  }, 300_000);

  it('shows recorded ids when configured plain, and refuses a bad period', () => {
    const config = path.join(tmp.dir, 'plain.json');
    writeFileSync(config, JSON.stringify({ review: { reviewerIds: 'plain' } }));
    const out = path.join(tmp.dir, 'plain.html');
    const run = runCli(['review', '--period', '2026-11-02..2026-11-03', '--db', db, '--out', out, '--config', config]);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/rev-(support|it|finance)-\d\d/);
    const bad = runCli(['review', '--period', '2026-11-31x', '--db', db]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/expected a month \(2026-11\)/);
  }, 300_000);
});
