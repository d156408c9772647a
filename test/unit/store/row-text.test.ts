import { describe, expect, it } from 'vitest';
import { batchContent } from '../../../src/store/chain.js';
import { encodeRows } from '../../../src/store/clickhouse/row-binary.js';
import { binaryBatchLink } from '../../../src/store/clickhouse/row-text.js';
import { simulatedRows } from '../../helpers/stores.js';

// The writer computes a batch's format-2 content in one pass over the encoded batch; verify
// computes it with the shared batchContent over each stored row's text. They must agree for any
// ids: sorted by UTF-16 unit, of any UTF-8 length (a LEB128 length of more than one byte).
describe('binaryBatchLink', () => {
  const rows = simulatedRows({ seed: 5, cases: 30 });
  const ids = ['\uFF21-a', '\u{1D4B3}-b', 'plain', '\uE000', 'é'.repeat(70), 'x'.repeat(300), '', 'Z'];

  it('equals batchContent over the rows\' hex RowBinary texts, ids sorted as JavaScript sorts them', () => {
    const batch = rows.slice(0, ids.length).map((r, i) => ({ ...r, event_id: ids[i] })).concat(rows.slice(ids.length));
    const link = binaryBatchLink(batch, encodeRows(batch));
    const texts = new Map(batch.map((r) => [r.event_id, encodeRows([r]).body.toString('hex')]));
    expect(link).toEqual({ ...batchContent(texts), ids: [...texts.keys()].sort() });
  });

  it('changes with any byte of any row', () => {
    const batch = rows.slice(0, 20);
    const before = binaryBatchLink(batch, encodeRows(batch)).content;
    const edited = batch.map((r, i) => (i === 13 ? { ...r, received_at: r.received_at + 1 } : r));
    expect(binaryBatchLink(edited, encodeRows(edited)).content).not.toBe(before);
  });
});
