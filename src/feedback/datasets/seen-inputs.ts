import { createHash } from 'node:crypto';

/**
 * The inputs already exported, to collapse identical ones: 64 bits of SHA-256 per input in an
 * open-addressing table of two Uint32Arrays (16 bytes a slot at most half full), so memory grows
 * by about 32 bytes per distinct input and holds no text. Two different inputs share 64 bits
 * with a chance of about n²/2^65 (3e-8 for a million inputs).
 */
export class SeenInputs {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private count = 0;

  /** True if this input was seen before; records it otherwise. */
  seen(scope: string, input: string): boolean {
    const d = createHash('sha256').update(scope).update('\u0000').update(input).digest();
    return this.add(d.readUInt32BE(0), d.readUInt32BE(4));
  }

  private add(h: number, l: number): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    const mask = this.used.length - 1;
    for (let i = l & mask; ; i = (i + 1) & mask) {
      if (!this.used[i]) {
        this.used[i] = 1;
        this.hi[i] = h;
        this.lo[i] = l;
        this.count++;
        return false;
      }
      if (this.hi[i] === h && this.lo[i] === l) return true;
    }
  }

  private grow(): void {
    const { hi, lo, used } = this;
    this.hi = new Uint32Array(used.length * 2);
    this.lo = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.count = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.add(hi[i], lo[i]);
  }
}
