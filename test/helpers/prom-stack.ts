import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { BINARIES, requireBinary } from './prometheus.js';

/** A free port on 127.0.0.1 (released at once: the binary that gets it binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Delivery {
  path: string;
  at: number;
  body: any;
  headers: IncomingHttpHeaders;
}

/** The webhook receiver Alertmanager posts to: records every delivery, on 127.0.0.1. */
export async function webhookRecorder(): Promise<{ url: string; deliveries: Delivery[]; close: () => Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '', at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'), headers: req.headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, deliveries, close: () => new Promise((r) => server.close(() => r())) };
}

/** One of the Debian binaries as a child process; its output kept for a failure message. */
export function spawnBinary(name: keyof typeof BINARIES, args: readonly string[]): { child: ChildProcess; output: string[]; stop: () => Promise<void> } {
  const child = spawn(requireBinary(name), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (d: Buffer) => {
    output.push(d.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { child, output, stop };
}

/** Polls `check` until it returns a value (not undefined), or fails naming `what` at the deadline. */
export async function waitFor<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined> | T | undefined, explain: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The Alertmanager config for a test: every receiver posts to `recorderUrl`, and the waits
 * shrink to seconds (a level's first notification after 1 s, its backup's after `backupWait`).
 */
export function testAlertmanagerConfig(text: string, recorderUrl: string, backupWait = '3s'): string {
  return text
    .replaceAll('http://127.0.0.1:9095', recorderUrl)
    .replace(/group_wait: (\d+)s\b/g, 'group_wait: 1s')
    .replace(/group_wait: \d+[mh]\b/g, `group_wait: ${backupWait}`)
    .replace(/group_interval: \S+/g, 'group_interval: 2s')
    .replace(/repeat_interval: \S+/g, 'repeat_interval: 1h');
}

/** Alerts Alertmanager delivered to one receiver's hook (firing or resolved). */
export function delivered(deliveries: Delivery[], receiver: string, match: Record<string, string>, status = 'firing') {
  return deliveries
    .filter((d) => d.path === `/hooks/${receiver}`)
    .flatMap((d) => (d.body.alerts as any[]).map((a) => ({ ...a, receiver: d.body.receiver, at: d.at })))
    .filter((a) => a.status === status && Object.entries(match).every(([k, v]) => a.labels[k] === v));
}
