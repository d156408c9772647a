import path from 'node:path';
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { DEMO_TS_MAX_AHEAD_MS } from '../../src/config/defaults.js';
import { createLogger } from '../../src/observability/logger.js';
import type { RunningServer } from '../../src/http/start-server.js';
import { engineFlags, ROOT, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';
import { Q } from '../../src/store/queries.js';

/** What a command printed, kept for the assertions. */
function captured(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

/** sent, accepted, duplicates, rejected from the demo's first line. */
function counts(text: string): number[] {
  const m = /sent (\d+) simulated events .*: (\d+) accepted, (\d+) duplicates, (\d+) rejected/.exec(text);
  expect(m, text).not.toBeNull();
  return m!.slice(1).map(Number);
}

forEachStore((kind) => {
  describe('npm start twice on one database', () => {
    const tmp = tempDir();
    let server: RunningServer;
    beforeAll(async () => {
      // as `serve --demo` configures its server (src/cli/serve.ts)
      server = await startTestServer(path.join(tmp.dir, 'demo.duckdb'), { ...engineFlags(kind), limits: { tsMaxAheadMs: DEMO_TS_MAX_AHEAD_MS } });
    });
    afterAll(async () => {
      await server?.shutdown('done');
      tmp.cleanup();
    });

    it('adds the stretch after the stored history and says accepted, duplicates, rejected', async () => {
      const logger = createLogger('silent');
      const first = captured();
      await runDemo(server, 300, logger, first);
      const [sent1, accepted1, dup1, rej1] = counts(first.text());
      expect([accepted1, dup1, rej1]).toEqual([sent1, 0, 0]);
      expect(await server.store.countEvents()).toBe(accepted1);
      const lastTs = (await server.store.query(Q.eventTimeSpan))[0].max_ts as Date;

      const second = captured();
      await runDemo(server, 300, logger, second);
      const [sent2, accepted2, dup2, rej2] = counts(second.text());
      // new events with new ids, not the first week resent as duplicates
      expect([accepted2, dup2, rej2]).toEqual([sent2, 0, 0]);
      expect(accepted2).toBeGreaterThan(1000);
      expect(await server.store.countEvents()).toBe(accepted1 + accepted2);
      expect(second.text()).toContain(`already held ${accepted1} events up to ${new Date(lastTs).toISOString()}`);
      // the case it points at belongs to the new stretch: created after the last stored event
      const caseUrl = /(http:\S+\/v1\/cases\/\S+)/.exec(second.text())![1];
      expect(caseUrl).not.toMatch(/case-42-1$/);
      const body = (await (await fetch(caseUrl)).json()) as { case: { created_at: string } };
      expect(new Date(body.case.created_at).getTime()).toBeGreaterThan(new Date(lastTs).getTime());
    }, 240_000);
  });
});

forEachStore((kind) => describe('loopwatch simulate --url, twice', () => {
  const tmp = tempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(path.join(tmp.dir, 'sim.duckdb'), engineFlags(kind));
  });
  afterAll(async () => {
    await server?.shutdown('done');
    tmp.cleanup();
  });

  // asynchronously: the server lives in this process and must keep answering
  const simulateTo = async (url: string) =>
    (
      await promisify(execFile)(
        process.execPath,
        [path.join(ROOT, 'bin/loopwatch.js'), 'simulate', '--url', url, '--cases', '40', '--seed', '5', '--start', '2026-11-01T00:00:00Z', '--no-progress'],
        { encoding: 'utf8' },
      )
    ).stderr;

  it('says when every event sent was a duplicate', async () => {
    const first = await simulateTo(server.url);
    const n = Number(/sent (\d+) events/.exec(first)?.[1]);
    expect(n).toBeGreaterThan(100);
    expect(first).toContain(`: ${n} accepted, 0 duplicates, 0 rejected`);
    const again = await simulateTo(server.url);
    expect(again).toContain(`sent ${n} events to ${server.url}: 0 accepted, ${n} duplicates, 0 rejected`);
    expect(again).toMatch(/stored before.*another --seed/);
    expect(await server.store.countEvents()).toBe(n);
  }, 120_000);
}));
