#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, Help } from 'commander';
import { cliErrorLine } from './errors.js';
import { COMMANDS, commandToRun, type CommandEntry } from './command-list.js';

// `loopwatch --help` must not pay for DuckDB, ClickHouse, express or zod: only the command
// being run is imported (each of its modules loads its own heavy parts), the others are
// listed from command-list.ts by name and description (test/unit/cli-command-list.test.ts
// keeps that list equal to what the modules register).

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

async function register(entry: CommandEntry, run: CommandEntry | undefined): Promise<void> {
  if (entry === run) {
    (await entry.load())(program);
    return;
  }
  // a listing only: never run, since the command named on the line is the one registered in full
  program.command(entry.name).description(entry.description);
}

async function main(): Promise<void> {
  const run = commandToRun(process.argv.slice(2));
  for (const entry of COMMANDS) await register(entry, run);
  // the listing shows each command as its module would ("ingest [options] <files...>")
  program.configureHelp({
    subcommandTerm: (cmd) => COMMANDS.find((c) => c.name === cmd.name() && c !== run)?.term ?? defaultTerm(cmd),
  });
  await program.parseAsync(process.argv);
}

function defaultTerm(cmd: Command): string {
  return new Help().subcommandTerm(cmd);
}

main().catch((err: unknown) => {
  process.stderr.write(`${cliErrorLine(err)}\n`);
  if (process.env.LOOPWATCH_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
