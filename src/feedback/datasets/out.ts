import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** What a finished output holds: its size and SHA-256, for the manifest. */
export interface OutResult {
  bytes: number;
  sha256: string;
}

/** Text or bytes buffered before a write: large enough to be cheap, small enough to stay constant. */
const FLUSH_BYTES = 1 << 20;

/**
 * A destination (a file, an HTTP response) that hashes what passes and honours backpressure:
 * writes are buffered to about a megabyte, and `flush` waits for the destination to drain.
 */
export class HashedOut {
  private readonly hash: Hash = createHash('sha256');
  private parts: (string | Uint8Array)[] = [];
  private pending = 0;
  private bytes = 0;

  constructor(private readonly dest: Writable) {}

  push(chunk: string | Uint8Array): void {
    this.parts.push(chunk);
    this.pending += chunk.length;
  }

  get buffered(): number {
    return this.pending;
  }

  async flush(force = false): Promise<void> {
    if (this.pending === 0 || (!force && this.pending < FLUSH_BYTES)) return;
    // text lines are joined and encoded once: a Buffer per line and a concat of them cost
    // about a tenth of an export's time
    const data = this.parts.every((p) => typeof p === 'string')
      ? Buffer.from(this.parts.join(''), 'utf8')
      : Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    this.parts = [];
    this.pending = 0;
    this.hash.update(data);
    this.bytes += data.length;
    if (!this.dest.write(data)) await drained(this.dest);
  }

  /** Writes what is left and ends the destination (a file is closed once this resolves). */
  async end(): Promise<OutResult> {
    await this.flush(true);
    const finished = once(this.dest, 'finish');
    this.dest.end();
    await finished;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/** Resolves on drain, rejects if the destination fails or closes first (a client that went away). */
function drained(dest: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      dest.off('drain', onDrain);
      dest.off('error', onError);
      dest.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('the destination closed before the export finished'));
    dest.on('drain', onDrain);
    dest.on('error', onError);
    dest.on('close', onClose);
  });
}
