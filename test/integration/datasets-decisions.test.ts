import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Q } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';
import { datasetsConfig, exportToFiles, readJsonLines, rowsOf } from '../helpers/datasets.js';
import { forEachStore, openTestStore, tempDir } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

// text that JSON writers escape differently (ClickHouse writes `\/`), or must escape at all
const AWKWARD = 'Refund 1/2 of "it" \\ now:\nline two, café 東京 ✓';

const created = (id: string) => ({ event_id: `${id}-c`, type: 'case.created', ts: at(0), case_id: id, workflow: 'claims', tier: 2, model_version: 'm1', model_label: 'A', input: `claim text of ${id}`, output: 'model says A' });
const decided = (id: string, n: number, minute: number, extra: Record<string, unknown>) => ({
  event_id: `${id}-d${n}`,
  type: 'review.decided',
  ts: at(minute),
  case_id: id,
  workflow: 'claims',
  actor_id: `r${n}`,
  actor_role: 'verifier',
  level: 1,
  ...extra,
});

const EVENTS = [
  created('k1'),
  decided('k1', 1, 10, { decision: 'override', final_label: 'B/C', final_output: AWKWARD, reason_code: 'wrong_category', policy_version: 'pol/1' }),
  decided('k1', 2, 11, { decision: 'approve', actor_role: 'approver', level: 2 }),
  // an escalation settles nothing: not among the decisions
  created('k2'),
  decided('k2', 1, 10, { decision: 'escalate' }),
  decided('k2', 2, 12, { decision: 'override', final_label: 'D', final_output: AWKWARD, reason_code: 'wrong_category' }),
  ...Array.from({ length: 7 }, (_, i) => [created(`p${i}`), decided(`p${i}`, 1, 10 + i, { decision: 'approve' })]).flat(),
];

forEachStore((kind) => {
  describe('dataset export: the decisions column', () => {
    const tmp = tempDir('loopwatch-dataset-decisions-');
    let store: Store;
    beforeAll(async () => {
      store = await openTestStore(kind, tmp.dir);
      await store.insertEvents(rowsOf(EVENTS));
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      tmp.cleanup();
    });

    it('is JSON text of [event_id, actor, role, level, decision, label, output, reason, policy] in event-time order', async () => {
      const rows = await store.query(Q.datasetCases, { after: '', page_size: 2 });
      expect(rows.map((r) => r.case_id)).toEqual(['k1', 'k2']);
      expect(typeof rows[0].decisions).toBe('string');
      expect(JSON.parse(rows[0].decisions)).toEqual([
        ['k1-d1', 'r1', 'verifier', 1, 'override', 'B/C', AWKWARD, 'wrong_category', 'pol/1'],
        ['k1-d2', 'r2', 'approver', 2, 'approve', '', '', '', ''],
      ]);
      expect(JSON.parse(rows[1].decisions)).toEqual([['k2-d2', 'r2', 'verifier', 1, 'override', 'D', AWKWARD, 'wrong_category', '']]);
    });

    it('carries awkward text through to the export unchanged', async () => {
      const { files } = await exportToFiles(store, tmp.dir, 'awkward.jsonl', { format: 'jsonl' });
      const byCase = Object.fromEntries(readJsonLines(files.all).map((r) => [r.case_id, r]));
      // k1: the approver (level 2) adjudicates and approves the model's answer
      expect(byCase.k1).toMatchObject({ decision: 'approve', final_label: 'A', final_output: 'model says A', resolution: 'adjudication' });
      expect(byCase.k2).toMatchObject({ decision: 'override', final_label: 'D', final_output: AWKWARD, reason_code: 'wrong_category' });
    });

    it('gives the same bytes whatever the page size (the next page is read while one is written)', async () => {
      const one = await exportToFiles(store, tmp.dir, 'page1.jsonl', { format: 'jsonl' }, datasetsConfig({ pageSize: 1 }));
      const three = await exportToFiles(store, tmp.dir, 'page3.jsonl', { format: 'jsonl' }, datasetsConfig({ pageSize: 3 }));
      const all = await exportToFiles(store, tmp.dir, 'pageall.jsonl', { format: 'jsonl' });
      expect(all.manifest.counts.cases_read).toBe(9);
      expect(one.manifest.counts).toEqual(all.manifest.counts);
      expect(readFileSync(one.files.all, 'utf8')).toBe(readFileSync(all.files.all, 'utf8'));
      expect(readFileSync(three.files.all, 'utf8')).toBe(readFileSync(all.files.all, 'utf8'));
    });
  });
});
