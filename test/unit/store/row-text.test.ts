import { describe, expect, it } from 'vitest';
import { batchContent } from '../../../src/store/chain.js';
import { encodeRows } from '../../../src/store/clickhouse/row-binary.js';
import { binaryBatchLink } from '../../../src/store/clickhouse/row-text.js';
import { idLine, prepareStagedRows, rowHash, rowText } from '../../../src/store/duckdb/row-text.js';
import { storedId } from '../../../src/store/stored-id.js';
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

// prepareStagedRows encodes its lines a piece at a time into a buffer sized for ASCII and
// grown when a character takes more bytes: the bytes must be exactly the lines' UTF-8 whatever
// the mix and wherever a piece or a growth falls.
describe('prepareStagedRows', () => {
  const rows = simulatedRows({ seed: 7, cases: 200 });
  const texts = ['plain', 'é'.repeat(3000), '\u{1D4B3}'.repeat(5000), '☕ x', 'y'.repeat(60_000)];

  it.each([
    ['exact-size buffers', (n: number) => new Uint8Array(n)],
    ['larger buffers', (n: number) => new Uint8Array(n * 2 + 7)],
  ])('gives each line and id line as UTF-8, in order, with %s', (_name, buffers) => {
    const batch = rows.map((r, i) => ({ ...r, input: texts[i % texts.length] }));
    const prepared = prepareStagedRows(batch, buffers);
    const lines = batch.map((r) => rowText(r));
    expect(Buffer.from(prepared.bytes).toString('utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
    const idLines = batch.map((r, i) => idLine(storedId(r.event_id), rowHash(lines[i])));
    expect(Buffer.from(prepared.idBytes).toString('utf8')).toBe(idLines.map((l) => `${l}\n`).join(''));
    expect(prepareStagedRows([], buffers).bytes.length).toBe(0);
  });
});
