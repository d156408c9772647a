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
