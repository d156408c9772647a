import { createReadStream } from 'node:fs';
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
