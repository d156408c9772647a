import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { bearerHeaders } from '../auth/client.js';
import { LoopwatchError } from '../errors.js';
import { exportParts } from '../feedback/datasets/export.js';
import type { DatasetManifest } from '../feedback/datasets/manifest.js';
import type { ExportOptions } from '../feedback/datasets/options.js';
import { serverUrl, unreachable } from './errors.js';

export interface RemoteExport {
  /** --url */
  url: string;
  options: ExportOptions;
  /** The options as the server's query string takes them. */
  query: Record<string, string>;
  /** File to write (per part: partFile(out, part)). */
  fileFor: (part: string | null) => string;
  out: string;
  onBytes?: (bytes: number, total: number) => void;
}

/**
 * `loopwatch export dataset --url`: the same files and manifest as an export from the database,
 * asked of a running server (which holds the DuckDB file). The manifest is asked first, then each
 * part is streamed to a temporary file and hashed on the way; a part is kept only if its hash is
 * the one the server sent as a trailer (the stream was not cut short) and the one the manifest
 * lists (the data did not change between the two requests), so a manifest never describes
 * other bytes than the files beside it.
 */
export async function exportFromServer(r: RemoteExport): Promise<DatasetManifest> {
  const base = serverUrl(r.url);
  const manifest = JSON.parse((await request(new URL('/v1/datasets/manifest', base), r.query, r.url)).body.toString('utf8')) as DatasetManifest;
  const parts = exportParts(r.options);
  const total = manifest.files.reduce((s, f) => s + f.bytes, 0);
  let done = 0;
  const written: [string, string][] = [];
  try {
    for (const part of parts) {
      const listed = manifest.files.find((f) => f.part === part);
      const file = r.fileFor(part);
      const tmp = `${file}.tmp`;
      written.push([tmp, file]);
      const query = part === null || r.options.part ? r.query : { ...r.query, part };
      const hash = createHash('sha256');
      const { trailers } = await request(new URL('/v1/datasets/export', base), query, r.url, async (res) => {
        const counting = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            hash.update(chunk);
            done += chunk.length;
            r.onBytes?.(done, total);
            cb(null, chunk);
          },
        });
        await pipeline(res, counting, createWriteStream(tmp));
      });
      const sha = hash.digest('hex');
      if (trailers['x-loopwatch-content-sha256'] !== sha) {
        throw new LoopwatchError('server_error', `${r.url}: the export of ${path.basename(file)} ended before its last byte (no matching content hash); nothing was written`);
      }
      if (!listed || listed.sha256 !== sha) {
        throw new LoopwatchError('export_changed', `${r.url}: the server's data changed between the manifest and the export of ${path.basename(file)}; nothing was written: run the export again`);
      }
      listed.file = path.basename(file);
    }
    for (const [tmp, file] of written) await rename(tmp, file);
    await writeFile(`${r.out}.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await Promise.all(written.map(([tmp]) => rm(tmp, { force: true })));
  }
}

interface Answer {
  body: Buffer;
  trailers: NodeJS.Dict<string>;
}

/**
 * A GET with node:http, which (unlike fetch) hands over the trailers. `consume` takes a 2xx
 * body as a stream; without it the body is read whole. A non-2xx answer becomes the server's
 * own error message.
 */
function request(url: URL, query: Record<string, string>, given: string, consume?: (res: http.IncomingMessage) => Promise<void>): Promise<Answer> {
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise<Answer>((resolve, reject) => {
    const req = get(url, { headers: bearerHeaders() }, (res) => {
      const ok = res.statusCode! >= 200 && res.statusCode! < 300;
      if (ok && consume) {
        consume(res).then(() => resolve({ body: Buffer.alloc(0), trailers: res.trailers }), reject);
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (ok) return resolve({ body, trailers: res.trailers });
        let message = body.toString('utf8').slice(0, 500);
        try {
          message = (JSON.parse(message) as { error?: { message?: string } }).error?.message ?? message;
        } catch {
          // not JSON: the text as it came
        }
        reject(new LoopwatchError(res.statusCode === 400 ? 'invalid_export' : 'server_error', `${url.pathname}: ${res.statusCode} ${message}`));
      });
    });
    req.on('error', (err) => reject(unreachable(given, err)));
  });
}
