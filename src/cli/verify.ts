import type { Command } from 'commander';
import { LoopwatchError } from '../errors.js';
import { verifyChain, type ChainReport } from '../store/chain.js';
import { openStore } from '../store/open-store.js';
import { configFrom, formatCount, withStoreOptions } from './options.js';

/**
 * `loopwatch verify`: recomputes the tamper-evidence chain (docs/security.md) from the stored
 * events. Exit 0 when every link holds, 2 at the first broken one.
 */
export function verifyCommand(program: Command): void {
  withStoreOptions(program.command('verify'))
    .description("check the stored events against the hash chain of their batches; exit 2 at the first broken link")
    .action(async (opts) => {
      const store = await openStore(configFrom(opts));
      try {
        const chain = store.capabilities.chain;
        if (!chain) throw new LoopwatchError('config_invalid', `the ${store.engine} store keeps no chain`);
        const report = await verifyChain(chain);
        process.stdout.write(describe(report));
        if (!report.ok) process.exitCode = 2;
      } finally {
        await store.close();
      }
    });
}

export function describe(r: ChainReport): string {
  const lines: string[] = [];
  const b = r.firstBreak;
  if (b) {
    lines.push(`BROKEN at link ${b.seq}: ${b.reason}`);
    lines.push(`  expected ${b.expected}`);
    lines.push(`  found    ${b.found}`);
    if (b.eventIds.length > 0) lines.push(`  events: ${b.eventIds.slice(0, 10).join(', ')}${b.eventIds.length > 10 ? `, ... (${formatCount(b.eventIds.length)})` : ''}`);
  }
  if (r.unchained.count > 0) {
    lines.push(`${formatCount(r.unchained.count)} stored events belong to no link (${r.unchained.sample.join(', ')}${r.unchained.count > r.unchained.sample.length ? ', ...' : ''})`);
  }
  lines.push(`${r.ok ? 'OK' : 'FAILED'}: ${formatCount(r.links)} links, ${formatCount(r.events)} events chained`);
  return lines.join('\n') + '\n';
}
