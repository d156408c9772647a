/**
 * `loopwatch export dataset --url`: the export asked of a running server (which holds the
 * DuckDB file, so the CLI cannot open it) writes the same files as an export from the store,
 * and a manifest that lists exactly them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFile, tokensPath } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/http/start-server.js';
import { createLogger } from '../../src/observability/logger.js';
import { exportToFiles, sha256File } from '../helpers/datasets.js';
import { engineFlags, runCliAsync as runCli, tempDir } from '../helpers/server.js';
import { forEachStore, simulatedRows } from '../helpers/stores.js';

forEachStore((kind) => {
  describe('loopwatch export dataset --url', () => {
    const tmp = tempDir('loopwatch-export-url-');
    const db = path.join(tmp.dir, 'served.duckdb');
    const tokens = new TokenFile(tokensPath({ db }));
    let server: RunningServer;
    let exporter: string;
    let reader: string;

    beforeAll(async () => {
      exporter = tokens.create('trainer', ['export']);
      reader = tokens.create('dashboard', ['read']);
      const config = loadConfig({ env: {}, flags: { db, port: 0, host: '127.0.0.1', logLevel: 'silent', ...engineFlags(kind) } });
      server = await startServer(config, createLogger('silent'), { scheduleMetrics: false });
      await server.store.insertEvents(simulatedRows({ seed: 23, cases: 600 }));
    }, 120_000);
    afterAll(async () => {
      await server?.shutdown('test');
      tmp.cleanup();
    });

    it('writes every part of a split and the manifest, the same bytes as an export from the store', async () => {
      const out = path.join(tmp.dir, 'sft.jsonl');
      const run = await runCli(['export', 'dataset', '--url', server.url, '--format', 'chat', '--out', out, '--split', '80/10/10', '--no-progress'], { LOOPWATCH_TOKEN: exporter });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^wrote \d[\d,]* rows .* to sft\.train\.jsonl, sft\.validation\.jsonl, sft\.test\.jsonl/);
      const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'));
      const local = await exportToFiles(server.store, tmp.dir, 'local.jsonl', { format: 'chat', split: '80/10/10' });
      expect(manifest.files.map((f: { file: string }) => f.file)).toEqual(['sft.train.jsonl', 'sft.validation.jsonl', 'sft.test.jsonl']);
      expect(manifest.counts).toEqual(local.manifest.counts);
      expect(manifest.content_sha256).toBe(local.manifest.content_sha256);
      for (const f of manifest.files) {
        const file = path.join(tmp.dir, f.file);
        expect(sha256File(file)).toBe(f.sha256);
        expect(readFileSync(file).equals(readFileSync(local.files[f.part])), f.file).toBe(true);
      }
      expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }, 120_000);

    it('writes one binary file with its filters', async () => {
      const out = path.join(tmp.dir, 'overrides.parquet');
      const run = await runCli(['export', 'dataset', '--url', server.url, '--format', 'parquet', '--decision', 'override', '--out', out, '--no-progress'], { LOOPWATCH_TOKEN: exporter });
      expect(run.status, run.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'));
      const local = await exportToFiles(server.store, tmp.dir, 'local.parquet', { format: 'parquet', decision: 'override' });
      expect(manifest.filters).toEqual({ decision: ['override'], agreed_only: false });
      expect(manifest.counts.rows).toBe(local.manifest.counts.rows);
      expect(manifest.counts.rows).toBeGreaterThan(0);
      expect(sha256File(out)).toBe(manifest.files[0].sha256);
      expect(manifest.files[0].file).toBe('overrides.parquet');
    }, 120_000);

    it("says what the server refused, and writes nothing", async () => {
      const out = path.join(tmp.dir, 'refused.jsonl');
      const noScope = await runCli(['export', 'dataset', '--url', server.url, '--format', 'jsonl', '--out', out, '--no-progress'], { LOOPWATCH_TOKEN: reader });
      expect(noScope.status).toBe(1);
      expect(noScope.stderr).toMatch(/403/);
      const bad = await runCli(['export', 'dataset', '--url', server.url, '--format', 'jsonl', '--reviewer-ids', '--out', out, '--no-progress'], { LOOPWATCH_TOKEN: exporter });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/pseudonym/);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.manifest.json`)).toBe(false);
      expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('writes nothing when the data changed between the manifest and the export, or the stream was cut', async () => {
      // a proxy in front of the server: before the export it stores more reviewed cases, or it cuts the stream
      let mode: 'change' | 'cut' = 'change';
      const more = simulatedRows({ seed: 24, cases: 200 }).map((r) => ({ ...r, event_id: `more-${r.event_id}`, case_id: `more-${r.case_id}` }));
      const proxy = http.createServer((req, res) => {
        void (async () => {
          if (req.url!.startsWith('/v1/datasets/export') && mode === 'change') await server.store.insertEvents(more);
          http.get(`${server.url}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } }, (up) => {
            res.writeHead(up.statusCode!, mode === 'cut' ? { 'content-type': String(up.headers['content-type']) } : up.headers);
            if (mode === 'cut' && req.url!.startsWith('/v1/datasets/export')) {
              up.once('data', (chunk: Buffer) => {
                res.end(chunk.subarray(0, Math.max(1, chunk.length >> 1)));
                up.destroy();
              });
            } else {
              up.pipe(res, { end: false });
              up.once('end', () => {
                res.addTrailers(up.trailers as Record<string, string>);
                res.end();
              });
            }
          });
        })();
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      try {
        const out = path.join(tmp.dir, 'changed.jsonl');
        const changed = await runCli(['export', 'dataset', '--url', url, '--format', 'jsonl', '--out', out, '--no-progress'], { LOOPWATCH_TOKEN: exporter });
        expect(changed.status, changed.stderr).toBe(1);
        expect(changed.stderr).toMatch(/changed between the manifest and the export/);
        mode = 'cut';
        const cut = await runCli(['export', 'dataset', '--url', url, '--format', 'jsonl', '--out', out, '--no-progress'], { LOOPWATCH_TOKEN: exporter });
        expect(cut.status, cut.stderr).toBe(1);
        expect(cut.stderr).toMatch(/ended before its last byte/);
        expect(existsSync(out)).toBe(false);
        expect(existsSync(`${out}.manifest.json`)).toBe(false);
        expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      } finally {
        await new Promise((r) => proxy.close(r));
      }
    }, 120_000);

    it('says so when no server answers', async () => {
      const run = await runCli(['export', 'dataset', '--url', 'http://127.0.0.1:9', '--format', 'jsonl', '--out', path.join(tmp.dir, 'x.jsonl'), '--no-progress']);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/cannot reach a Loopwatch server at http:\/\/127\.0\.0\.1:9/);
    });
  });
});
