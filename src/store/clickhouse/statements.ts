/**
 * Statements of a file: the HTTP interface takes one statement per request. Splits on `;`
 * outside quotes and drops `--` comments (our files only; not a general SQL lexer).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      cur += ch;
      if (ch === '\\') cur += sql[++i] ?? '';
      else if (ch === quote) quote = null;
    } else if (ch === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      cur += '\n';
    } else if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else {
      if (ch === "'" || ch === '`' || ch === '"') quote = ch;
      cur += ch;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

