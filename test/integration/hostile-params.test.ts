import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/start-server.js';
import { caseScript } from '../helpers/metrics.js';
import { engineFlags, postEvents, startTestServer, tempDir } from '../helpers/server.js';
import { forEachStore } from '../helpers/stores.js';

// Request values reach the engine as bound parameters, never as SQL text (docs/sql.md): a NUL
// byte used to end DuckDB's query text early and came back as 503 "could not be stored".
const HOSTILE = ['\u0000', 'cu\u0000', "it's", "x' OR 1=1 --", "a''b", 'back\\slash\\', '\\x00', 'ünï €😀', '$workflow', '{{cut.filters}}', '\u0000\u0001\u001f', 'a'.repeat(10_000)];
const FILTERS = ['workflow', 'lane', 'model_version', 'policy_version', 'reviewer'];

forEachStore((kind) => describe('hostile request values', () => {
  const tmp = tempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(path.join(tmp.dir, 'h.duckdb'), engineFlags(kind));
    const c = caseScript('known-case', Date.UTC(2026, 10, 20, 10))
      .add(0, 'case.created', { workflow: 'support_drafting', tier: 1, model_label: 'faq' })
      .add(1, 'case.triaged', { lane: 'human_review' })
      .add(5, 'review.decided', { actor_id: 'rev-1', decision: 'approve' });
    expect((await postEvents(server.url, JSON.stringify(c.events))).body.rejected).toBe(0);
  });
  afterAll(async () => {
    await server?.shutdown('done');
    tmp.cleanup();
  });

  it('answers 404 for a hostile case id, and the known case still reads', async () => {
    for (const id of HOSTILE) {
      const res = await fetch(`${server.url}/v1/cases/${encodeURIComponent(id)}`);
      expect(res.status, JSON.stringify(id.slice(0, 20))).toBe(404);
    }
    expect((await fetch(`${server.url}/v1/cases/known-case`)).status).toBe(200);
  });

  // lane is one of the configured lanes: anything else is a 400 naming it
  it('answers a hostile cut filter with no groups or a 400, never a 5xx', async () => {
    for (const filter of FILTERS) {
      for (const value of HOSTILE) {
        const res = await fetch(`${server.url}/v1/metrics/quality?${filter}=${encodeURIComponent(value)}`);
        const label = `${filter}=${JSON.stringify(value.slice(0, 20))}`;
        expect([200, 400], label).toContain(res.status);
        if (res.status === 400) continue;
        const body = (await res.json()) as { families: { quality: { groups: unknown[] } } };
        expect(body.families.quality.groups, label).toEqual([]);
      }
    }
  });
}));
