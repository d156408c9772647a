import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The shape of src/ as a graph of its relative imports (type-only and dynamic ones included:
// a circle through types still means neither file can be read without the other).

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** file → the files and packages it imports (files as repo paths, packages by name). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    graph.set(
      rel(file),
      importedFiles.map(({ fileName }) =>
        fileName.startsWith('.') ? rel(path.resolve(path.dirname(file), fileName).replace(/\.js$/, '.ts')) : fileName,
      ),
    );
  }
  return graph;
}

/** Every strongly connected component of more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

/** What configuration may depend on: itself, the event vocabulary its schemas name, the error type. */
const CONFIG_MAY_IMPORT = [/^src\/config\//, /^src\/events\/(vocabulary|messages|limits)\.ts$/, /^src\/errors\.ts$/, /^zod$/, /^node:/];

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('finds the files and their imports', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/http/app.ts')).toContain('src/http/errors.ts');
  });

  it('has no import circles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps configuration a leaf: everything src/config/ reaches is configuration, zod, node: or the event vocabulary', () => {
    // found by what they define, wherever they live: the loader and the metrics section's schema
    const entries = [...graph.keys()].filter((f) => /export (function loadConfig|const metricsConfigSchema)\b/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(entries.sort()).toEqual(['src/config/config.ts', 'src/config/metrics.ts']);
    const reached = new Set<string>();
    const pending = [...entries, ...[...graph.keys()].filter((f) => f.startsWith('src/config/'))];
    while (pending.length > 0) {
      const f = pending.pop()!;
      if (reached.has(f)) continue;
      reached.add(f);
      pending.push(...(graph.get(f) ?? []));
    }
    expect([...reached].filter((f) => !CONFIG_MAY_IMPORT.some((re) => re.test(f))).sort()).toEqual([]);
  });

  it('keeps express in src/http/', () => {
    const users = [...graph].filter(([, imports]) => imports.includes('express')).map(([f]) => f);
    expect(users.filter((f) => !f.startsWith('src/http/'))).toEqual([]);
  });
});
