import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import { FAMILIES } from '../metrics/registry.js';
import { MetricsRunner } from '../metrics/runner.js';
import { createLogger } from '../observability/logger.js';
import { openStore } from '../store/open-store.js';
import { configFrom, withStoreOptions } from './options.js';

/** `loopwatch review`: the governance review of a period, or a post-incident review, as one HTML file (docs/review.md). */
export function reviewCommand(program: Command): void {
  withStoreOptions(program.command('review'))
    .description('write the governance review of a period (or a post-incident review) as one self-contained HTML page')
    .option('--period <period>', 'a month (2026-11), a quarter (2026-Q4) or a range (2026-11-01..2026-11-15)')
    .option('--incident <case>', 'post-incident review of a case id, or of a time range <from>..<to>')
    .option('--workflow <name>', 'one workflow only')
    .option('--whatif', 'add the triage threshold what-if (quarterly reviews always have it)')
    .option('--out <file>', 'HTML file to write', 'review.html')
    .option('--pdf [file]', 'also print it to PDF through headless Chromium (default: the --out name with .pdf)')
    .option('--chromium <path>', 'Chromium for --pdf', '/usr/bin/chromium')
    .action(async (opts) => {
      if (!opts.period === !opts.incident) throw new LoopwatchError('bad_flag', 'give one of --period or --incident');
      const config = configFrom(opts);
      if (config.store === 'duckdb' && config.db !== ':memory:' && !existsSync(config.db)) {
        throw new LoopwatchError('db_not_found', `no database at ${config.db}: check --db (or LOOPWATCH_DB)`);
      }
      // the review's modules load only for this command
      const { parsePeriod } = await import('../review/period.js');
      const { buildReview } = await import('../review/review.js');
      const { buildIncidentReview } = await import('../review/incident.js');
      const period = opts.period ? parsePeriod(opts.period) : undefined;
      const store = await openStore(config);
      let html: string;
      let ms: number;
      try {
        const runner = new MetricsRunner({ store, families: FAMILIES, config: config.metrics, logger: createLogger('silent') });
        const deps = { store, runner, config: config.metrics };
        const common = { workflow: opts.workflow, ids: { mode: config.review.reviewerIds, key: config.review.pseudonymKey }, fresh: true, caseLinkBase: config.review.caseLinkBase };
        ({ html, ms } = period
          ? await buildReview(deps, { ...common, period, whatif: Boolean(opts.whatif) })
          : await buildIncidentReview(deps, { ...common, target: String(opts.incident) }));
      } finally {
        await store.close();
      }
      writeFileSync(opts.out, html);
      process.stderr.write(`wrote ${opts.out} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB) in ${(ms / 1000).toFixed(1)} s\n`);
      if (opts.pdf) {
        const { printPdf } = await import('../review/pdf.js');
        const pdfPath = typeof opts.pdf === 'string' ? opts.pdf : String(opts.out).replace(/\.html?$/i, '') + '.pdf';
        writeFileSync(pdfPath, await printPdf(html, opts.chromium));
        process.stderr.write(`wrote ${pdfPath}\n`);
      }
    });
}
