import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, Help } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandToRun } from '../../src/cli/command-list.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The packages (by name) a CLI run resolved, from test/helpers/log-imports.mjs's lines. */
function packagesLoaded(stderr: string): string[] {
  const names = new Set<string>();
  for (const line of stderr.split('\n')) {
    const m = /^loopwatch-import .*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

describe('loopwatch --help', () => {
  it('loads commander and nothing heavy: no DuckDB, ClickHouse, express, zod, Arrow or pino', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', './test/helpers/log-imports.mjs', 'src/cli/main.ts', '--help'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toContain(`  ${c.term} `);
    // the hook must have seen the run, or an empty list would prove nothing
    expect(run.stderr).toMatch(/loopwatch-import .*src\/cli\/errors\.ts/);
    expect(packagesLoaded(run.stderr).filter((p) => p !== 'tsx')).toEqual(['commander']);
  });

  it('loads the engine when a command runs, which shows the check above can fail', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', './test/helpers/log-imports.mjs', 'src/cli/main.ts', 'migrate', '--help'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('--db');
    expect(packagesLoaded(run.stderr)).toContain('zod');
  });

  it('lists each command as its module registers it: name, term and description', async () => {
    for (const entry of COMMANDS) {
      const program = new Command();
      (await entry.load())(program);
      const cmd = program.commands.find((c) => c.name() === entry.name);
      expect(cmd, entry.name).toBeDefined();
      expect(new Help().subcommandTerm(cmd!)).toBe(entry.term);
      expect(cmd!.description()).toBe(entry.description);
    }
  });

  it('registers in full the command named on the line, the one `help <name>` asks for, or none', () => {
    expect(commandToRun(['ingest', '--db', 'x.duckdb', 'a.ndjson'])?.name).toBe('ingest');
    expect(commandToRun(['help', 'report'])?.name).toBe('report');
    expect(commandToRun(['token', 'create', '--name', 'n'])?.name).toBe('token');
    expect(commandToRun(['--help'])).toBeUndefined();
    expect(commandToRun(['--version'])).toBeUndefined();
    expect(commandToRun(['nosuch'])).toBeUndefined();
  });
});

describe('bin/loopwatch.js', () => {
  // a stand-in checkout: the real bin script, a "build" and a "source" that say which ran
  const dir = mkdtempSync(path.join(tmpdir(), 'loopwatch-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'src/cli'), { recursive: true });
  copyFileSync(path.join(ROOT, 'bin/loopwatch.js'), path.join(dir, 'bin/loopwatch.js'));
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  writeFileSync(path.join(dir, 'src/cli/main.ts'), "const ran: string = 'source';\nconsole.log(ran);\n");
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const build = () => {
    mkdirSync(path.join(dir, 'dist/cli'), { recursive: true });
    writeFileSync(path.join(dir, 'dist/cli/main.js'), "console.log('compiled');\n");
  };
  const run = (env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(dir, 'bin/loopwatch.js')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LOOPWATCH_FROM_SOURCE: '', ...env },
    });

  it('runs the source through tsx, saying so, when nothing is built', () => {
    const r = run();
    expect(r.stdout).toBe('source\n');
    expect(r.stderr).toMatch(/dist\/ is not built; running the TypeScript source through tsx .*npm run build/);
  });

  it('runs the build when it is newer than every source file, silently', () => {
    build();
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(dir, 'src/cli/main.ts'), old, old);
    const r = run();
    expect(r.stdout).toBe('compiled\n');
    expect(r.stderr).toBe('');
  });

  it('runs the source when a source file changed after the build, and when LOOPWATCH_FROM_SOURCE=1', () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, 'src/cli/main.ts'), later, later);
    const stale = run();
    expect(stale.stdout).toBe('source\n');
    expect(stale.stderr).toMatch(/src\/ changed since dist\/ was built/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(dir, 'src/cli/main.ts'), old, old);
    const asked = run({ LOOPWATCH_FROM_SOURCE: '1' });
    expect(asked.stdout).toBe('source\n');
    expect(asked.stderr).toBe('');
  });
});
