import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';

export interface HttpIngestResult {
  events: number;
  batches: number;
  senders: number;
  batch_size: number;
  seconds: number;
  events_per_second: number;
  server_max_rss_mb: number;
  /** The server's CPU seconds (user + system, all its threads) while the batches were sent. */
  server_cpu_seconds: number;
}

/** A process's CPU seconds so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux)
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * A real `loopwatch serve` on 127.0.0.1 and `senders` concurrent clients posting NDJSON batches
 * of `batchSize` (prepared before the clock starts), each waiting for its durable acknowledgement.
 */
export async function benchHttpIngest(ndjson: string, db: string, options: { senders: number; batchSize: number; maxEvents: number; nodeArgs?: string[]; serverArgs?: string[] }): Promise<HttpIngestResult> {
  const lines = readFileSync(ndjson, 'utf8').split('\n').filter(Boolean).slice(0, options.maxEvents);
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i += options.batchSize) bodies.push(lines.slice(i, i + options.batchSize).join('\n'));
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(root, 'bin/loopwatch.js'), 'serve', '--port', '0', ...(options.serverArgs ?? ['--db', db])], {
    env: { ...process.env, LOOPWATCH_LOG_LEVEL: 'info', LOOPWATCH_HOST: '127.0.0.1', LOOPWATCH_BODY_LIMIT: '256mb' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (l) => {
      try {
        const log = JSON.parse(l);
        if (log.url) resolve(log.url);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  let next = 0;
  let acknowledged = 0;
  const cpuBefore = cpuSeconds(child.pid!);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.senders }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
        const answer = (await res.json()) as { accepted: number; duplicates: number };
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        acknowledged += answer.accepted + answer.duplicates;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(child.pid!) - cpuBefore;
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return {
    events: acknowledged,
    batches: bodies.length,
    senders: options.senders,
    batch_size: options.batchSize,
    seconds,
    events_per_second: Math.round(acknowledged / seconds),
    server_max_rss_mb: Math.round(hwmKb / 1024),
    server_cpu_seconds: Math.round(serverCpu * 100) / 100,
  };
}
