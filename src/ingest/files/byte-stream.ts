import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Raw bytes of a file, gunzipped when asked, with the count of file bytes consumed so far. */
export interface ByteStream {
  chunks: AsyncIterable<Buffer>;
  /** Bytes read from disk (compressed bytes for gzip), for the progress bar. */
  bytesRead(): number;
  destroy(): void;
}

// 256 KiB measured fastest for split + JSON.parse; 64 KiB and 1 MiB were within noise but
// larger chunks pin more memory per sliced string.
const CHUNK_BYTES = 256 * 1024;

export function openByteStream(path: string, compressed: boolean): ByteStream {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  if (!compressed) {
    return { chunks: file, bytesRead: () => file.bytesRead, destroy: () => file.destroy() };
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // pipeline forwards a read error from the file into gunzip, whose iterator then throws it
  pipeline(file, gunzip, () => {});
  return {
    chunks: gunzip,
    bytesRead: () => file.bytesRead,
    destroy: () => {
      gunzip.destroy();
      file.destroy();
    },
  };
}

/**
 * The bytes of an uncompressed file read again and again into one buffer: each chunk is valid
 * only until the next one is asked for, so a reader that keeps bytes across chunks copies them
 * (ndjson.ts does). A new 256 KiB buffer per chunk, freed a little later, fragmented the C heap
 * over a file ingest until its RSS grew with the file (issue 14).
 */
export function openReusedByteStream(path: string): ByteStream {
  let bytesRead = 0;
  let closed = false;
  let started = false;
  const handle = open(path, 'r');
  handle.catch(() => undefined); // surfaced by the first read
  async function* chunks(): AsyncGenerator<Buffer> {
    started = true;
    const file = await handle;
    try {
      const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      while (!closed) {
        const { bytesRead: n } = await file.read(buffer, 0, CHUNK_BYTES, null);
        if (n === 0) return;
        bytesRead += n;
        yield buffer.subarray(0, n);
      }
    } finally {
      await file.close();
    }
  }
  return {
    chunks: chunks(),
    bytesRead: () => bytesRead,
    destroy: () => {
      closed = true;
      // a generator never started has no finally to close the file
      if (!started) handle.then((f) => f.close()).catch(() => undefined);
    },
  };
}
