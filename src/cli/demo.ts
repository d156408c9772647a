import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { nextDemoStretch } from './demo-stretch.js';
import { addResult, describeResult, emptyResult } from '../ingest/batch-result.js';
import { sendBatch } from '../ingest/http-sender.js';
import type { Rate } from '../metrics/rate.js';
import type { MetricsSnapshot } from '../metrics/runner.js';
import type { RunningServer } from '../http/start-server.js';
import { simulate } from '../simulate/index.js';
import { DEFAULT_SIMULATE_BATCH_SIZE } from '../config/defaults.js';

/**
 * The `--demo` feed: a week of simulated history with drift switched on two days ago, sent
 * through the real HTTP endpoint, so what the demo shows is what a deployment would see. On a
 * database that has events already, the run adds the stretch after them (src/cli/demo-stretch.ts).
 */
export async function runDemo(server: RunningServer, cases: number, logger: Logger, out: Writable = process.stdout): Promise<void> {
  const { url } = server;
  const now = new Date();
  const stretch = await nextDemoStretch(server.store, now);
  const { start, idTag } = stretch;
  const casesPerHour = Math.max(1, Math.round(cases / (7 * 24)));
  const driftAt = new Date(now.getTime() - 2 * 24 * 3600_000);
  let sent = 0;
  let firstCase: unknown;
  let lastTs = start.toISOString();
  const total = emptyResult();
  const started = performance.now();
  for (const batch of simulate({ seed: 42, cases, start, casesPerHour, driftAt, idTag }, DEFAULT_SIMULATE_BATCH_SIZE)) {
    const answer = await sendBatch(batch, { url });
    sent += batch.length;
    addResult(total, answer, false);
    firstCase ??= batch.find((e) => e.case_id)?.case_id;
    lastTs = String(batch[batch.length - 1].ts);
  }
  const seconds = (performance.now() - started) / 1000;
  const { accepted, duplicates, rejected } = total;
  logger.info({ sent, accepted, duplicates, rejected, seconds, start, id_tag: idTag }, 'demo history loaded');
  // the scheduled run at start has not seen these events: compute now so the first look is real
  const snapshot = await server.runner.runNow();
  out.write(
    [
      '',
      `Loopwatch demo: sent ${sent} simulated events (${cases} cases, ${start.toISOString()} to ${lastTs}, drift since ${driftAt.toISOString()}) over HTTP in ${seconds.toFixed(1)} s: ${describeResult(total)}.`,
      ...(stretch.lastTs
        ? [`The database already held ${stretch.stored} events up to ${stretch.lastTs.toISOString()}: this run added the stretch after them (ids tagged ${idTag}).`]
        : []),
      ...(snapshot ? headlines(snapshot) : []),
      'Where to look:',
      `  ${url}/v1/metrics                       every metric family, by workflow (JSON)`,
      `  ${url}/v1/metrics/sla?group_by=lane     any family, any cut: group_by, bucket, from/to, filters`,
      `  npx loopwatch report --url ${url}   the same as a terminal report`,
      `  ${url}/v1/summary                       stored events per workflow and type`,
      `  ${url}/v1/cases/${String(firstCase ?? 'case-42-1').padEnd(23)} one case's state and audit trail`,
      `  ${url}/metrics                          Prometheus metrics of ingest itself`,
      `Send your own:  curl -X POST ${url}/v1/events -H 'content-type: application/json' -d @event.json`,
      'Stop with Ctrl-C (the database is flushed and closed cleanly).',
      '',
    ].join('\n'),
  );
}

/** A few headline numbers per workflow from the first real run. */
function headlines(snapshot: MetricsSnapshot): string[] {
  const pct = (r: Rate | undefined) => (r?.value == null ? '—' : `${(r.value * 100).toFixed(1)}%`);
  const lines = ['', 'By workflow (override rate, rework rate, false-accept rate, control violations):'];
  const controls = new Map(
    (snapshot.families.controls?.groups ?? []).map((g) => [g.key.workflow, (g.metrics as { violations: number }).violations]),
  );
  for (const g of snapshot.families.quality?.groups ?? []) {
    const m = g.metrics as { override_rate: Rate; rework_rate: Rate; false_accept_rate: { value: number | null } };
    const fa = m.false_accept_rate?.value == null ? '—' : `${(m.false_accept_rate.value * 100).toFixed(1)}%`;
    lines.push(`  ${String(g.key.workflow ?? '(none)').padEnd(22)} ${pct(m.override_rate).padStart(6)} ${pct(m.rework_rate).padStart(6)} ${fa.padStart(6)} ${String(controls.get(g.key.workflow) ?? 0).padStart(5)}`);
  }
  lines.push('');
  return lines;
}
