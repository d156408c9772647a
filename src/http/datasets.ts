import { Writable } from 'node:stream';
import { Router, type Response } from 'express';
import { datasetsConfigSchema } from '../config/datasets.js';
import { LoopwatchError } from '../errors.js';
import { explainIssue } from '../events/messages.js';
import { exportDataset, exportParts, type ExportTarget } from '../feedback/datasets/export.js';
import { exportOptionsSchema, TRAINING_FORMATS, type DatasetFormat, type ExportOptions } from '../feedback/datasets/options.js';
import { loopwatchVersion } from '../feedback/datasets/version.js';
import type { AppDeps } from './deps.js';
import { FAILURES, routeFailure } from './errors.js';

const CONTENT_TYPES: Record<DatasetFormat, string> = {
  chat: 'application/x-ndjson',
  preference: 'application/x-ndjson',
  kto: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};
const EXTENSIONS: Record<DatasetFormat, string> = { chat: 'jsonl', preference: 'jsonl', kto: 'jsonl', jsonl: 'jsonl', csv: 'csv', parquet: 'parquet', arrow: 'arrows' };

/**
 * GET /v1/datasets/export streams a labeled dataset (docs/datasets.md) as it is read, with the
 * content hash and row count as HTTP trailers; GET /v1/datasets/manifest runs the same export
 * without sending it and answers its manifest. Both need the `export` scope.
 */
export function datasetsRouter(deps: AppDeps): Router {
  const router = Router();
  const config = deps.datasets ?? datasetsConfigSchema.parse({});

  router.get('/v1/datasets/export', async (req, res, next) => {
    try {
      const options = parseOptions(req.query);
      const abort = new AbortController();
      res.once('close', () => abort.abort());
      const target: ExportTarget = {
        open: (part) => {
          const name = `dataset${part ? `.${part}` : ''}.${EXTENSIONS[options.format]}`;
          res.setHeader('content-type', CONTENT_TYPES[options.format]);
          res.setHeader('content-disposition', `attachment; filename="${name}"`);
          res.setHeader('trailer', 'x-loopwatch-content-sha256, x-loopwatch-rows');
          return { dest: new TrailingResponse(res), name };
        },
      };
      const manifest = await exportDataset(deps.store, { options, config, version: loopwatchVersion(), signal: abort.signal }, target);
      res.addTrailers({ 'x-loopwatch-content-sha256': manifest.content_sha256, 'x-loopwatch-rows': String(manifest.counts.rows) });
      res.end();
    } catch (err) {
      // once bytes are out an error can no longer be an answer: the stream is cut short instead
      if (res.headersSent) {
        deps.logger.error({ err }, 'dataset export failed while streaming');
        res.destroy(err as Error);
        return;
      }
      next(routeFailure(err, FAILURES.datasets));
    }
  });

  router.get('/v1/datasets/manifest', async (req, res, next) => {
    try {
      // nothing is streamed: the manifest of every part of a split at once, as a file export writes it
      const options = parseOptions(req.query, false);
      const manifest = await exportDataset(deps.store, { options, config, version: loopwatchVersion() }, { open: (part) => ({ dest: discard(), name: `dataset${part ? `.${part}` : ''}.${EXTENSIONS[options.format]}` }) });
      res.json(manifest);
    } catch (err) {
      next(routeFailure(err, FAILURES.datasets));
    }
  });
  return router;
}

function parseOptions(query: unknown, streamed = true): ExportOptions {
  const parsed = exportOptionsSchema.safeParse(query, { error: explainIssue });
  if (!parsed.success) {
    throw new LoopwatchError('invalid_export', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  }
  const options = parsed.data;
  if (streamed && TRAINING_FORMATS.has(options.format) && exportParts(options).length > 1) {
    throw new LoopwatchError('invalid_export', `part: a split in the ${options.format} format is sent one part at a time; add part=train, part=validation or part=test`);
  }
  return options;
}

/** The response as the export's destination, left open at the end so that the trailers can follow. */
class TrailingResponse extends Writable {
  constructor(private readonly res: Response) {
    super();
    res.on('drain', () => this.emit('drain'));
    res.once('close', () => this.emit('close'));
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    void rest;
    return this.res.write(chunk as Buffer);
  }
  override end(): this {
    // 'finish' is what HashedOut waits for; the response itself ends after the trailers
    queueMicrotask(() => this.emit('finish'));
    return this;
  }
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, cb) => cb() });
}
