/**
 * The bound on ingest work held in memory: the bytes of every request body admitted and not yet
 * answered, from its read through validation to its write (so it covers the group-commit queue
 * too). A request that does not fit is refused before its body is read where its size is known
 * in advance; the sender retries later. Domain code: it knows nothing of HTTP.
 */
export interface QueueReservation {
  /** Sets the reservation to `bytes` (a body's real size once read); false when the larger size does not fit. */
  resize(bytes: number): boolean;
  /** Gives the bytes back; later calls do nothing. */
  release(): void;
}

export class IngestQueue {
  private queued = 0;
  private holders = 0;

  constructor(readonly limitBytes: number) {}

  get queuedBytes(): number {
    return this.queued;
  }

  /**
   * A reservation of `bytes`, or undefined when the queue is full. A request is always admitted
   * when nothing else is held, so one body larger than the limit (but within the body limit)
   * still goes through rather than being refused forever.
   */
  reserve(bytes: number): QueueReservation | undefined {
    if (!this.fits(bytes)) return undefined;
    this.queued += bytes;
    this.holders++;
    let held = bytes;
    let released = false;
    return {
      resize: (next) => {
        if (released) return false;
        if (next > held && this.holders > 1 && this.queued + (next - held) > this.limitBytes) return false;
        this.queued += next - held;
        held = next;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.queued -= held;
        this.holders--;
      },
    };
  }

  private fits(bytes: number): boolean {
    return this.holders === 0 || this.queued + bytes <= this.limitBytes;
  }
}

/** `512kb`, `64mb` (the bodyLimit notation, powers of 1024) as bytes. */
export function parseSize(size: string): number {
  const m = /^(\d+)(kb|mb)$/i.exec(size.trim());
  if (!m) throw new Error(`expected a size such as 512kb or 64mb, got ${JSON.stringify(size)}`);
  return Number(m[1]) * (m[2].toLowerCase() === 'kb' ? 1024 : 1024 * 1024);
}
