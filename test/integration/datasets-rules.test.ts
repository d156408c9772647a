import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { datasetsConfig, exportToFiles, readJsonLines, rowsOf } from '../helpers/datasets.js';
import { runPythonJson } from '../helpers/python.js';
import { forEachStore, openTestStore, tempDir } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
let seq = 0;

function created(id: string, extra: Record<string, unknown> = {}) {
  return { event_id: `${id}-c`, type: 'case.created', ts: at(0), case_id: id, workflow: 'claims', tier: 2, model_version: 'm1', model_label: 'A', input: `claim text of ${id}`, output: 'model says A', ...extra };
}
function decided(id: string, minute: number, actor: string, decision: string, label: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    event_id: `${id}-d${++seq}`,
    type: 'review.decided',
    ts: at(minute),
    case_id: id,
    workflow: 'claims',
    actor_id: actor,
    actor_role: 'verifier',
    level: 1,
    decision,
    ...(label === undefined ? {} : { final_label: label }),
    ...(decision === 'override' ? { reason_code: 'wrong_category' } : {}),
    ...extra,
  };
}
function audited(id: string, minute: number, verdict: string, correct?: string) {
  return { event_id: `${id}-a`, type: 'audit.completed', ts: at(minute), case_id: id, workflow: 'claims', actor_id: 'aud-1', actor_role: 'auditor', verdict, sampling_rate: 0.05, ...(correct ? { correct_label: correct, reason_code: 'factual_error' } : {}) };
}
const closed = (id: string, minute: number, label: string) => ({ event_id: `${id}-x`, type: 'case.closed', ts: at(minute), case_id: id, workflow: 'claims', actor_id: 'sys', actor_role: 'system', outcome: 'executed', final_label: label });
const reopened = (id: string, minute: number) => ({ event_id: `${id}-r`, type: 'case.reopened', ts: at(minute), case_id: id, workflow: 'claims', actor_id: 'sys', actor_role: 'system', reason_code: 'factual_error' });

const PII = 'Write to jane.doe@example.com or call +1 415 555 0100; card 4111 1111 1111 1111, order 1234567890123456, ticket 100010.';

const EVENTS = [
  // c01: two first-level reviewers disagree, nobody adjudicates: left out
  created('c01'), decided('c01', 10, 'r1', 'approve', 'A'), decided('c01', 11, 'r2', 'override', 'B'),
  // c02: the same disagreement, then an approver (level 2) decides: the higher level adjudicates
  created('c02'), decided('c02', 10, 'r1', 'approve', 'A'), decided('c02', 11, 'r2', 'override', 'B'),
  decided('c02', 20, 'boss', 'override', 'C', { level: 2, actor_role: 'approver' }),
  // c03: three reviewers, two of them agree: a strict majority
  created('c03'), decided('c03', 10, 'r1', 'override', 'B'), decided('c03', 11, 'r2', 'override', 'B'), decided('c03', 12, 'r3', 'approve', 'A'),
  // c04: approved by a reviewer, found incorrect by an auditor with the right label: the auditor adjudicates
  created('c04'), decided('c04', 10, 'r1', 'approve', 'A'), closed('c04', 11, 'A'), audited('c04', 100, 'incorrect', 'D'),
  // c05: overridden, reopened, then approved: the reopen voids the judgment before it
  created('c05'), decided('c05', 10, 'r1', 'override', 'B'), reopened('c05', 20), decided('c05', 30, 'r2', 'approve', 'A'),
  // c06: one reviewer changes their mind: their latest decision counts, once
  created('c06'), decided('c06', 10, 'r1', 'override', 'B'), decided('c06', 11, 'r1', 'approve', 'A'),
  // c07, c08: the same input twice: one example
  created('c07', { input: 'same words' }), decided('c07', 10, 'r1', 'approve', 'A'),
  created('c08', { input: 'same words' }), decided('c08', 10, 'r2', 'approve', 'A'),
  // c09: an auditor says incorrect but gives no label: no answer
  created('c09'), closed('c09', 5, 'A'), audited('c09', 100, 'incorrect'),
  // c10: auto-approved, then confirmed by an audit
  created('c10'), closed('c10', 5, 'A'), audited('c10', 100, 'correct'),
  // c11: two reviewers agree on a correction
  created('c11'), decided('c11', 10, 'r1', 'override', 'B'), decided('c11', 11, 'r2', 'override', 'B'),
  // c12: another workflow
  created('c12', { workflow: 'payments' }), decided('c12', 10, 'r1', 'approve', 'A', { workflow: 'payments' }),
  // c13: personal data in free text
  created('c13', { input: PII }), decided('c13', 10, 'r1', 'override', 'B', { final_output: 'Reply to jane.doe@example.com today.' }),
];

