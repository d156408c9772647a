import { spawnSync } from 'node:child_process';

/**
 * The Python that serves as an independent oracle: Debian's, where .ci/run installs
 * python3-jsonschema, python3-scipy, python3-sklearn and python3-statsmodels. (The `python3` on
 * PATH may be another build without them.) Override with LOOPWATCH_ORACLE_PYTHON.
 */
export const ORACLE_PYTHON = process.env.LOOPWATCH_ORACLE_PYTHON ?? '/usr/bin/python3';

/** Fails loudly, never skips: an oracle check that silently does not run proves nothing. */
export function requirePython(modules: string[]): void {
  const run = spawnSync(ORACLE_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(
      `${ORACLE_PYTHON} cannot import ${modules.join(', ')} (${run.error?.message ?? run.stderr.trim().split('\n').pop()}); ` +
        'install Debian packages python3-jsonschema python3-scipy python3-sklearn python3-statsmodels (see .ci/run)',
    );
  }
}

/** Runs a Python oracle with a JSON input on stdin and returns its JSON output. */
export function runPythonJson<T>(args: string[], input: unknown): T {
  const run = spawnSync(ORACLE_PYTHON, args, { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python oracle ${args.join(' ')} failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
