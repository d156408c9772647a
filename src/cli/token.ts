import type { Command } from 'commander';
import { parseScopes } from '../auth/scopes.js';
import { TokenFile, tokensPath } from '../auth/tokens.js';
import { configFrom } from './options.js';

/** `loopwatch token create|list|revoke`: bearer tokens for the HTTP server (docs/security.md). */
export function tokenCommand(program: Command): void {
  const token = program.command('token').description('manage the bearer tokens the HTTP server asks for (docs/security.md)');
  const withFileOptions = (cmd: Command) =>
    cmd
      .option('--config <file>', 'JSON config file (or LOOPWATCH_CONFIG)')
      .option('--db <path>', 'DuckDB file the tokens file sits next to (or LOOPWATCH_DB)')
      .option('--tokens-file <path>', 'tokens file (or LOOPWATCH_TOKENS_FILE); default next to the DuckDB file');
  const open = (opts: Record<string, unknown>) => new TokenFile(tokensPath(configFrom(opts, { tokensFile: opts.tokensFile })));

  withFileOptions(token.command('create'))
    .description('create a token and print it once, as the last line; only its hash is stored')
    .requiredOption('--name <name>', 'a name to know it by (shown in the access log)')
    .requiredOption('--scopes <list>', 'comma-separated: ingest, read, export, admin')
    .action((opts) => {
      const scopes = parseScopes(opts.scopes);
      const file = open(opts);
      const secret = file.create(opts.name, scopes);
      process.stdout.write(
        `token "${opts.name}" (${scopes.join(',')}) stored as a hash in ${file.file}; it is shown only now.\n` +
          'Send it as "Authorization: Bearer <token>":\n' +
          `${secret}\n`,
      );
    });

  withFileOptions(token.command('list'))
    .description('list tokens (names, scopes, dates; never the tokens)')
    .action((opts) => {
      const file = open(opts);
      const rows = file.all().map((t) => [t.name, t.scopes.join(','), t.created, t.revoked ? `revoked ${t.revoked}` : 'active']);
      if (rows.length === 0) {
        process.stdout.write(`no tokens in ${file.file}: the server is open to whoever reaches it (loopback only)\n`);
        return;
      }
      const table = [['NAME', 'SCOPES', 'CREATED', 'STATUS'], ...rows];
      const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
      for (const r of table) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
    });

  withFileOptions(token.command('revoke'))
    .description('revoke a token by name; a running server refuses it from its next request')
    .argument('<name>', 'the token to revoke')
    .action((name: string, opts) => {
      const file = open(opts);
      file.revoke(name);
      process.stdout.write(`token "${name}" revoked in ${file.file}\n`);
    });
}
