/**
 * What keys a kept result to the code that computed it (src/metrics/result-cache.ts,
 * codeFingerprint): a change in any module or SQL file, not only in the files a family names,
 * must key new results. Each case runs result-cache's own module in a child process from a copy
 * laid out as the package is (src/ or dist/ beside sql/), since the fingerprint is taken once per
 * process from where the module sits.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/stores.js';

const repo = path.resolve(import.meta.dirname, '../..');
const tmp = tempDir('loopwatch-fingerprint-');
afterAll(() => tmp.cleanup());

let trees = 0;
/** A copy of result-cache's module in `<tree>/<code>/metrics/`, with one other module and one SQL file. */
function layout(code: 'src' | 'dist'): string {
  const root = path.join(tmp.dir, `tree-${++trees}`);
  for (const d of [`${code}/metrics`, `${code}/store`, 'sql/duckdb']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  const source = readFileSync(path.join(repo, 'src/metrics/result-cache.ts'), 'utf8');
  const ext = code === 'src' ? 'ts' : 'js';
  if (code === 'src') copyFileSync(path.join(repo, 'src/metrics/result-cache.ts'), path.join(root, 'src/metrics/result-cache.ts'));
  else writeFileSync(path.join(root, 'dist/metrics/result-cache.js'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  writeFileSync(path.join(root, `${code}/store/query-rows.${ext}`), 'export const rows = 1;\n');
  writeFileSync(path.join(root, 'sql/duckdb/q.sql'), 'SELECT 1\n');
  return root;
}

function fingerprint(file: string): string {
  const url = new URL(`file://${file}`).href;
  const script = `import(${JSON.stringify(url)}).then((m) => process.stdout.write(m.codeFingerprint()))`;
  const args = file.endsWith('.ts') ? ['--import', 'tsx', '--input-type=module', '-e', script] : ['--input-type=module', '-e', script];
  return execFileSync(process.execPath, args, { cwd: repo, encoding: 'utf8' });
}

/** Rewrites a file with other contents and a later modification time, as an edit does. */
function edit(file: string, text: string): void {
  writeFileSync(file, text);
  const later = new Date(Date.now() + 5_000);
  utimesSync(file, later, later);
}

describe('the code fingerprint of kept results', () => {
  it('changes when any module changes, not only the files a family names, and not otherwise', () => {
    const root = layout('src');
    const module = path.join(root, 'src/metrics/result-cache.ts');
    const first = fingerprint(module);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(module)).toBe(first);
    edit(path.join(root, 'src/store/query-rows.ts'), 'export const rows = 2;\n');
    const afterModule = fingerprint(module);
    expect(afterModule).not.toBe(first);
    edit(path.join(root, 'sql/duckdb/q.sql'), 'SELECT 2\n');
    expect(fingerprint(module)).not.toBe(afterModule);
  });

  it('compiled, follows the build stamp and the SQL files', () => {
    const root = layout('dist');
    const module = path.join(root, 'dist/metrics/result-cache.js');
    writeFileSync(path.join(root, 'dist/build-id'), 'build one');
    const first = fingerprint(module);
    expect(fingerprint(module)).toBe(first);
    writeFileSync(path.join(root, 'dist/build-id'), 'build two');
    const rebuilt = fingerprint(module);
    expect(rebuilt).not.toBe(first);
    edit(path.join(root, 'sql/duckdb/q.sql'), 'SELECT 2\n');
    expect(fingerprint(module)).not.toBe(rebuilt);
  });
});
