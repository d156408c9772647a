import { describe, expect, it } from 'vitest';
import { batchContent, type ChainLink } from '../../../src/store/chain.js';
import { chooseRows } from '../../../src/store/chain-choice.js';

/** A link over `ids` whose content is that of the given row hashes. */
function linkOf(rows: Map<string, string>): ChainLink {
  const ids = [...rows.keys()].sort();
  return { seq: 1, prev_hash: '', hash: '', ...batchContent(rows), event_ids: ids };
}

describe("verify's choice among the rows of ids stored twice (ClickHouse)", () => {
  it('finds the combination of rows that gives the link its content', () => {
    const rows: [string, string][] = [];
    const written = new Map<string, string>();
    for (let i = 0; i < 8; i++) {
      const id = `e${i}`;
      rows.push([id, `${id}-a`], [id, `${id}-b`]);
      written.set(id, i % 3 === 0 ? `${id}-a` : `${id}-b`);
    }
    expect(chooseRows(rows, linkOf(written), undefined)).toEqual(written);
  });

  it('past the bound of combinations, without the rowid order, keeps the latest rows at once instead of searching', () => {
    // 2^40 combinations: searched one by one, verify would never end
    const rows: [string, string][] = [];
    const written = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const id = `e${i}`;
      rows.push([id, `${id}-a`], [id, `${id}-b`]);
      written.set(id, `${id}-a`);
    }
    const chosen = chooseRows(rows, linkOf(written), undefined);
    expect([...chosen.values()].every((h) => h.endsWith('-b'))).toBe(true);
  });
});
