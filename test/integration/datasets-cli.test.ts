import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBStore } from '../../src/store/duckdb/duckdb-store.js';
import { readJsonLines, sha256File } from '../helpers/datasets.js';
import { runCli, tempDir } from '../helpers/server.js';
import { simulatedRows } from '../helpers/stores.js';

// the CLI opens the DuckDB file itself; the engines' equivalence is the other suites' job
describe('loopwatch export dataset', () => {
  const tmp = tempDir('loopwatch-export-cli-');
  const db = path.join(tmp.dir, 'cli.duckdb');
  beforeAll(async () => {
    const store = await DuckDBStore.open({ path: db });
    await store.migrate();
    await store.insertEvents(simulatedRows({ seed: 5, cases: 600 }));
    await store.close();
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('writes one file per part for a training format with a split, and the manifest beside', () => {
    const out = path.join(tmp.dir, 'sft.jsonl');
    const run = runCli(['export', 'dataset', '--db', db, '--format', 'chat', '--out', out, '--split', '80/10/10', '--no-progress']);
    expect(run.stderr).toMatch(/^wrote \d[\d,]* rows .* to sft\.train\.jsonl, sft\.validation\.jsonl, sft\.test\.jsonl/);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'));
    expect(manifest.files.map((f: { file: string }) => f.file)).toEqual(['sft.train.jsonl', 'sft.validation.jsonl', 'sft.test.jsonl']);
    for (const f of manifest.files) {
      const file = path.join(tmp.dir, f.file);
      expect(sha256File(file)).toBe(f.sha256);
      expect(readJsonLines(file).length).toBe(f.rows);
      expect(manifest.counts.by_split[f.part]).toBe(f.rows);
    }
    expect(manifest.loopwatch_version).toBe(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses reviewer ids without a key, leaving no file behind', () => {
    const out = path.join(tmp.dir, 'ids.jsonl');
    const run = runCli(['export', 'dataset', '--db', db, '--format', 'jsonl', '--out', out, '--reviewer-ids', '--no-progress'], { LOOPWATCH_DATASET_PSEUDONYM_KEY: '' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/pseudonym/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.tmp`)).toBe(false);
    const ok = runCli(['export', 'dataset', '--db', db, '--format', 'jsonl', '--out', out, '--reviewer-ids', '--no-progress'], { LOOPWATCH_DATASET_PSEUDONYM_KEY: 'k'.repeat(32) });
    expect(ok.status).toBe(0);
    expect(readJsonLines(out).every((r) => /^rv_[0-9a-f]{16}$/.test(r.reviewer_id))).toBe(true);
  });

  it('says which option is wrong', () => {
    const run = runCli(['export', 'dataset', '--db', db, '--format', 'xml', '--out', path.join(tmp.dir, 'x'), '--no-progress']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--format/);
  });
});
