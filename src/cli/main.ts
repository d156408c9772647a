#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { copyCommand } from './copy.js';
import { cliErrorLine } from './errors.js';
import { ingestCommand } from './ingest.js';
import { migrateCommand } from './migrate.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { verifyCommand } from './verify.js';
import { tokenCommand } from './token.js';

// one file per command; each loads its heavy parts on use: `serve` starts without parsing the
// simulator or file readers

// `loopwatch simulate | head` closes the pipe early: that is the reader's choice, not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command()
  .name('loopwatch')
  .description('Analytics for human-in-the-loop review of LLM outputs')
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .showHelpAfterError();

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

serveCommand(program);
ingestCommand(program);
simulateCommand(program);
reportCommand(program);
copyCommand(program);
migrateCommand(program);
verifyCommand(program);
tokenCommand(program);
// dataset export (docs/datasets.md)
{
  const { exportCommand } = await import('./export.js');
  exportCommand(program);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${cliErrorLine(err)}\n`);
  if (process.env.LOOPWATCH_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
