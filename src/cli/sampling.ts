import type { Command } from 'commander';
import { bearerHeaders } from '../auth/client.js';
import { LoopwatchError } from '../errors.js';
import { serverUrl, unreachable } from './errors.js';

const DEFAULT_URL = 'http://127.0.0.1:8080';

/**
 * `loopwatch sampling show|decide|set`: the sampling controller of a running server
 * (docs/sampling.md#cli). The state lives in that server's event log, so the commands ask the
 * server; `set` needs a token with the admin scope (LOOPWATCH_TOKEN) where tokens are on.
 */
export function samplingCommand(program: Command): void {
  const sampling = program.command('sampling').description('QA sampling of auto-approved work: state, decisions, manual overrides');
  sampling
    .command('show')
    .argument('[workflow]', 'one workflow (default: all the server knows)')
    .description('print the sampling state and rate per workflow')
    .option('--url <url>', 'the Loopwatch server', DEFAULT_URL)
    .action(async (workflow: string | undefined, flags: { url: string }) => {
      const path = workflow ? `/v1/sampling/${encodeURIComponent(workflow)}` : '/v1/sampling';
      print(await call(flags.url, 'GET', path));
    });
  sampling
    .command('decide')
    .argument('<workflow>', 'the workflow')
    .requiredOption('--case-id <id>', 'the case to decide for')
    .description('sample this case or not, at the rate in force')
    .option('--url <url>', 'the Loopwatch server', DEFAULT_URL)
    .action(async (workflow: string, flags: { url: string; caseId: string }) => {
      print(await call(flags.url, 'GET', `/v1/sampling/${encodeURIComponent(workflow)}/decide?case_id=${encodeURIComponent(flags.caseId)}`));
    });
  sampling
    .command('set')
    .argument('<workflow>', 'the workflow')
    .requiredOption('--rate <r>', 'the rate to pin, above 0 and at most 1')
    .requiredOption('--until <time>', 'when the override ends (RFC 3339)')
    .option('--actor-id <id>', 'who sets it (recorded on the sampling.changed event)')
    .option('--detail <text>', 'why, for the audit trail')
    .description('override the sampling rate of a workflow until a time (admin scope)')
    .option('--url <url>', 'the Loopwatch server', DEFAULT_URL)
    .action(async (workflow: string, flags: { url: string; rate: string; until: string; actorId?: string; detail?: string }) => {
      const rate = Number(flags.rate);
      if (!Number.isFinite(rate)) throw new LoopwatchError('bad_flag', `--rate: expected a number above 0 and at most 1, got ${JSON.stringify(flags.rate)}`);
      const body = { rate, until: flags.until, ...(flags.actorId ? { actor_id: flags.actorId } : {}), ...(flags.detail ? { detail: flags.detail } : {}) };
      print(await call(flags.url, 'POST', `/v1/sampling/${encodeURIComponent(workflow)}/override`, body));
    });
}

async function call(url: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const base = serverUrl(url);
  const target = new URL(path, base).href;
  let res: Response;
  try {
    res = await fetch(target, {
      method,
      headers: { ...bearerHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw unreachable(base.href, err);
  }
  const answer = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) {
    const e = answer?.error;
    throw new LoopwatchError(e?.code ?? 'server_error', `${method} ${path}: ${res.status} ${e?.message ?? res.statusText}`);
  }
  return answer;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
