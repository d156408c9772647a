import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { datasetsConfig, exportToFiles, readJsonLines, sha256File } from '../helpers/datasets.js';
import { ORACLE_PYTHON, requirePython } from '../helpers/python.js';
import { forEachStore, openTestStore, simulatedRows, tempDir } from '../helpers/stores.js';
import { spawnSync } from 'node:child_process';

const ORACLE = path.resolve(import.meta.dirname, '../oracles/openai_chat_format_check.py');
// support drafting's answer is a reply text; the other simulated workflows label a request
const CONFIG = datasetsConfig({
  workflows: { support_drafting: { target: 'output', systemPrompt: 'You draft replies to customer tickets.' } },
  pageSize: 173,
});

/** The answers a flat record holds under CONFIG: the human-approved one and the model's. */
function answers(r: Record<string, any>): { human: string | null; model: string | null } {
  const support = r.workflow === 'support_drafting';
  return { human: r.decision === 'reject' ? null : support ? r.final_output : r.final_label, model: support ? r.model_output : r.model_label };
}

forEachStore((kind) => {
  describe('dataset formats over simulated reviews', () => {
    const tmp = tempDir('loopwatch-datasets-');
    let store: Store;
    let flat: Record<string, any>[];
    beforeAll(async () => {
      store = await openTestStore(kind, tmp.dir);
      await store.insertEvents(simulatedRows({ seed: 15, cases: 1_500 }));
      const { files } = await exportToFiles(store, tmp.dir, 'flat.jsonl', { format: 'jsonl' }, CONFIG);
      flat = readJsonLines(files.all);
    }, 120_000);
    afterAll(async () => {
      await store?.close();
      tmp.cleanup();
    });

    it('reads every reviewed or audited case once, in case_id order, across pages', () => {
      expect(flat.length).toBeGreaterThan(600);
      const ids = flat.map((r) => r.case_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
    });

    it('chat: passes the OpenAI cookbook format checks line by line; the assistant turn is the human-approved answer', async () => {
      requirePython(['json']);
      const { files, manifest } = await exportToFiles(store, tmp.dir, 'chat.jsonl', { format: 'chat' }, CONFIG);
      const run = spawnSync(ORACLE_PYTHON, [ORACLE, files.all], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      const verdict = JSON.parse(run.stdout);
      expect(verdict.errors).toEqual({});
      const lines = readJsonLines(files.all);
      expect(verdict.examples).toBe(lines.length);
      // the same cases in the same order as the flat record, those without an approved answer left
      // out: rejections, and an audit's new label where the workflow's answer is a text
      const answered = flat.filter((r) => answers(r).human);
      expect(answered.length).toBeGreaterThan(flat.filter((r) => r.decision !== 'reject').length - 20);
      expect(lines.length).toBe(answered.length);
      expect(manifest.exclusions.no_approved_answer).toBe(flat.length - answered.length);
      for (const [i, r] of answered.entries()) {
        const msgs = lines[i].messages;
        const support = r.workflow === 'support_drafting';
        expect(msgs.map((m: any) => m.role)).toEqual(support ? ['system', 'user', 'assistant'] : ['user', 'assistant']);
        expect(msgs.at(-2).content).toBe(r.input);
        expect(msgs.at(-1).content).toBe(support ? r.final_output : r.final_label);
      }
      // a correction's line carries the correction, never the model's rejected answer
      const corrected = answered.flatMap((r, i) => (r.decision === 'override' && r.final_label !== r.model_label && r.workflow !== 'support_drafting' ? [i] : []));
      expect(corrected.length).toBeGreaterThan(20);
      for (const i of corrected) expect(lines[i].messages.at(-1).content).not.toBe(answered[i].model_label);
    });

    it("preference: OpenAI's DPO rows for every correction, and TRL's prompt/chosen/rejected with --flavor trl", async () => {
      const dpo = readJsonLines((await exportToFiles(store, tmp.dir, 'dpo.jsonl', { format: 'preference' }, CONFIG)).files.all);
      const trl = readJsonLines((await exportToFiles(store, tmp.dir, 'trl.jsonl', { format: 'preference', flavor: 'trl' }, CONFIG)).files.all);
      const corrections = flat.filter((r) => {
        if (r.decision !== 'override') return false;
        const [human, model] = r.workflow === 'support_drafting' ? [r.final_output, r.model_output] : [r.final_label, r.model_label];
        return human && model && human !== model;
      });
      expect(corrections.length).toBeGreaterThan(20);
      expect(dpo.length).toBe(corrections.length);
      expect(trl.length).toBe(corrections.length);
      const assistant = (content: unknown) => [{ role: 'assistant', content }];
      for (const [i, r] of corrections.entries()) {
        const support = r.workflow === 'support_drafting';
        const prompt = [...(support ? [{ role: 'system', content: 'You draft replies to customer tickets.' }] : []), { role: 'user', content: r.input }];
        const [human, model] = support ? [r.final_output, r.model_output] : [r.final_label, r.model_label];
        expect(Object.keys(dpo[i])).toEqual(['input', 'preferred_output', 'non_preferred_output']);
        expect(dpo[i]).toEqual({ input: { messages: prompt }, preferred_output: assistant(human), non_preferred_output: assistant(model) });
        expect(Object.keys(trl[i])).toEqual(['prompt', 'chosen', 'rejected']);
        expect(trl[i]).toEqual({ prompt, chosen: assistant(human), rejected: assistant(model) });
      }
    });

    it('kto: approvals positive, rejected recommendations negative, a correction both', async () => {
      const kto = readJsonLines((await exportToFiles(store, tmp.dir, 'kto.jsonl', { format: 'kto' }, CONFIG)).files.all);
      for (const line of kto) {
        expect(Object.keys(line)).toEqual(['prompt', 'completion', 'label']);
        expect(typeof line.label).toBe('boolean');
        expect(line.completion).toHaveLength(1);
        expect(line.completion[0].role).toBe('assistant');
        expect(line.completion[0].content).toMatch(/\S/);
      }
      let positives = 0;
      let negatives = 0;
      for (const r of flat) {
        const { human, model } = answers(r);
        if (r.decision === 'approve') positives++;
        if (r.decision === 'reject') negatives++;
        if (r.decision === 'override') {
          negatives++;
          if (human && human !== model) positives++;
        }
      }
      expect(negatives).toBeGreaterThan(100);
      expect(kto.filter((l) => l.label === true).length).toBe(positives);
      expect(kto.filter((l) => l.label === false).length).toBe(negatives);
    });

    it('a second export of the same data is byte-identical, in every format; the manifest hashes the file', async () => {
      for (const format of ['chat', 'preference', 'kto', 'jsonl', 'csv', 'parquet', 'arrow'] as const) {
        const a = await exportToFiles(store, tmp.dir, `a.${format}`, { format, split: '80/20' }, CONFIG);
        const b = await exportToFiles(store, tmp.dir, `b.${format}`, { format, split: '80/20' }, CONFIG);
        expect(Object.keys(a.files)).toEqual(Object.keys(b.files));
        for (const part of Object.keys(a.files)) {
          expect(readFileSync(a.files[part]).equals(readFileSync(b.files[part])), `${format} ${part}`).toBe(true);
          expect(a.manifest.files.find((f) => (f.part ?? 'all') === part)?.sha256).toBe(sha256File(a.files[part]));
        }
        expect(a.manifest.content_sha256).toBe(b.manifest.content_sha256);
      }
    }, 120_000);

    it('parquet and arrow read back equal to the JSON lines', async () => {
      const { files: pq } = await exportToFiles(store, tmp.dir, 'flat.parquet', { format: 'parquet' }, CONFIG);
      const { files: ar } = await exportToFiles(store, tmp.dir, 'flat.arrows', { format: 'arrow' }, CONFIG);
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      const reader = await conn.runAndReadAll(`SELECT to_json(p)::VARCHAR AS j FROM read_parquet('${pq.all}') p`);
      const fromParquet = reader.getRowObjectsJS().map((r) => JSON.parse(r.j as string));
      conn.closeSync();
      instance.closeSync();
      expect(fromParquet).toEqual(flat);
      const table = tableFromIPC(readFileSync(ar.all));
      const fromArrow = table.toArray().map((row) => {
        const o = row.toJSON() as Record<string, any>;
        o.event_ids = o.event_ids ? [...o.event_ids] : o.event_ids;
        return o;
      });
      expect(fromArrow).toEqual(flat);
    });

    it('csv: a header and one RFC 4180 row per record', async () => {
      const { files } = await exportToFiles(store, tmp.dir, 'flat.csv', { format: 'csv' }, CONFIG);
      const instance = await DuckDBInstance.create(':memory:');
      const conn = await instance.connect();
      const reader = await conn.runAndReadAll(`SELECT case_id, final_label, input FROM read_csv('${files.all}', header = true, all_varchar = true)`);
      const rows = reader.getRowObjectsJS();
      conn.closeSync();
      instance.closeSync();
      expect(rows).toEqual(flat.map((r) => ({ case_id: r.case_id, final_label: r.final_label, input: r.input })));
    });
  });
});
