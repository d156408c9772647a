/**
 * Tables that fit a terminal. A family with more columns than the width holds is printed as
 * several tables one under the other, each repeating the group key columns, broken where the
 * dotted prefix changes (all of `acknowledge.*` together) whenever that fits. Dotted names get a
 * two-line header, the prefix over its columns and the leaf under each, so a column is as wide
 * as `breached` and not `acknowledge.breached`. No line is wider than `width`: a cell that
 * cannot fit is cut with an ellipsis (the full value is in --json).
 */

const INDENT = '  ';
const GAP = '  ';
/** A single metric column never takes more than this, so one long list cannot push out the rest. */
const MAX_COLUMN = 40;

export function clip(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** Word-wraps `text` to `width`, the first line after `first`, the others after `rest`. */
export function wrap(text: string, width: number, first = INDENT, rest = `${INDENT}  `): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = fresh ? line + word : `${line} ${word}`;
    if (candidate.length <= width || fresh) {
      line = candidate;
      fresh = false;
      // a single word longer than a whole line is cut rather than overflowing
      if (line.length > width) line = clip(line, width);
    } else {
      lines.push(line);
      line = clip(rest + word, width);
    }
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd());
}

function split(name: string): { prefix: string; leaf: string } {
  const i = name.lastIndexOf('.');
  return i < 0 ? { prefix: '', leaf: name } : { prefix: name.slice(0, i), leaf: name.slice(i + 1) };
}

interface Col {
  name: string;
  prefix: string;
  leaf: string;
  width: number;
}

export function renderTable(keys: string[], metrics: string[], rows: Record<string, string>[], width: number): string[] {
  const measure = (name: string, cap: number): Col => {
    const { prefix, leaf } = split(name);
    const natural = Math.max(leaf.length, ...rows.map((r) => (r[name] ?? '').length));
    return { name, prefix, leaf, width: Math.max(1, Math.min(natural, cap)) };
  };
  const usable = width - INDENT.length;
  // the key columns may take 60% of the width, shared evenly only when they need more than
  // that; what remains holds at least one metric column
  const keyRoom = Math.floor(usable * 0.6);
  let keyCols = keys.map((k) => measure(k, keyRoom));
  if (keyCols.reduce((n, c) => n + c.width + GAP.length, 0) > keyRoom) {
    keyCols = keys.map((k) => measure(k, Math.max(6, Math.floor(keyRoom / keys.length) - GAP.length)));
  }
  const keyWidth = keyCols.reduce((n, c) => n + c.width + GAP.length, 0);
  const room = usable - keyWidth;
  const metricCols = metrics.map((m) => measure(m, Math.max(1, Math.min(MAX_COLUMN, room))));

  const panels: Col[][] = [];
  let panel: Col[] = [];
  let used = 0;
  const widthOf = (cols: Col[]) => cols.reduce((n, c) => n + c.width + GAP.length, 0);
  for (const run of runs(metricCols)) {
    const w = widthOf(run);
    if (panel.length > 0 && used + w > room + GAP.length && w <= room + GAP.length) {
      panels.push(panel);
      [panel, used] = [[], 0];
    }
    for (const col of run) {
      if (panel.length > 0 && used + col.width > room) {
        panels.push(panel);
        [panel, used] = [[], 0];
      }
      panel.push(col);
      used += col.width + GAP.length;
    }
  }
  if (panel.length > 0 || panels.length === 0) panels.push(panel);

  const out: string[] = [];
  for (const [i, cols] of panels.entries()) {
    if (i > 0) out.push('');
    out.push(...renderPanel([...keyCols, ...cols], rows, width));
  }
  return out;
}

/** Consecutive columns sharing a dotted prefix. */
function runs(cols: Col[]): Col[][] {
  const out: Col[][] = [];
  for (const c of cols) {
    const last = out.at(-1);
    if (last && last[0].prefix === c.prefix && c.prefix !== '') last.push(c);
    else out.push([c]);
  }
  return out;
}

function renderPanel(cols: Col[], rows: Record<string, string>[], width: number): string[] {
  const line = (cells: string[]) => clip(`${INDENT}${cells.map((c, i) => clip(c, cols[i].width).padEnd(cols[i].width)).join(GAP)}`.trimEnd(), width);
  const out: string[] = [];
  if (cols.some((c) => c.prefix !== '')) {
    // the prefix is written once, over the first of its columns, and may span the whole run
    let top = INDENT;
    for (let i = 0; i < cols.length; i++) {
      const start = i === 0 || cols[i - 1].prefix !== cols[i].prefix;
      if (!start || cols[i].prefix === '') continue;
      let span = cols[i].width;
      for (let j = i + 1; j < cols.length && cols[j].prefix === cols[i].prefix; j++) span += GAP.length + cols[j].width;
      const at = INDENT.length + cols.slice(0, i).reduce((n, c) => n + c.width + GAP.length, 0);
      top = top.padEnd(at) + clip(cols[i].prefix, span);
    }
    out.push(clip(top.trimEnd(), width));
  }
  out.push(line(cols.map((c) => c.leaf)));
  out.push(line(cols.map((c) => '-'.repeat(c.width))));
  for (const r of rows) out.push(line(cols.map((c) => r[c.name] ?? '')));
  return out;
}
