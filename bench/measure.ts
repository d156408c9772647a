// A whole process timed as a user would time it: wall seconds and peak RSS (GNU time's %M,
// where /usr/bin/time exists), with its output kept.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measured {
  seconds: number;
  /** peak resident memory of the process, MB; null without GNU time */
  max_rss_mb: number | null;
  status: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const MARK = 'loopwatch-bench-rss-kb=';

export function runMeasured(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Measured {
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const run = spawnSync(timed ? GNU_TIME : command, timed ? ['-f', `${MARK}%M`, command, ...args] : args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const seconds = (performance.now() - started) / 1000;
  let stderr = run.stderr ?? '';
  let rss: number | null = null;
  if (timed) {
    const at = stderr.lastIndexOf(MARK);
    if (at >= 0) {
      rss = Math.round(Number(stderr.slice(at + MARK.length).trim()) / 1024);
      stderr = stderr.slice(0, at);
    }
  }
  if (run.error) throw run.error;
  return { seconds, max_rss_mb: rss, status: run.status, stdout: run.stdout ?? '', stderr };
}

/** Fails with what the process said when it did not exit 0 (`ok` lists other accepted codes). */
export function expectStatus(what: string, m: Measured, ok: readonly number[] = [0]): Measured {
  if (m.status === null || !ok.includes(m.status)) throw new Error(`${what} exited with ${m.status}: ${m.stderr.slice(-2000)}`);
  return m;
}

/** The middle value (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
