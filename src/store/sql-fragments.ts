import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LoopwatchError } from '../errors.js';

/**
 * Checked SQL fragments: the cut (group-by columns, bucket, filters) is written once per
 * dialect in sql/cut/<engine>.sql and a query file includes it with
 * `{{cut.group_columns(reviewer=final_reviewer, time=created_at)}}`. Expansion is plain text,
 * done when the query file is loaded, so the engine sees the same SQL it saw when every file
 * spelled the cut out (DuckDB still folds the parameters written as literals: NULL, group_by, bucket). Docs: docs/sql.md.
 *
 * A fragment (from its `-- loopwatch: fragment <name>` line) declares its parameters and how
 * its items are joined:
 *   -- loopwatch: params workflow=workflow tier=tier time      (name=default, or name: required)
 *   -- loopwatch: joined by AND                                 (or `,`)
 * Every other non-comment line is one item; `{{name}}` in an item is the parameter's value. A
 * call sets a parameter to `none` to leave out the items that use it, and `table=c` qualifies
 * the defaults (`c.workflow`); values given in the call are written as they are.
 */

/** A call: `{{cut.<fragment>(<name>=<value>, ...)}}`. */
const CALL = /\{\{\s*cut\.([a-z_]+)\(([^(){}]*)\)\s*\}\}/g;
/** A value is a column reference, never an expression: nothing can be smuggled into the SQL. */
const COLUMN = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
const TABLE = /^[a-z_][a-z0-9_]*$/;
const NAME = /^[a-z_][a-z0-9_]*$/;
const ARG = /\{\{([a-z_][a-z0-9_]*)\}\}/g;
/** Leaves out the items that use the parameter. */
export const NONE = 'none';

export interface Fragment {
  name: string;
  file: string;
  /** Parameter name → default column (null: the call must give it). */
  params: Map<string, string | null>;
  joiner: string;
  items: string[];
}

function fragmentError(file: string, message: string): LoopwatchError {
  return new LoopwatchError('sql_fragment', `${file}: ${message}`);
}

/** Parses a fragment file's text; `file` names it in errors. */
export function parseFragment(name: string, file: string, text: string): Fragment {
  const paramsLine = /^--\s*loopwatch:\s*params\b(.*)$/m.exec(text);
  const joinLine = /^--\s*loopwatch:\s*joined by\s+(,|AND)\s*$/m.exec(text);
  if (!paramsLine || !joinLine) throw fragmentError(file, 'a fragment needs `-- loopwatch: params ...` and `-- loopwatch: joined by , | AND`');
  const params = new Map<string, string | null>();
  for (const p of paramsLine[1].trim().split(/\s+/).filter(Boolean)) {
    const [key, def] = p.split('=');
    if (!NAME.test(key) || (def !== undefined && !COLUMN.test(def))) throw fragmentError(file, `bad parameter declaration ${JSON.stringify(p)}`);
    params.set(key, def ?? null);
  }
  const items = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('--')).map((l) => l.trim());
  if (items.length === 0) throw fragmentError(file, 'no items');
  for (const item of items) {
    for (const [, ref] of item.matchAll(ARG)) {
      if (!params.has(ref)) throw fragmentError(file, `{{${ref}}} is not a declared parameter`);
    }
  }
  return { name, file, params, joiner: joinLine[1], items };
}

/** Expands one call of `fragment` with its argument text (`a=b, c=d`); `file` is the caller. */
export function expandCall(fragment: Fragment, argText: string, file: string, indent: string): string {
  const given = new Map<string, string>();
  let table: string | undefined;
  for (const part of argText.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_][a-z0-9_]*)\s*=\s*(\S+)$/.exec(part);
    if (!m) throw fragmentError(file, `cut.${fragment.name}: bad argument ${JSON.stringify(part)} (expected name=column)`);
    const [, key, value] = m;
    if (given.has(key) || (key === 'table' && table !== undefined)) throw fragmentError(file, `cut.${fragment.name}: ${key} given twice`);
    if (key === 'table') {
      if (!TABLE.test(value)) throw fragmentError(file, `cut.${fragment.name}: table=${value} is not a table alias`);
      table = value;
      continue;
    }
    if (!fragment.params.has(key)) {
      throw fragmentError(file, `cut.${fragment.name} has no parameter ${key} (it takes ${[...fragment.params.keys(), 'table'].join(', ')})`);
    }
    if (!COLUMN.test(value)) throw fragmentError(file, `cut.${fragment.name}: ${key}=${value} is not a column reference`);
    given.set(key, value);
  }
  const values = new Map<string, string>();
  for (const [key, def] of fragment.params) {
    const value = given.get(key) ?? (def === null ? undefined : table ? `${table}.${def}` : def);
    if (value === undefined) throw fragmentError(file, `cut.${fragment.name}: ${key} is required`);
    values.set(key, value);
  }
  const kept = fragment.items
    .filter((item) => ![...item.matchAll(ARG)].some(([, ref]) => values.get(ref) === NONE))
    .map((item) => item.replace(ARG, (_, ref: string) => values.get(ref)!));
  if (kept.length === 0) throw fragmentError(file, `cut.${fragment.name}: every item left out`);
  const sep = fragment.joiner === ',' ? `,\n${indent}` : `\n${indent}AND `;
  return kept.join(sep);
}

/** Replaces every fragment call in a query file's text; anything unresolved throws. */
export function expandFragments(text: string, fragments: ReadonlyMap<string, Fragment>, file: string): string {
  const out = text.replace(CALL, (whole, name: string, args: string, offset: number) => {
    const fragment = fragments.get(name);
    if (!fragment) throw fragmentError(file, `unknown fragment cut.${name} (known: ${[...fragments.keys()].map((k) => `cut.${k}`).join(', ')})`);
    const lineStart = text.lastIndexOf('\n', offset) + 1;
    const indent = /^\s*/.exec(text.slice(lineStart, offset))![0];
    return expandCall(fragment, args, file, indent);
  });
  const left = /\{\{[^\n]*/.exec(out);
  if (left) throw fragmentError(file, `unresolved include ${JSON.stringify(left[0].slice(0, 60))} (calls look like {{cut.filters(time=created_at)}})`);
  return out;
}

/**
 * Splits a dialect's fragment file into its fragments: each starts at a
 * `-- loopwatch: fragment <name>` line and runs to the next.
 */
export function parseFragmentFile(file: string, text: string): Map<string, Fragment> {
  const fragments = new Map<string, Fragment>();
  const starts = [...text.matchAll(/^--\s*loopwatch:\s*fragment\s+([a-z_]+)\s*$/gm)];
  if (starts.length === 0) throw fragmentError(file, 'no `-- loopwatch: fragment <name>` line');
  starts.forEach((m, i) => {
    const name = m[1];
    if (fragments.has(name)) throw fragmentError(file, `fragment ${name} defined twice`);
    const body = text.slice(m.index + m[0].length, i + 1 < starts.length ? starts[i + 1].index : text.length);
    fragments.set(name, parseFragment(name, `${file} (cut.${name})`, body));
  });
  return fragments;
}

/**
 * The fragments of one engine, from sql/cut/<engine>.sql: outside sql/<engine>/, where every
 * .sql file is a query the stores (and the conformance suite) can run.
 */
export async function loadFragments(sqlRoot: string, engineDir: string): Promise<Map<string, Fragment>> {
  const file = `sql/cut/${engineDir}.sql`;
  return parseFragmentFile(file, await readFile(path.join(sqlRoot, 'cut', `${engineDir}.sql`), 'utf8'));
}
