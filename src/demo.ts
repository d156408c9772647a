import type { Logger } from 'pino';
import { sendBatch } from './ingest/http-sender.js';
import { simulate } from './simulate/index.js';
import { defaultStart } from './simulate-command.js';

/**
 * The `--demo` feed: a week of simulated history with drift switched on two days ago, sent
 * through the real HTTP endpoint, so what the demo shows is what a deployment would see.
 */
export async function runDemo(url: string, cases: number, logger: Logger): Promise<void> {
  const now = new Date();
  const start = defaultStart(now);
  const casesPerHour = Math.max(1, Math.round(cases / (7 * 24)));
  const driftAt = new Date(now.getTime() - 2 * 24 * 3600_000);
  let sent = 0;
  let rejected = 0;
  const started = performance.now();
  for (const batch of simulate({ seed: 42, cases, start, casesPerHour, driftAt }, 5000)) {
    const answer = await sendBatch(batch, { url });
    sent += batch.length;
    rejected += answer.rejected;
  }
  const seconds = (performance.now() - started) / 1000;
  logger.info({ sent, rejected, seconds }, 'demo history loaded');
  process.stdout.write(
    [
      '',
      `Loopwatch demo: ${sent} simulated events (${cases} cases, drift since ${driftAt.toISOString()}) ingested over HTTP in ${seconds.toFixed(1)} s.`,
      'Where to look:',
      `  ${url}/v1/summary   stored events per workflow and type`,
      `  ${url}/metrics      Prometheus metrics of ingest itself`,
      `  ${url}/readyz       readiness (store reachable)`,
      `Send your own:  curl -X POST ${url}/v1/events -H 'content-type: application/json' -d @event.json`,
      'Stop with Ctrl-C (the database is flushed and closed cleanly).',
      '',
    ].join('\n'),
  );
}
