import type { Command } from 'commander';

/** One CLI command: how the top-level help lists it, and the module that registers it in full. */
export interface CommandEntry {
  name: string;
  /** the term commander would print for the full command, e.g. `ingest [options] <files...>` */
  term: string;
  description: string;
  load: () => Promise<(program: Command) => void>;
}

// Names and descriptions repeat what each module registers, so that `loopwatch --help` imports
// none of them; test/unit/cli-command-list.test.ts fails when the two disagree.
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'run the HTTP server: POST /v1/events, /healthz, /readyz, /metrics',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'ingest',
    term: 'ingest [options] <files...>',
    description: 'load event files (NDJSON, JSON, CSV, Parquet, Arrow IPC; .gz too) into the store',
    load: async () => (await import('./ingest.js')).ingestCommand,
  },
  {
    name: 'simulate',
    term: 'simulate [options]',
    description: 'generate a realistic, seeded HITL event stream to a file, stdout or a server',
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  {
    name: 'report',
    term: 'report [options]',
    description: 'print the governance metrics: quality, queues and SLAs, reviewers, controls',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'copy',
    term: 'copy [options]',
    description: "move an embedded deployment's history to ClickHouse: resumable, nothing duplicated",
    load: async () => (await import('./copy.js')).copyCommand,
  },
  {
    name: 'migrate',
    term: 'migrate [options]',
    description: 'apply pending schema migrations and exit',
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    name: 'verify',
    term: 'verify [options]',
    description: 'check the stored events against the hash chain of their batches; exit 2 at the first broken link',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    name: 'token',
    term: 'token',
    description: 'manage the bearer tokens the HTTP server asks for (docs/security.md)',
    load: async () => (await import('./token.js')).tokenCommand,
  },
  {
    name: 'sampling',
    term: 'sampling',
    description: 'QA sampling of auto-approved work: state, decisions, manual overrides',
    load: async () => (await import('./sampling.js')).samplingCommand,
  },
  {
    name: 'review',
    term: 'review [options]',
    description: 'write the governance review of a period (or a post-incident review) as one self-contained HTML page',
    load: async () => (await import('./review.js')).reviewCommand,
  },
  {
    name: 'export',
    term: 'export',
    description: 'export data out of Loopwatch',
    load: async () => (await import('./export.js')).exportCommand,
  },
];

/**
 * The command a command line runs: its first word that is not an option (`help <name>` names
 * the one whose help is asked for). Undefined for `--help`, `--version` or an unknown word,
 * which commander answers from the listing alone.
 */
export function commandToRun(args: readonly string[]): CommandEntry | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === word);
}
