import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './server.js';

export const PROMETHEUS_DIR = path.join(ROOT, 'prometheus');

/** Debian's binaries and the package each comes from: a missing one fails the test, never skips it. */
export const BINARIES = {
  promtool: { path: '/usr/bin/promtool', pkg: 'prometheus' },
  prometheus: { path: '/usr/bin/prometheus', pkg: 'prometheus' },
  alertmanager: { path: '/usr/bin/prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
  amtool: { path: '/usr/bin/amtool', pkg: 'prometheus-alertmanager' },
} as const;

export function requireBinary(name: keyof typeof BINARIES): string {
  const { path: bin, pkg } = BINARIES[name];
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`${bin} is missing: install the Debian package ${pkg} (apt-get install ${pkg}; .ci/run does)`);
  }
  return bin;
}

/** Runs one of the binaries to completion; stdout and stderr as text. */
export function run(name: keyof typeof BINARIES, args: readonly string[], input?: string) {
  const r = spawnSync(requireBinary(name), args, { cwd: ROOT, encoding: 'utf8', input, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * One case past its SLA: created, triaged into human_review and assigned `minutesAgo` minutes
 * ago, never acknowledged (the acknowledge target is 15 minutes of wall clock).
 */
export function overdueCase(caseId: string, workflow: string, tier: number, minutesAgo: number): Record<string, unknown>[] {
  const at = (s: number) => new Date(Date.now() - minutesAgo * 60_000 + s * 1000).toISOString();
  return [
    { event_id: `${caseId}-created`, type: 'case.created', ts: at(0), case_id: caseId, workflow, tier, actor_role: 'system', model_version: 'e2e-model' },
    { event_id: `${caseId}-triaged`, type: 'case.triaged', ts: at(1), case_id: caseId, workflow, lane: 'human_review', actor_role: 'triager' },
    { event_id: `${caseId}-assigned`, type: 'review.assigned', ts: at(2), case_id: caseId, workflow, actor_id: 'rev-e2e-1', actor_role: 'verifier', level: 1 },
  ];
}
