import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

// A clone is the whole product: nothing it runs or documents may read a folder beside it
// (.ci/run also runs the suite from a copy with nothing beside it).
describe('the repository stands alone', () => {
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /^(src|test|bench|docs|sql|\.ci)\//.test(f) || f === 'README.md' || f === 'package.json');

  it('no source, test, benchmark or doc names a path outside the repository', () => {
    expect(tracked.length).toBeGreaterThan(50);
    const outside = tracked.filter((f) => {
      if (f === 'test/unit/standalone.test.ts') return false;
      let text: string;
      try {
        text = readFileSync(path.join(root, f), 'utf8');
      } catch {
        return false;
      }
      return /\.\.\/(\.\.\/)*(shared|\.library)\b/.test(text);
    });
    expect(outside).toEqual([]);
  });

  it('the published reference vectors live in the repository, with their sources', () => {
    for (const name of ['agreement.json', 'drift.json']) {
      const data = JSON.parse(readFileSync(path.join(root, 'test/fixtures/reference', name), 'utf8'));
      expect(typeof data._about).toBe('string');
      expect(data._about.length).toBeGreaterThan(40);
    }
  });

  // npm ci refuses a lock that misses an optional dependency, even one for another platform
  // (a plain npm install on a machine that cannot fetch it drops its entry)
  it('the lock lists every optional dependency, so npm ci accepts it', () => {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const missing: string[] = [];
    for (const [where, pkg] of Object.entries<{ optionalDependencies?: Record<string, string> }>(lock.packages)) {
      for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
        const nested = `${where ? `${where}/` : ''}node_modules/${dep}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${dep}`]) missing.push(`${where || '(root)'} -> ${dep}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
