import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFile, tokensPath } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/http/start-server.js';
import { createLogger } from '../../src/observability/logger.js';
import { exportToFiles, datasetsConfig, sha256File } from '../helpers/datasets.js';
import { engineFlags, tempDir } from '../helpers/server.js';
import { forEachStore, simulatedRows } from '../helpers/stores.js';
import { readFileSync } from 'node:fs';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  trailers: NodeJS.Dict<string>;
  chunks: number;
}

/** A GET with node:http, which (unlike fetch) hands over the trailers. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts), trailers: res.trailers, chunks: parts.length }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

forEachStore((kind) => {
  describe('GET /v1/datasets/export on a real server', () => {
    const tmp = tempDir('loopwatch-datasets-http-');
    const db = path.join(tmp.dir, 'http.duckdb');
    const tokens = new TokenFile(tokensPath({ db }));
    let server: RunningServer;
    let exporter: string;
    let reader: string;
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

    beforeAll(async () => {
      exporter = tokens.create('trainer', ['export']);
      reader = tokens.create('dashboard', ['read']);
      const config = loadConfig({ env: {}, flags: { db, port: 0, host: '127.0.0.1', logLevel: 'silent', ...engineFlags(kind) } });
      server = await startServer(config, createLogger('silent'), { scheduleMetrics: false });
      await server.store.insertEvents(simulatedRows({ seed: 21, cases: 800 }));
    }, 120_000);
    afterAll(async () => {
      await server?.shutdown('test');
      tmp.cleanup();
    });

    it('needs the export scope: 401 without a token, 403 with a read token', async () => {
      expect((await get(`${server.url}/v1/datasets/export?format=jsonl`)).status).toBe(401);
      const refused = await get(`${server.url}/v1/datasets/export?format=jsonl`, bearer(reader));
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body.toString()).error.code).toBe('forbidden');
      expect((await get(`${server.url}/v1/datasets/manifest?format=jsonl`, bearer(reader))).status).toBe(403);
    });

    it('streams the same bytes the export writes to a file, with the content hash as a trailer', async () => {
      for (const [format, type] of [['chat', 'application/x-ndjson'], ['csv', 'text/csv; charset=utf-8'], ['parquet', 'application/vnd.apache.parquet'], ['arrow', 'application/vnd.apache.arrow.stream']] as const) {
        const res = await get(`${server.url}/v1/datasets/export?format=${format}&split=80/10/10&part=train`, bearer(exporter));
        expect(res.status, `${format}: ${res.body.toString().slice(0, 200)}`).toBe(200);
        expect(res.headers['content-type']).toBe(type);
        expect(res.headers['transfer-encoding']).toBe('chunked');
        const file = await exportToFiles(server.store, tmp.dir, `train.${format}`, { format, split: '80/10/10', part: 'train' }, datasetsConfig());
        const written = readFileSync(Object.values(file.files)[0]);
        expect(res.body.equals(written), format).toBe(true);
        const sha = createHash('sha256').update(res.body).digest('hex');
        expect(res.trailers['x-loopwatch-content-sha256']).toBe(sha);
        expect(sha).toBe(sha256File(Object.values(file.files)[0]));
        expect(Number(res.trailers['x-loopwatch-rows'])).toBe(file.manifest.counts.rows);
      }
    }, 120_000);

    it('answers the manifest of the same export', async () => {
      const res = await get(`${server.url}/v1/datasets/manifest?format=jsonl&decision=override`, bearer(exporter));
      expect(res.status).toBe(200);
      const manifest = JSON.parse(res.body.toString());
      const file = await exportToFiles(server.store, tmp.dir, 'overrides.jsonl', { format: 'jsonl', decision: 'override' }, datasetsConfig());
      expect(manifest.content_sha256).toBe(file.manifest.content_sha256);
      expect(manifest.counts).toEqual(file.manifest.counts);
      expect(manifest.filters).toEqual({ decision: ['override'], agreed_only: false });
    }, 60_000);

    it('refuses bad options with 400 and says which', async () => {
      const cases: [string, RegExp][] = [
        ['format=xml', /format/],
        ['format=chat&split=80/10/10', /part/],
        ['format=jsonl&split=80/30', /add up to 100/],
        ['format=jsonl&reviewer_ids=true', /pseudonym/],
        ['format=jsonl&tier=9', /tier/],
      ];
      for (const [query, message] of cases) {
        const res = await get(`${server.url}/v1/datasets/export?${query}`, bearer(exporter));
        expect(res.status, query).toBe(400);
        expect(JSON.parse(res.body.toString()).error.message, query).toMatch(message);
      }
    });
  });
});