forEachStore((kind) => {
  describe('dataset rules on hand-written cases', () => {
    const tmp = tempDir('loopwatch-dataset-rules-');
    let store: Store;
    beforeAll(async () => {
      store = await openTestStore(kind, tmp.dir);
      await store.insertEvents(rowsOf(EVENTS));
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      tmp.cleanup();
    });

    const flat = async (name: string, options: Record<string, unknown> = {}, config = datasetsConfig()) => {
      const { files, manifest } = await exportToFiles(store, tmp.dir, name, { format: 'jsonl', workflow: 'claims', ...options }, config);
      return { rows: Object.fromEntries(readJsonLines(files.all).map((r) => [r.case_id, r])), manifest };
    };

    it('adjudication first, then a strict majority, else left out and counted', async () => {
      const { rows, manifest } = await flat('rules.jsonl');
      expect(Object.keys(rows).sort()).toEqual(['c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c10', 'c11', 'c13']);
      expect(manifest.exclusions).toEqual({ audit_without_label: 1, disagreement: 1, duplicate_input: 1 });
      const pick = (id: string) => ({ decision: rows[id].decision, final_label: rows[id].final_label, resolution: rows[id].resolution, agreed: rows[id].agreed, votes: rows[id].votes });
      expect(pick('c02')).toEqual({ decision: 'override', final_label: 'C', resolution: 'adjudication', agreed: false, votes: 3 });
      expect(pick('c03')).toEqual({ decision: 'override', final_label: 'B', resolution: 'majority', agreed: false, votes: 3 });
      expect(pick('c04')).toEqual({ decision: 'override', final_label: 'D', resolution: 'adjudication', agreed: false, votes: 1 });
      expect(rows.c04.reviewer_role).toBe('auditor');
      expect(rows.c04.reason_code).toBe('factual_error');
      expect(pick('c05')).toEqual({ decision: 'approve', final_label: 'A', resolution: 'majority', agreed: true, votes: 1 });
      expect(pick('c06')).toEqual({ decision: 'approve', final_label: 'A', resolution: 'majority', agreed: true, votes: 1 });
      expect(pick('c10')).toEqual({ decision: 'approve', final_label: 'A', resolution: 'adjudication', agreed: true, votes: 0 });
      expect(pick('c11')).toEqual({ decision: 'override', final_label: 'B', resolution: 'majority', agreed: true, votes: 2 });
      // the events each answer came from: created, then the deciding ones
      expect(rows.c03.event_ids).toEqual(['c03-c', EVENTS.find((e) => e.case_id === 'c03' && (e as any).actor_id === 'r1')!.event_id, EVENTS.find((e) => e.case_id === 'c03' && (e as any).actor_id === 'r2')!.event_id]);
      expect(rows.c04.event_ids).toEqual(['c04-c', 'c04-a']);
      expect(manifest.counts).toMatchObject({ cases_read: 13, cases_in_cuts: 12, cases_exported: 9, rows: 9 });
      expect(manifest.counts.by_label).toEqual({ A: 4, B: 3, C: 1, D: 1 });
      expect(manifest.counts.by_decision).toEqual({ approve: 4, override: 5 });
    });

    it('cuts: agreed-only, decisions and reason codes', async () => {
      const agreed = await flat('agreed.jsonl', { agreed_only: true });
      expect(Object.keys(agreed.rows).sort()).toEqual(['c05', 'c06', 'c07', 'c10', 'c11', 'c13']);
      expect(agreed.manifest.exclusions.not_agreed).toBe(3);
      const overrides = await flat('overrides.jsonl', { decision: 'override' });
      expect(Object.keys(overrides.rows).sort()).toEqual(['c02', 'c03', 'c04', 'c11', 'c13']);
      const reasons = await flat('reasons.jsonl', { reason_code: 'factual_error' });
      expect(Object.keys(reasons.rows)).toEqual(['c04']);
      const other = await flat('payments.jsonl', { workflow: 'payments' });
      expect(Object.keys(other.rows)).toEqual(['c12']);
    });

    it('refuses reviewer ids without a pseudonymization key, and pseudonymizes them with one', async () => {
      await expect(flat('ids.jsonl', { reviewer_ids: true })).rejects.toMatchObject({ code: 'pseudonym_key_missing' });
      const key = 'a-test-key-of-32-characters-long';
      const { rows } = await flat('ids.jsonl', { reviewer_ids: true }, datasetsConfig({ pseudonymKey: key }));
      // an independent HMAC-SHA256: Python's hmac module
      const expected = runPythonJson<Record<string, string>>(
        ['-c', 'import hmac, hashlib, json, sys; d = json.load(sys.stdin); print(json.dumps({i: "rv_" + hmac.new(d["key"].encode(), i.encode(), hashlib.sha256).hexdigest()[:16] for i in d["ids"]}))'],
        { key, ids: ['r1', 'boss', 'aud-1'] },
      );
      expect(rows.c02.reviewer_id).toBe(expected.boss);
      expect(rows.c04.reviewer_id).toBe(expected['aud-1']);
      expect(rows.c07.reviewer_id).toBe(expected.r1);
      expect(JSON.stringify(rows)).not.toMatch(/"(r1|r2|r3|boss|aud-1)"/);
      const without = await flat('no-ids.jsonl');
      expect(Object.values(without.rows).every((r: any) => r.reviewer_id === null)).toBe(true);
    });

    it('split stability as data grows: exporting again after more cases arrive never moves a case to another split (property)', async () => {
      let run = 0;
      await fc.assert(
        // random ids interleave: later cases sort among the earlier ones, as real ids do
        fc.asyncProperty(fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 10, maxLength: 60 }), fc.double({ min: 0.2, max: 0.8, noNaN: true }), async (ids, share) => {
          const workflow = `grow-${++run}`;
          const events = (id: string) => [created(`${workflow}-${id}`, { workflow }), decided(`${workflow}-${id}`, 10, 'r1', 'approve', 'A', { workflow })];
          const first = ids.slice(0, Math.round(share * ids.length));
          const later = ids.slice(first.length);
          const splits = async (name: string) => {
            const { files } = await exportToFiles(store, tmp.dir, name, { format: 'jsonl', workflow, split: '80/10/10' }, datasetsConfig({ pageSize: 7 }));
            return new Map(readJsonLines(files.all).map((r) => [r.case_id, r.split]));
          };
          if (first.length) await store.insertEvents(rowsOf(first.flatMap(events)));
          const before = await splits(`${workflow}-1.jsonl`);
          if (later.length) await store.insertEvents(rowsOf(later.flatMap(events)));
          const after = await splits(`${workflow}-2.jsonl`);
          expect(before.size).toBe(first.length);
          expect(after.size).toBe(ids.length);
          for (const [id, part] of before) expect(after.get(id)).toBe(part);
        }),
        { numRuns: 6, endOnFailure: true },
      );
    }, 240_000);

    it('redacts e-mail addresses, phone and card numbers in free text, and counts them', async () => {
      const { rows, manifest } = await flat('redacted.jsonl', { redact: true });
      expect(rows.c13.input).toBe('Write to [EMAIL] or call [PHONE]; card [CARD], order 1234567890123456, ticket 100010.');
      expect(rows.c13.final_output).toBe('Reply to [EMAIL] today.');
      expect(manifest.redaction).toEqual({ enabled: true, counts: { email: 2, phone: 1, card: 1 } });
      const plain = await flat('plain.jsonl');
      expect(plain.rows.c13.input).toBe(PII);
      expect(plain.manifest.redaction.counts).toEqual({ email: 0, phone: 0, card: 0 });
      const chat = await exportToFiles(store, tmp.dir, 'redacted-chat.jsonl', { format: 'chat', workflow: 'claims', redact: true }, datasetsConfig());
      expect(readFileSync(chat.files.all, 'utf8')).not.toContain('jane.doe');
    });
  });
});
