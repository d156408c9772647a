import { describe, expect, it } from 'vitest';
import { IngestQueue, parseSize } from '../../src/ingest/ingest-queue.js';

describe('IngestQueue', () => {
  it('admits up to its limit, refuses beyond it and takes bytes back once', () => {
    const q = new IngestQueue(100);
    const a = q.reserve(60)!;
    expect(q.reserve(50)).toBeUndefined();
    const b = q.reserve(40)!;
    expect(q.queuedBytes).toBe(100);
    a.release();
    a.release();
    expect(q.queuedBytes).toBe(40);
    b.release();
    expect(q.queuedBytes).toBe(0);
  });

  it('always admits one request when nothing is held, however large', () => {
    const q = new IngestQueue(10);
    const big = q.reserve(1_000)!;
    expect(big).toBeDefined();
    expect(q.reserve(0)).toBeUndefined();
    big.release();
    expect(q.reserve(5)).toBeDefined();
  });

  it('resizes to a body’s real size: shrinking frees room, growing past the limit is refused', () => {
    const q = new IngestQueue(100);
    const gz = q.reserve(100)!; // a gzip body holds the body limit until read
    expect(gz.resize(30)).toBe(true);
    const other = q.reserve(50)!;
    expect(gz.resize(60)).toBe(false);
    expect(q.queuedBytes).toBe(80);
    other.release();
    gz.release();
    expect(q.queuedBytes).toBe(0);
  });

  it('reads sizes in the bodyLimit notation', () => {
    expect(parseSize('512kb')).toBe(512 * 1024);
    expect(parseSize('128MB')).toBe(128 * 1024 * 1024);
    expect(() => parseSize('12gb')).toThrow(/512kb or 64mb/);
  });
});
