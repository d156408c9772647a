import type { Logger } from 'pino';
import { sendBatch } from './ingest/http-sender.js';
import type { Rate } from './metrics/rate.js';
import type { MetricsSnapshot } from './metrics/runner.js';
import type { RunningServer } from './serve.js';
import { simulate } from './simulate/index.js';
import { defaultStart } from './simulate-command.js';

/**
 * The `--demo` feed: a week of simulated history with drift switched on two days ago, sent
 * through the real HTTP endpoint, so what the demo shows is what a deployment would see.
 */
export async function runDemo(server: RunningServer, cases: number, logger: Logger): Promise<void> {
  const { url } = server;
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
  // the scheduled run at start saw an empty database: compute now so the first look is real
  const snapshot = await server.runner.runNow();
  process.stdout.write(
    [
      '',
      `Loopwatch demo: ${sent} simulated events (${cases} cases, drift since ${driftAt.toISOString()}) ingested over HTTP in ${seconds.toFixed(1)} s.`,
      ...(snapshot ? headlines(snapshot) : []),
      'Where to look:',
      `  ${url}/v1/metrics                       every metric family, by workflow (JSON)`,
      `  ${url}/v1/metrics/sla?group_by=lane     any family, any cut: group_by, bucket, from/to, filters`,
      `  npx loopwatch report --url ${url}   the same as a terminal report`,
      `  ${url}/v1/summary                       stored events per workflow and type`,
      `  ${url}/v1/cases/case-42-1               one case's state and audit trail`,
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
    lines.push(`  ${String(g.key.workflow ?? '(no workflow)').padEnd(22)} ${pct(m.override_rate).padStart(6)} ${pct(m.rework_rate).padStart(6)} ${fa.padStart(6)} ${String(controls.get(g.key.workflow) ?? 0).padStart(5)}`);
  }
  lines.push('');
  return lines;
}
