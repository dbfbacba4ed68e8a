/** Decoded text and the encoding that was used. */
export interface DecodedText {
  text: string;
  /** WHATWG encoding name (`UTF-8`, `windows-1252`, `Shift_JIS`). */
  encoding: string;
}

/**
 * Decodes an HTML body with the HTML Standard's encoding sniffing algorithm
 * (https://html.spec.whatwg.org/multipage/parsing.html#encoding-sniffing-algorithm): a byte
 * order mark first, then the `Content-Type` charset, then a `<meta charset>` or `http-equiv`
 * declaration in the first 1024 bytes, then windows-1252. (The BOM wins over the header, as in
 * every browser: it is the one signal that cannot be stale.) The sniffer is loaded on the first
 * call, not when the server starts.
 *
 * @param bytes - the body
 * @param charset - the header's charset parameter, if any
 * @returns the text
 */
export async function decodeHtml(bytes: Uint8Array, charset: string | undefined): Promise<DecodedText> {
  const { sniffHtmlEncoding } = await import('./sniff-encoding.js');
  const encoding = sniffHtmlEncoding(bytes, charset);
  return { text: decodeWith(encoding, bytes), encoding };
}

/**
 * Decodes a non-HTML text body: a byte order mark, else the header's charset, else UTF-8 (the
 * required encoding of JSON, RFC 8259 §8.1, and the only sensible default elsewhere).
 *
 * @param bytes - the body
 * @param charset - the header's charset parameter, if any
 * @returns the text
 */
export function decodeText(bytes: Uint8Array, charset: string | undefined): DecodedText {
  const bom = bomEncoding(bytes);
  const encoding = bom ?? (charset && isSupported(charset) ? charset : 'UTF-8');
  return { text: decodeWith(encoding, bytes), encoding: bom ?? new TextDecoder(encoding).encoding };
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'UTF-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  return undefined;
}

function isSupported(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

// TextDecoder strips a BOM that matches its encoding. An encoding Node's ICU lacks (x-user-defined,
// replacement) falls back to windows-1252, which maps every byte.
function decodeWith(encoding: string, bytes: Uint8Array): string {
  const label = isSupported(encoding) ? encoding : 'windows-1252';
  return new TextDecoder(label).decode(bytes);
}
