import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from '../store/store.js';

/**
 * A family's result kept in the database between processes (issue 14): the one-shot report
 * spent most of its CPU recomputing agreement's bootstrap intervals from tables that had not
 * changed since the last run. The store keeps each result with the version of the derived
 * tables it was computed from and hands it back only while they are still at that version
 * (Store.readResult); everything else the result depends on is in the key: the cut, the
 * settings and the code that computes it (codeFingerprint).
 * A result that JSON would not give back exactly (a non-finite number, -0) is not kept.
 */
export async function cachedResult<T>(store: Store, family: string, dependsOn: unknown, compute: () => Promise<T>): Promise<T> {
  const key = createHash('sha256').update(codeFingerprint()).update('\0').update(JSON.stringify(dependsOn)).digest('hex');
  const found = await store.readResult(family, key);
  if (found.value !== null) return JSON.parse(found.value) as T;
  const result = await compute();
  const text = exactJson(result);
  if (found.version !== null && text !== undefined) await store.writeResult(family, key, found.version, text);
  return result;
}

/** JSON that parses back to the same value, or undefined when there is none. */
function exactJson(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) exact = false;
    else if (v === undefined || typeof v === 'function' || typeof v === 'bigint') exact = false;
    return v;
  });
  return exact ? text : undefined;
}


let running: string | undefined;

/**
 * The code this process runs: a family's own list of files missed a change anywhere else, e.g.
 * in how the store decodes rows, and a kept result computed by the old code was served until the
 * tables changed. Compiled, the build's stamp (`npm run build` writes
 * dist/build-id: bin/loopwatch.js runs dist only while no source file is newer); from source,
 * the names, sizes and modification times of every module. SQL files are read at run time,
 * so theirs are always taken. Times rather than contents: stat() costs a fraction of hashing
 * ~1 MB at each report's start, and a time that changes with identical contents (a checkout)
 * only computes a result again.
 */
export function codeFingerprint(): string {
  if (running !== undefined) return running;
  const here = fileURLToPath(import.meta.url);
  const root = path.resolve(path.dirname(here), '..');
  const stamp = path.join(root, 'build-id');
  const code = path.extname(here) === '.js' && existsSync(stamp) ? readFileSync(stamp, 'utf8') : treeFingerprint(root, path.extname(here));
  return (running = createHash('sha256').update(code).update('\0').update(treeFingerprint(path.resolve(root, '..', 'sql'), '.sql')).digest('hex'));
}

/** The names, sizes and modification times of the files under `root` that end in `ext`. */
export function treeFingerprint(root: string, ext: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith(ext)) {
        const s = statSync(p);
        h.update(`${path.relative(root, p)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  return h.digest('hex');
}
