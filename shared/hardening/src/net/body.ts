import { type Duplex, pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { NetGuardError } from './errors.js';

/** Most content codings one response may stack (`Content-Encoding: gzip, br`). */
export const MAX_STACKED_ENCODINGS = 2;

/** A body read under a byte cap. */
export interface BoundedBody {
  /** The decoded bytes, at most the cap. */
  bytes: Buffer;
  /** True when the body had more bytes (decoded, or on the wire) than the cap. */
  truncated: boolean;
  /** Bytes received on the wire before decoding (at most twice the cap plus 64 KiB, plus one chunk). */
  wireBytes: number;
}

type DecoderFactory = () => Duplex;

const DECODERS: Record<string, DecoderFactory> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  // RFC 9110 §8.4.1.2: "deflate" is the zlib format (RFC 1950); raw DEFLATE is not accepted.
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
  ...(typeof zlib.createZstdDecompress === 'function' ? { zstd: () => zlib.createZstdDecompress() } : {}),
};

/** The `Accept-Encoding` value that matches what {@link readBoundedBody} can decode. */
export const ACCEPT_ENCODING: string = Object.keys(DECODERS)
  .filter((name) => name !== 'x-gzip')
  .join(', ');

/**
 * Parses `Content-Encoding` into the codings to undo, in the order to undo them (the last one
 * applied first). `identity` is ignored.
 *
 * @param header - the header value(s)
 * @returns coding names, lower-case, last-applied first
 * @throws NetGuardError (`encoding`) for an unknown coding or more than
 *   {@link MAX_STACKED_ENCODINGS} of them
 */
export function parseContentEncoding(header: string | readonly string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : ((header as string | undefined) ?? '');
  const codings = text
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > MAX_STACKED_ENCODINGS) {
    throw new NetGuardError(
      'encoding',
      `Refused a response with ${codings.length} stacked content codings; at most ${MAX_STACKED_ENCODINGS} are decoded.`,
    );
  }
  for (const coding of codings) {
    if (!DECODERS[coding]) {
      throw new NetGuardError(
        'encoding',
        `Refused a response in the unsupported content coding "${coding}".`,
      );
    }
  }
  return codings.reverse();
}

/**
 * Reads a response body through its content decoders and stops at `maxBytes` of DECODED output,
 * so a compression bomb costs at most the cap (plus one decoder chunk) in memory and time. The
 * wire bytes are capped at twice the cap plus 64 KiB. On reaching the cap the source is destroyed, which
 * closes the connection.
 *
 * @param body - the raw body stream
 * @param codings - from {@link parseContentEncoding}
 * @param maxBytes - the cap, in bytes of decoded output
 * @returns the bytes and whether they were cut
 * @throws the stream's error (an abort, a reset, corrupt compressed data)
 */
export async function readBoundedBody(
  body: Readable,
  codings: readonly string[],
  maxBytes: number,
): Promise<BoundedBody> {
  let wireBytes = 0;
  let wireCut = false;
  // Compressed data is at most slightly larger than what it decodes to, so the decoded cap is
  // reached long before this one; it only bounds a stream that decodes to (almost) nothing.
  const wireCap = maxBytes * 2 + 64 * 1024;
  body.on('data', (chunk: Buffer) => {
    wireBytes += chunk.length;
    if (wireBytes > wireCap && !wireCut) {
      wireCut = true;
      body.on('error', () => {});
      body.destroy();
    }
  });
  // pipeline destroys every stage when one fails, so an error anywhere ends the iteration below.
  const decoded: Readable =
    codings.length === 0
      ? body
      : (pipeline(
          [body, ...codings.map((coding) => (DECODERS[coding] as DecoderFactory)())],
          () => {},
        ) as unknown as Readable);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      const room = maxBytes - size;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (error) {
    // A source destroyed at the wire cap ends the decoder with a premature-close error.
    if (!wireCut) throw error;
  } finally {
    if (!body.destroyed) {
      body.on('error', () => {}); // the destroy is reported as an abort, which is expected here
      body.destroy();
    }
  }
  return { bytes: Buffer.concat(chunks, size), truncated: truncated || wireCut, wireBytes };
}
