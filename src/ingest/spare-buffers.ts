/**
 * A worker's buffers for serialized rows, given back by the main thread once it had written them
 * (PreparePool.recycle, HttpPreparePool.recycle): a new ~1 MB buffer per batch, made in the
 * worker and freed on the main thread, fragmented the C heap until ingest's RSS grew with the
 * file (issue 14). Both ingest workers keep one.
 */
export class SpareBuffers {
  private readonly spare: ArrayBuffer[] = [];

  constructor(private readonly max = 8) {}

  /** A buffer of at least `bytes`: a spare one when one is big enough. */
  readonly take = (bytes: number): Uint8Array => {
    const i = this.spare.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) return new Uint8Array(this.spare.splice(i, 1)[0]);
    // room to spare, so that a buffer serves the next batches too
    return new Uint8Array(bytes === 0 ? 0 : Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(bytes))));
  };

  giveBack(buffers: readonly ArrayBuffer[]): void {
    for (const b of buffers) if (this.spare.length < this.max) this.spare.push(b);
  }
}
